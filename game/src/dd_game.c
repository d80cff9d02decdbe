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

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "SDL.h"

#include "doomdef.h"
#include "doomstat.h"
#include "d_player.h"
#include "g_game.h"
#include "i_timer.h"
#include "m_argv.h"
#include "m_cheat.h"
#include "m_misc.h"
#include "p_local.h"
#include "s_sound.h"
#include "sounds.h"

#include "dd_errno.h"
#include "dd_fit.h"
#include "dd_font.h"
#include "dd_help.h"
#include "dd_hud.h"
#include "dd_kill.h"
#include "dd_label.h"
#include "dd_msg.h"
#include "dd_name.h"
#include "dd_net.h"
#include "dd_place.h"
#include "dd_score.h"
#include "dd_specials.h"
#include "dd_sweep.h"
#include "dd_synclog.h"
#include "dd_table.h"
#include "dd_tally.h"
#include "dd_types.h"
#include "dockerdoom.h"

#define DD_STATS_MS       5000
#define DD_PROBES_PER_TIC 3000
#define DD_RETRY_TICS     TICRATE
#define DD_SLOW_SECONDS   5
// A gap this long between two tics is a wipe, a menu or a pause: not
// play, so not counted in the tic rate.
#define DD_STATS_GAP_MS   250

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
static boolean dd_enabled;      // the simulation runs the container code
static boolean dd_writes;       // this game writes its players' kills
static boolean dd_inlevel;
static int dd_retrytic;
static dd_msgq_t dd_msgs;
static dd_batch_t dd_batch[MAXPLAYERS];
static int dd_inbatch;          // inside an idrm: its caster + 1, whose
                                // kill requests are counted
static dd_types_t dd_types;
static int dd_stats_tics;
static int dd_stats_ms;         // play time counted so far
static int dd_stats_last;       // the previous tic (ms)
static int dd_shielded;         // hits on containers not from a player
static int dd_shielded_logged;
static int dd_spared;           // hits by containers on other monsters
static int dd_spared_logged;
static int dd_killedby;         // other monsters killed by containers
static cheatseq_t dd_cheat = CHEAT("idrm", 0);
static cheatseq_t dd_cheat_labels = CHEAT("idlabels", 0);
static cheatseq_t dd_cheat_exit = CHEAT("idexit", 0);
static boolean dd_testcheats;   // -ddtest: idexit ends the level
static boolean dd_manyengines;  // the table spans engines: messages say which
static dd_tally_t dd_tally;     // this level's kill results
static int dd_batch_started;    // when the pending idrm began (ms)
static int dd_batch_told;       // when its progress was last told (ms)
static boolean dd_tally_drawn;  // the intermission's tally box is logged

// Entries that vanished while their kill write was in flight: the scan
// that shows them gone can overtake the write's result, which still needs
// a complete log line.
#define DD_GONE 32
static dd_entry_t dd_gone[DD_GONE];
static int dd_gonenext;

// Sets the type allocation up for the current IWAD's monsters.
static void DD_TypesReady(void)
{
    int count = gamemode == commercial
              ? (int) (sizeof(dd_monsters) / sizeof(dd_monsters[0]))
              : DD_DOOM1_MONSTERS;

    if (dd_types.ntypes != count)
    {
        DD_TypesInit(&dd_types, count);
    }
}

// The monster this entry's image maps onto for the current IWAD.
static const dd_monster_t *DD_MonsterFor(const dd_entry_t *entry)
{
    DD_TypesReady();
    return &dd_monsters[DD_TypeOf(&dd_types, entry->image)];
}

// One stdout line per event; the format is parsed by tests. The engine
// (when the mount has engine files) and, in a netgame, the player whose
// kill it is (by >= 0) go before the result, so a line still ends in
// result=.
static void DD_LogBy(const char *event, const dd_entry_t *entry, int by,
                     const char *result)
{
    char name[DD_NAME_LEN + 1];
    char engine[DD_ENGINE_LEN + 1];
    char ns[DD_NS_LEN + 1];

    DD_SanitizeName(name, sizeof(name), entry->name);
    DD_SanitizeName(engine, sizeof(engine), entry->engine);
    DD_SanitizeName(ns, sizeof(ns), entry->ns);
    printf("dockerdoom: %s id=%.12s name=%s type=%s%s%s%s%s%s%s%s%s\n",
           event, entry->id, name, DD_MonsterFor(entry)->name,
           engine[0] != '\0' ? " engine=" : "", engine,
           ns[0] != '\0' ? " namespace=" : "", ns,
           netgame && by >= 0 ? " by=" : "",
           netgame && by >= 0 ? DD_NetPlayerName(by) : "",
           result != NULL ? " result=" : "", result != NULL ? result : "");
}

