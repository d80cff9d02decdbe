// SPDX-License-Identifier: GPL-2.0-or-later
//
// Copyright(C) 2026 The dockerdoom authors
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
//	dockerdoom: the glue between the game loop and the container table.
//	Everything here runs on the game thread and never touches the
//	filesystem: scans and kill writes come and go through dd_scan/dd_kill.
//

#include <stdio.h>
#include <string.h>

#include "SDL.h"

#include "doomdef.h"
#include "doomstat.h"
#include "d_player.h"
#include "i_timer.h"
#include "m_argv.h"
#include "m_cheat.h"
#include "m_misc.h"
#include "p_local.h"
#include "s_sound.h"
#include "sounds.h"

#include "dd_kill.h"
#include "dd_label.h"
#include "dd_place.h"
#include "dd_scan.h"
#include "dd_sweep.h"
#include "dd_table.h"
#include "dd_text.h"
#include "dockerdoom.h"

#define DD_SCAN_MS        500
#define DD_STATS_MS       5000
#define DD_PROBES_PER_TIC 3000
#define DD_RETRY_TICS     TICRATE

typedef struct
{
    mobjtype_t type;
    const char *name;
} dd_monster_t;

// Monsters with sprites in every Doom IWAD, then the Doom II ones. All are
// small enough for the placement grid; none spawns other monsters.
static const dd_monster_t dd_monsters[] = {
    { MT_POSSESSED, "zombieman" },
    { MT_SHOTGUY, "shotgunguy" },
    { MT_TROOP, "imp" },
    { MT_SERGEANT, "demon" },
    { MT_HEAD, "cacodemon" },
    { MT_BRUISER, "baron" },
    { MT_CHAINGUY, "chaingunner" },
    { MT_KNIGHT, "hellknight" },
    { MT_UNDEAD, "revenant" },
};
#define DD_DOOM1_MONSTERS 6

static dd_table_t dd_table;
static boolean dd_enabled;
static boolean dd_inlevel;
static int dd_retrytic;
static char dd_hudmsg[160];
static int dd_stats_tics;
static int dd_stats_start;
static int dd_shielded;         // hits on containers not from a player
static int dd_shielded_logged;
static int dd_spared;           // hits by containers on other monsters
static int dd_killedby;         // other monsters killed by containers
static cheatseq_t dd_cheat = CHEAT("idrm", 0);

// Entries that vanished while their kill write was in flight: the scan
// that shows them gone can overtake the write's result, which still needs
// a complete log line.
#define DD_GONE 32
static dd_entry_t dd_gone[DD_GONE];
static int dd_gonenext;

// The monster this entry's image maps onto for the current IWAD.
static const dd_monster_t *DD_MonsterFor(const dd_entry_t *entry)
{
    int count = gamemode == commercial
              ? (int) (sizeof(dd_monsters) / sizeof(dd_monsters[0]))
              : DD_DOOM1_MONSTERS;

    return &dd_monsters[DD_ImageIndex(entry->image, count)];
}

// One stdout line per event; the format is parsed by tests.
static void DD_Log(const char *event, const dd_entry_t *entry,
                   const char *result)
{
    if (result != NULL)
    {
        printf("dockerdoom: %s id=%.12s name=%s type=%s result=%s\n", event,
               entry->id, entry->name, DD_MonsterFor(entry)->name, result);
    }
    else
    {
        printf("dockerdoom: %s id=%.12s name=%s type=%s\n", event,
               entry->id, entry->name, DD_MonsterFor(entry)->name);
    }
}

// The spawn line: where, and how far the player has to walk there.
static void DD_LogSpawn(const dd_entry_t *entry, fixed_t x, fixed_t y,
                        int dist)
{
    printf("dockerdoom: spawn id=%.12s name=%s type=%s x=%d y=%d dist=%d\n",
           entry->id, entry->name, DD_MonsterFor(entry)->name,
           x >> FRACBITS, y >> FRACBITS, dist);
}

static void DD_Message(void)
{
    players[consoleplayer].message = dd_hudmsg;
}

// The entry of a container monster, or NULL for any other thing (also
// for flagged monsters restored from a savegame, which are ordinary).
static dd_entry_t *DD_EntryOf(const mobj_t *mo)
{
    if (mo == NULL || !(mo->flags & DD_MF_CONTAINER))
    {
        return NULL;
    }
    return DD_TableFindMobj(&dd_table, mo);
}

