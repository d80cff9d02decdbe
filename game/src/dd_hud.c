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
//	dockerdoom: HUD lines.
//

#include "doomdef.h"
#include "r_main.h"
#include "r_state.h"

#include "dd_fit.h"
#include "dd_font.h"
#include "dd_hud.h"

// Below the game's own message line.
#define DD_HUD_Y      (DD_FONT_HEIGHT + 2)
#define DD_HUD_MARGIN 2
#define DD_HUD_WIDTH  (SCREENWIDTH - 2 * DD_HUD_MARGIN - 1)

void DD_HudDraw(const char *msg, dd_msgprio_t prio, const char *count)
{
    char lines[DD_HUD_LINES][DD_LINE_LEN];
    char plain[DD_LINE_LEN * DD_HUD_LINES];
    int n;
    int i;

    if (msg != NULL)
    {
        // Names in messages are UTF-8 like those in labels.
        DD_Transliterate(plain, sizeof(plain), msg);
        n = DD_WrapText(plain, DD_HUD_WIDTH, DD_FontCharWidth, NULL,
                        lines, DD_HUD_LINES);
        for (i = 0; i < n; ++i)
        {
            DD_FontDraw(DD_HUD_MARGIN, DD_HUD_Y + i * (DD_FONT_HEIGHT + 1),
                        lines[i],
                        prio == DD_MSG_FAIL ? DD_COLOR_FAIL : DD_COLOR_OK,
                        0, NULL);
        }
    }
    if (count != NULL)
    {
        DD_FitLabel(lines[0], sizeof(lines[0]), count,
                    scaledviewwidth - 2 * DD_HUD_MARGIN - 1,
                    DD_FontCharWidth, NULL);
        DD_FontDraw(viewwindowx + DD_HUD_MARGIN,
                    viewwindowy + viewheight - DD_FONT_HEIGHT - 2,
                    lines[0], DD_COLOR_OK, 1, NULL);
    }
}

void DD_HudScore(const char *score)
{
    char line[DD_LINE_LEN];
    int width;

    if (score[0] == '\0')
    {
        return;
    }
    width = DD_FitLabel(line, sizeof(line), score,
                        SCREENWIDTH / 2 - DD_HUD_MARGIN, DD_FontCharWidth,
                        NULL);
    DD_FontDraw(SCREENWIDTH - DD_HUD_MARGIN - width, 1, line, DD_COLOR_OK, 1,
                NULL);
}

int DD_HudFits(const char *msg)
{
    char lines[DD_HUD_LINES + 1][DD_LINE_LEN];
    char plain[DD_LINE_LEN * DD_HUD_LINES];

    // One line more than drawn: the text fits when it does not reach it.
    DD_Transliterate(plain, sizeof(plain), msg);
    return DD_WrapText(plain, DD_HUD_WIDTH, DD_FontCharWidth, NULL, lines,
                       DD_HUD_LINES + 1) <= DD_HUD_LINES;
}

int DD_HudLabelTop(void)
{
    int below = DD_HUD_Y + DD_HUD_LINES * (DD_FONT_HEIGHT + 1) + 1;

    return viewwindowy > below ? viewwindowy : below;
}

int DD_HudLabelBottom(void)
{
    return viewwindowy + viewheight - DD_FONT_HEIGHT - 3;
}
