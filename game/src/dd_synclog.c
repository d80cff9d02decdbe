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
//	dockerdoom: proof that the peers of a netgame hold one world (see
//	dd_synclog.h).
//

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doomdef.h"
#include "doomstat.h"
#include "d_loop.h"
#include "m_argv.h"
#include "p_local.h"

#include "dd_synclog.h"

// m_random.c's play-simulation index: the surest sign two peers ran
// the same simulation.
extern int prndindex;

static int dd_every;

void DD_SyncLogInit(void)
{
    int p;

    //!
    // @arg <n>
    // @category game
    //
    // dockerdoom test mode: log a hash of the container monsters and the
    // players every tic, their positions every n tics.
    //
    p = M_CheckParmWithArgs("-ddsynclog", 1);
    if (p > 0)
    {
        dd_every = atoi(myargv[p + 1]);
        if (dd_every <= 0)
        {
            dd_every = TICRATE;
        }
    }
}

static unsigned int DD_Mix(unsigned int h, unsigned int v)
{
    return (h ^ v) * 16777619u;
}

static unsigned int DD_MixString(unsigned int h, const char *s)
{
    while (*s != '\0')
    {
        h = DD_Mix(h, (unsigned char) *s++);
    }
    return DD_Mix(h, 0);
}

static unsigned int DD_MixMobj(unsigned int h, const mobj_t *mo)
{
    h = DD_Mix(h, (unsigned int) mo->x);
    h = DD_Mix(h, (unsigned int) mo->y);
    h = DD_Mix(h, (unsigned int) mo->z);
    h = DD_Mix(h, (unsigned int) mo->angle);
    h = DD_Mix(h, (unsigned int) mo->health);
    h = DD_Mix(h, (unsigned int) mo->type);
    return DD_Mix(h, (unsigned int) (mo->state - states));
}

void DD_SyncLog(const dd_table_t *table)
{
    unsigned int h = 2166136261u;
    int alive = 0;
    int i;

    if (dd_every <= 0)
    {
        return;
    }
    for (i = 0; i < table->count; ++i)
    {
        const dd_entry_t *e = &table->entries[i];
        const mobj_t *mo = e->mobj;

        h = DD_MixString(h, e->id);
        h = DD_MixString(h, e->name);
        h = DD_Mix(h, (unsigned int) e->state);
        if (mo != NULL)
        {
            h = DD_MixMobj(h, mo);
            alive += mo->health > 0;
        }
    }
    for (i = 0; i < MAXPLAYERS; ++i)
    {
        if (playeringame[i] && players[i].mo != NULL)
        {
            h = DD_MixMobj(h, players[i].mo);
        }
    }
    h = DD_Mix(h, (unsigned int) prndindex);
    printf("dockerdoom: sync tic=%d n=%d alive=%d hash=%08x\n", gametic,
           table->count, alive, h);
    if (gametic % dd_every != 0)
    {
        return;
    }
    printf("dockerdoom: syncpos tic=%d", gametic);
    for (i = 0; i < table->count; ++i)
    {
        const mobj_t *mo = table->entries[i].mobj;

        if (mo != NULL)
        {
            printf(" %.12s:%d,%d,%d", table->entries[i].id,
                   mo->x >> FRACBITS, mo->y >> FRACBITS, mo->health);
        }
    }
    printf("\n");
}