void DD_Init(void)
{
    const char *dir = "/dockerfs";
    int p;
    int err;

    // Line-buffered so `docker logs` and tests see each event at once.
    setvbuf(stdout, NULL, _IOLBF, 0);
    // SDL would turn SIGTERM and SIGINT into a quit event, which only opens
    // the "are you sure" menu; a container stop must end the game at once.
    // Set before the video subsystem (which installs them) starts.
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");

    //!
    // @arg <dir>
    //
    // Directory of containers to turn into monsters (default /dockerfs).
    //
    p = M_CheckParmWithArgs("-dockerfs", 1);
    if (p > 0)
    {
        dir = myargv[p + 1];
    }
    err = DD_ScannerStart(dir, DD_SCAN_MS);
    if (err == 0)
    {
        err = DD_KillStart(dir);
    }
    if (err != 0)
    {
        printf("dockerdoom: disabled, cannot start threads: %s\n",
               strerror(err));
        return;
    }
    dd_enabled = true;
    DD_SweepStart();
    dd_stats_start = I_GetTimeMS();
    printf("dockerdoom: watching dir=%s\n", dir);
}

void DD_LevelStart(void)
{
    int i;

    if (!dd_enabled)
    {
        return;
    }
    // The old level's mobjs were freed with the level: drop the pointers.
    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];

        e->mobj = NULL;
        e->announced = 0;
        if (e->state == DD_ST_ALIVE)
        {
            e->state = DD_ST_WAITING;
        }
    }
    DD_PlaceLevelStart();
    dd_inlevel = true;
    dd_retrytic = 0;
    // Loading a level is not play: the tic rate is measured from here.
    dd_stats_tics = 0;
    dd_stats_start = I_GetTimeMS();
    printf("dockerdoom: level spots=%d\n", DD_PlaceCount());
}

// Clears every pointer to mo held by other things, players and sectors,
// so removing a live monster leaves nothing dangling (monsters fighting
// it, a revenant missile tracking it, a sector's sound target).
static void DD_ForgetMobj(mobj_t *mo)
{
    thinker_t *th;
    int i;

    for (th = thinkercap.next; th != &thinkercap; th = th->next)
    {
        mobj_t *other;

        if (th->function.acp1 != (actionf_p1) P_MobjThinker)
        {
            continue;
        }
        other = (mobj_t *) th;
        if (other->target == mo)
        {
            other->target = NULL;
        }
        if (other->tracer == mo)
        {
            other->tracer = NULL;
        }
    }
    for (i = 0; i < MAXPLAYERS; ++i)
    {
        if (players[i].attacker == mo)
        {
            players[i].attacker = NULL;
        }
    }
    for (i = 0; i < numsectors; ++i)
    {
        if (sectors[i].soundtarget == mo)
        {
            sectors[i].soundtarget = NULL;
        }
    }
}

// Untracks entry's monster: a live one vanishes in teleport fog, a corpse
// stays as an ordinary corpse.
static void DD_Despawn(dd_entry_t *entry)
{
    mobj_t *mo = entry->mobj;
    mobj_t *fog;

    entry->mobj = NULL;
    if (mo == NULL)
    {
        return;
    }
    mo->flags &= ~DD_MF_CONTAINER;
    if (mo->health > 0)
    {
        fog = P_SpawnMobj(mo->x, mo->y, mo->z, MT_TFOG);
        S_StartSound(fog, sfx_telept);
        DD_ForgetMobj(mo);
        P_RemoveMobj(mo);
    }
}

static void DD_Changed(dd_entry_t *entry, dd_change_t change, void *ctx)
{
    (void) ctx;
    if (change == DD_CHANGE_REMOVED)
    {
        if (entry->state != DD_ST_WAITING || entry->mobj != NULL)
        {
            DD_Log("despawn", entry, NULL);
        }
        if (entry->state == DD_ST_KILLING)
        {
            dd_gone[dd_gonenext] = *entry;
            dd_gone[dd_gonenext].mobj = NULL;
            dd_gonenext = (dd_gonenext + 1) % DD_GONE;
        }
        if (dd_inlevel)
        {
            DD_Despawn(entry);
        }
    }
}

