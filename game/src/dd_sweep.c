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
//	dockerdoom: the map sweep.
//

#include <stdio.h>
#include <stdlib.h>

#include "d_loop.h"
#include "d_main.h"
#include "doomdef.h"
#include "doomstat.h"
#include "g_game.h"
#include "i_system.h"
#include "i_timer.h"
#include "m_argv.h"

#include "dd_place.h"
#include "dd_sweep.h"

// Game time a level with waiting entries gets before the sweep moves on.
#define DD_SWEEP_TICS (10 * TICRATE)
// Real time the sweep waits for a first entry on a map.
#define DD_SWEEP_EMPTY_MS 10000

static boolean dd_sweep;
static int dd_sweepmap = -1;    // gameepisode * 100 + gamemap being swept
static int dd_sweepfirst;       // leveltime of the first tic with entries
static int dd_sweepms;
static int dd_sweepmaps;

boolean DD_SweepStart(void)
{
    //!
    // @category game
    //
    // dockerdoom test mode: visit every map from the -warp one on, log
    // how many entries got a monster on each, and quit.
    //
    if (!M_CheckParm("-ddsweep"))
    {
        return false;
    }
    dd_sweep = true;
    singletics = true;
    nodrawers = true;
    DD_PlaceTrace(true);
    return true;
}

static boolean DD_LastMap(void)
{
    if (gamemode == commercial)
    {
        return gamemap >= 32;
    }
    if (gamemap < 9)
    {
        return false;
    }
    switch (gamemode)
    {
        case retail:
            return gameepisode >= 4;
        case registered:
            return gameepisode >= 3;
        default:
            return true;
    }
}

void DD_SweepTicker(int alive, int total)
{
    int map = gameepisode * 100 + gamemap;

    if (!dd_sweep || gameaction != ga_nothing)
    {
        return;
    }
    if (map != dd_sweepmap)
    {
        dd_sweepmap = map;
        dd_sweepfirst = -1;
        dd_sweepms = I_GetTimeMS();
    }
    if (total == 0)
    {
        // The first scan is not in yet; an empty directory never fills.
        if (I_GetTimeMS() - dd_sweepms > DD_SWEEP_EMPTY_MS)
        {
            printf("dockerdoom: sweep has no entries to place\n");
            exit(1);
        }
        return;
    }
    if (dd_sweepfirst < 0)
    {
        dd_sweepfirst = leveltime;
    }
    if (alive < total && leveltime - dd_sweepfirst < DD_SWEEP_TICS)
    {
        return;
    }
    if (gamemode == commercial)
    {
        printf("dockerdoom: sweep map=MAP%02d", gamemap);
    }
    else
    {
        printf("dockerdoom: sweep map=E%dM%d", gameepisode, gamemap);
    }
    printf(" spawned=%d of=%d spots=%d ms=%d\n", alive, total,
           DD_PlaceCount(), I_GetTimeMS() - dd_sweepms);
    ++dd_sweepmaps;
    if (DD_LastMap())
    {
        printf("dockerdoom: sweep done maps=%d\n", dd_sweepmaps);
        exit(0);
    }
    if (gamemode == commercial)
    {
        G_DeferedInitNew(gameskill, gameepisode, gamemap + 1);
    }
    else if (gamemap == 9)
    {
        G_DeferedInitNew(gameskill, gameepisode + 1, 1);
    }
    else
    {
        G_DeferedInitNew(gameskill, gameepisode, gamemap + 1);
    }
}
