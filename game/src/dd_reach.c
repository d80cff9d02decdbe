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
//	dockerdoom: walkable space as a grid, and shortest walks over it.
//

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dd_reach.h"

#define DD_BUCKET 128           // line index granularity, map units

// Lines bucketed by a coarse grid, so each step tests only nearby lines.
typedef struct dd_lineindex_s
{
    int32_t x0, y0;
    int w, h;
    int *first;                 // per bucket: start in ids (w*h+1 entries)
    int *ids;
} dd_lineindex_t;

static const int dd_dx[8] = { 1, 1, 0, -1, -1, -1, 0, 1 };
static const int dd_dy[8] = { 0, 1, 1, 1, 0, -1, -1, -1 };

static int64_t DD_Orient(int64_t ax, int64_t ay, int64_t bx, int64_t by,
                         int64_t px, int64_t py)
{
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
}

// True when x,y is on the front (right) side of line, as the game's
// P_PointOnLineSide says for side 0.
static int DD_OnFront(const dd_rline_t *line, int32_t x, int32_t y)
{
    return DD_Orient(line->x1, line->y1, line->x2, line->y2, x, y) < 0;
}

// True when the walk a->b crosses line (touching its ends counts).
static int DD_Crosses(const dd_rline_t *line, int32_t ax, int32_t ay,
                      int32_t bx, int32_t by)
{
    int64_t o1 = DD_Orient(line->x1, line->y1, line->x2, line->y2, ax, ay);
    int64_t o2 = DD_Orient(line->x1, line->y1, line->x2, line->y2, bx, by);
    int64_t o3 = DD_Orient(ax, ay, bx, by, line->x1, line->y1);
    int64_t o4 = DD_Orient(ax, ay, bx, by, line->x2, line->y2);

    if ((o1 < 0 && o2 < 0) || (o1 > 0 && o2 > 0) || (o1 == 0 && o2 == 0))
    {
        return 0;
    }
    return !((o3 < 0 && o4 < 0) || (o3 > 0 && o4 > 0));
}

// Whether a step from sector from may end in sector to: never into a
// locked door or a secret (but within one, for a search that starts
// there), and only with head room unless it is a door or lift.
static int DD_Enterable(const dd_rsector_t *sectors, int from, int to)
{
    const dd_rsector_t *sec = &sectors[to];

    if (from != to && (sec->flags & (DD_RS_LOCKED | DD_RS_SECRET)))
    {
        return 0;
    }
    return (sec->flags & DD_RS_MOVER)
        || sec->ceiling - sec->floor >= DD_REACH_HEIGHT;
}

static int DD_Bucket(const dd_lineindex_t *ix, int32_t x, int32_t y,
                     int *bx, int *by)
{
    *bx = (x - ix->x0) / DD_BUCKET;
    *by = (y - ix->y0) / DD_BUCKET;
    if (*bx < 0) *bx = 0;
    if (*by < 0) *by = 0;
    if (*bx >= ix->w) *bx = ix->w - 1;
    if (*by >= ix->h) *by = ix->h - 1;
    return 0;
}

static int DD_IndexBuild(dd_lineindex_t *ix, const dd_rline_t *lines,
                         int numlines, int32_t minx, int32_t miny,
                         int32_t maxx, int32_t maxy)
{
    int pass;
    int total = 0;
    int *fill;
    int i;

    ix->x0 = minx;
    ix->y0 = miny;
    ix->w = (maxx - minx) / DD_BUCKET + 1;
    ix->h = (maxy - miny) / DD_BUCKET + 1;
    ix->first = calloc((size_t) ix->w * ix->h + 1, sizeof(*ix->first));
    fill = calloc((size_t) ix->w * ix->h, sizeof(*fill));
    if (ix->first == NULL || fill == NULL)
    {
        free(ix->first);
        free(fill);
        ix->first = NULL;
        return ENOMEM;
    }
    // Pass 0 counts the lines per bucket, pass 1 files them.
    for (pass = 0; pass < 2; ++pass)
    {
        for (i = 0; i < numlines; ++i)
        {
            const dd_rline_t *l = &lines[i];
            int bx1, by1, bx2, by2, bx, by;

            DD_Bucket(ix, l->x1 < l->x2 ? l->x1 : l->x2,
                      l->y1 < l->y2 ? l->y1 : l->y2, &bx1, &by1);
            DD_Bucket(ix, l->x1 > l->x2 ? l->x1 : l->x2,
                      l->y1 > l->y2 ? l->y1 : l->y2, &bx2, &by2);
            for (by = by1; by <= by2; ++by)
            {
                for (bx = bx1; bx <= bx2; ++bx)
                {
                    int b = by * ix->w + bx;

                    if (pass == 0)
                    {
                        ++ix->first[b + 1];
                    }
                    else
                    {
                        ix->ids[ix->first[b] + fill[b]++] = i;
                    }
                }
            }
        }
        if (pass == 0)
        {
            for (i = 0; i < ix->w * ix->h; ++i)
            {
                ix->first[i + 1] += ix->first[i];
            }
            total = ix->first[ix->w * ix->h];
            ix->ids = malloc((size_t) (total > 0 ? total : 1)
                             * sizeof(*ix->ids));
            if (ix->ids == NULL)
            {
                free(ix->first);
                free(fill);
                ix->first = NULL;
                return ENOMEM;
            }
        }
    }
    free(fill);
    return 0;
}

