//
// SPDX-License-Identifier: GPL-2.0-or-later
// Copyright(C) 2026 the dockerdoom authors
//
// This program is free software; you can redistribute it and/or
// modify it under the terms of the GNU General Public License
// as published by the Free Software Foundation; either version 2
// of the License, or (at your option) any later version.
//
// This program is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// DESCRIPTION:
//	dockerdoom: what the simulation learns from outside, the same on
//	every peer on the same tic (see dd_net.h). The sending half runs when
//	a ticcmd is built (DD_BuildTiccmd), the receiving half when the tic
//	runs (DD_NetTicker); both on the game thread, neither touches the
//	filesystem.
//

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doomdef.h"
#include "doomstat.h"
#include "d_ticcmd.h"
#include "i_system.h"
#include "m_controls.h"
#include "m_misc.h"
#include "net_client.h"

#include "dd_kill.h"
#include "dd_name.h"
#include "dd_net.h"
#include "dd_scan.h"
#include "dd_sync.h"
#include "dd_wire.h"
#include "dockerdoom.h"

#define DD_SCAN_MS 500

// The ticcmd's field and the wire's chunk are one size.
typedef char dd_chunk_fits[sizeof(((ticcmd_t *) 0)->dddata)
                           == DD_WIRE_CHUNK ? 1 : -1];

#define DD_INPUTS 1024

typedef struct
{
    boolean said;           // its HELLO has run
    boolean reads;          // its game reads the mount
    char name[DD_WIRE_PNAME_LEN + 1];
} dd_peer_t;

static boolean dd_active;
static boolean dd_reads;            // this game has a mount
static char dd_dir[4096];
static boolean dd_scanning;         // the scanner thread runs
static boolean dd_helloed;

// The state every peer holds alike.
static dd_peer_t dd_peers[MAXPLAYERS];
static boolean dd_wasingame[MAXPLAYERS];
static int dd_reader = -1;
static dd_snapshot_t dd_list;       // the shared list, sorted by id
static dd_dict_t dd_dict;
static boolean dd_listchanged;
static boolean dd_scanned;
static dd_input_t dd_inputs[DD_INPUTS];
static int dd_inhead;
static int dd_incount;
static int dd_dropped;              // inputs lost to a full queue

// This peer's sending half.
static dd_sender_t dd_sender;
static dd_receiver_t dd_receivers[MAXPLAYERS];
static boolean dd_inflight;         // a scan's messages are on their way
static dd_snapshot_t dd_scan;       // the newest scan not sent yet
static boolean dd_havescan;
static dd_dict_t dd_encdict;        // the dictionary as our messages leave it
static long dd_sentbytes;           // this peer's chunks so far (bytes)
static long dd_sentchunks;
static long dd_recvmessages;        // messages every peer applied

static volatile sig_atomic_t dd_quit;

boolean DD_NetActive(void)
{
    return dd_active;
}

static void DD_OnQuitSignal(int sig)
{
    (void) sig;
    dd_quit = 1;
    // Should the game not get to quit (stuck anywhere), SIGALRM's own
    // action ends it.
    alarm(3);
}

void DD_NetCheckQuit(void)
{
    if (dd_quit)
    {
        dd_quit = 0;
        printf("dockerdoom: quit on a signal: leaving the netgame\n");
        I_Quit();
    }
}

// In a netgame of three or more, the keys that send a message to one
// player (g, i, b, r) open the chat: typing idrm would chat "drm" to the
// indigo player. Those keys that idrm needs give up that job ('t' still
// talks to everyone).
static void DD_FreeCheatKeys(void)
{
    static const char cheat[] = "idrm";
    int i;

    for (i = 0; i < MAXPLAYERS; ++i)
    {
        if (key_multi_msgplayer[i] > 0 && key_multi_msgplayer[i] < 128
         && strchr(cheat, key_multi_msgplayer[i]) != NULL)
        {
            key_multi_msgplayer[i] = 0;
        }
    }
}