static void DD_Log(const char *event, const dd_entry_t *entry,
                   const char *result)
{
    DD_LogBy(event, entry, -1, result);
}

// The entry as the player is told about it: a Swarm task by service and
// slot, a pod as NAME.NAMESPACE, and " on ENGINE" when the game follows
// more than one engine.
static const char *DD_Who(const dd_entry_t *entry, char *buf,
                          size_t bufsize)
{
    DD_ShownName(buf, bufsize, entry->name, entry->ns,
                 dd_manyengines ? entry->engine : NULL);
    return buf;
}

// The spawn line: where, how far the player has to walk there, whether
// the player sees the spot (view: in the 90 degree view) and whether it
// is in the player's sight on any side.
static void DD_LogSpawn(const dd_entry_t *entry, fixed_t x, fixed_t y,
                        int dist)
{
    char name[DD_NAME_LEN + 1];

    DD_SanitizeName(name, sizeof(name), entry->name);
    printf("dockerdoom: spawn id=%.12s name=%s type=%s x=%d y=%d dist=%d "
           "view=%d sight=%d\n", entry->id, name,
           DD_MonsterFor(entry)->name, x >> FRACBITS, y >> FRACBITS, dist,
           DD_PlaceInView(x, y) ? 1 : 0, DD_PlaceInSight(x, y) ? 1 : 0);
}

// Puts a message in the queue; the log gets it too, so tests and
// `docker logs` see what the player saw.
static void DD_Post(dd_msgprio_t prio, const char *fmt, ...)
{
    char text[DD_MSG_LEN];
    va_list args;

    va_start(args, fmt);
    M_vsnprintf(text, sizeof(text), fmt, args);
    va_end(args);
    DD_MsgPost(&dd_msgs, prio, text, I_GetTimeMS());
    if (prio != DD_MSG_INFO)
    {
        printf("dockerdoom: message %s %s\n",
               prio == DD_MSG_FAIL ? "fail" : "ok", text);
    }
}

// "killed web", in a netgame "alice killed web"; a failure is the same
// for everyone: "web: kill refused, EPERM (...)".
static void DD_PostKillResult(const dd_entry_t *entry, int killer, int err)
{
    char text[DD_MSG_LEN];
    char who[DD_MSG_LEN];

    DD_KillMessage(text, sizeof(text), DD_Who(entry, who, sizeof(who)),
                   err);
    if (netgame && err == 0)
    {
        DD_Post(DD_MSG_OK, "%s %s", DD_NetPlayerName(killer), text);
        return;
    }
    DD_Post(err == 0 ? DD_MSG_OK : DD_MSG_FAIL, "%s", text);
}

// Containers each player killed (every peer counts alike).
static dd_score_t dd_score;

// The scoreboard of the players in the game and any who scored, each
// joined to the next by sep: "alice 7, bob 4".
static void DD_ScoreLine(const char *sep, char *dst, size_t dstsize)
{
    const char *names[MAXPLAYERS];
    int ingame[MAXPLAYERS];
    int i;

    for (i = 0; i < MAXPLAYERS; ++i)
    {
        names[i] = DD_NetPlayerName(i);
        ingame[i] = playeringame[i];
    }
    DD_ScoreText(&dd_score, names, ingame, MAXPLAYERS, sep, dst, dstsize);
}

static void DD_Scored(int player)
{
    char line[DD_MSG_LEN];

    DD_ScoreKill(&dd_score, player);
    if (netgame)
    {
        DD_ScoreLine(", ", line, sizeof(line));
        printf("dockerdoom: score: %s\n", line);
    }
}

