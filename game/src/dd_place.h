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
//	dockerdoom: where container monsters may appear. The level's walkable
//	space (dd_reach) is searched from where the player stands; spots are
//	the cells the player can walk to and back from, away from doors,
//	lifts, secrets and damaging floors. The first wave of a level is
//	spread over near and far spots, some in view; later monsters take the
//	nearest free spot in the player's sight at least 512 units' walk away
//	(up to 1024 units farther than one behind a wall), so the player sees
//	them coming rather than finding them in melee, out of the line of
//	fire (not within 15 degrees of the aim); with no such spot, one
//	nearer than 512 (at least 192) in view, else in sight behind the
//	player, and only then one behind a wall, 512 units away or more where
//	the level has room.
//

#ifndef DD_PLACE_H
#define DD_PLACE_H

#include "doomtype.h"
#include "info.h"
#include "m_fixed.h"
#include "p_mobj.h"

// The player spots are searched from and monsters face: the lowest-
// numbered one in the game, the same on every peer of a netgame (in a
// game alone, the player). NULL when there is none with a body.
mobj_t *DD_PlaceAnchor(void);

// Builds the walkable grid of the level just set up and searches it from
// the player's start.
void DD_PlaceLevelStart(void);

// Before a round of DD_PlaceFind calls in a tic, with the number of
// entries waiting for a monster: searches again from the player when the
// player stands where the last search did not reach or 128 units from
// where it started, and plans the level's first wave on its first round.
void DD_PlaceBegin(int waiting);

// Finds a free spot for a monster of this type, trying at most *budget
// candidates (decremented per try). Returns true with the spot and its
// walking distance from the player, or false when the budget ran out or
// every candidate is taken right now.
boolean DD_PlaceFind(mobjtype_t type, fixed_t *x, fixed_t *y, int *dist,
                     int *budget);

// True when a monster of this type fits at x,y right now.
boolean DD_PlaceFits(mobjtype_t type, fixed_t x, fixed_t y);

// True when the player sees the grid cell at x,y: inside the 90 degree
// view and in sight of the player's eyes, as the first wave's plan counts.
boolean DD_PlaceInView(fixed_t x, fixed_t y);

// True when the grid cell at x,y is in sight of the player's eyes, on
// any side: where a later monster is seen coming once the player turns.
boolean DD_PlaceInSight(fixed_t x, fixed_t y);

// Walking distance from the player (as of the last search) to x,y, or -1
// when the player cannot walk there.
int DD_PlaceDistance(fixed_t x, fixed_t y);

// Number of candidate spots in the last search (for the log).
int DD_PlaceCount(void);

// With on, each spot found is preceded by a log line of the walk to it
// ("dockerdoom: path x,y x,y | x,y ...", '|' for a teleport), for the
// map sweep's checker.
void DD_PlaceTrace(boolean on);

#endif
