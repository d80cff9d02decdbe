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
//	dockerdoom: spawn placement. Turns the level into dd_reach's plain
//	arrays (what is a locked door, a door or lift anyone opens, a secret,
//	a teleport), and picks spots from its searches.
//

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doomdef.h"
#include "doomstat.h"
#include "i_timer.h"
#include "m_argv.h"
#include "p_local.h"
#include "p_spec.h"
#include "r_state.h"

#include "dd_place.h"
#include "dd_reach.h"

#define DD_CELL       32        // grid cell, map units
#define DD_MINDIST    192       // no spawn nearer the player than this
#define DD_LATEMIN    512       // later spawns this far when they can be:
                                // the player sees them coming
#define DD_WAVEFAR    1536      // the first wave spreads at least this far
#define DD_MINBACK    64        // fewer spots the player can walk back
                                // from than this (or 8 per monster):
                                // use one-way spots too
#define DD_MAXSIGHT   2048      // sight checks when planning a wave
#define DD_SEEKSLACK  384       // walk a seen spot may add over a hidden
                                // one nearer than DD_LATEMIN
#define DD_LATESLACK  1024      // the same from DD_LATEMIN on: a monster
                                // coming is one the player sees
#define DD_FIRECONE   (ANG45 / 3) // half the cone the player fires into
#define DD_MAXPATH    4096
#define DD_RESEARCH   128       // search again once the player is this far
                                // from where the last search started

#define DD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define DD_MAX(a, b) ((a) > (b) ? (a) : (b))

typedef struct
{
    int cell;
    int32_t dist;
} dd_spot_t;

static dd_reach_t dd_reach;
static dd_rsector_t *dd_rsectors;
static dd_rline_t *dd_rlines;
static dd_spot_t *dd_spots;     // by walking distance, nearest first
static byte *dd_used;           // per spot: taken by this level's wave
static int dd_numspots;
static int32_t dd_searchx;      // where the last search started
static int32_t dd_searchy;
static boolean dd_searched;
static boolean dd_waved;        // the first wave is planned
static int *dd_wave;            // spot index each wave monster starts at
static int dd_wavelen;
static int dd_wavenext;
static int *dd_view;            // spot indices in view when planned
static int dd_numview;
static int dd_waveview;         // the first this many of the wave are
                                // in view
static boolean dd_trace;
static int dd_maxspots = -1;    // -ddspots: a test's cap on the spot list

// Line specials (the Doom editing reference's numbers).
static boolean DD_IsKeyDoor(int special)
{
    return (special >= 26 && special <= 28) || (special >= 32 && special <= 34);
}

static boolean DD_IsKeySwitch(int special)
{
    return special == 99 || (special >= 133 && special <= 137);
}

static boolean DD_IsManualDoor(int special)
{
    return special == 1 || special == 31 || special == 117 || special == 118;
}

static boolean DD_IsTeleport(int special)
{
    return special == 39 || special == 97;      // the ones players use
}

// Tagged specials that move no floor or ceiling.
static boolean DD_MovesNothing(int special)
{
    switch (special)
    {
        case 11: case 51: case 52: case 124:            // exits
        case 12: case 13: case 17: case 35: case 79:    // lights
        case 80: case 81: case 104: case 138: case 139:
        case 39: case 97: case 125: case 126:           // teleports
        case 48:                                        // scroller
            return true;
        default:
            return false;
    }
}

static void DD_MarkTagged(int tag, unsigned flag)
{
    int i;

    if (tag == 0)
    {
        return;
    }
    for (i = 0; i < numsectors; ++i)
    {
        if (sectors[i].tag == tag)
        {
            dd_rsectors[i].flags |= flag;
        }
    }
}