// Brings a corpse whose kill failed back to life, as an arch-vile does.
static void DD_Raise(dd_entry_t *entry)
{
    mobj_t *mo = entry->mobj;
    const mobjinfo_t *info = mo->info;

    // A corpse a crusher turned to gibs has no height left: raising it
    // would make a ghost, so it is replaced instead.
    if (mo->health <= 0 && info->raisestate != S_NULL && mo->height > 0)
    {
        S_StartSound(mo, sfx_slop);
        P_SetMobjState(mo, info->raisestate);
        mo->height = info->height;
        mo->radius = info->radius;
        mo->flags = info->flags | DD_MF_CONTAINER;
        mo->health = info->spawnhealth;
        mo->target = NULL;
    }
    else if (mo->health <= 0)
    {
        // Cannot be raised: replace it by a fresh monster.
        mo->flags &= ~DD_MF_CONTAINER;
        entry->mobj = NULL;
        return;
    }
    entry->state = DD_ST_ALIVE;
    DD_LogSpawn(entry, mo->x, mo->y, DD_PlaceDistance(mo->x, mo->y));
}

// Applies the newest scan, if the scanner has left one.
static void DD_TakeScan(void)
{
    dd_snapshot_t snap;
    int i;

    if (!DD_ScannerTake(&snap))
    {
        return;
    }
    DD_TableApply(&dd_table, &snap, DD_Changed, NULL);
    DD_SnapshotFree(&snap);

    // Entries still here whose kill failed get their monster back.
    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];

        if (e->state == DD_ST_WAITING && e->mobj != NULL)
        {
            DD_Raise(e);
        }
    }
}

// The entry of a kill result whose entry already left the table.
static dd_entry_t *DD_GoneEntry(const char *id)
{
    int i;

    for (i = 0; i < DD_GONE; ++i)
    {
        if (dd_gone[i].id[0] != '\0' && strcmp(dd_gone[i].id, id) == 0)
        {
            return &dd_gone[i];
        }
    }
    return NULL;
}

static void DD_TakeKillResults(void)
{
    char id[DD_ID_LEN + 1];
    dd_entry_t *entry;
    int err;

    while (DD_KillPoll(id, &err))
    {
        switch (DD_TableKillResult(&dd_table, id, err, &entry))
        {
            case DD_KILL_UNKNOWN:
                entry = DD_GoneEntry(id);
                break;
            case DD_KILL_DONE:
                // The container is gone: its corpse is an ordinary one
                // from now on, so no pointer to it is kept.
                if (entry->mobj != NULL)
                {
                    ((mobj_t *) entry->mobj)->flags &= ~DD_MF_CONTAINER;
                    entry->mobj = NULL;
                }
                break;
            case DD_KILL_RETRY:
                break;
        }
        if (entry == NULL)
        {
            continue;
        }
        DD_Log("kill-result", entry, DD_ErrnoName(err));
        DD_KillMessage(dd_hudmsg, sizeof(dd_hudmsg), entry->name, err);
        DD_Message();
    }
}

// Spawns one monster for entry at x,y, in teleport fog, facing the start.
static void DD_SpawnAt(dd_entry_t *entry, mobjtype_t type, fixed_t x,
                       fixed_t y, int dist)
{
    mobj_t *mo = P_SpawnMobj(x, y, ONFLOORZ, type);
    mobj_t *fog;
    mobj_t *player = players[consoleplayer].mo;

    mo->flags |= DD_MF_CONTAINER;
    if (player != NULL)
    {
        mo->angle = R_PointToAngle2(x, y, player->x, player->y);
    }
    fog = P_SpawnMobj(x, y, mo->z, MT_TFOG);
    S_StartSound(fog, sfx_telept);
    entry->mobj = mo;
    entry->state = DD_ST_ALIVE;
    entry->announced = 0;
    DD_LogSpawn(entry, x, y, dist);
}

// Gives waiting entries a monster, within a per-tic budget of placement
// probes so a fleet of hundreds spreads over a few tics.
static void DD_SpawnWaiting(void)
{
    int budget = DD_PROBES_PER_TIC;
    int waiting = 0;
    int i;

    if (leveltime < dd_retrytic)
    {
        return;
    }
    for (i = 0; i < dd_table.count; ++i)
    {
        waiting += dd_table.entries[i].state == DD_ST_WAITING
                && dd_table.entries[i].mobj == NULL;
    }
    if (waiting == 0)
    {
        return;
    }
    DD_PlaceBegin(waiting);
    for (i = 0; i < dd_table.count && budget > 0; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];
        const dd_monster_t *monster;
        fixed_t x;
        fixed_t y;
        int dist;

        if (e->state != DD_ST_WAITING || e->mobj != NULL)
        {
            continue;
        }
        monster = DD_MonsterFor(e);
        if (DD_PlaceFind(monster->type, &x, &y, &dist, &budget))
        {
            DD_SpawnAt(e, monster->type, x, y, dist);
            continue;
        }
        if (budget > 0)
        {
            // Every spot is taken: the rest wait for room.
            for (; i < dd_table.count; ++i)
            {
                e = &dd_table.entries[i];
                if (e->state == DD_ST_WAITING && e->mobj == NULL
                 && !e->announced)
                {
                    DD_Log("waiting", e, NULL);
                    e->announced = 1;
                }
            }
            dd_retrytic = leveltime + DD_RETRY_TICS;
        }
    }
}

