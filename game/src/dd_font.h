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
//	dockerdoom: the HUD font in colours of our own, with a dark shadow,
//	drawn pixel by pixel so every pixel can be clipped (to the screen, or
//	to what nearer walls leave visible).
//

#ifndef DD_FONT_H
#define DD_FONT_H

typedef enum
{
    DD_COLOR_LABEL,     // light yellow: container names
    DD_COLOR_OK,        // white: results, counts
    DD_COLOR_FAIL,      // orange: failures
    DD_COLOR_PROTECT,   // light blue: protected containers' names
    DD_COLOR_PAUSED,    // grey: paused containers' names
    DD_COLORS,
} dd_color_t;

// Signs drawn before a label's text.
typedef enum
{
    DD_ICON_LOCK,       // protected: its kill will be refused
    DD_ICON_PAUSE,      // paused
    DD_ICONS,
} dd_icon_t;

// Width in pixels an icon takes, the gap after it included.
#define DD_ICON_WIDTH 8

// Brightness levels of each colour, 0 the brightest.
#define DD_FONT_LEVELS 4

// Height of a line of text in pixels.
#define DD_FONT_HEIGHT 8

// Per screen column x, the rows top[x] <= y < bottom[x] that may be drawn.
typedef struct
{
    short top[320];
    short bottom[320];
} dd_clip_t;

// Builds the colour tables from the palette. Call once after W_Init.
void DD_FontInit(void);

// Width in pixels of c as drawn (a space, or a character the font lacks,
// is 4); ctx is unused (the shape of a dd_charwidth_fn).
int DD_FontCharWidth(char c, void *ctx);

// Width in pixels of text as drawn.
int DD_FontTextWidth(const char *text);

// Draws text with its top left corner at x,y (320x200 screen pixels) in
// colour at brightness level, with a shadow one pixel down and right.
// Pixels off the screen, or outside clip where clip is not NULL, are left
// alone.
void DD_FontDraw(int x, int y, const char *text, dd_color_t color,
                 int level, const dd_clip_t *clip);

// A dark palette colour to draw text of ours over (a full screen of it).
int DD_FontBackdrop(void);

// Draws icon with its top left corner at x,y as DD_FontDraw draws text.
void DD_FontDrawIcon(int x, int y, dd_icon_t icon, dd_color_t color,
                     int level, const dd_clip_t *clip);

#endif
