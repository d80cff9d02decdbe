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
//	dockerdoom: which labels a crowd gets. Every monster in view asks
//	for a label; a label is drawn whole or not at all, two never
//	overlap, and the nearest, most centred monsters are served first.
//	Plain data in, indices out: no game headers, so the unit tests can
//	link it alone.
//

#ifndef DD_LABELPICK_H
#define DD_LABELPICK_H

// One label asked for: its box on screen (the text and its shadow), how
// far its monster is along the view, and how far its monster's centre
// is from the middle of the view.
typedef struct
{
    int x;
    int y;
    int width;
    int height;
    int depth;          // distance along the view, map units, > 0
    int offcentre;      // |monster centre - view centre|, pixels
    int whole;          // nothing nearer hides any of the box
} dd_labelbox_t;

// How much farther a monster at the edge of the view counts than one in
// the middle at the same depth: a monster at offcentre = halfwidth ranks
// as if it stood (1 + DD_LABEL_EDGE_WEIGHT / 100) times as far.
#define DD_LABEL_EDGE_WEIGHT 100

// The rank of a label: its depth weighted by how far off centre it
// stands (smaller comes first).
long long DD_LabelRank(const dd_labelbox_t *box, int halfwidth);

// 1 when boxes a and b overlap or touch (they need a pixel between).
int DD_LabelsOverlap(const dd_labelbox_t *a, const dd_labelbox_t *b);

// Picks the labels to draw from boxes[0..n): in rank order (ties by
// index), each whole box that overlaps none picked before it, at most max.
// Writes the indices picked into picked[] in that order and returns how
// many. halfwidth is half the view's width in pixels (> 0).
int DD_LabelPick(const dd_labelbox_t *boxes, int n, int halfwidth, int max,
                 int *picked);

#endif