// A container monster's flags from its kind's: marked as one, and not
// counted among the level's kills (the intermission's KILLS are the
// map's; the tally under them says what became of the containers).
static int DD_ContainerFlags(int flags)
{
    return (flags & ~MF_COUNTKILL) | DD_MF_CONTAINER | DD_MF_SPAWNED;
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

// 0 when dir is a directory, else an errno value.
static int DD_CheckDir(const char *dir)
{
    struct stat st;

    if (stat(dir, &st) != 0)
    {
        return errno;
    }
    return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
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
    err = DD_CheckDir(dir);
    if (err != 0 && p > 0)
    {
        // Asked for by name: a typo must not give a game with no
        // containers that looks as if none were running.
        fprintf(stderr, "dockerdoom: -dockerfs %s: %s\n", dir,
                strerror(err));
        exit(2);
    }
    if (err == 0)
    {
        err = DD_KillStart(dir);
        if (err != 0)
        {
            printf("dockerdoom: cannot start the kill worker: %s\n",
                   strerror(err));
        }
    }
    else
    {
        printf("dockerdoom: no %s: %s\n", dir, strerror(err));
    }
    dd_writes = err == 0;
    // A netgame runs the container code even without a mount here: this
    // game's world must stay the one of the players who have one.
    DD_NetInit(dd_writes ? dir : NULL);
    if (!DD_NetActive())
    {
        printf("dockerdoom: disabled\n");
        return;
    }
    DD_MsgInit(&dd_msgs);
    for (p = 0; p < MAXPLAYERS; ++p)
    {
        DD_BatchInit(&dd_batch[p]);
    }
    DD_FontInit();
    DD_LabelsInit();
    dd_enabled = true;
    //!
    // @category game
    //
    // dockerdoom test mode: the idexit cheat ends the level (to the
    // intermission and its tally).
    //
    dd_testcheats = M_ParmExists("-ddtest");
    DD_HelpEnable();
    DD_SweepStart();
    DD_SyncLogInit();
    DD_SpecialsInit();
    dd_stats_last = I_GetTimeMS();
    if (dd_writes)
    {
        printf("dockerdoom: watching dir=%s\n", dir);
    }
    else
    {
        printf("dockerdoom: netgame without a mount: following the others\n");
    }
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
    DD_TallyInit(&dd_tally);
    dd_inlevel = true;
    dd_retrytic = 0;
    // Loading a level is not play: the tic rate is measured from here.
    dd_stats_tics = 0;
    dd_stats_ms = 0;
    dd_stats_last = I_GetTimeMS();
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
    if (change == DD_CHANGE_ADDED && entry->protect)
    {
        DD_Log("protected", entry, NULL);
    }
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
        mo->flags = DD_ContainerFlags(info->flags);
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

// Gives each image in the table its monster type.
static void DD_UpdateTypes(void)
{
    const char **images;
    int i;

    DD_TypesReady();
    images = malloc((size_t) (dd_table.count + 1) * sizeof(*images));
    if (images == NULL)
    {
        return;     // types are shared by hash until the next scan
    }
    for (i = 0; i < dd_table.count; ++i)
    {
        images[i] = dd_table.entries[i].image;
    }
    DD_TypesUpdate(&dd_types, images, dd_table.count);
    free(images);
}

// A live monster whose image now maps to another type becomes one of
// that type where it stands (or waits for a spot when it does not fit).
static void DD_Retype(dd_entry_t *entry)
{
    mobj_t *mo = entry->mobj;
    const dd_monster_t *monster = DD_MonsterFor(entry);
    mobj_t *fresh;
    boolean fits;
    int flags;

    if (!dd_inlevel || mo == NULL || mo->health <= 0
     || entry->state != DD_ST_ALIVE || mo->type == monster->type)
    {
        return;
    }
    // The old monster must not count as being in the new one's way.
    flags = mo->flags;
    mo->flags &= ~(MF_SOLID | MF_SHOOTABLE | MF_SPECIAL);
    fits = DD_PlaceFits(monster->type, mo->x, mo->y);
    mo->flags = flags;
    if (!fits)
    {
        DD_Despawn(entry);
        entry->state = DD_ST_WAITING;
        return;
    }
    fresh = P_SpawnMobj(mo->x, mo->y, ONFLOORZ, monster->type);
    fresh->angle = mo->angle;
    fresh->flags = DD_ContainerFlags(fresh->flags);
    mo->flags &= ~DD_MF_CONTAINER;
    entry->mobj = fresh;
    DD_ForgetMobj(mo);
    P_RemoveMobj(mo);
}

// A monster that turns protected while awake goes back to sleep, as Doom
// spawns one: no target, its spawn state, whose A_Look DD_MayLook keeps
// quiet from now on. One a player hit since it spawned fights on: it was
// attacked. Every peer takes the change on the same tic, and the hits
// come from the simulation, so every peer calms the same monsters.
static void DD_Calm(dd_entry_t *entry)
{
    mobj_t *mo = entry->mobj;

    if (!dd_inlevel || mo == NULL || mo->health <= 0 || !entry->protect
     || entry->provoked || entry->state != DD_ST_ALIVE
     || (mo->target == NULL && !entry->awake))
    {
        return;
    }
    mo->target = NULL;
    mo->threshold = 0;
    mo->flags &= ~MF_JUSTATTACKED;
    if (gameskill != sk_nightmare)
    {
        mo->reactiontime = mo->info->reactiontime;
    }
    P_SetMobjState(mo, mo->info->spawnstate);
    entry->awake = 0;
    DD_Log("asleep", entry, NULL);
}

// Logs renames and image changes and brings their monsters up to date.
static void DD_TakeChanges(void)
{
    int i;

    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];

        if (e->changes & DD_CHANGED_NAME)
        {
            DD_Log("rename", e, NULL);
        }
        if (e->changes & DD_CHANGED_IMAGE)
        {
            DD_Log("image", e, NULL);
        }
        if (e->changes & DD_CHANGED_PROTECT)
        {
            DD_Log(e->protect ? "protected" : "unprotected", e, NULL);
            DD_Calm(e);
        }
        e->changes = 0;
        DD_Retype(e);
    }
}

