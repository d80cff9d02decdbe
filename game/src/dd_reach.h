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
//	dockerdoom: where a player can walk. A grid of cells over the map,
//	each with the sector under its centre and which of its eight
//	neighbours the player can step to (no wall, no step over 24 units,
//	56 units of head room, no locked door crossed); then a shortest-walk
//	search from a point. Pure: the map comes in as plain arrays and a
//	point-to-sector callback, so the unit tests build maps by hand.
//

#ifndef DD_REACH_H
#define DD_REACH_H

#include <stdint.h>

#define DD_REACH_STEP   24      // highest step a player climbs
#define DD_REACH_HEIGHT 56      // player height: the head room needed

// Sector kinds (dd_rsector_t.flags).
#define DD_RS_SECRET  1         // never entered (unless the search starts there)
#define DD_RS_LOCKED  2         // a door that needs a key: a wall
#define DD_RS_MOVER   4         // a door or lift anyone opens: always passable,
                                // never a spot (it closes or moves)
#define DD_RS_HURT    8         // damaging floor: walked through, never a spot

// Line kinds (dd_rline_t.flags).
#define DD_RL_BLOCK    1        // one-sided or impassable
#define DD_RL_TELEPORT 2        // crossing it from the front leads to tx,ty

typedef struct
{
    int32_t floor;
    int32_t ceiling;
    unsigned flags;
} dd_rsector_t;

typedef struct
{
    int32_t x1, y1, x2, y2;     // the front is on the right of v1->v2
    int front;                  // sector index; back is -1 when one-sided
    int back;
    unsigned flags;
    int32_t tx, ty;             // teleport destination (DD_RL_TELEPORT)
} dd_rline_t;

// The sector whose floor is at x,y, or -1 outside the map.
typedef int (*dd_sector_at_t)(void *ctx, int32_t x, int32_t y);

// Cell marks (dd_reach_t.mark).
#define DD_RM_ARCFROM 1          // a teleport arc leaves this cell
#define DD_RM_ARCTO   2          // a teleport arc ends in this cell

typedef struct
{
    int from;
    int to;
} dd_rarc_t;

typedef struct
{
    int32_t cell;               // cell size in map units
    int32_t x0, y0;             // centre of cell 0
    int w, h;
    int *sector;                // per cell: sector at the centre, or -1
    uint8_t *step;              // per cell: bit d set when neighbour d is
                                // one step away (DD_ReachNeighbour)
    uint8_t *mark;              // per cell: DD_RM_* bits
    dd_rarc_t *arcs;            // teleports: cell to cell, no walking
    int numarcs;
    const dd_rsector_t *sectors;
    const dd_rline_t *lines;
    int numlines;
    struct dd_lineindex_s *index;
    // The last search (DD_ReachSearch).
    int start;                  // start cell, -1 when nothing was found
    int32_t *dist;              // walking distance, -1 when unreachable
    int *from;                  // previous cell on the shortest walk
    uint8_t *back;              // 1 when the player can walk back to start
    int64_t *heap;
    int heapcap;
} dd_reach_t;

// Builds the grid over the box (minx,miny)-(maxx,maxy) with cells of the
// given size. sectors and lines must outlive r. Returns 0, or ENOMEM / EINVAL with
// r left empty (DD_ReachFree is still safe).
int DD_ReachBuild(dd_reach_t *r, const dd_rsector_t *sectors, int numsectors,
                  const dd_rline_t *lines, int numlines, dd_sector_at_t at,
                  void *ctx, int32_t minx, int32_t miny, int32_t maxx,
                  int32_t maxy, int32_t cell);

// Frees what DD_ReachBuild allocated; r may be zeroed or half built.
void DD_ReachFree(dd_reach_t *r);

// Neighbour d (0..7: E, NE, N, NW, W, SW, S, SE) of cell c, or -1 off
// the grid.
int DD_ReachNeighbour(const dd_reach_t *r, int c, int d);

// The cell whose centre is nearest x,y, or -1 off the grid.
int DD_ReachCell(const dd_reach_t *r, int32_t x, int32_t y);

// Centre of cell c.
void DD_ReachCentre(const dd_reach_t *r, int c, int32_t *x, int32_t *y);

// Shortest walks from x,y to every cell (fills dist, from, back). The walk
// starts at the nearest cell centre reachable in a straight line from x,y;
// when there is none, nothing is reachable. Returns the start cell or -1.
int DD_ReachSearch(dd_reach_t *r, int32_t x, int32_t y);

// True when cell c is a place a monster may stand: reached by the last
// search, and not in a door, a lift, a secret or a damaging floor.
int DD_ReachIsSpot(const dd_reach_t *r, int c);

// Writes the cells of the shortest walk from the start to c, start first,
// into path (at most max); returns how many, 0 when c is unreachable.
int DD_ReachPath(const dd_reach_t *r, int c, int *path, int max);

#endif