static int DD_CountAlive(void)
{
    int alive = 0;
    int i;

    for (i = 0; i < dd_table.count; ++i)
    {
        if (dd_table.entries[i].state == DD_ST_ALIVE)
        {
            ++alive;
        }
    }
    return alive;
}

// Counts monsters that target a container, container monsters that
// target anything but a player, and monsters containers killed; all stay
// 0 (tests read the line).
static void DD_LogInfighting(void)
{
    thinker_t *th;
    int oncontainers = 0;
    int bycontainers = 0;

    for (th = thinkercap.next; th != &thinkercap; th = th->next)
    {
        mobj_t *mo;

        if (th->function.acp1 != (actionf_p1) P_MobjThinker)
        {
            continue;
        }
        mo = (mobj_t *) th;
        if (mo->target == NULL || !(mo->flags & MF_COUNTKILL)
         || mo->health <= 0)
        {
            continue;
        }
        if ((mo->target->flags & DD_MF_CONTAINER)
         && !(mo->flags & DD_MF_CONTAINER))
        {
            ++oncontainers;
        }
        if ((mo->flags & DD_MF_CONTAINER) && mo->target->player == NULL)
        {
            ++bycontainers;
        }
    }
    if (oncontainers > 0 || bycontainers > 0 || dd_killedby > 0)
    {
        printf("dockerdoom: infighting on-containers=%d by-containers=%d "
               "killed-by-containers=%d spared=%d\n", oncontainers,
               bycontainers, dd_killedby, dd_spared);
    }
}

// Keeps the table's pointers true to their flags, once a tic. An
// arch-vile raising a container's corpse resets its flags: the monster
// is an ordinary one from then on. A container monster's target is a
// player or nobody (it then looks for a player).
static void DD_Guard(void)
{
    int i;

    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];
        mobj_t *mo = e->mobj;

        if (mo == NULL)
        {
            continue;
        }
        if (!(mo->flags & DD_MF_CONTAINER))
        {
            e->mobj = NULL;
            continue;
        }
        if (mo->target != NULL && mo->target->player == NULL)
        {
            mo->target = NULL;
        }
    }
}

static void DD_Stats(void)
{
    int now = I_GetTimeMS();
    int elapsed = now - dd_stats_start;

    ++dd_stats_tics;
    if (elapsed < DD_STATS_MS)
    {
        return;
    }
    // The player's health lets tests see who attacked whom.
    printf("dockerdoom: stats tics=%d seconds=%.1f tps=%.1f monsters=%d "
           "health=%d\n",
           dd_stats_tics, elapsed / 1000.0,
           dd_stats_tics * 1000.0 / elapsed, DD_CountAlive(),
           players[consoleplayer].health);
    dd_stats_tics = 0;
    dd_stats_start = now;
    DD_LogInfighting();
    if (dd_shielded != dd_shielded_logged)
    {
        // Shows tests that infighting happened and harmed no container.
        printf("dockerdoom: shielded hits=%d\n", dd_shielded);
        dd_shielded_logged = dd_shielded;
    }
}

void DD_Ticker(void)
{
    if (!dd_enabled)
    {
        return;
    }
    DD_Guard();
    DD_Stats();
    // Results first: a scan that shows a killed entry gone usually comes
    // after its result, and the log reads better in that order.
    DD_TakeKillResults();
    DD_TakeScan();
    // A demo replays recorded input: extra monsters would desync it, and
    // its player must never kill a real container.
    if (dd_inlevel && gamestate == GS_LEVEL && !demoplayback)
    {
        DD_SpawnWaiting();
        DD_SweepTicker(DD_CountAlive(), dd_table.count);
    }
}

void DD_Drawer(void)
{
    mobj_t *viewer = players[displayplayer].mo;
    int i;

    if (!dd_enabled || gamestate != GS_LEVEL || automapactive
     || viewer == NULL)
    {
        return;
    }
    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];
        mobj_t *mo = e->mobj;

        if (mo != NULL && mo->health > 0 && P_CheckSight(viewer, mo))
        {
            DD_LabelDraw(mo, e->name);
        }
    }
}

