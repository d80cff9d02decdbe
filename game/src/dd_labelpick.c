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
//	dockerdoom: the choice of labels in a crowd.
//

#include <stdlib.h>

#include "dd_labelpick.h"

long long DD_LabelRank(const dd_labelbox_t *box, int halfwidth)
{
    int off = box->offcentre < halfwidth ? box->offcentre : halfwidth;

    if (halfwidth <= 0)
    {
        return box->depth;
    }
    return (long long) box->depth
         * (100LL * halfwidth + (long long) DD_LABEL_EDGE_WEIGHT * off)
         / (100LL * halfwidth);
}

int DD_LabelsOverlap(const dd_labelbox_t *a, const dd_labelbox_t *b)
{
    return a->x <= b->x + b->width && b->x <= a->x + a->width
        && a->y <= b->y + b->height && b->y <= a->y + a->height;
}

// qsort has no context argument: what DD_CompareRanks sorts by.
static const long long *dd_ranks;

static int DD_CompareRanks(const void *a, const void *b)
{
    int i = *(const int *) a;
    int j = *(const int *) b;

    if (dd_ranks[i] != dd_ranks[j])
    {
        return dd_ranks[i] < dd_ranks[j] ? -1 : 1;
    }
    return i - j;
}

int DD_LabelPick(const dd_labelbox_t *boxes, int n, int halfwidth, int max,
                 int *picked)
{
    long long *ranks;
    int *order;
    int npicked = 0;
    int i;
    int j;

    if (n <= 0 || max <= 0)
    {
        return 0;
    }
    ranks = malloc((size_t) n * sizeof(*ranks));
    order = malloc((size_t) n * sizeof(*order));
    if (ranks == NULL || order == NULL)
    {
        free(ranks);
        free(order);
        return 0;
    }
    for (i = 0; i < n; ++i)
    {
        ranks[i] = DD_LabelRank(&boxes[i], halfwidth);
        order[i] = i;
    }
    dd_ranks = ranks;
    qsort(order, (size_t) n, sizeof(*order), DD_CompareRanks);
    for (i = 0; i < n && npicked < max; ++i)
    {
        const dd_labelbox_t *box = &boxes[order[i]];

        // A label with a piece hidden reads as another name: none then.
        if (!box->whole)
        {
            continue;
        }
        for (j = 0; j < npicked; ++j)
        {
            if (DD_LabelsOverlap(box, &boxes[picked[j]]))
            {
                break;
            }
        }
        if (j == npicked)
        {
            picked[npicked++] = order[i];
        }
    }
    free(ranks);
    free(order);
    return npicked;
}
