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
//	dockerdoom: text that fits the HUD font and the screen: UTF-8 names
//	turned into the letters the font has, labels cut to a width and
//	kept on screen, messages wrapped into lines.
//

#ifndef DD_FIT_H
#define DD_FIT_H

#include <stddef.h>

#define DD_LINE_LEN 128

// Width in pixels of one character as it will be drawn.
typedef int (*dd_charwidth_fn)(char c, void *ctx);

// Writes into dst the ASCII form of the UTF-8 string src: printable ASCII
// as it is, accented Latin letters (Latin-1 Supplement, Latin Extended-A)
// as their plain letters ("é" -> "e", "ß" -> "ss"), a few punctuation
// marks as their ASCII look-alikes, runs of white space as one space;
// anything else (other scripts, symbols, broken sequences) is left out,
// as are leading and trailing spaces. The result holds only characters the
// HUD font draws: space, '!' to '_', and lower case letters (drawn as
// capitals). Always terminates dst.
void DD_Transliterate(char *dst, size_t dstsize, const char *src);

// Writes into dst the text to draw for a container: the transliterated
// name as the player sees it (a Swarm task as "SERVICE.SLOT", see
// DD_ShownNameLen), or the first 12 characters of id when nothing of the
// name can be drawn. Always terminates dst.
void DD_LabelText(char *dst, size_t dstsize, const char *name,
                  const char *id);

// Writes into dst the longest form of name that fits maxwidth pixels:
// the whole name when it fits, else a prefix followed by "..". Returns the
// width of the result.
int DD_FitLabel(char *dst, size_t dstsize, const char *name, int maxwidth,
                dd_charwidth_fn width, void *ctx);

// As DD_FitLabel for "NAME.NS@ENGINE" (ns, a pod's namespace, and
// engine transliterated; each left out, with its '.' or '@', when NULL
// or ""; neither gives DD_FitLabel of name alone): the suffix is kept
// whole where it takes at most half of maxwidth (else cut to that half),
// and the name is cut to what is left, so what tells two monsters apart
// stays in view. Returns the width of the result.
int DD_FitNameAt(char *dst, size_t dstsize, const char *name,
                 const char *ns, const char *engine, int maxwidth,
                 dd_charwidth_fn width, void *ctx);

// The left edge for a label of this width centred on centre, shifted
// inward so it lies wholly within [left, right) where it can (a label
// wider than the space starts at left).
int DD_LabelLeft(int centre, int width, int left, int right);

// Breaks text into at most maxlines lines of at most maxwidth pixels,
// at spaces where possible; a word wider than a line is cut. When the
// text needs more lines, the last one ends in "..". Each line goes into
// lines[i]. Returns the number of lines (0 for an empty text).
int DD_WrapText(const char *text, int maxwidth, dd_charwidth_fn width,
                void *ctx, char lines[][DD_LINE_LEN], int maxlines);

#endif