// A paused container's monster stands frozen in its first frame (a hit
// makes it flinch for one tic at most); it moves on when the container
// does.
static void DD_HoldPaused(void)
{
    int i;

    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];
        mobj_t *mo = e->mobj;
        boolean paused = strcmp(e->status, "paused") == 0;

        if (mo == NULL || mo->health <= 0 || e->state != DD_ST_ALIVE)
        {
            e->frozen = 0;
            continue;
        }
        if (paused)
        {
            if (!e->frozen)
            {
                DD_Log("paused", e, NULL);
                e->frozen = 1;
            }
            if (mo->tics != -1)
            {
                // The state set by hand: P_SetMobjState would run the
                // state's action, which may wake it.
                mo->state = &states[mo->info->spawnstate];
                mo->sprite = mo->state->sprite;
                mo->frame = mo->state->frame;
                mo->tics = -1;
            }
            mo->momx = mo->momy = mo->momz = 0;
        }
        else if (e->frozen)
        {
            e->frozen = 0;
            DD_Log("unpaused", e, NULL);
            P_SetMobjState(mo, mo->target != NULL ? mo->info->seestate
                                                  : mo->info->spawnstate);
        }
    }
}

// Brings the table in line with the list every peer shares, when it
// changed; after a complete scan, corpses whose kill failed rise.
static void DD_TakeList(void)
{
    const dd_snapshot_t *list;
    boolean scanned;
    int i;

    list = DD_NetTakeList(&scanned);
    if (list != NULL)
    {
        DD_TableApply(&dd_table, list, DD_Changed, NULL);
        dd_manyengines = DD_TableManyEngines(&dd_table) ? true : false;
        DD_TableMarkShared(&dd_table);
        DD_UpdateTypes();
        DD_TakeChanges();
    }
    if (!scanned)
    {
        return;
    }
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

static void DD_Report(dd_entry_t *entry, int killer, int err);

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

// The result of player's kill write of id, as every peer gets it. Only
// the killer's own game sends one; anything else is ignored.
static void DD_KillResult(int player, const char *id, int err)
{
    dd_entry_t *entry = DD_TableFind(&dd_table, id);

    if (entry != NULL
     && (entry->state != DD_ST_KILLING || entry->killer != player))
    {
        printf("dockerdoom: kill-result-ignored id=%.12s player=%d\n", id,
               player + 1);
        return;
    }
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
            // The corpse rises once a scan shows the entry is still
            // there; a scan with no change would not be sent.
            DD_NetConfirm();
            break;
    }
    if (entry == NULL)
    {
        return;
    }
    DD_LogBy("kill-result", entry, player, DD_ErrnoName(err));
    if (err == 0)
    {
        DD_Scored(player);
    }
    DD_Report(entry, player, err);
}

// A player left with kills of its in flight: nobody will send their
// results. They are taken as failed; the next scan tells which
// containers are still there, and those rise.
static void DD_PlayerGone(int player)
{
    int i;

    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];

        if (e->state == DD_ST_KILLING && e->killer == player)
        {
            DD_LogBy("kill-orphaned", e, player, NULL);
            e->state = DD_ST_WAITING;
            e->announced = 0;
            e->batch = 0;
        }
    }
    DD_BatchInit(&dd_batch[player]);
    DD_NetConfirm();
}

static void DD_KillInView(int caster);

// Takes what every peer learnt on the same tics, in one order: kill
// results, idrms, players leaving.
static void DD_TakeInputs(void)
{
    dd_input_t in;

    while (DD_NetTakeInput(&in))
    {
        switch (in.type)
        {
            case DD_IN_RESULT:
                DD_KillResult(in.player, in.id, in.err);
                break;
            case DD_IN_CAST:
                DD_KillInView(in.player);
                break;
            case DD_IN_LEFT:
                DD_PlayerGone(in.player);
                break;
        }
    }
}

