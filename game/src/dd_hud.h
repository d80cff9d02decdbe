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
//	dockerdoom: its own lines on the HUD: the message queue's message,
//	wrapped to the screen, under the game's message line, and the count
//	of containers at the bottom of the view.
//

#ifndef DD_HUD_H
#define DD_HUD_H

#include "dd_msg.h"

// Lines a message may take.
#define DD_HUD_LINES 2

// Draws msg (may be NULL) in the colour of prio, and count (may be NULL).
// Call after the view is drawn, before the game's HUD.
void DD_HudDraw(const char *msg, dd_msgprio_t prio, const char *count);

// Draws a netgame's scoreboard ("alice 7  bob 4") at the top right, on
// the game's own message line (whose messages are short and left).
void DD_HudScore(const char *score);

// Whether DD_HudDraw shows msg whole, within its DD_HUD_LINES lines.
int DD_HudFits(const char *msg);

// The rows of the view labels may use, top <= y < bottom: below the
// game's message line and the lines of ours, above the count line, so a
// label never stands over a message, whether one is shown or not.
int DD_HudLabelTop(void);
int DD_HudLabelBottom(void);

#endif
