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
//	dockerdoom: container names drawn over their monsters in the 3D view.
//	A label goes with its monster's sprite: only a monster the renderer
//	drew gets one, nearer walls hide it as they hide the sprite, and
//	nearer sprites hide it too. Labels dim with distance, never overlap
//	(a farther one gives way) and are shifted to stay whole on screen.
//

#ifndef DD_LABEL_H
#define DD_LABEL_H

#include "p_mobj.h"

// Widest label in screen pixels (320 wide); longer names end in "..".
#define DD_LABEL_MAXWIDTH 150

// Most labels on screen at once.
#define DD_LABEL_MAX 32

// Forgets the labels of the previous frame.
void DD_LabelsBegin(void);

// Asks for a label over mo: name as the container has it (UTF-8), id for
// when nothing of the name can be drawn. Strings must live until
// DD_LabelsDraw.
void DD_LabelsAdd(mobj_t *mo, const char *name, const char *id);

// Draws the labels asked for. Must be called right after the view was
// rendered (uses the renderer's sprites, wall segments and view globals).
void DD_LabelsDraw(void);

#endif
