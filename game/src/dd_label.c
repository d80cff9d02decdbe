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
//	dockerdoom: name labels.
//

#include <stdlib.h>
#include <string.h>

#include "doomdef.h"
#include "r_local.h"

#include "dd_fit.h"
#include "dd_font.h"
#include "dd_label.h"

// Labels of far monsters would only clutter the view; nearer than the
// first step they would fill it.
#define DD_LABEL_MAXDIST (1536 * FRACUNIT)
#define DD_LABEL_DIMSTEP (384 * FRACUNIT)
// Candidates per frame: more than MAXVISSPRITES could ever show.
#define DD_LABEL_CANDIDATES 256

typedef struct
{
    mobj_t *mo;
    const char *name;
    const char *id;
    const vissprite_t *vis;
    fixed_t depth;
    int x;
    int y;
    int width;
    char text[64];
} dd_label_t;

static dd_label_t dd_labels[DD_LABEL_CANDIDATES];
static int dd_nlabels;

void DD_LabelsBegin(void)
{
    dd_nlabels = 0;
}

void DD_LabelsAdd(mobj_t *mo, const char *name, const char *id)
{
    if (dd_nlabels < DD_LABEL_CANDIDATES)
    {
        dd_labels[dd_nlabels].mo = mo;
        dd_labels[dd_nlabels].name = name;
        dd_labels[dd_nlabels].id = id;
        ++dd_nlabels;
    }
}

// The sprite the renderer made of mo this frame, or NULL.
static const vissprite_t *DD_SpriteOf(const mobj_t *mo)
{
    const vissprite_t *vis;

    for (vis = vissprites; vis < vissprite_p; ++vis)
    {
        if (vis->gx == mo->x && vis->gy == mo->y && vis->gz == mo->z)
        {
            return vis;
        }
    }
    return NULL;
}

// The rows of view columns x1..x2 that nearer walls leave visible for a
// thing at scale and gx,gy spanning heights gz..gzt: cliptop[x] < row <
// clipbot[x]. The same test R_DrawSprite makes for a sprite.
static void DD_ClipColumns(int x1, int x2, fixed_t scale, fixed_t gx,
                           fixed_t gy, fixed_t gz, fixed_t gzt,
                           short *cliptop, short *clipbot)
{
    const drawseg_t *ds;
    int x;

    for (x = x1; x <= x2; ++x)
    {
        cliptop[x] = clipbot[x] = -2;
    }
    for (ds = ds_p - 1; ds >= drawsegs; --ds)
    {
        fixed_t lowscale;
        fixed_t highscale;
        int silhouette;
        int r1;
        int r2;

        if (ds->x1 > x2 || ds->x2 < x1 || ds->silhouette == 0)
        {
            continue;
        }
        lowscale = ds->scale1 < ds->scale2 ? ds->scale1 : ds->scale2;
        highscale = ds->scale1 < ds->scale2 ? ds->scale2 : ds->scale1;
        if (highscale < scale
         || (lowscale < scale && !R_PointOnSegSide(gx, gy, ds->curline)))
        {
            continue;   // the wall is behind the thing
        }
        r1 = ds->x1 < x1 ? x1 : ds->x1;
        r2 = ds->x2 > x2 ? x2 : ds->x2;
        silhouette = ds->silhouette;
        if (gz >= ds->bsilheight)
        {
            silhouette &= ~SIL_BOTTOM;
        }
        if (gzt <= ds->tsilheight)
        {
            silhouette &= ~SIL_TOP;
        }
        for (x = r1; x <= r2; ++x)
        {
            if ((silhouette & SIL_BOTTOM) && clipbot[x] == -2)
            {
                clipbot[x] = ds->sprbottomclip[x];
            }
            if ((silhouette & SIL_TOP) && cliptop[x] == -2)
            {
                cliptop[x] = ds->sprtopclip[x];
            }
        }
    }
    for (x = x1; x <= x2; ++x)
    {
        if (clipbot[x] == -2)
        {
            clipbot[x] = viewheight;
        }
        if (cliptop[x] == -2)
        {
            cliptop[x] = -1;
        }
    }
}

// The view row of height z at scale.
static int DD_RowOf(fixed_t z, fixed_t scale)
{
    return (centeryfrac - FixedMul(z - viewz, scale)) >> FRACBITS;
}

// True when some of vis is left visible by nearer walls: a monster in a
// pit or behind a pillar gets no label floating over it.
static boolean DD_SpriteShows(const vissprite_t *vis)
{
    short cliptop[SCREENWIDTH];
    short clipbot[SCREENWIDTH];
    int top = DD_RowOf(vis->gzt, vis->scale);
    int bottom = DD_RowOf(vis->gz, vis->scale);
    int x;

    if (vis->x1 > vis->x2)
    {
        return false;
    }
    DD_ClipColumns(vis->x1, vis->x2, vis->scale, vis->gx, vis->gy, vis->gz,
                   vis->gzt, cliptop, clipbot);
    for (x = vis->x1; x <= vis->x2; ++x)
    {
        int from = cliptop[x] + 1 > top ? cliptop[x] + 1 : top;
        int to = clipbot[x] < bottom ? clipbot[x] : bottom;

        if (from < to)
        {
            return true;
        }
    }
    return false;
}