static void DD_IndexFree(dd_lineindex_t *ix)
{
    free(ix->first);
    free(ix->ids);
    ix->first = NULL;
    ix->ids = NULL;
}

// Whether the player may walk in a straight line from a to b: every line
// crossed is two-sided, not impassable, and either side is a door or lift,
// or the step up and the opening fit. *teleport gets the first teleport
// line crossed from its front (the walk then ends there), or -1.
static int DD_Walk(const dd_lineindex_t *ix, const dd_rline_t *lines,
                   const dd_rsector_t *sectors, int32_t ax, int32_t ay,
                   int32_t bx, int32_t by, int *teleport)
{
    int bx1, by1, bx2, by2, cx, cy;

    *teleport = -1;
    DD_Bucket(ix, ax < bx ? ax : bx, ay < by ? ay : by, &bx1, &by1);
    DD_Bucket(ix, ax > bx ? ax : bx, ay > by ? ay : by, &bx2, &by2);
    for (cy = by1; cy <= by2; ++cy)
    {
        for (cx = bx1; cx <= bx2; ++cx)
        {
            int b = cy * ix->w + cx;
            int k;

            for (k = ix->first[b]; k < ix->first[b + 1]; ++k)
            {
                const dd_rline_t *l = &lines[ix->ids[k]];
                const dd_rsector_t *near;
                const dd_rsector_t *far;
                int32_t top, bottom;

                if (!DD_Crosses(l, ax, ay, bx, by))
                {
                    continue;
                }
                if ((l->flags & DD_RL_BLOCK) || l->back < 0)
                {
                    return 0;
                }
                if (DD_OnFront(l, ax, ay))
                {
                    near = &sectors[l->front];
                    far = &sectors[l->back];
                    if (l->flags & DD_RL_TELEPORT)
                    {
                        *teleport = ix->ids[k];
                    }
                }
                else
                {
                    near = &sectors[l->back];
                    far = &sectors[l->front];
                }
                if (far->flags & (DD_RS_LOCKED | DD_RS_SECRET))
                {
                    return 0;
                }
                if ((near->flags | far->flags) & DD_RS_MOVER)
                {
                    continue;
                }
                top = near->ceiling < far->ceiling ? near->ceiling
                                                   : far->ceiling;
                bottom = near->floor > far->floor ? near->floor : far->floor;
                if (far->floor - near->floor > DD_REACH_STEP
                 || top - bottom < DD_REACH_HEIGHT)
                {
                    return 0;
                }
            }
        }
    }
    return 1;
}

int DD_ReachNeighbour(const dd_reach_t *r, int c, int d)
{
    int x = c % r->w + dd_dx[d];
    int y = c / r->w + dd_dy[d];

    if (x < 0 || y < 0 || x >= r->w || y >= r->h)
    {
        return -1;
    }
    return y * r->w + x;
}

int DD_ReachCell(const dd_reach_t *r, int32_t x, int32_t y)
{
    int cx;
    int cy;

    if (r->w == 0 || r->h == 0)
    {
        return -1;
    }
    // Floor division, so points left of or below the first centre round
    // to the nearest cell too.
    cx = (int) (((int64_t) x - r->x0 + r->cell / 2 + (int64_t) r->cell * 4)
                / r->cell) - 4;
    cy = (int) (((int64_t) y - r->y0 + r->cell / 2 + (int64_t) r->cell * 4)
                / r->cell) - 4;
    if (cx < 0 || cy < 0 || cx >= r->w || cy >= r->h)
    {
        return -1;
    }
    return cy * r->w + cx;
}