void DD_NetInit(const char *dir)
{
    int i;

    dd_reads = dir != NULL;
    if (dir != NULL)
    {
        M_StringCopy(dd_dir, dir, sizeof(dd_dir));
    }
    dd_active = dd_reads || netgame;
    if (netgame)
    {
        // A player's game stopped by a signal leaves the netgame as the
        // menu's quit does: the server drops it at once, the others play
        // on (killed outright, they wait 30 s for it first).
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = DD_OnQuitSignal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        DD_FreeCheatKeys();
    }
    DD_DictInit(&dd_dict);
    DD_SenderInit(&dd_sender);
    for (i = 0; i < MAXPLAYERS; ++i)
    {
        DD_ReceiverInit(&dd_receivers[i]);
    }
}

// A netgame's messages are chunked into the ticcmds; a game alone hands
// them to itself whole.
static boolean DD_Chunked(void)
{
    return netgame;
}

static void DD_Queue(const dd_event_t *ev, boolean urgent)
{
    dd_wbuf_t buf = { 0 };
    int err;

    // Urgent events use no dictionary slot: any dictionary will do.
    err = DD_WireEncode(&buf, ev, &dd_encdict);
    if (err == 0)
    {
        err = DD_SenderQueue(&dd_sender, buf.data, buf.len, urgent);
    }
    if (err != 0)
    {
        printf("dockerdoom: net cannot send an event: %s\n", strerror(err));
    }
    DD_WbufFree(&buf);
}

// Queues an urgent event of type: value, the entry's id (RESULT) and a
// player's name (HELLO); id and name may be NULL.
static void DD_QueueUrgent(dd_evtype_t type, int value, const char *id,
                           const char *name)
{
    dd_event_t ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.value = value;
    if (id != NULL)
    {
        M_StringCopy(ev.e.id, id, sizeof(ev.e.id));
    }
    if (name != NULL)
    {
        M_StringCopy(ev.e.name, name, sizeof(ev.e.name));
    }
    DD_Queue(&ev, true);
}

void DD_NetSendResult(const char *id, int err)
{
    if (dd_active)
    {
        DD_QueueUrgent(DD_EV_RESULT, err, id, NULL);
    }
}

void DD_NetSendCast(void)
{
    if (dd_active)
    {
        DD_QueueUrgent(DD_EV_CAST, 0, NULL, NULL);
    }
}

static void DD_SendHello(void)
{
    const char *name = netgame && net_player_name != NULL
                     ? net_player_name : "";

    DD_QueueUrgent(DD_EV_HELLO, dd_reads ? DD_HELLO_READS : 0, NULL, name);
    dd_helloed = true;
}

static int DD_EmitList(const unsigned char *msg, size_t len, void *ctx)
{
    (void) ctx;
    return DD_SenderQueue(&dd_sender, msg, len, 0);
}

// Sends the events that bring the shared list to the newest scan, and a
// SCAN after them: one round, the next one only when this one has run
// (so each diff is against what every peer holds).
static void DD_SendScan(void)
{
    dd_packer_t packer;
    dd_event_t end;
    int err;

    memcpy(&dd_encdict, &dd_dict, sizeof(dd_encdict));
    DD_PackerInit(&packer, &dd_encdict,
                  DD_Chunked() ? DD_WIRE_NETMSG : DD_WIRE_MSG_MAX,
                  DD_EmitList, NULL);
    err = DD_SyncDiff(&dd_list, &dd_scan, DD_PackerAdd, &packer);
    if (err == 0)
    {
        memset(&end, 0, sizeof(end));
        end.type = DD_EV_SCAN;
        err = DD_PackerAdd(&end, &packer);
    }
    if (err == 0)
    {
        err = DD_PackerFlush(&packer);
    }
    DD_PackerFree(&packer);
    DD_SnapshotFree(&dd_scan);
    dd_havescan = false;
    if (err != 0)
    {
        // The messages queued so far still run; the next scan is
        // diffed again against what they left.
        printf("dockerdoom: net cannot send a scan: %s\n", strerror(err));
        DD_SenderDropList(&dd_sender);
        return;
    }
    dd_inflight = true;
}

// The reader's work when a ticcmd is built: start the scanner, keep the
// newest scan, send it when the last one has run.
static void DD_ReaderWork(void)
{
    dd_snapshot_t snap;

    if (!dd_scanning)
    {
        if (DD_ScannerStart(dd_dir, DD_SCAN_MS) != 0)
        {
            printf("dockerdoom: cannot start the scanner\n");
            dd_reads = false;
            return;
        }
        dd_scanning = true;
    }
    if (DD_ScannerTake(&snap))
    {
        DD_SnapshotFree(&dd_scan);
        dd_scan = snap;
        dd_havescan = true;
    }
    if (dd_havescan && !dd_inflight)
    {
        DD_SendScan();
    }
}