// Places label l over its sprite. Returns false when it is not shown.
static boolean DD_LabelPlace(dd_label_t *l)
{
    char plain[64];
    fixed_t trx = l->mo->x - viewx;
    fixed_t try = l->mo->y - viewy;
    fixed_t side;
    int centre;

    l->vis = DD_SpriteOf(l->mo);
    if (l->vis == NULL || l->vis->scale <= 0)
    {
        return false;
    }
    l->depth = FixedMul(trx, viewcos) + FixedMul(try, viewsin);
    if (l->depth <= 0 || l->depth > DD_LABEL_MAXDIST
     || !DD_SpriteShows(l->vis))
    {
        return false;
    }
    DD_LabelText(plain, sizeof(plain), l->name, l->id);
    l->width = DD_FitLabel(l->text, sizeof(l->text), plain,
                           DD_LABEL_MAXWIDTH, DD_FontCharWidth, NULL);
    if (l->width == 0)
    {
        return false;
    }
    // The same transform R_ProjectSprite uses, for the thing's centre.
    side = FixedMul(trx, viewsin) - FixedMul(try, viewcos);
    centre = (centerxfrac + FixedMul(side, l->vis->scale)) >> FRACBITS;
    centre = viewwindowx + centre * (1 << detailshift);
    // A thing whose middle is off the view gets no label: shifted in from
    // the edge, its label would stand over the next monster and name it.
    if (centre < viewwindowx || centre >= viewwindowx + scaledviewwidth)
    {
        return false;
    }
    l->x = DD_LabelLeft(centre, l->width + 1, viewwindowx,
                        viewwindowx + scaledviewwidth);
    l->y = viewwindowy + DD_RowOf(l->vis->gzt, l->vis->scale)
         - DD_FONT_HEIGHT - 2;
    if (l->y < viewwindowy)
    {
        l->y = viewwindowy;
    }
    if (l->y + DD_FONT_HEIGHT + 1 > viewwindowy + viewheight)
    {
        return false;
    }
    return true;
}

static int DD_CompareNearest(const void *a, const void *b)
{
    fixed_t da = ((const dd_label_t *) a)->depth;
    fixed_t db = ((const dd_label_t *) b)->depth;

    return da < db ? -1 : da > db;
}

static boolean DD_Overlaps(const dd_label_t *a, const dd_label_t *b)
{
    return a->x <= b->x + b->width + 1 && b->x <= a->x + a->width + 1
        && a->y <= b->y + DD_FONT_HEIGHT && b->y <= a->y + DD_FONT_HEIGHT;
}

// The screen pixels of l that nearer walls and sprites leave visible.
static void DD_LabelClip(const dd_label_t *l, dd_clip_t *clip)
{
    short cliptop[SCREENWIDTH];
    short clipbot[SCREENWIDTH];
    const vissprite_t *vis = l->vis;
    const vissprite_t *other;
    int right = l->x + l->width + 1;
    int c1 = (l->x - viewwindowx) >> detailshift;
    int c2 = (right - viewwindowx) >> detailshift;
    fixed_t gzt;
    int px;

    memset(clip, 0, sizeof(*clip));
    if (c2 >= viewwidth)
    {
        c2 = viewwidth - 1;
    }
    if (c1 < 0 || c1 > c2)
    {
        return;
    }
    // The label stands on the thing's head, as tall as its text there.
    gzt = vis->gzt + FixedDiv((DD_FONT_HEIGHT + 2) << FRACBITS, vis->scale);
    DD_ClipColumns(c1, c2, vis->scale, vis->gx, vis->gy, vis->gzt, gzt,
                   cliptop, clipbot);
    // A nearer sprite in front of most of the label hides all of it: its
    // box is no outline, and a label with letters cut off by a box reads
    // as another name.
    for (other = vissprites; other < vissprite_p; ++other)
    {
        int top;
        int bottom;
        int from;
        int to;

        if (other == vis || other->scale <= vis->scale)
        {
            continue;
        }
        top = viewwindowy + DD_RowOf(other->gzt, other->scale);
        bottom = viewwindowy + DD_RowOf(other->gz, other->scale);
        from = other->x1 > c1 ? other->x1 : c1;
        to = other->x2 < c2 ? other->x2 : c2;
        if (top <= l->y && bottom >= l->y + DD_FONT_HEIGHT
         && 2 * (to - from + 1) > c2 - c1 + 1)
        {
            return;
        }
    }
    for (px = l->x; px <= right && px < SCREENWIDTH; ++px)
    {
        int c = (px - viewwindowx) >> detailshift;

        if (px < 0 || c < c1 || c > c2)
        {
            continue;
        }
        clip->top[px] = viewwindowy + cliptop[c] + 1;
        clip->bottom[px] = viewwindowy + clipbot[c];
    }
}

void DD_LabelsDraw(void)
{
    static dd_clip_t clip;
    dd_label_t *shown[DD_LABEL_MAX];
    int nshown = 0;
    int i;
    int j;
    int n = 0;

    // No view rendered yet (the first frame of a game): nothing to go by.
    if (ds_p == NULL || vissprite_p == NULL)
    {
        dd_nlabels = 0;
        return;
    }
    for (i = 0; i < dd_nlabels; ++i)
    {
        if (DD_LabelPlace(&dd_labels[i]))
        {
            dd_labels[n++] = dd_labels[i];
        }
    }
    qsort(dd_labels, (size_t) n, sizeof(dd_labels[0]), DD_CompareNearest);
    // Nearest first: in a crowd a farther label gives way to a nearer one.
    for (i = 0; i < n && nshown < DD_LABEL_MAX; ++i)
    {
        for (j = 0; j < nshown; ++j)
        {
            if (DD_Overlaps(&dd_labels[i], shown[j]))
            {
                break;
            }
        }
        if (j == nshown)
        {
            shown[nshown++] = &dd_labels[i];
        }
    }
    for (i = nshown - 1; i >= 0; --i)
    {
        dd_label_t *l = shown[i];

        DD_LabelClip(l, &clip);
        DD_FontDraw(l->x, l->y, l->text, DD_COLOR_LABEL,
                    l->depth / DD_LABEL_DIMSTEP, &clip);
    }
    dd_nlabels = 0;
}