// True when mo is inside the player's 90 degree field of view and sight.
static boolean DD_InView(mobj_t *player, mobj_t *mo)
{
    angle_t delta = R_PointToAngle2(player->x, player->y, mo->x, mo->y)
                  - player->angle;

    return (delta <= ANG45 || delta >= (angle_t) -ANG45)
        && P_CheckSight(player, mo);
}

// The idrm cheat: every container monster in view takes a lethal hit from
// the player, so its kill goes down the normal path.
static void DD_KillInView(void)
{
    mobj_t *player = players[consoleplayer].mo;
    int killed = 0;
    int i;

    if (player == NULL)
    {
        return;
    }
    for (i = 0; i < dd_table.count; ++i)
    {
        mobj_t *mo = dd_table.entries[i].mobj;

        if (mo != NULL && mo->health > 0
         && dd_table.entries[i].state == DD_ST_ALIVE
         && DD_InView(player, mo))
        {
            P_DamageMobj(mo, player, player, 10000);
            ++killed;
        }
    }
    M_snprintf(dd_hudmsg, sizeof(dd_hudmsg), "idrm: %d container%s in view",
               killed, killed == 1 ? "" : "s");
    DD_Message();
}

void DD_Responder(event_t *ev)
{
    if (!dd_enabled || ev->type != ev_keydown || netgame
     || gamestate != GS_LEVEL)
    {
        return;
    }
    if (cht_CheckCheat(&dd_cheat, ev->data2))
    {
        DD_KillInView();
    }
}

boolean DD_DamageAllowed(mobj_t *target, mobj_t *inflictor, mobj_t *source)
{
    dd_entry_t *entry = DD_EntryOf(target);

    (void) inflictor;
    if (entry == NULL)
    {
        // A container's shots harm only players: a monster it hurt would
        // turn on it and fight, forever, a foe that takes no damage.
        if (source != NULL && (source->flags & DD_MF_CONTAINER)
         && target->player == NULL)
        {
            ++dd_spared;
            return false;
        }
        return true;
    }
    // Only a player's shot, or a barrel a player set off (its source is
    // the player), may harm a container.
    if (source == NULL || source->player == NULL)
    {
        ++dd_shielded;
        return false;
    }
    if (entry->state == DD_ST_ALIVE)
    {
        M_snprintf(dd_hudmsg, sizeof(dd_hudmsg), "hit %s", entry->name);
        DD_Message();
    }
    return true;
}

boolean DD_MayLook(mobj_t *actor)
{
    // Sight alone does not wake a container: a player who connects a
    // minute after the level started must not find himself dead. A shot
    // fired within earshot (the sector's sound target) does.
    return (actor->flags & DD_MF_CONTAINER) == 0
        || actor->subsector->sector->soundtarget != NULL;
}

void DD_MobjKilled(mobj_t *target, mobj_t *source)
{
    dd_entry_t *entry = DD_EntryOf(target);
    int err;

    if (source != NULL && (source->flags & DD_MF_CONTAINER)
     && target->player == NULL)
    {
        ++dd_killedby;
    }
    if (!DD_TableKillRequest(entry))
    {
        return;
    }
    DD_Log("kill-request", entry, NULL);
    M_snprintf(dd_hudmsg, sizeof(dd_hudmsg), "killing %s", entry->name);
    DD_Message();
    err = DD_KillSubmit(entry->id);
    if (err != 0)
    {
        // Queue full: report it like any failed write.
        DD_TableKillResult(&dd_table, entry->id, err, &entry);
        DD_Log("kill-result", entry, DD_ErrnoName(err));
        DD_KillMessage(dd_hudmsg, sizeof(dd_hudmsg), entry->name, err);
        DD_Message();
    }
}

void DD_MobjRemoved(mobj_t *mobj)
{
    dd_entry_t *entry;

    // Every tracked mobj has the flag: the table drops a pointer whenever
    // the flag goes (DD_Guard catches an arch-vile's raise the same tic,
    // and vanilla removes no live monster in the tic it is raised).
    if (!(mobj->flags & DD_MF_CONTAINER))
    {
        return;
    }
    entry = DD_TableFindMobj(&dd_table, mobj);
    if (entry == NULL)
    {
        return;
    }
    entry->mobj = NULL;
    if (entry->state == DD_ST_ALIVE)
    {
        entry->state = DD_ST_WAITING;
    }
}
