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
//	dockerdoom: the scoreboard of a netgame, the containers each player
//	killed (kill writes that succeeded), counted alike on every peer:
//	"alice 7, bob 4". Plain data, no game headers, so the unit tests can
//	link it alone.
//

#ifndef DD_SCORE_H
#define DD_SCORE_H

#include <stddef.h>

#define DD_SCORE_PLAYERS 8

typedef struct
{
    int kills[DD_SCORE_PLAYERS];
} dd_score_t;

// Nobody has killed anything.
void DD_ScoreInit(dd_score_t *s);

// Player player (0-based) killed a container; another number is ignored.
void DD_ScoreKill(dd_score_t *s, int player);

// The board of the n (<= DD_SCORE_PLAYERS) players: "alice 7, bob 4",
// players joined by sep, each with names[i] and its count; a player not
// in the game (ingame[i] 0) only when he has killed something. Cut to
// dstsize - 1 bytes, always terminated; "" when nobody is on it.
void DD_ScoreText(const dd_score_t *s, const char *const *names,
                  const int *ingame, int n, const char *sep, char *dst,
                  size_t dstsize);

#endif