void DD_ReachCentre(const dd_reach_t *r, int c, int32_t *x, int32_t *y)
{
    *x = r->x0 + (c % r->w) * r->cell;
    *y = r->y0 + (c / r->w) * r->cell;
}

void DD_ReachFree(dd_reach_t *r)
{
    if (r->index != NULL)
    {
        DD_IndexFree(r->index);
        free(r->index);
    }
    free(r->sector);
    free(r->step);
    free(r->mark);
    free(r->arcs);
    free(r->dist);
    free(r->from);
    free(r->back);
    free(r->heap);
    memset(r, 0, sizeof(*r));
    r->start = -1;
}

// Records the teleport arc from cell c through line t, unless the
// destination is off the grid or a place no walk may enter.
static int DD_AddArc(dd_reach_t *r, int c, const dd_rline_t *t, int *cap)
{
    int to = DD_ReachCell(r, t->tx, t->ty);

    if (to < 0 || r->sector[to] < 0
     || !DD_Enterable(r->sectors, -1, r->sector[to]))
    {
        return 0;
    }
    if (r->numarcs == *cap)
    {
        int ncap = *cap ? *cap * 2 : 16;
        dd_rarc_t *n = realloc(r->arcs, ncap * sizeof(*n));

        if (n == NULL)
        {
            return ENOMEM;
        }
        r->arcs = n;
        *cap = ncap;
    }
    r->arcs[r->numarcs].from = c;
    r->arcs[r->numarcs].to = to;
    ++r->numarcs;
    r->mark[c] |= DD_RM_ARCFROM;
    r->mark[to] |= DD_RM_ARCTO;
    return 0;
}

int DD_ReachBuild(dd_reach_t *r, const dd_rsector_t *sectors, int numsectors,
                  const dd_rline_t *lines, int numlines, dd_sector_at_t at,
                  void *ctx, int32_t minx, int32_t miny, int32_t maxx,
                  int32_t maxy, int32_t cell)
{
    dd_lineindex_t ix;
    int n;
    int c;
    int d;
    int arccap = 0;
    int err = 0;

    memset(r, 0, sizeof(*r));
    r->start = -1;
    if (cell <= 0 || maxx < minx || maxy < miny || numsectors <= 0)
    {
        return EINVAL;
    }
    r->cell = cell;
    r->sectors = sectors;
    // Centres one unit off the cell middle: map lines sit on multiples of
    // 8 or 16, so a centre almost never lies on one.
    r->x0 = minx + cell / 2 + 1;
    r->y0 = miny + cell / 2 + 1;
    r->w = (maxx - minx) / cell + 1;
    r->h = (maxy - miny) / cell + 1;
    n = r->w * r->h;
    r->sector = malloc(n * sizeof(*r->sector));
    r->step = calloc(n, 1);
    r->mark = calloc(n, 1);
    r->dist = malloc(n * sizeof(*r->dist));
    r->from = malloc(n * sizeof(*r->from));
    r->back = calloc(n, 1);
    r->heapcap = 8 * n + 64;
    r->heap = malloc(r->heapcap * sizeof(*r->heap));
    if (r->sector == NULL || r->step == NULL || r->mark == NULL
     || r->dist == NULL || r->from == NULL || r->back == NULL
     || r->heap == NULL)
    {
        DD_ReachFree(r);
        return ENOMEM;
    }
    err = DD_IndexBuild(&ix, lines, numlines, minx, miny, maxx, maxy);
    if (err != 0)
    {
        DD_ReachFree(r);
        return err;
    }
    for (c = 0; c < n; ++c)
    {
        int32_t x, y;
        int s;

        DD_ReachCentre(r, c, &x, &y);
        s = at(ctx, x, y);
        r->sector[c] = s >= 0 && s < numsectors ? s : -1;
        r->dist[c] = -1;
    }
    // Each pair of neighbours once (E, NE, N, NW), both directions.
    for (c = 0; c < n && err == 0; ++c)
    {
        int32_t ax, ay;

        if (r->sector[c] < 0)
        {
            continue;
        }
        DD_ReachCentre(r, c, &ax, &ay);
        for (d = 0; d < 4 && err == 0; ++d)
        {
            int o = DD_ReachNeighbour(r, c, d);
            int32_t bx, by;
            int t;

            if (o < 0 || r->sector[o] < 0)
            {
                continue;
            }
            DD_ReachCentre(r, o, &bx, &by);
            if (DD_Walk(&ix, lines, sectors, ax, ay, bx, by, &t))
            {
                if (t >= 0)
                {
                    err = DD_AddArc(r, c, &lines[t], &arccap);
                }
                else if (DD_Enterable(sectors, r->sector[c], r->sector[o]))
                {
                    r->step[c] |= 1 << d;
                }
            }
            if (err == 0 && DD_Walk(&ix, lines, sectors, bx, by, ax, ay, &t))
            {
                if (t >= 0)
                {
                    err = DD_AddArc(r, o, &lines[t], &arccap);
                }
                else if (DD_Enterable(sectors, r->sector[o], r->sector[c]))
                {
                    r->step[o] |= 1 << (d + 4);
                }
            }
        }
    }
    if (err != 0)
    {
        DD_IndexFree(&ix);
        DD_ReachFree(r);
        return err;
    }
    // Kept for the search's first step, from the player to a centre.
    r->lines = lines;
    r->numlines = numlines;
    r->index = malloc(sizeof(ix));
    if (r->index == NULL)
    {
        DD_IndexFree(&ix);
        DD_ReachFree(r);
        return ENOMEM;
    }
    memcpy(r->index, &ix, sizeof(ix));
    return 0;
}

