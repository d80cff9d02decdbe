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
//	dockerdoom: container monsters left out of the map's specials, and
//	the -ddkillmap test mode: on the -warp map, every container monster
//	takes a lethal hit from the player, then (once they have all risen
//	or gone) every monster of the map's own; the log says when a sector
//	tagged 666 or 667 (what the boss specials move) starts to move, and
//	how many container monsters of a boss type were alive then.
//

#include <stdio.h>
#include <stdlib.h>

#include "doomdef.h"
#include "doomstat.h"
#include "d_loop.h"
#include "d_main.h"
#include "m_argv.h"
#include "p_local.h"
#include "r_state.h"

#include "dd_specials.h"
#include "dockerdoom.h"

// Game time the test mode watches the sectors after the last hits.
#define DD_KILLMAP_WATCH_TICS (10 * TICRATE)
// Game time the risen monsters get before the next step.
#define DD_KILLMAP_SETTLE_TICS TICRATE

typedef enum
{
    DD_KM_OFF,
    DD_KM_WAIT,         // for every entry to have its monster
    DD_KM_CONTAINERS,   // container monsters hit; waiting for them back
    DD_KM_WATCH,        // the map's monsters hit; watching the sectors
} dd_killmap_t;

static dd_killmap_t dd_killmap;
static int dd_killmap_tic;
static boolean dd_killmap_seen[2];

boolean DD_SpecialsInit(void)
{
    //!
    // @category game
    //
    // dockerdoom test mode: on the -warp map, kill every container
    // monster, then every monster of the map, log when a boss special
    // starts (a sector tagged 666 or 667 moves), and quit.
    //
    if (!M_CheckParm("-ddkillmap"))
    {
        return false;
    }
    dd_killmap = DD_KM_WAIT;
    singletics = true;
    nodrawers = true;
    return true;
}

boolean DD_IgnoredBySpecials(mobj_t *mo)
{
    return (mo->flags & (DD_MF_CONTAINER | DD_MF_SPAWNED)) != 0;
}

// Every live monster that is (containers true) or is not a container
// monster takes a lethal hit from the player. Returns how many.
static int DD_HitAll(boolean containers)
{
    mobj_t *pmo = players[consoleplayer].mo;
    thinker_t *th;
    int hit = 0;

    for (th = thinkercap.next; th != &thinkercap; th = th->next)
    {
        mobj_t *mo;

        if (th->function.acp1 != (actionf_p1) P_MobjThinker)
        {
            continue;
        }
        mo = (mobj_t *) th;
        if (mo->health <= 0 || !(mo->flags & MF_SHOOTABLE)
         || mo->player != NULL
         || ((mo->flags & DD_MF_CONTAINER) != 0) != containers
         || (!containers && !(mo->flags & MF_COUNTKILL)))
        {
            continue;
        }
        P_DamageMobj(mo, pmo, pmo, 10000);
        ++hit;
    }
    return hit;
}

// Container monsters alive whose type some map special counts.
static int DD_LiveContainerBosses(void)
{
    thinker_t *th;
    int n = 0;

    for (th = thinkercap.next; th != &thinkercap; th = th->next)
    {
        mobj_t *mo;

        if (th->function.acp1 != (actionf_p1) P_MobjThinker)
        {
            continue;
        }
        mo = (mobj_t *) th;
        if ((mo->flags & DD_MF_CONTAINER) && mo->health > 0
         && (mo->type == MT_BRUISER || mo->type == MT_FATSO
          || mo->type == MT_BABY || mo->type == MT_CYBORG
          || mo->type == MT_SPIDER || mo->type == MT_KEEN))
        {
            ++n;
        }
    }
    return n;
}

// Logs the first tic a sector of tag 666 or 667 has a mover.
static void DD_WatchSectors(void)
{
    int i;

    for (i = 0; i < numsectors; ++i)
    {
        int tag = sectors[i].tag;

        if ((tag == 666 || tag == 667) && sectors[i].specialdata != NULL
         && !dd_killmap_seen[tag - 666])
        {
            dd_killmap_seen[tag - 666] = true;
            printf("dockerdoom: special tag=%d tic=%d "
                   "container-bosses-alive=%d\n", tag, leveltime,
                   DD_LiveContainerBosses());
        }
    }
}

void DD_SpecialsTicker(int alive, int total)
{
    int hit;

    if (dd_killmap == DD_KM_OFF || gameaction != ga_nothing)
    {
        return;
    }
    // The player outlives the test: A_BossDeath wants one alive.
    players[consoleplayer].cheats |= CF_GODMODE;
    DD_WatchSectors();
    switch (dd_killmap)
    {
        case DD_KM_WAIT:
            if (total > 0 && alive == total)
            {
                hit = DD_HitAll(true);
                printf("dockerdoom: killmap containers-hit=%d\n", hit);
                dd_killmap = DD_KM_CONTAINERS;
                dd_killmap_tic = leveltime;
            }
            break;
        case DD_KM_CONTAINERS:
            if (alive == total
             && leveltime - dd_killmap_tic >= DD_KILLMAP_SETTLE_TICS)
            {
                hit = DD_HitAll(false);
                printf("dockerdoom: killmap map-monsters-hit=%d "
                       "container-bosses-alive=%d\n", hit,
                       DD_LiveContainerBosses());
                dd_killmap = DD_KM_WATCH;
                dd_killmap_tic = leveltime;
            }
            break;
        case DD_KM_WATCH:
            if (leveltime - dd_killmap_tic >= DD_KILLMAP_WATCH_TICS)
            {
                printf("dockerdoom: killmap done special=%d\n",
                       dd_killmap_seen[0] || dd_killmap_seen[1]);
                exit(0);
            }
            break;
        default:
            break;
    }
}