void DD_BuildTiccmd(ticcmd_t *cmd)
{
    char id[DD_ID_LEN + 1];
    int err;

    cmd->ddlen = 0;
    if (!dd_active)
    {
        return;
    }
    DD_NetCheckQuit();
    if (!dd_helloed)
    {
        DD_SendHello();
    }
    while (DD_KillPoll(id, &err))
    {
        DD_NetSendResult(id, err);
    }
    if (dd_reads && dd_reader == consoleplayer)
    {
        DD_ReaderWork();
    }
    if (DD_Chunked())
    {
        cmd->ddlen = (byte) DD_SenderChunk(&dd_sender, cmd->dddata,
                                           TICCMD_DDMAX);
        if (cmd->ddlen > 0)
        {
            dd_sentbytes += cmd->ddlen;
            ++dd_sentchunks;
        }
    }
}

void DD_NetLogStats(void)
{
    int lost = 0;
    int i;

    if (!netgame)
    {
        return;
    }
    for (i = 0; i < MAXPLAYERS; ++i)
    {
        lost += dd_receivers[i].lost;
    }
    printf("dockerdoom: net sent=%ld chunks=%ld messages=%ld lost=%d "
           "list=%d\n", dd_sentbytes, dd_sentchunks, dd_recvmessages, lost,
           dd_list.count);
}

// ---- the receiving half ------------------------------------------------------

static void DD_PushInput(dd_intype_t type, int player, const char *id,
                         int err)
{
    dd_input_t *in;

    if (dd_incount == DD_INPUTS)
    {
        // Every peer drops the same one.
        ++dd_dropped;
        return;
    }
    in = &dd_inputs[(dd_inhead + dd_incount++) % DD_INPUTS];
    in->type = type;
    in->player = player;
    M_StringCopy(in->id, id != NULL ? id : "", sizeof(in->id));
    in->err = err;
}

boolean DD_NetTakeInput(dd_input_t *in)
{
    if (dd_incount == 0)
    {
        return false;
    }
    *in = dd_inputs[dd_inhead];
    dd_inhead = (dd_inhead + 1) % DD_INPUTS;
    --dd_incount;
    return true;
}

const dd_snapshot_t *DD_NetTakeList(boolean *scanned)
{
    boolean changed = dd_listchanged;

    *scanned = dd_scanned;
    dd_listchanged = false;
    dd_scanned = false;
    return changed ? &dd_list : NULL;
}

void DD_NetConfirm(void)
{
    if (dd_scanning && dd_reader == consoleplayer)
    {
        DD_ScannerConfirm();
    }
}

const char *DD_NetPlayerName(int player)
{
    static char fallback[MAXPLAYERS][16];

    if (player < 0 || player >= MAXPLAYERS)
    {
        return "?";
    }
    if (dd_peers[player].name[0] != '\0')
    {
        return dd_peers[player].name;
    }
    M_snprintf(fallback[player], sizeof(fallback[player]), "player%d",
               player + 1);
    return fallback[player];
}

int DD_NetReader(void)
{
    return dd_reader;
}

// The reader: the lowest-numbered player in the game whose game reads.
static void DD_ChooseReader(void)
{
    int reader = -1;
    int i;

    for (i = 0; i < MAXPLAYERS && reader < 0; ++i)
    {
        if (playeringame[i] && dd_peers[i].said && dd_peers[i].reads)
        {
            reader = i;
        }
    }
    if (reader == dd_reader)
    {
        return;
    }
    printf("dockerdoom: reader player=%d name=%s\n", reader + 1,
           reader >= 0 ? DD_NetPlayerName(reader) : "-");
    if (dd_reader == consoleplayer)
    {
        // Our scans are no longer wanted; what is on its way is skipped.
        DD_SenderDropList(&dd_sender);
    }
    dd_inflight = false;
    dd_reader = reader;
    if (reader == consoleplayer)
    {
        // Whatever the last reader sent, the next scan brings every peer
        // in line with the mount from where it is.
        DD_NetConfirm();
    }
}