// Min-heap of (distance << 32 | cell).
static void DD_HeapPush(dd_reach_t *r, int *size, int32_t dist, int c)
{
    int64_t v = ((int64_t) dist << 32) | (uint32_t) c;
    int i = (*size)++;

    while (i > 0 && r->heap[(i - 1) / 2] > v)
    {
        r->heap[i] = r->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    r->heap[i] = v;
}

static int64_t DD_HeapPop(dd_reach_t *r, int *size)
{
    int64_t top = r->heap[0];
    int64_t v = r->heap[--*size];
    int i = 0;

    for (;;)
    {
        int k = 2 * i + 1;

        if (k >= *size)
        {
            break;
        }
        if (k + 1 < *size && r->heap[k + 1] < r->heap[k])
        {
            ++k;
        }
        if (r->heap[k] >= v)
        {
            break;
        }
        r->heap[i] = r->heap[k];
        i = k;
    }
    r->heap[i] = v;
    return top;
}

static int32_t DD_Length(int32_t dx, int32_t dy)
{
    int64_t sq = (int64_t) dx * dx + (int64_t) dy * dy;
    int64_t root = 0;
    int64_t bit = (int64_t) 1 << 40;

    // Integer square root: no libm for the pure part.
    while (bit > sq)
    {
        bit >>= 2;
    }
    while (bit != 0)
    {
        if (sq >= root + bit)
        {
            sq -= root + bit;
            root = (root >> 1) + bit;
        }
        else
        {
            root >>= 1;
        }
        bit >>= 2;
    }
    return (int32_t) root;
}

// The nearest centre around x,y the player can walk to straight from
// x,y, or -1.
static int DD_StartCell(const dd_reach_t *r, int32_t x, int32_t y,
                        int32_t *len)
{
    int centre = DD_ReachCell(r, x, y);
    int best = -1;
    int32_t bestlen = 0;
    int dy, dx;

    if (centre < 0)
    {
        return -1;
    }
    for (dy = -2; dy <= 2; ++dy)
    {
        for (dx = -2; dx <= 2; ++dx)
        {
            int cx = centre % r->w + dx;
            int cy = centre / r->w + dy;
            int c = cy * r->w + cx;
            int32_t px, py, l;
            int t;

            if (cx < 0 || cy < 0 || cx >= r->w || cy >= r->h
             || r->sector[c] < 0)
            {
                continue;
            }
            DD_ReachCentre(r, c, &px, &py);
            l = DD_Length(px - x, py - y);
            if (best >= 0 && l >= bestlen)
            {
                continue;
            }
            if (DD_Walk(r->index, r->lines, r->sectors, x, y, px, py, &t)
             && t < 0)
            {
                best = c;
                bestlen = l;
            }
        }
    }
    *len = bestlen;
    return best;
}

int DD_ReachSearch(dd_reach_t *r, int32_t x, int32_t y)
{
    int n = r->w * r->h;
    int size = 0;
    int32_t len = 0;
    int c;
    int d;
    int i;
    int head;
    int tail;
    int *queue;

    for (c = 0; c < n; ++c)
    {
        r->dist[c] = -1;
        r->from[c] = -1;
        r->back[c] = 0;
    }
    r->start = n > 0 ? DD_StartCell(r, x, y, &len) : -1;
    if (r->start < 0)
    {
        return -1;
    }
    r->dist[r->start] = len;
    DD_HeapPush(r, &size, len, r->start);
    while (size > 0)
    {
        int64_t top = DD_HeapPop(r, &size);
        int32_t dist = (int32_t) (top >> 32);

        c = (int) (top & 0xffffffff);
        if (dist != r->dist[c])
        {
            continue;           // a stale entry: c was reached shorter
        }
        for (d = 0; d < 8; ++d)
        {
            int o;
            int32_t nd;

            if (!(r->step[c] & (1 << d)))
            {
                continue;
            }
            o = DD_ReachNeighbour(r, c, d);
            nd = dist + ((d & 1) ? r->cell * 181 / 128 : r->cell);
            if (r->dist[o] < 0 || nd < r->dist[o])
            {
                r->dist[o] = nd;
                r->from[o] = c;
                if (size < r->heapcap)
                {
                    DD_HeapPush(r, &size, nd, o);
                }
            }
        }
        if (!(r->mark[c] & DD_RM_ARCFROM))
        {
            continue;
        }
        for (i = 0; i < r->numarcs; ++i)
        {
            int o = r->arcs[i].to;
            int32_t nd = dist + r->cell;

            if (r->arcs[i].from != c)
            {
                continue;
            }
            if (r->dist[o] < 0 || nd < r->dist[o])
            {
                r->dist[o] = nd;
                r->from[o] = c;
                if (size < r->heapcap)
                {
                    DD_HeapPush(r, &size, nd, o);
                }
            }
        }
    }

    // Which cells the player can walk back to the start from: a search
    // along the steps backwards. The heap's storage is free by now.
    queue = (int *) r->heap;
    head = 0;
    tail = 0;
    r->back[r->start] = 1;
    queue[tail++] = r->start;
    while (head < tail)
    {
        c = queue[head++];
        for (d = 0; d < 8; ++d)
        {
            int o = DD_ReachNeighbour(r, c, d);

            if (o >= 0 && !r->back[o] && (r->step[o] & (1 << ((d + 4) & 7))))
            {
                r->back[o] = 1;
                queue[tail++] = o;
            }
        }
        if (!(r->mark[c] & DD_RM_ARCTO))
        {
            continue;
        }
        for (i = 0; i < r->numarcs; ++i)
        {
            int o = r->arcs[i].from;

            if (r->arcs[i].to == c && !r->back[o])
            {
                r->back[o] = 1;
                queue[tail++] = o;
            }
        }
    }
    return r->start;
}

int DD_ReachIsSpot(const dd_reach_t *r, int c)
{
    const dd_rsector_t *sec;

    if (c < 0 || c >= r->w * r->h || r->dist[c] < 0 || r->sector[c] < 0)
    {
        return 0;
    }
    sec = &r->sectors[r->sector[c]];
    return !(sec->flags & (DD_RS_SECRET | DD_RS_LOCKED | DD_RS_MOVER
                           | DD_RS_HURT))
        && sec->ceiling - sec->floor >= DD_REACH_HEIGHT;
}

int DD_ReachPath(const dd_reach_t *r, int c, int *path, int max)
{
    int len = 0;
    int k;
    int i;

    if (c < 0 || c >= r->w * r->h || r->dist[c] < 0)
    {
        return 0;
    }
    for (k = c; k >= 0; k = r->from[k])
    {
        ++len;
    }
    // Start first; a walk longer than max keeps its first max cells.
    k = c;
    for (i = len - 1; i >= 0; --i)
    {
        if (i < max)
        {
            path[i] = k;
        }
        k = r->from[k];
    }
    return len < max ? len : max;
}
