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
//	dockerdoom: the map sweep (-ddsweep), a test mode: from the -warp map
//	to the IWAD's last, each level runs until every entry has a monster
//	(or a few seconds of game time pass), logs a summary line and moves
//	on; tics run as fast as the machine allows, nothing is drawn, and
//	every spawn logs the walk to it (DD_PlaceTrace). With no entries for
//	10 s the sweep fails (exit status 1).
//

#ifndef DD_SWEEP_H
#define DD_SWEEP_H

#include "doomtype.h"

// DD_Init: true when -ddsweep is given, which then turns the sweep on.
boolean DD_SweepStart(void);

// Once per tic in a level, with the table's entries and how many of them
// have a monster: logs and goes to the next map when the level is done.
void DD_SweepTicker(int alive, int total);

#endif