static void DD_ApplyMessage(int player, const unsigned char *msg,
                            size_t len)
{
    dd_dict_t *scratch = NULL;
    dd_dict_t *dict = &dd_dict;
    dd_event_t *ev;
    int count;
    int err;
    int i;

    if (player != dd_reader)
    {
        // Only the reader's DICT events count: a message of a reader that
        // gave way must not change the shared dictionary.
        scratch = malloc(sizeof(*scratch));
        if (scratch == NULL)
        {
            return;
        }
        memcpy(scratch, &dd_dict, sizeof(*scratch));
        dict = scratch;
    }
    err = DD_WireDecode(msg, len, dict, &ev, &count);
    free(scratch);
    ++dd_recvmessages;
    if (err != 0)
    {
        printf("dockerdoom: net message from player %d dropped: %s\n",
               player + 1, strerror(err));
        return;
    }
    if (player == dd_reader && DD_SyncApply(&dd_list, ev, count) == 0)
    {
        for (i = 0; i < count; ++i)
        {
            if (ev[i].type == DD_EV_ADD || ev[i].type == DD_EV_DEL
             || ev[i].type == DD_EV_SET)
            {
                dd_listchanged = true;
            }
        }
    }
    for (i = 0; i < count; ++i)
    {
        switch (ev[i].type)
        {
            case DD_EV_HELLO:
                dd_peers[player].said = true;
                dd_peers[player].reads = (ev[i].value & DD_HELLO_READS) != 0;
                DD_SanitizeName(dd_peers[player].name,
                                sizeof(dd_peers[player].name),
                                ev[i].e.name);
                printf("dockerdoom: player %d name=%s reads=%d\n",
                       player + 1, DD_NetPlayerName(player),
                       dd_peers[player].reads ? 1 : 0);
                DD_ChooseReader();
                break;
            case DD_EV_SCAN:
                if (player == dd_reader)
                {
                    dd_scanned = true;
                    if (player == consoleplayer)
                    {
                        dd_inflight = false;
                    }
                }
                break;
            case DD_EV_RESULT:
                DD_PushInput(DD_IN_RESULT, player, ev[i].e.id, ev[i].value);
                break;
            case DD_EV_CAST:
                DD_PushInput(DD_IN_CAST, player, NULL, 0);
                break;
            default:
                break;
        }
    }
    free(ev);
}

// A player left: its half-sent message is dropped, its kills in flight
// are settled by the game (DD_IN_LEFT), another peer may read.
static void DD_PlayerLeft(int player)
{
    printf("dockerdoom: player %d left name=%s\n", player + 1,
           DD_NetPlayerName(player));
    DD_ReceiverReset(&dd_receivers[player]);
    dd_peers[player].said = false;
    dd_peers[player].reads = false;
    DD_PushInput(DD_IN_LEFT, player, NULL, 0);
    DD_ChooseReader();
}

// A game alone: its own messages, whole, as queued.
static void DD_TakeLocal(void)
{
    unsigned char *msg;
    size_t len;

    while (DD_SenderTake(&dd_sender, &msg, &len))
    {
        DD_ApplyMessage(consoleplayer, msg, len);
        free(msg);
    }
}

void DD_NetTicker(void)
{
    int i;

    if (!dd_active)
    {
        return;
    }
    for (i = 0; i < MAXPLAYERS; ++i)
    {
        if (dd_wasingame[i] && !playeringame[i])
        {
            DD_PlayerLeft(i);
        }
        dd_wasingame[i] = playeringame[i];
    }
    if (!DD_Chunked())
    {
        DD_TakeLocal();
        return;
    }
    for (i = 0; i < MAXPLAYERS; ++i)
    {
        const ticcmd_t *cmd = &players[i].cmd;
        const unsigned char *msg;
        size_t len;
        int lost;

        if (!playeringame[i] || cmd->ddlen == 0)
        {
            continue;
        }
        lost = dd_receivers[i].lost;
        if (DD_ReceiverFeed(&dd_receivers[i], cmd->dddata, cmd->ddlen,
                            &msg, &len) == DD_RECV_MESSAGE)
        {
            DD_ApplyMessage(i, msg, len);
        }
        if (dd_receivers[i].lost != lost)
        {
            printf("dockerdoom: net lost a message from player %d\n", i + 1);
            if (i == consoleplayer && dd_reader == consoleplayer)
            {
                // The scan may never end: the next one is diffed anew.
                dd_inflight = false;
            }
        }
    }
}
