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
//	dockerdoom: the scoreboard of a netgame (see dd_score.h).
//

#include <stdio.h>
#include <string.h>

#include "dd_score.h"

void DD_ScoreInit(dd_score_t *s)
{
    memset(s, 0, sizeof(*s));
}

void DD_ScoreKill(dd_score_t *s, int player)
{
    if (player >= 0 && player < DD_SCORE_PLAYERS)
    {
        ++s->kills[player];
    }
}

void DD_ScoreText(const dd_score_t *s, const char *const *names,
                  const int *ingame, int n, const char *sep, char *dst,
                  size_t dstsize)
{
    size_t len = 0;
    int first = 1;
    int i;

    if (dstsize == 0)
    {
        return;
    }
    dst[0] = '\0';
    for (i = 0; i < n && i < DD_SCORE_PLAYERS; ++i)
    {
        int wrote;

        if (!ingame[i] && s->kills[i] == 0)
        {
            continue;
        }
        wrote = snprintf(dst + len, dstsize - len, "%s%s %d",
                         first ? "" : sep, names[i], s->kills[i]);
        first = 0;
        if (wrote < 0 || (size_t) wrote >= dstsize - len)
        {
            return;     // cut: snprintf terminated it
        }
        len += (size_t) wrote;
    }
}