// This player's idrm whose results are slow to come says how far it got
// every DD_SLOW_SECONDS, rather than leaving the player without a word
// until the last one is in. (The caster's own HUD only: the others are
// told the summary.)
static void DD_CheckSlowBatch(void)
{
    dd_batch_t *batch = &dd_batch[consoleplayer];
    int now = I_GetTimeMS();
    int done = batch->killed + batch->refused + batch->failed;

    if (batch->pending == 0
     || now - dd_batch_told < DD_SLOW_SECONDS * 1000)
    {
        return;
    }
    dd_batch_told = now;
    DD_Post(DD_MSG_FAIL, "idrm: %d of %d done, %d waiting: engine has not "
            "answered for %d s", done, done + batch->pending,
            batch->pending, (now - dd_batch_started) / 1000);
}

// The HUD's test for an idrm summary after the prefix ctx: shown whole,
// not cut.
static int DD_SummaryFits(const char *text, void *ctx)
{
    char line[2 * DD_MSG_LEN];

    M_snprintf(line, sizeof(line), "%s%s", (const char *) ctx, text);
    return DD_HudFits(line);
}

// Tells the players about one kill result of killer: alone, or counted
// into the summary of the idrm that asked for it.
static void DD_Report(dd_entry_t *entry, int killer, int err)
{
    char text[DD_MSG_LEN];
    char prefix[DD_MSG_LEN];
    dd_batch_t *batch;
    dd_msgprio_t prio;
    int done;

    DD_TallyResult(&dd_tally, err);
    if (entry->batch == 0)
    {
        DD_PostKillResult(entry, killer, err);
        return;
    }
    batch = &dd_batch[entry->batch - 1];
    entry->batch = 0;
    if (DD_BatchResult(batch, entry->engine, err))
    {
        // In a netgame everyone is told whose idrm it was.
        prefix[0] = '\0';
        if (netgame)
        {
            M_snprintf(prefix, sizeof(prefix), "%s: ",
                       DD_NetPlayerName(killer));
        }
        prio = DD_BatchSummary(batch, dd_manyengines, DD_SummaryFits,
                               prefix, text, sizeof(text));
        DD_Post(prio, "%s%s", prefix, text);
        DD_BatchInit(batch);
        return;
    }
    if (killer != consoleplayer)
    {
        return;
    }
    // Results come in one by one from a busy engine: say how far it got.
    // A remark is not logged as a message; this one is, as progress, so
    // the log shows an idrm moving.
    done = batch->killed + batch->refused + batch->failed;
    DD_Post(DD_MSG_INFO, "idrm: %d of %d", done, done + batch->pending);
    printf("dockerdoom: progress idrm: %d of %d\n", done,
           done + batch->pending);
}

// Kills the engine has not answered for DD_SLOW_SECONDS of tics get one
// message (on every peer), so a hung engine does not leave the players
// with "killing web" forever.
static void DD_CheckSlowKills(void)
{
    char text[DD_MSG_LEN];
    char who[DD_MSG_LEN];
    dd_entry_t *first = NULL;
    int more = 0;
    int i;

    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];

        if (e->state == DD_ST_KILLING && !e->slow
         && gametic - e->killtic >= DD_SLOW_SECONDS * TICRATE)
        {
            e->slow = 1;
            DD_LogBy("kill-slow", e, e->killer, NULL);
            if (e->batch)
            {
                continue;   // told by DD_CheckSlowBatch
            }
            if (first == NULL)
            {
                first = e;
            }
            else
            {
                ++more;
            }
        }
    }
    if (first != NULL)
    {
        DD_SlowMessage(text, sizeof(text), DD_Who(first, who, sizeof(who)),
                       more, DD_SLOW_SECONDS);
        DD_Post(DD_MSG_FAIL, "%s", text);
    }
    DD_CheckSlowBatch();
}