static void DD_ClassifySectors(void)
{
    int i;

    for (i = 0; i < numsectors; ++i)
    {
        dd_rsectors[i].floor = sectors[i].floorheight >> FRACBITS;
        dd_rsectors[i].ceiling = sectors[i].ceilingheight >> FRACBITS;
        dd_rsectors[i].flags = 0;
        switch (sectors[i].special)
        {
            case 9:
                dd_rsectors[i].flags |= DD_RS_SECRET;
                break;
            case 4: case 5: case 7: case 11: case 16:
                dd_rsectors[i].flags |= DD_RS_HURT;
                break;
            default:
                break;
        }
    }
    for (i = 0; i < numlines; ++i)
    {
        const line_t *l = &lines[i];

        if (l->special == 0)
        {
            continue;
        }
        if (DD_IsKeyDoor(l->special) && l->backsector != NULL)
        {
            dd_rsectors[l->backsector - sectors].flags |= DD_RS_LOCKED;
        }
        else if (DD_IsKeySwitch(l->special))
        {
            DD_MarkTagged(l->tag, DD_RS_LOCKED);
        }
        else if (DD_IsManualDoor(l->special) && l->backsector != NULL)
        {
            dd_rsectors[l->backsector - sectors].flags |= DD_RS_MOVER;
        }
        else if (!DD_MovesNothing(l->special))
        {
            DD_MarkTagged(l->tag, DD_RS_MOVER);
        }
    }
    // A locked door stays a wall even when another line also moves it.
    for (i = 0; i < numsectors; ++i)
    {
        if (dd_rsectors[i].flags & DD_RS_LOCKED)
        {
            dd_rsectors[i].flags &= ~DD_RS_MOVER;
        }
    }
}

// Where a player crossing a teleport line with this tag arrives, as
// EV_Teleport finds it; false when the map has no destination.
static boolean DD_TeleportDest(int tag, int32_t *x, int32_t *y)
{
    thinker_t *th;

    for (th = thinkercap.next; th != &thinkercap; th = th->next)
    {
        mobj_t *m;

        if (th->function.acp1 != (actionf_p1) P_MobjThinker)
        {
            continue;
        }
        m = (mobj_t *) th;
        if (m->type == MT_TELEPORTMAN && m->subsector->sector->tag == tag)
        {
            *x = m->x >> FRACBITS;
            *y = m->y >> FRACBITS;
            return true;
        }
    }
    return false;
}

static void DD_ConvertLines(void)
{
    int i;

    for (i = 0; i < numlines; ++i)
    {
        const line_t *l = &lines[i];
        dd_rline_t *r = &dd_rlines[i];

        r->x1 = l->v1->x >> FRACBITS;
        r->y1 = l->v1->y >> FRACBITS;
        r->x2 = l->v2->x >> FRACBITS;
        r->y2 = l->v2->y >> FRACBITS;
        r->front = l->frontsector - sectors;
        r->back = l->backsector != NULL ? l->backsector - sectors : -1;
        r->flags = 0;
        if (l->backsector == NULL || (l->flags & ML_BLOCKING))
        {
            r->flags |= DD_RL_BLOCK;
        }
        if (DD_IsTeleport(l->special)
         && DD_TeleportDest(l->tag, &r->tx, &r->ty))
        {
            r->flags |= DD_RL_TELEPORT;
        }
    }
}

// The sector at x,y, or -1 in the void: the BSP gives a subsector for
// any point, but the point is in it only when in front of all its segs.
static int DD_SectorAt(void *ctx, int32_t x, int32_t y)
{
    fixed_t fx = (fixed_t) x << FRACBITS;
    fixed_t fy = (fixed_t) y << FRACBITS;
    subsector_t *ss = R_PointInSubsector(fx, fy);
    int i;

    (void) ctx;
    for (i = 0; i < ss->numlines; ++i)
    {
        if (R_PointOnSegSide(fx, fy, &segs[ss->firstline + i]))
        {
            return -1;
        }
    }
    return ss->sector - sectors;
}

static void DD_FreeLevel(void)
{
    DD_ReachFree(&dd_reach);
    free(dd_rsectors);
    free(dd_rlines);
    free(dd_spots);
    free(dd_used);
    free(dd_wave);
    dd_rsectors = NULL;
    dd_rlines = NULL;
    dd_spots = NULL;
    dd_used = NULL;
    dd_wave = NULL;
    dd_numspots = 0;
    dd_wavelen = 0;
    dd_wavenext = 0;
    dd_view = NULL;
    dd_numview = 0;
    dd_waveview = 0;
    dd_searched = false;
    dd_waved = false;
}

