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
//	drew gets one, and a label is drawn whole or not at all: one that a
//	nearer wall or a nearer monster would cut is left out, as are those
//	that would overlap a label nearer the player or nearer the middle of
//	the view (dd_labelpick). Labels dim with distance, stay whole on
//	screen and clear of the HUD's message lines, and say what a monster
//	is: a protected one's label is blue behind a lock, a paused one's
//	grey behind a pause sign, and a name that two engines have is
//	followed by "@ENGINE".
//

#ifndef DD_LABEL_H
#define DD_LABEL_H

#include "p_mobj.h"

// Widest label in screen pixels (320 wide); longer names end in "..".
#define DD_LABEL_MAXWIDTH 150

// Most labels on screen at once.
#define DD_LABEL_MAX 32

// What a label marks, or-ed.
#define DD_LABEL_PROTECTED 1    // its kill will be refused
#define DD_LABEL_PAUSED    2    // its container is paused

// Reads the label options from the command line (-ddlabellog). Call once.
void DD_LabelsInit(void);

// Forgets the labels of the previous frame.
void DD_LabelsBegin(void);

// Asks for a label over mo: name as the container has it (UTF-8), id for
// when nothing of the name can be drawn, ns (a pod's namespace) and
// engine (NULL or "": none) to follow the name as "NAME.NS@ENGINE",
// marks DD_LABEL_*. Strings must live until DD_LabelsDraw.
void DD_LabelsAdd(mobj_t *mo, const char *name, const char *id,
                  const char *ns, const char *engine, int marks);

// Draws the labels asked for. Must be called right after the view was
// rendered (uses the renderer's sprites, wall segments and view globals).
void DD_LabelsDraw(void);

// Turns labels off and on (the idlabels cheat); returns the new state.
boolean DD_LabelsToggle(void);

#endif
