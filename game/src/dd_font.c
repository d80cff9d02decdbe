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
//	dockerdoom: HUD font drawing.
//

#include <ctype.h>

#include "doomdef.h"
#include "hu_stuff.h"
#include "i_swap.h"
#include "i_video.h"
#include "w_wad.h"
#include "z_zone.h"

#include "dd_font.h"

typedef char dd_clip_width_check[SCREENWIDTH == 320 ? 1 : -1];

static byte dd_trans[DD_COLORS][DD_FONT_LEVELS][256];
static byte dd_black;
static byte dd_white;
static byte dd_backdrop;
static boolean dd_font_ready;

// The target colours at full brightness.
static const byte dd_rgb[DD_COLORS][3] = {
    { 255, 235, 130 },
    { 255, 255, 255 },
    { 255, 140, 60 },
    { 130, 200, 255 },
    { 175, 175, 175 },
};

// The icons, 6 pixels wide and 7 high ('#' drawn), in the font's
// height.
static const char *const dd_icons[DD_ICONS][7] = {
    {
        ".####.",
        "##..##",
        "##..##",
        "######",
        "###.##",
        "###.##",
        "######",
    },
    {
        "##..##",
        "##..##",
        "##..##",
        "##..##",
        "##..##",
        "##..##",
        "##..##",
    },
};

// Levels dim by these percentages of full brightness.
static const int dd_level_pct[DD_FONT_LEVELS] = { 100, 82, 66, 52 };

static byte DD_Nearest(const byte *pal, int r, int g, int b)
{
    int best = 0;
    int bestd = 1 << 30;
    int i;

    for (i = 0; i < 256; ++i)
    {
        int dr = pal[3 * i] - r;
        int dg = pal[3 * i + 1] - g;
        int db = pal[3 * i + 2] - b;
        int d = dr * dr + dg * dg + db * db;

        if (d < bestd)
        {
            bestd = d;
            best = i;
        }
    }
    return (byte) best;
}

void DD_FontInit(void)
{
    const byte *pal = W_CacheLumpName("PLAYPAL", PU_STATIC);
    int c;
    int l;
    int i;

    // The font is drawn in shades of one colour: a pixel's brightness in
    // the palette says how light its shade of ours is.
    for (i = 0; i < 256; ++i)
    {
        int v = pal[3 * i];

        if (pal[3 * i + 1] > v)
        {
            v = pal[3 * i + 1];
        }
        if (pal[3 * i + 2] > v)
        {
            v = pal[3 * i + 2];
        }
        // Lift the dark end: the font's darkest shades would vanish.
        v = 96 + v * 160 / 255;
        for (c = 0; c < DD_COLORS; ++c)
        {
            for (l = 0; l < DD_FONT_LEVELS; ++l)
            {
                int k = v * dd_level_pct[l];

                dd_trans[c][l][i] = DD_Nearest(pal,
                    dd_rgb[c][0] * k / 25500, dd_rgb[c][1] * k / 25500,
                    dd_rgb[c][2] * k / 25500);
            }
        }
    }
    dd_black = DD_Nearest(pal, 0, 0, 0);
    dd_white = DD_Nearest(pal, 255, 255, 255);
    dd_backdrop = DD_Nearest(pal, 24, 24, 32);
    W_ReleaseLumpName("PLAYPAL");
    dd_font_ready = true;
}

// The font patch for c, or NULL for a space or a character the font
// lacks.
static patch_t *DD_Glyph(char c)
{
    int up = toupper((unsigned char) c);

    if (up < HU_FONTSTART || up > HU_FONTEND)
    {
        return NULL;
    }
    return hu_font[up - HU_FONTSTART];
}

int DD_FontCharWidth(char c, void *ctx)
{
    patch_t *patch = DD_Glyph(c);

    (void) ctx;
    return patch != NULL ? SHORT(patch->width) : 4;
}

int DD_FontTextWidth(const char *text)
{
    int width = 0;

    for (; *text != '\0'; ++text)
    {
        width += DD_FontCharWidth(*text, NULL);
    }
    return width;
}

static boolean DD_Visible(int x, int y, const dd_clip_t *clip)
{
    if (x < 0 || x >= SCREENWIDTH || y < 0 || y >= SCREENHEIGHT)
    {
        return false;
    }
    return clip == NULL || (y >= clip->top[x] && y < clip->bottom[x]);
}

// Draws patch's pixels at x,y through trans, or all in one colour when
// trans is NULL.
static void DD_DrawGlyph(int x, int y, patch_t *patch, const byte *trans,
                         byte flat, const dd_clip_t *clip)
{
    int width = SHORT(patch->width);
    int col;

    x -= SHORT(patch->leftoffset);
    y -= SHORT(patch->topoffset);
    for (col = 0; col < width; ++col)
    {
        const column_t *column = (const column_t *)
            ((const byte *) patch + LONG(patch->columnofs[col]));

        while (column->topdelta != 0xff)
        {
            const byte *source = (const byte *) column + 3;
            int row;

            for (row = 0; row < column->length; ++row)
            {
                int px = x + col;
                int py = y + column->topdelta + row;

                if (DD_Visible(px, py, clip))
                {
                    I_VideoBuffer[py * SCREENWIDTH + px] =
                        trans != NULL ? trans[source[row]] : flat;
                }
            }
            column = (const column_t *)
                ((const byte *) column + column->length + 4);
        }
    }
}

void DD_FontDraw(int x, int y, const char *text, dd_color_t color,
                 int level, const dd_clip_t *clip)
{
    const char *p;
    int pass;
    int cx;

    if (!dd_font_ready)
    {
        return;
    }
    if (level < 0)
    {
        level = 0;
    }
    if (level >= DD_FONT_LEVELS)
    {
        level = DD_FONT_LEVELS - 1;
    }
    // The shadow first, then the letters over it.
    for (pass = 0; pass < 2; ++pass)
    {
        cx = x;
        for (p = text; *p != '\0'; ++p)
        {
            patch_t *patch = DD_Glyph(*p);

            if (patch != NULL)
            {
                if (pass == 0)
                {
                    DD_DrawGlyph(cx + 1, y + 1, patch, NULL, dd_black,
                                 clip);
                }
                else
                {
                    DD_DrawGlyph(cx, y, patch, dd_trans[color][level], 0,
                                 clip);
                }
            }
            cx += DD_FontCharWidth(*p, NULL);
        }
    }
}

int DD_FontBackdrop(void)
{
    return dd_backdrop;
}

void DD_FontDrawIcon(int x, int y, dd_icon_t icon, dd_color_t color,
                     int level, const dd_clip_t *clip)
{
    byte shade;
    int pass;
    int row;
    int col;

    if (!dd_font_ready || icon < 0 || icon >= DD_ICONS)
    {
        return;
    }
    level = level < 0 ? 0 : level >= DD_FONT_LEVELS ? DD_FONT_LEVELS - 1
                                                    : level;
    // The brightest shade of the colour at this level: the font's
    // letters are mostly their lightest shades too.
    shade = dd_trans[color][level][dd_white];
    for (pass = 0; pass < 2; ++pass)
    {
        for (row = 0; row < 7; ++row)
        {
            for (col = 0; dd_icons[icon][row][col] != '\0'; ++col)
            {
                int px = x + col + (pass == 0);
                int py = y + row + (pass == 0);

                if (dd_icons[icon][row][col] == '#'
                 && DD_Visible(px, py, clip))
                {
                    I_VideoBuffer[py * SCREENWIDTH + px] =
                        pass == 0 ? dd_black : shade;
                }
            }
        }
    }
}
