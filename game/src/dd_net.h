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
//	every peer on the same tic. One peer, the reader (the lowest-numbered
//	player whose game reads the mount), scans the mount and sends the
//	changes; the peer whose player killed a container writes its kill
//	file and sends the result; a player's idrm is sent too. All of it
//	rides in the ticcmds (dd_wire.h) and comes out here on the tic it
//	runs, in one order on every peer. A game alone is a netgame of one
//	whose messages never leave the process, whole and at once.
//
//	  alice's game (player 1, the reader)     bob's game (player 2)
//	  scan: web appeared                      kill web: EPERM
//	    -> ADD web ... SCAN                     -> RESULT web EPERM
//	  tic 812: both apply ADD web, SCAN; tic 940: both apply RESULT
//

#ifndef DD_NET_H
#define DD_NET_H

#include "doomdef.h"

#include "dd_table.h"

// dir: the mount this game reads and writes, NULL when it has none (it
// still takes part in a netgame: its world must stay the others').
void DD_NetInit(const char *dir);

// In a netgame, after SIGTERM or SIGINT: quit as the menu's quit does
// (I_Quit, which tells the server). Called once a frame.
void DD_NetCheckQuit(void);

// True when the simulation runs the container code on this game: it has
// a mount, or it is a netgame (where a peer without one follows the
// others).
boolean DD_NetActive(void);

// Sends this peer's kill result (0 or an errno) for the entry id; every
// peer gets it on one tic.
void DD_NetSendResult(const char *id, int err);

// Sends this peer's idrm.
void DD_NetSendCast(void);

typedef enum
{
    DD_IN_RESULT,           // player's kill write of id ended with err
    DD_IN_CAST,             // player typed idrm
    DD_IN_LEFT,             // player left the game
} dd_intype_t;

typedef struct
{
    dd_intype_t type;
    int player;
    char id[DD_ID_LEN + 1];
    int err;
} dd_input_t;

// The next input in the order every peer has them; false when none.
boolean DD_NetTakeInput(dd_input_t *in);

// The shared container list (sorted by id) when it changed since the
// last call, else NULL; *scanned is set when a complete scan of the
// reader ended since (a corpse whose kill failed may rise then).
const dd_snapshot_t *DD_NetTakeList(boolean *scanned);

// The reader should send a scan even if nothing changed (a kill failed:
// is the container still there?). Does nothing on other peers.
void DD_NetConfirm(void);

// The player's name as that player's game gave it ("player2" until it
// has), for messages.
const char *DD_NetPlayerName(int player);

// In a netgame, logs what this peer sent and what every peer applied:
// "dockerdoom: net sent=BYTES chunks=N messages=N lost=N list=N".
void DD_NetLogStats(void);

// The reader's player number, or -1 while there is none.
int DD_NetReader(void);

#endif