// Spawns one monster for entry at x,y, in teleport fog, facing the start.
static void DD_SpawnAt(dd_entry_t *entry, mobjtype_t type, fixed_t x,
                       fixed_t y, int dist)
{
    mobj_t *mo = P_SpawnMobj(x, y, ONFLOORZ, type);
    mobj_t *fog;
    mobj_t *player = DD_PlaceAnchor();

    mo->flags = DD_ContainerFlags(mo->flags);
    if (player != NULL)
    {
        mo->angle = R_PointToAngle2(x, y, player->x, player->y);
    }
    fog = P_SpawnMobj(x, y, mo->z, MT_TFOG);
    S_StartSound(fog, sfx_telept);
    entry->mobj = mo;
    entry->state = DD_ST_ALIVE;
    entry->announced = 0;
    entry->provoked = 0;
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
        if (mo->target == NULL
         || !(mo->flags & (MF_COUNTKILL | DD_MF_CONTAINER))
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
// player or nobody (it then looks for a player). The moment one gets a
// player to attack is logged: what woke it (a shot heard, a hit, a
// refused kill rising) follows from the lines before, and tests see a
// protected monster stay asleep.
static void DD_Guard(void)
{
    int i;

    for (i = 0; i < dd_table.count; ++i)
    {
        dd_entry_t *e = &dd_table.entries[i];
        mobj_t *mo = e->mobj;
        int awake;

        if (mo != NULL && !(mo->flags & DD_MF_CONTAINER))
        {
            e->mobj = NULL;
            mo = NULL;
        }
        if (mo == NULL)
        {
            e->awake = 0;
            continue;
        }
        if (mo->target != NULL && mo->target->player == NULL)
        {
            mo->target = NULL;
        }
        awake = mo->target != NULL && mo->health > 0;
        if (awake && !e->awake)
        {
            DD_Log("awake", e, NULL);
        }
        e->awake = awake;
    }
}

static void DD_Stats(void)
{
    int now = I_GetTimeMS();
    int step = now - dd_stats_last;

    dd_stats_last = now;
    if (step > DD_STATS_GAP_MS)
    {
        return;     // a wipe, a menu, a pause: not play
    }
    ++dd_stats_tics;
    dd_stats_ms += step;
    if (dd_stats_ms < DD_STATS_MS)
    {
        return;
    }
    // The player's health lets tests see who attacked whom.
    printf("dockerdoom: stats tics=%d seconds=%.1f tps=%.1f monsters=%d "
           "health=%d\n",
           dd_stats_tics, dd_stats_ms / 1000.0,
           dd_stats_tics * 1000.0 / dd_stats_ms, DD_CountAlive(),
           players[consoleplayer].health);
    dd_stats_tics = 0;
    dd_stats_ms = 0;
    DD_NetLogStats();
    DD_LogInfighting();
    if (dd_shielded != dd_shielded_logged)
    {
        // Shows tests that infighting happened and harmed no container.
        printf("dockerdoom: shielded hits=%d\n", dd_shielded);
        dd_shielded_logged = dd_shielded;
    }
    if (dd_spared != dd_spared_logged)
    {
        // Shows tests that containers' shots reached other monsters.
        printf("dockerdoom: spared hits=%d\n", dd_spared);
        dd_spared_logged = dd_spared;
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
    DD_TakeInputs();
    DD_TakeList();
    DD_CheckSlowKills();
    // A demo replays recorded input: extra monsters would desync it, and
    // its player must never kill a real container.
    if (dd_inlevel && gamestate == GS_LEVEL && !demoplayback)
    {
        DD_SpawnWaiting();
        DD_HoldPaused();
        DD_SweepTicker(DD_CountAlive(), dd_table.count);
        DD_SpecialsTicker(DD_CountAlive(), dd_table.count);
    }
    DD_SyncLog(&dd_table);
}

// "12 containers, 9 on this level, 3 waiting" while some wait (without
// the last part when the view is too narrow for it), else NULL.
static const char *DD_CountLine(void)
{
    static char line[80];
    int waiting = 0;
    int here = 0;
    int i;

    for (i = 0; i < dd_table.count; ++i)
    {
        const dd_entry_t *e = &dd_table.entries[i];

        if (e->mobj != NULL)
        {
            ++here;
        }
        else if (e->state == DD_ST_WAITING)
        {
            ++waiting;
        }
    }
    if (waiting == 0)
    {
        return NULL;
    }
    M_snprintf(line, sizeof(line), "%d container%s, %d on this level, "
               "%d waiting", dd_table.count, dd_table.count == 1 ? "" : "s",
               here, waiting);
    if (DD_FontTextWidth(line) > scaledviewwidth - 4)
    {
        M_snprintf(line, sizeof(line), "%d containers, %d on this level",
                   dd_table.count, here);
    }
    return line;
}

void DD_Drawer(void)
{
    static boolean cursor_hidden;
    mobj_t *viewer = players[displayplayer].mo;
    const char *msg;
    int i;

    // The game is played with the keys: a pointer would stand where the
    // player aims and over the automap's arrow. Hidden once the window
    // exists, it stays hidden when the game lets the mouse go (menus,
    // pauses), and a VNC server shows the window's empty cursor.
    if (!cursor_hidden)
    {
        SDL_ShowCursor(SDL_DISABLE);
        cursor_hidden = true;
    }
    if (!dd_enabled)
    {
        return;
    }
    DD_NetCheckQuit();
    if (gamestate != GS_LEVEL || viewer == NULL)
    {
        return;
    }
    // Labels go with the view, which D_Display renders only then.
    if (!automapactive && gametic)
    {
        DD_LabelsBegin();
        for (i = 0; i < dd_table.count; ++i)
        {
            dd_entry_t *e = &dd_table.entries[i];
            mobj_t *mo = e->mobj;

            if (mo != NULL && mo->health > 0)
            {
                DD_LabelsAdd(mo, e->name, e->id, e->ns,
                             e->shared ? e->engine : NULL,
                             (e->protect ? DD_LABEL_PROTECTED : 0)
                             | (e->frozen ? DD_LABEL_PAUSED : 0));
            }
        }
        DD_LabelsDraw();
    }
    msg = DD_MsgShown(&dd_msgs, I_GetTimeMS());
    DD_HudDraw(msg, dd_msgs.shown.prio, dd_inlevel ? DD_CountLine() : NULL);
    if (netgame)
    {
        char score[DD_MSG_LEN];

        DD_ScoreLine("  ", score, sizeof(score));
        DD_HudScore(score);
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

// The idrm cheat of player caster, run on every peer on one tic: every
// container monster in the caster's view takes a lethal hit from the
// caster, so each kill goes down the normal path.
static void DD_KillInView(int caster)
{
    mobj_t *player = players[caster].mo;
    dd_batch_t *batch = &dd_batch[caster];
    boolean mine = caster == consoleplayer;
    int inview = 0;
    int before = batch->pending;
    int i;

    if (!dd_inlevel || player == NULL)
    {
        return;
    }
    if (player->health <= 0)
    {
        if (mine)
        {
            DD_Post(DD_MSG_OK, "idrm: not while dead");
        }
        return;
    }
    // Each kill request made from here on counts into one summary.
    if (mine && batch->pending == 0)
    {
        dd_batch_started = dd_batch_told = I_GetTimeMS();
    }
    dd_inbatch = caster + 1;
    for (i = 0; i < dd_table.count; ++i)
    {
        mobj_t *mo = dd_table.entries[i].mobj;

        if (mo != NULL && mo->health > 0
         && dd_table.entries[i].state == DD_ST_ALIVE
         && DD_InView(player, mo))
        {
            P_DamageMobj(mo, player, player, 10000);
            ++inview;
        }
    }
    dd_inbatch = 0;
    if (!mine)
    {
        return;
    }
    if (inview == 0)
    {
        DD_Post(DD_MSG_OK, "idrm: no containers in view");
    }
    else if (batch->pending > before)
    {
        DD_Post(DD_MSG_INFO, "idrm: killing %d", batch->pending - before);
    }
}

void DD_Responder(event_t *ev)
{
    if (!dd_enabled || ev->type != ev_keydown || gamestate != GS_LEVEL)
    {
        return;
    }
    // Typed here, run on every peer on one tic (also in a game alone,
    // one tic later).
    if (cht_CheckCheat(&dd_cheat, ev->data2))
    {
        DD_NetSendCast();
    }
    if (cht_CheckCheat(&dd_cheat_labels, ev->data2))
    {
        DD_Post(DD_MSG_OK, "labels %s", DD_LabelsToggle() ? "on" : "off");
    }
    // Not in a netgame: one game leaving the level alone would part it
    // from the others' world.
    if (cht_CheckCheat(&dd_cheat_exit, ev->data2) && dd_testcheats
     && !netgame)
    {
        G_ExitLevel();
    }
}

boolean DD_DamageAllowed(mobj_t *target, mobj_t *inflictor, mobj_t *source)
{
    dd_entry_t *entry = DD_EntryOf(target);
    char who[DD_MSG_LEN];

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
    // Attacked: it may fight back, protected or not (DD_Calm).
    entry->provoked = 1;
    // Each player is told about his own hits.
    if (entry->state == DD_ST_ALIVE && dd_inbatch == 0
     && source == players[consoleplayer].mo)
    {
        DD_Post(DD_MSG_INFO, "hit %s", DD_Who(entry, who, sizeof(who)));
    }
    return true;
}

boolean DD_MayLook(mobj_t *actor)
{
    dd_entry_t *entry;

    // Sight alone does not wake a container: a player who connects a
    // minute after the level started must not find himself dead. A shot
    // fired within earshot (the sector's sound target) does, except a
    // protected one's, which the player cannot kill: it fights only once
    // hit (P_DamageMobj wakes it).
    if ((actor->flags & DD_MF_CONTAINER) == 0)
    {
        return true;
    }
    entry = DD_EntryOf(actor);
    if (entry != NULL && entry->protect)
    {
        return false;
    }
    return actor->subsector->sector->soundtarget != NULL;
}

void DD_MobjKilled(mobj_t *target, mobj_t *source)
{
    dd_entry_t *entry = DD_EntryOf(target);
    char who[DD_MSG_LEN];
    int killer;
    int err;

    if (source != NULL && (source->flags & DD_MF_CONTAINER)
     && target->player == NULL)
    {
        ++dd_killedby;
    }
    // Only a player's attack gets here (DD_DamageAllowed); should
    // anything else, the reader's game writes the kill.
    killer = source != NULL && source->player != NULL
           ? (int) (source->player - players) : DD_NetReader();
    if (killer < 0 || !DD_TableKillRequest(entry))
    {
        return;
    }
    entry->killer = killer;
    entry->killtic = gametic;
    entry->slow = 0;
    entry->batch = dd_inbatch;
    if (dd_inbatch != 0)
    {
        ++dd_batch[dd_inbatch - 1].pending;
    }
    DD_LogBy("kill-request", entry, killer, NULL);
    // Every peer saw the death; the killer's game alone writes the kill,
    // once, and tells every peer how it went.
    if (killer != consoleplayer)
    {
        return;
    }
    if (dd_inbatch == 0)
    {
        DD_Post(DD_MSG_INFO, "killing %s",
                DD_Who(entry, who, sizeof(who)));
    }
    err = dd_writes ? DD_KillSubmit(entry->id) : ENODEV;
    if (err != 0)
    {
        // Queue full, or no mount here: reported like any failed write.
        DD_NetSendResult(entry->id, err);
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

// "E1M8" or "MAP07": the level just finished, for the tally's log line.
static void DD_MapName(char *dst, size_t dstsize)
{
    if (gamemode == commercial)
    {
        M_snprintf(dst, dstsize, "MAP%02d", gamemap);
    }
    else
    {
        M_snprintf(dst, dstsize, "E%dM%d", gameepisode, gamemap);
    }
}

void DD_IntermissionStart(void)
{
    char map[16];
    char fields[128];
    char text[DD_MSG_LEN];

    if (!dd_enabled)
    {
        return;
    }
    DD_MapName(map, sizeof(map));
    DD_TallyFields(&dd_tally, fields, sizeof(fields));
    DD_TallyText(&dd_tally, text, sizeof(text));
    printf("dockerdoom: tally map=%s %s\n", map, fields);
    printf("dockerdoom: tally-text containers: %s\n", text);
    if (netgame)
    {
        DD_ScoreLine(", ", text, sizeof(text));
        printf("dockerdoom: score: %s\n", text);
    }
    dd_tally_drawn = false;
}

// A netgame's scoreboard on the intermission screen, above the tally:
// "killed: alice 7  bob 4".
static void DD_ScoreDrawer(void)
{
    char text[DD_MSG_LEN];
    char line[DD_MSG_LEN + 16];
    char shown[DD_LINE_LEN];
    int width;

    DD_ScoreLine("  ", text, sizeof(text));
    M_snprintf(line, sizeof(line), "killed: %s", text);
    width = DD_FitLabel(shown, sizeof(shown), line, SCREENWIDTH - 8,
                        DD_FontCharWidth, NULL);
    DD_FontDraw((SCREENWIDTH - width) / 2,
                SCREENHEIGHT - 2 * DD_FONT_HEIGHT - 6, shown, DD_COLOR_OK, 0,
                NULL);
}

void DD_IntermissionDrawer(void)
{
    char text[DD_MSG_LEN];
    char line[DD_MSG_LEN + 16];
    char shown[DD_LINE_LEN];
    int width;

    if (!dd_enabled)
    {
        return;
    }
    if (netgame)
    {
        DD_ScoreDrawer();
    }
    DD_TallyText(&dd_tally, text, sizeof(text));
    M_snprintf(line, sizeof(line), "containers: %s", text);
    width = DD_FitLabel(shown, sizeof(shown), line, SCREENWIDTH - 8,
                        DD_FontCharWidth, NULL);
    DD_FontDraw((SCREENWIDTH - width) / 2, SCREENHEIGHT - DD_FONT_HEIGHT - 4,
                shown, dd_tally.failed > 0 ? DD_COLOR_FAIL : DD_COLOR_OK, 0,
                NULL);
    // Where it stands (320x200), once, for tests that look at a picture.
    if (!dd_tally_drawn)
    {
        printf("dockerdoom: tally-box x=%d y=%d w=%d h=%d\n",
               (SCREENWIDTH - width) / 2, SCREENHEIGHT - DD_FONT_HEIGHT - 4,
               width + 1, DD_FONT_HEIGHT + 1);
        dd_tally_drawn = true;
    }
}
