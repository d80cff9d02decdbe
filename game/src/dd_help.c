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
//	dockerdoom: the help screen (F1, "Read This!"): keys, cheats, what
//	the colours and signs of labels and messages mean, and where the
//	logs are. Logged line by line whenever it is opened, so `docker
//	logs` and tests see what the player saw.
//

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doomdef.h"
#include "i_timer.h"
#include "i_video.h"
#include "v_video.h"

#include "dd_fit.h"
#include "dd_font.h"
#include "dd_help.h"
#include "dockerdoom.h"

#define DD_HELP_X      8
#define DD_HELP_GAP    10       // between the widest left part and the
                                // second column
#define DD_HELP_TOP    6
#define DD_HELP_LINE   (DD_FONT_HEIGHT + 1)
// A gap this long between two frames that draw the screen: it was
// closed meanwhile, and this is a new opening.
#define DD_HELP_REOPEN_MS 500

// One line: a left part (with an icon before it, or DD_ICONS for none)
// and a right part in the second column (may be "").
typedef struct
{
    dd_color_t color;
    dd_icon_t icon;
    const char *left;
    const char *right;
} dd_helpline_t;

#define DD_NOICON DD_ICONS

static const dd_helpline_t dd_help_lines[] = {
    { DD_COLOR_LABEL, DD_NOICON, "dockerdoom", "every named monster is a" },
    { DD_COLOR_OK, DD_NOICON, "", "container: kill it, it goes" },
    { DD_COLOR_LABEL, DD_NOICON, "keys", "" },
    { DD_COLOR_OK, DD_NOICON, "arrows", "move, turn   ctrl: fire" },
    { DD_COLOR_OK, DD_NOICON, "alt+arrows", "strafe       space: use" },
    { DD_COLOR_OK, DD_NOICON, "1-7 tab esc", "weapons, map, menu" },
    { DD_COLOR_LABEL, DD_NOICON, "cheats", "typed while playing" },
    { DD_COLOR_OK, DD_NOICON, "idrm", "kill containers in view" },
    { DD_COLOR_OK, DD_NOICON, "iddqd idkfa", "god mode, all weapons" },
    { DD_COLOR_OK, DD_NOICON, "idclip", "walk through walls" },
    { DD_COLOR_OK, DD_NOICON, "idlabels", "names off and on" },
    { DD_COLOR_LABEL, DD_NOICON, "names", "" },
    { DD_COLOR_LABEL, DD_NOICON, "web", "a container" },
    { DD_COLOR_PROTECT, DD_ICON_LOCK, "web", "protected: kill refused," },
    { DD_COLOR_OK, DD_NOICON, "", "fights only when hit" },
    { DD_COLOR_PAUSED, DD_ICON_PAUSE, "web", "paused: stands still" },
    { DD_COLOR_LABEL, DD_NOICON, "web@prod", "a name on two engines" },
    { DD_COLOR_FAIL, DD_NOICON, "orange text", "a kill failed" },
};

#define DD_HELP_LINES ((int) (sizeof(dd_help_lines) / sizeof(dd_help_lines[0])))

static int dd_help_drawn_at = -DD_HELP_REOPEN_MS;
static boolean dd_help_on;

// Where the logs are, as the launcher says (DOCKERDOOM_LOGS, up to two
// places separated by "; "), else where `make play` puts them.
static void DD_HelpLogs(char *first, char *second, size_t size)
{
    const char *logs = getenv("DOCKERDOOM_LOGS");
    const char *split;

    if (logs == NULL || logs[0] == '\0')
    {
        logs = "docker logs -f dockerdoom; /var/log/dockerdoom/";
    }
    split = strstr(logs, "; ");
    if (split == NULL)
    {
        snprintf(first, size, "%s", logs);
        second[0] = '\0';
        return;
    }
    snprintf(first, size, "%.*s", (int) (split - logs), logs);
    snprintf(second, size, "%s", split + 2);
}

// Prints the screen's text to the log, a line each.
static void DD_HelpLog(const char *logs1, const char *logs2)
{
    int i;

    printf("dockerdoom: help shown\n");
    for (i = 0; i < DD_HELP_LINES; ++i)
    {
        const dd_helpline_t *l = &dd_help_lines[i];

        printf("dockerdoom: help | %s%s%s%s\n",
               l->icon == DD_ICON_LOCK ? "[lock] "
               : l->icon == DD_ICON_PAUSE ? "[pause] " : "",
               l->left, l->left[0] != '\0' && l->right[0] != '\0' ? " - "
                                                                   : "",
               l->right);
    }
    printf("dockerdoom: help | logs - %s\n", logs1);
    if (logs2[0] != '\0')
    {
        printf("dockerdoom: help | %s\n", logs2);
    }
}

void DD_HelpEnable(void)
{
    dd_help_on = true;
}

// Where the second column starts: past the widest left part.
static int DD_HelpColumn(void)
{
    int widest = 0;
    int i;

    for (i = 0; i < DD_HELP_LINES; ++i)
    {
        const dd_helpline_t *l = &dd_help_lines[i];
        int width = DD_FontTextWidth(l->left)
                  + (l->icon != DD_NOICON ? DD_ICON_WIDTH : 0);

        widest = width > widest ? width : widest;
    }
    return DD_HELP_X + widest + DD_HELP_GAP;
}

// Draws text at x,y cut with ".." to what is left of the screen.
static void DD_HelpText(int x, int y, const char *text, dd_color_t color)
{
    char fitted[DD_LINE_LEN];

    DD_FitLabel(fitted, sizeof(fitted), text, SCREENWIDTH - 4 - x,
                DD_FontCharWidth, NULL);
    DD_FontDraw(x, y, fitted, color, 0, NULL);
}

boolean DD_HelpDrawer(void)
{
    char logs1[96];
    char logs2[96];
    int now = I_GetTimeMS();
    int column = DD_HelpColumn();
    int y = DD_HELP_TOP;
    int i;

    if (!dd_help_on)
    {
        return false;
    }
    DD_HelpLogs(logs1, logs2, sizeof(logs1));
    if (now - dd_help_drawn_at > DD_HELP_REOPEN_MS)
    {
        DD_HelpLog(logs1, logs2);
    }
    dd_help_drawn_at = now;
    V_DrawFilledBox(0, 0, SCREENWIDTH, SCREENHEIGHT, DD_FontBackdrop());
    for (i = 0; i < DD_HELP_LINES; ++i, y += DD_HELP_LINE)
    {
        const dd_helpline_t *l = &dd_help_lines[i];
        int x = DD_HELP_X;

        if (l->icon != DD_NOICON)
        {
            DD_FontDrawIcon(x, y, l->icon, l->color, 0, NULL);
            x += DD_ICON_WIDTH;
        }
        DD_FontDraw(x, y, l->left, l->color, 0, NULL);
        DD_HelpText(column, y, l->right, DD_COLOR_OK);
    }
    DD_FontDraw(DD_HELP_X, y, "logs", DD_COLOR_LABEL, 0, NULL);
    DD_HelpText(column, y, logs1, DD_COLOR_OK);
    DD_HelpText(column, y + DD_HELP_LINE, logs2, DD_COLOR_OK);
    return true;
}
