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
//	dockerdoom: container monsters and the map's specials. A level whose
//	exit opens when its bosses die (E1M8's Barons, MAP07, the Keens...)
//	counts only the map's own monsters: a container Baron neither keeps
//	the exit shut (a protected one would for good) nor opens it by
//	dying. Also the test mode that proves it (-ddkillmap).
//

#ifndef DD_SPECIALS_H
#define DD_SPECIALS_H

#include "doomtype.h"
#include "p_mobj.h"

// Set on every container monster when it is spawned and never cleared,
// so its corpse is still left out once its container is gone (the death
// frame that calls A_BossDeath may come after the kill's result).
#define DD_MF_SPAWNED 0x40000000

// DD_Init: reads -ddkillmap. Returns true when the test mode is on.
boolean DD_SpecialsInit(void);

// Once per tic in a level (the test mode's steps), with how many entries
// have a live monster and how many there are.
void DD_SpecialsTicker(int alive, int total);

#endif