mobj_t *DD_PlaceAnchor(void)
{
    int i;

    for (i = 0; i < MAXPLAYERS; ++i)
    {
        if (playeringame[i] && players[i].mo != NULL)
        {
            return players[i].mo;
        }
    }
    return NULL;
}

static long DD_Micros(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static int DD_CompareSpots(const void *a, const void *b)
{
    const dd_spot_t *sa = a;
    const dd_spot_t *sb = b;

    if (sa->dist != sb->dist)
    {
        return sa->dist < sb->dist ? -1 : 1;
    }
    return sa->cell - sb->cell;
}

static int64_t DD_Euclid2(int c, int32_t px, int32_t py)
{
    int32_t x, y;

    DD_ReachCentre(&dd_reach, c, &x, &y);
    return (int64_t) (x - px) * (x - px) + (int64_t) (y - py) * (y - py);
}

// Searches from the player and lists the spots for want monsters,
// nearest first.
static void DD_Search(int want)
{
    mobj_t *pmo = DD_PlaceAnchor();
    int32_t px, py;
    int n = dd_reach.w * dd_reach.h;
    int backs = 0;
    int c;

    dd_numspots = 0;
    dd_searched = true;
    if (pmo == NULL || dd_spots == NULL)
    {
        return;
    }
    px = pmo->x >> FRACBITS;
    py = pmo->y >> FRACBITS;
    dd_searchx = px;
    dd_searchy = py;
    if (DD_ReachSearch(&dd_reach, px, py) < 0)
    {
        return;
    }
    for (c = 0; c < n; ++c)
    {
        if (!DD_ReachIsSpot(&dd_reach, c)
         || dd_reach.dist[c] < DD_MINDIST
         || DD_Euclid2(c, px, py) < DD_MINDIST * DD_MINDIST)
        {
            continue;
        }
        dd_spots[dd_numspots].cell = c;
        dd_spots[dd_numspots].dist = dd_reach.dist[c];
        ++dd_numspots;
        backs += dd_reach.back[c];
    }
    // Spots behind a drop the player cannot climb back from only when the
    // player's side has too few: a start on a ledge leads down anyway.
    if (backs >= DD_MINBACK && backs >= 8 * want)
    {
        int k = 0;

        for (c = 0; c < dd_numspots; ++c)
        {
            if (dd_reach.back[dd_spots[c].cell])
            {
                dd_spots[k++] = dd_spots[c];
            }
        }
        dd_numspots = k;
    }
    qsort(dd_spots, dd_numspots, sizeof(*dd_spots), DD_CompareSpots);
    if (dd_maxspots >= 0)
    {
        dd_numspots = DD_MIN(dd_numspots, dd_maxspots);
    }
    memset(dd_used, 0, dd_numspots);
}

void DD_PlaceLevelStart(void)
{
    fixed_t minx = INT_MAX, miny = INT_MAX, maxx = INT_MIN, maxy = INT_MIN;
    long start = DD_Micros();
    long built;
    int err;
    int i;

    DD_FreeLevel();
    //!
    // @arg <n>
    // @category game
    //
    // dockerdoom test mode: keep only the n spots nearest the player
    // from each search, so entries wait on any map.
    //
    i = M_CheckParmWithArgs("-ddspots", 1);
    if (i > 0)
    {
        dd_maxspots = atoi(myargv[i + 1]);
    }
    if (numsectors == 0 || numvertexes == 0)
    {
        return;
    }
    for (i = 0; i < numvertexes; ++i)
    {
        minx = DD_MIN(minx, vertexes[i].x);
        miny = DD_MIN(miny, vertexes[i].y);
        maxx = DD_MAX(maxx, vertexes[i].x);
        maxy = DD_MAX(maxy, vertexes[i].y);
    }
    dd_rsectors = malloc(numsectors * sizeof(*dd_rsectors));
    dd_rlines = malloc((numlines > 0 ? numlines : 1) * sizeof(*dd_rlines));
    if (dd_rsectors == NULL || dd_rlines == NULL)
    {
        printf("dockerdoom: placement disabled on this level: out of memory\n");
        DD_FreeLevel();
        return;
    }
    DD_ClassifySectors();
    DD_ConvertLines();
    err = DD_ReachBuild(&dd_reach, dd_rsectors, numsectors, dd_rlines,
                        numlines, DD_SectorAt, NULL, minx >> FRACBITS,
                        miny >> FRACBITS, maxx >> FRACBITS, maxy >> FRACBITS,
                        DD_CELL);
    if (err == 0)
    {
        int cells = dd_reach.w * dd_reach.h;

        dd_spots = malloc(cells * sizeof(*dd_spots));
        dd_used = malloc(cells);
        dd_wave = malloc(cells * sizeof(*dd_wave));
        if (dd_spots == NULL || dd_used == NULL || dd_wave == NULL)
        {
            err = ENOMEM;
        }
    }
    if (err != 0)
    {
        printf("dockerdoom: placement disabled on this level: %s\n",
               strerror(err));
        DD_FreeLevel();
        return;
    }
    built = DD_Micros();
    DD_Search(0);
    printf("dockerdoom: level grid=%dx%d teleports=%d build-us=%ld "
           "search-us=%ld\n", dd_reach.w, dd_reach.h, dd_reach.numarcs,
           built - start, DD_Micros() - built);
}

// A thing of the player's height standing at the spot, for sight checks.
static boolean DD_Visible(mobj_t *pmo, int c)
{
    mobj_t probe;
    int32_t x, y;

    DD_ReachCentre(&dd_reach, c, &x, &y);
    memset(&probe, 0, sizeof(probe));
    probe.x = (fixed_t) x << FRACBITS;
    probe.y = (fixed_t) y << FRACBITS;
    probe.subsector = R_PointInSubsector(probe.x, probe.y);
    probe.z = probe.subsector->sector->floorheight;
    probe.height = 56 * FRACUNIT;
    return P_CheckSight(pmo, &probe);
}

// True when the spot is inside the player's 90 degree view.
static boolean DD_InFront(mobj_t *pmo, int c)
{
    int32_t x, y;
    angle_t delta;

    DD_ReachCentre(&dd_reach, c, &x, &y);
    delta = R_PointToAngle2(pmo->x, pmo->y, (fixed_t) x << FRACBITS,
                            (fixed_t) y << FRACBITS) - pmo->angle;
    return delta <= ANG45 || delta >= (angle_t) -ANG45;
}

// True when the spot is within DD_FIRECONE of where the player aims: a
// monster appearing there would walk into the next shot.
static boolean DD_InLineOfFire(mobj_t *pmo, int c)
{
    int32_t x, y;
    angle_t delta;

    DD_ReachCentre(&dd_reach, c, &x, &y);
    delta = R_PointToAngle2(pmo->x, pmo->y, (fixed_t) x << FRACBITS,
                            (fixed_t) y << FRACBITS) - pmo->angle;
    return delta <= DD_FIRECONE || delta >= (angle_t) -DD_FIRECONE;
}

// True when a monster of this type fits on spot s right now.
static boolean DD_SpotFits(mobjtype_t type, int s)
{
    int32_t x, y;

    DD_ReachCentre(&dd_reach, dd_spots[s].cell, &x, &y);
    return DD_PlaceFits(type, (fixed_t) x << FRACBITS, (fixed_t) y << FRACBITS);
}

// Plans the level's first wave of n monsters: about a quarter (at least
// one) spread over the spots in view that the smallest monster fits on, the rest spread evenly by walking distance over the
// spots within DD_WAVEFAR (farther when that holds too few for n).
static void DD_PlanWave(int n)
{
    mobj_t *pmo = DD_PlaceAnchor();
    int reach = 0;
    int inview = 0;
    int sights = 0;
    int k;
    int i;
    int *view;

    dd_waved = true;
    dd_wavelen = 0;
    dd_wavenext = 0;
    dd_numview = 0;
    dd_waveview = 0;
    n = DD_MIN(n, dd_numspots);
    if (n <= 0 || dd_numspots == 0 || pmo == NULL)
    {
        return;
    }
    while (reach < dd_numspots
        && (dd_spots[reach].dist <= DD_WAVEFAR || reach < 4 * n))
    {
        ++reach;
    }
    // The view list reuses the tail of the wave array's storage.
    view = dd_wave + n;
    for (i = 0; i < reach && sights < DD_MAXSIGHT
             && n + inview < dd_reach.w * dd_reach.h; ++i)
    {
        if (DD_InFront(pmo, dd_spots[i].cell))
        {
            ++sights;
            if (DD_Visible(pmo, dd_spots[i].cell)
             && DD_SpotFits(MT_POSSESSED, i))
            {
                view[inview++] = i;
            }
        }
    }
    n = DD_MIN(n, reach);
    // At least one in view whenever any spot is: (n + 3) / 4 >= 1.
    k = DD_MIN(inview, (n + 3) / 4);
    dd_view = view;
    dd_numview = inview;
    dd_waveview = k;
    for (i = 0; i < k; ++i)
    {
        dd_wave[dd_wavelen++] = view[(int) ((2 * i + 1) * (int64_t) inview
                                            / (2 * k))];
    }
    for (i = 0; i < n - k; ++i)
    {
        dd_wave[dd_wavelen++] = (int) ((2 * i + 1) * (int64_t) reach
                                       / (2 * (n - k)));
    }
    printf("dockerdoom: wave monsters=%d inview=%d visible=%d\n",
           dd_wavelen, k, inview);
}

// True when the player stands somewhere the last search did not reach
// (a teleport, a drop, a door opened since), or has walked off far enough
// that its distances are stale.
static boolean DD_Moved(mobj_t *pmo)
{
    int64_t x = pmo->x >> FRACBITS;
    int64_t y = pmo->y >> FRACBITS;
    int c = DD_ReachCell(&dd_reach, (int32_t) x, (int32_t) y);

    return c < 0 || dd_reach.dist[c] < 0
        || (x - dd_searchx) * (x - dd_searchx)
         + (y - dd_searchy) * (y - dd_searchy) > DD_RESEARCH * DD_RESEARCH;
}

void DD_PlaceBegin(int waiting)
{
    mobj_t *pmo = DD_PlaceAnchor();

    if (dd_spots == NULL || pmo == NULL)
    {
        return;
    }
    if (!dd_searched || !dd_waved || DD_Moved(pmo))
    {
        DD_Search(waiting);
        printf("dockerdoom: level search x=%d y=%d spots=%d waiting=%d\n",
               dd_searchx, dd_searchy, dd_numspots, waiting);
        // Wave spots were indices into the old list.
        if (dd_waved)
        {
            dd_wavenext = dd_wavelen;
        }
    }
    if (!dd_waved)
    {
        DD_PlanWave(waiting);
    }
}

boolean DD_PlaceFits(mobjtype_t type, fixed_t x, fixed_t y)
{
    // A probe thing with the monster's size and flags: P_CheckPosition
    // then tests walls, ledges and every other thing exactly as it would
    // for the monster, without a spawn and removal per try.
    mobj_t probe;

    memset(&probe, 0, sizeof(probe));
    probe.type = type;
    probe.info = &mobjinfo[type];
    probe.radius = mobjinfo[type].radius;
    probe.height = mobjinfo[type].height;
    probe.flags = mobjinfo[type].flags;
    if (!P_CheckPosition(&probe, x, y))
    {
        return false;
    }
    return tmceilingz - tmfloorz >= probe.height;
}

// Prints the walk from the player to cell c.
static void DD_TracePath(int c)
{
    static int path[DD_MAXPATH];
    mobj_t *pmo = DD_PlaceAnchor();
    int len = DD_ReachPath(&dd_reach, c, path, DD_MAXPATH);
    int i;

    printf("dockerdoom: path %d,%d", pmo->x >> FRACBITS, pmo->y >> FRACBITS);
    for (i = 0; i < len; ++i)
    {
        int32_t x, y;
        boolean jump = false;

        if (i > 0)
        {
            int d;

            jump = true;
            for (d = 0; d < 8; ++d)
            {
                if (DD_ReachNeighbour(&dd_reach, path[i - 1], d) == path[i])
                {
                    jump = false;
                }
            }
        }
        DD_ReachCentre(&dd_reach, path[i], &x, &y);
        printf(jump ? " | %d,%d" : " %d,%d", x, y);
    }
    printf("\n");
}

static boolean DD_Take(mobjtype_t type, int s, fixed_t *x, fixed_t *y,
                       int *dist)
{
    int32_t cx, cy;

    DD_ReachCentre(&dd_reach, dd_spots[s].cell, &cx, &cy);
    if (!DD_PlaceFits(type, (fixed_t) cx << FRACBITS, (fixed_t) cy << FRACBITS))
    {
        return false;
    }
    dd_used[s] = 1;
    *x = (fixed_t) cx << FRACBITS;
    *y = (fixed_t) cy << FRACBITS;
    *dist = dd_spots[s].dist;
    if (dd_trace)
    {
        DD_TracePath(dd_spots[s].cell);
    }
    return true;
}

// The index of the first spot at least dist away (the spots are sorted
// by distance), or dd_numspots.
static int DD_FirstSpotAt(int32_t dist)
{
    int lo = 0;
    int hi = dd_numspots;

    while (lo < hi)
    {
        int mid = lo + (hi - lo) / 2;

        if (dd_spots[mid].dist < dist)
        {
            lo = mid + 1;
        }
        else
        {
            hi = mid;
        }
    }
    return lo;
}

// What a scan of spots found for a later monster: spot indices or -1.
typedef struct
{
    int inview;         // the nearest free one out of the line of fire
                        // in the player's view (with front set)
    int seen;           // the same in the player's sight, any side
    int hidden;         // the nearest free one out of the line of fire
    int any;            // the nearest free one
} dd_later_t;

// Scans spots first..end-1 for a later monster: stops at the first one
// the player can see (with front, the first one in the player's view),
// or once slack past the first hidden one. Returns 0, or -1 when the
// budget ran out first (try again next tic).
static int DD_ScanLater(mobj_t *pmo, mobjtype_t type, int first, int end,
                        int slack, boolean front, dd_later_t *found,
                        int *budget)
{
    int s;

    found->inview = found->seen = found->hidden = found->any = -1;
    for (s = first; s < end && *budget > 0; ++s)
    {
        int32_t cx, cy;
        int cell = dd_spots[s].cell;

        if (found->hidden >= 0
         && dd_spots[s].dist > dd_spots[found->hidden].dist + slack)
        {
            return 0;
        }
        DD_ReachCentre(&dd_reach, cell, &cx, &cy);
        --*budget;
        if (!DD_PlaceFits(type, (fixed_t) cx << FRACBITS,
                          (fixed_t) cy << FRACBITS))
        {
            continue;
        }
        if (found->any < 0)
        {
            found->any = s;
        }
        if (DD_InLineOfFire(pmo, cell))
        {
            continue;
        }
        --*budget;
        if (DD_Visible(pmo, cell))
        {
            if (found->seen < 0)
            {
                found->seen = s;
            }
            if (!front || DD_InFront(pmo, cell))
            {
                found->inview = front ? s : -1;
                return 0;
            }
            continue;
        }
        if (found->hidden < 0)
        {
            found->hidden = s;
        }
    }
    return s < end ? -1 : 0;
}

boolean DD_PlaceFind(mobjtype_t type, fixed_t *x, fixed_t *y, int *dist,
                     int *budget)
{
    mobj_t *pmo = DD_PlaceAnchor();
    dd_later_t far;
    dd_later_t near;
    int first;
    int found;
    int s;

    if (dd_numspots == 0 || pmo == NULL)
    {
        return false;
    }
    // The wave: each monster from its planned spot on, to the next free;
    // one planned in view to the next free spot in view first, so a
    // decoration on the planned spot does not push it out of sight.
    while (dd_wavenext < dd_waveview && *budget > 0)
    {
        int tried;
        int v = 0;

        while (v < dd_numview && dd_view[v] != dd_wave[dd_wavenext])
        {
            ++v;
        }
        for (tried = 0; tried < dd_numview && *budget > 0; ++tried)
        {
            s = dd_view[(v + tried) % dd_numview];
            if (!dd_used[s])
            {
                --*budget;
                if (DD_Take(type, s, x, y, dist))
                {
                    ++dd_wavenext;
                    return true;
                }
            }
        }
        if (*budget <= 0)
        {
            return false;
        }
        dd_waveview = dd_wavenext;  // no spot in view fits: as the rest
    }
    while (dd_wavenext < dd_wavelen && *budget > 0)
    {
        int tried;

        s = dd_wave[dd_wavenext];
        for (tried = 0; tried < dd_numspots && *budget > 0; ++tried)
        {
            if (!dd_used[s])
            {
                --*budget;
                if (DD_Take(type, s, x, y, dist))
                {
                    ++dd_wavenext;
                    return true;
                }
            }
            s = (s + 1) % dd_numspots;
        }
        if (*budget > 0)
        {
            dd_wavenext = dd_wavelen;   // nothing fits anywhere
        }
    }
    // Later ones: a monster the player sees coming. The nearest spot in
    // sight from DD_LATEMIN on (up to DD_LATESLACK past a hidden one);
    // else a nearer one in view, or in sight behind the player, since a
    // monster appearing behind a wall is one the player has to hunt for;
    // else the nearest hidden one, far before near; else the nearest that
    // fits at all.
    first = DD_FirstSpotAt(DD_LATEMIN);
    if (DD_ScanLater(pmo, type, first, dd_numspots, DD_LATESLACK, false,
                     &far, budget) < 0)
    {
        return false;
    }
    near.inview = near.seen = near.hidden = near.any = -1;
    if (far.seen < 0 && first > 0
     && DD_ScanLater(pmo, type, 0, first, DD_SEEKSLACK, true, &near,
                     budget) < 0)
    {
        return false;
    }
    found = far.seen >= 0 ? far.seen
          : near.inview >= 0 ? near.inview
          : near.seen >= 0 ? near.seen
          : far.hidden >= 0 ? far.hidden
          : near.hidden >= 0 ? near.hidden
          : far.any >= 0 ? far.any
          : near.any;
    return found >= 0 && DD_Take(type, found, x, y, dist);
}

// The reach cell of (x, y) and the player it is seen from (*pmo), or -1
// when there is no player or no reach map yet, or (x, y) is off it.
static int DD_PlaceCell(fixed_t x, fixed_t y, mobj_t **pmo)
{
    *pmo = DD_PlaceAnchor();
    if (*pmo == NULL || dd_reach.dist == NULL)
    {
        return -1;
    }
    return DD_ReachCell(&dd_reach, x >> FRACBITS, y >> FRACBITS);
}

boolean DD_PlaceInView(fixed_t x, fixed_t y)
{
    mobj_t *pmo;
    int c = DD_PlaceCell(x, y, &pmo);

    return c >= 0 && DD_InFront(pmo, c) && DD_Visible(pmo, c);
}

boolean DD_PlaceInSight(fixed_t x, fixed_t y)
{
    mobj_t *pmo;
    int c = DD_PlaceCell(x, y, &pmo);

    return c >= 0 && DD_Visible(pmo, c);
}

int DD_PlaceDistance(fixed_t x, fixed_t y)
{
    int c;

    if (!dd_searched || dd_reach.dist == NULL)
    {
        return -1;
    }
    c = DD_ReachCell(&dd_reach, x >> FRACBITS, y >> FRACBITS);
    return c < 0 ? -1 : dd_reach.dist[c];
}

int DD_PlaceCount(void)
{
    return dd_numspots;
}

void DD_PlaceTrace(boolean on)
{
    dd_trace = on;
}
