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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doomdef.h"
#include "i_swap.h"
#include "i_timer.h"
#include "m_argv.h"
#include "r_local.h"
#include "w_wad.h"
#include "z_zone.h"

#include "dd_fit.h"
#include "dd_font.h"
#include "dd_hud.h"
#include "dd_label.h"
#include "dd_labelpick.h"
#include "dd_name.h"

// Labels of far monsters would only clutter the view; nearer than the
// first step they would fill it.
#define DD_LABEL_MAXDIST (1536 * FRACUNIT)
#define DD_LABEL_DIMSTEP (384 * FRACUNIT)
// Candidates per frame: more than MAXVISSPRITES could ever show.
#define DD_LABEL_CANDIDATES 256
// The box a label takes: its text and the shadow under and right of it.
#define DD_LABEL_HEIGHT (DD_FONT_HEIGHT + 1)
// -ddlabellog: what was drawn, at most this often (ms) and only when it
// changed.
#define DD_LABEL_LOG_MS 1000

typedef struct
{
    mobj_t *mo;
    const char *name;
    const char *id;
    const char *ns;
    const char *engine;
    int marks;
    const vissprite_t *vis;
    fixed_t depth;
    int icons;          // width of the icons before the text
    char text[64];
} dd_label_t;

static dd_label_t dd_labels[DD_LABEL_CANDIDATES];
static dd_labelbox_t dd_boxes[DD_LABEL_CANDIDATES];
static int dd_nlabels;
static boolean dd_labels_off;
static boolean dd_labellog;
static int dd_labellog_at;
static char dd_labellog_last[DD_LABEL_MAX * 96];

void DD_LabelsInit(void)
{
    //!
    // @category game
    //
    // dockerdoom test mode: log the labels drawn (once a second at most,
    // when they changed), for tests that compare them with a screenshot.
    //
    dd_labellog = M_ParmExists("-ddlabellog");
}

void DD_LabelsBegin(void)
{
    dd_nlabels = 0;
}

void DD_LabelsAdd(mobj_t *mo, const char *name, const char *id,
                  const char *ns, const char *engine, int marks)
{
    if (dd_nlabels < DD_LABEL_CANDIDATES)
    {
        dd_labels[dd_nlabels].mo = mo;
        dd_labels[dd_nlabels].name = name;
        dd_labels[dd_nlabels].id = id;
        dd_labels[dd_nlabels].ns = ns;
        dd_labels[dd_nlabels].engine = engine;
        dd_labels[dd_nlabels].marks = marks;
        ++dd_nlabels;
    }
}

boolean DD_LabelsToggle(void)
{
    dd_labels_off = !dd_labels_off;
    return !dd_labels_off;
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

// True when an opaque pixel of vis falls in view columns c1..c2 and view
// rows top..bottom: the posts of its patch, scaled as R_DrawVisSprite
// scales them.
static boolean DD_SpriteCovers(const vissprite_t *vis, int c1, int c2,
                               int top, int bottom)
{
    const patch_t *patch;
    fixed_t frac;
    fixed_t topscreen0;
    int from = vis->x1 > c1 ? vis->x1 : c1;
    int to = vis->x2 < c2 ? vis->x2 : c2;
    int x;

    if (from > to)
    {
        return false;
    }
    patch = W_CacheLumpNum(vis->patch + firstspritelump, PU_CACHE);
    topscreen0 = centeryfrac - FixedMul(vis->texturemid, vis->scale);
    frac = vis->startfrac + (from - vis->x1) * vis->xiscale;
    for (x = from; x <= to; ++x, frac += vis->xiscale)
    {
        int texcol = frac >> FRACBITS;
        const column_t *column;

        if (texcol < 0 || texcol >= SHORT(patch->width))
        {
            continue;
        }
        column = (const column_t *) ((const byte *) patch
                                     + LONG(patch->columnofs[texcol]));
        while (column->topdelta != 0xff)
        {
            fixed_t topscreen = topscreen0 + vis->scale * column->topdelta;
            fixed_t bottomscreen = topscreen + vis->scale * column->length;
            int yl = (topscreen + FRACUNIT - 1) >> FRACBITS;
            int yh = (bottomscreen - 1) >> FRACBITS;

            if (yl <= bottom && yh >= top)
            {
                return true;
            }
            column = (const column_t *) ((const byte *) column
                                         + column->length + 4);
        }
    }
    return false;
}

// True when some opaque pixel of a sprite nearer than vis falls in view
// column c, rows top..bottom.
static boolean DD_NearerCovers(const vissprite_t *vis, int c, int top,
                               int bottom)
{
    const vissprite_t *other;

    for (other = vissprites; other < vissprite_p; ++other)
    {
        if (other != vis && other->scale > vis->scale
         && other->x1 <= c && other->x2 >= c
         && DD_SpriteCovers(other, c, c, top, bottom))
        {
            return true;
        }
    }
    return false;
}

// True when some of the top quarter of vis shows: not behind a nearer
// wall nor a nearer monster. A label names the monster it stands on, so
// it is for a monster whose head the player sees.
static boolean DD_HeadShows(const vissprite_t *vis)
{
    short cliptop[SCREENWIDTH];
    short clipbot[SCREENWIDTH];
    int top = DD_RowOf(vis->gzt, vis->scale);
    int bottom = DD_RowOf(vis->gz, vis->scale);
    int c;

    bottom = top + (bottom - top) / 4;
    if (vis->x1 > vis->x2)
    {
        return false;
    }
    DD_ClipColumns(vis->x1, vis->x2, vis->scale, vis->gx, vis->gy, vis->gz,
                   vis->gzt, cliptop, clipbot);
    for (c = vis->x1; c <= vis->x2; ++c)
    {
        int from = cliptop[c] + 1 > top ? cliptop[c] + 1 : top;
        int to = clipbot[c] - 1 < bottom ? clipbot[c] - 1 : bottom;

        if (from <= to && !DD_NearerCovers(vis, c, from, to))
        {
            return true;
        }
    }
    return false;
}

// True when no nearer wall cuts any of l's box. Labels are drawn over
// every sprite, so only walls could leave a piece of one.
static boolean DD_LabelWhole(const dd_label_t *l, const dd_labelbox_t *box)
{
    short cliptop[SCREENWIDTH];
    short clipbot[SCREENWIDTH];
    const vissprite_t *vis = l->vis;
    int c1 = (box->x - viewwindowx) >> detailshift;
    int c2 = (box->x + box->width - 1 - viewwindowx) >> detailshift;
    int top = box->y - viewwindowy;
    int bottom = top + box->height - 1;
    fixed_t gzt;
    int c;

    if (c1 < 0 || c2 >= viewwidth || c1 > c2)
    {
        return false;
    }
    // The label stands on the thing's head, as tall as its text there.
    gzt = vis->gzt + FixedDiv((DD_LABEL_HEIGHT + 2) << FRACBITS,
                              vis->scale);
    DD_ClipColumns(c1, c2, vis->scale, vis->gx, vis->gy, vis->gz, gzt,
                   cliptop, clipbot);
    for (c = c1; c <= c2; ++c)
    {
        if (cliptop[c] >= top || clipbot[c] <= bottom)
        {
            return false;
        }
    }
    return true;
}

// Places label l over its sprite and fills its box. Returns false when it
// gets none: its monster not drawn, too far, hidden, or its middle off
// the view.
static boolean DD_LabelPlace(dd_label_t *l, dd_labelbox_t *box)
{
    char plain[64];
    fixed_t trx = l->mo->x - viewx;
    fixed_t try = l->mo->y - viewy;
    fixed_t side;
    int centre;
    int middle = viewwindowx + scaledviewwidth / 2;
    int width;

    l->vis = DD_SpriteOf(l->mo);
    if (l->vis == NULL || l->vis->scale <= 0)
    {
        return false;
    }
    l->depth = FixedMul(trx, viewcos) + FixedMul(try, viewsin);
    if (l->depth <= 0 || l->depth > DD_LABEL_MAXDIST
     || !DD_HeadShows(l->vis))
    {
        return false;
    }
    l->icons = ((l->marks & DD_LABEL_PROTECTED) ? DD_ICON_WIDTH : 0)
             + ((l->marks & DD_LABEL_PAUSED) ? DD_ICON_WIDTH : 0);
    DD_LabelText(plain, sizeof(plain), l->name, l->id);
    width = DD_FitNameAt(l->text, sizeof(l->text), plain, l->ns, l->engine,
                         DD_LABEL_MAXWIDTH - l->icons, DD_FontCharWidth,
                         NULL);
    if (width == 0)
    {
        return false;
    }
    width += l->icons;
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
    box->width = width + 1;
    box->height = DD_LABEL_HEIGHT;
    box->x = DD_LabelLeft(centre, box->width, viewwindowx,
                          viewwindowx + scaledviewwidth);
    box->y = viewwindowy + DD_RowOf(l->vis->gzt, l->vis->scale)
           - DD_FONT_HEIGHT - 2;
    // A head above the top: the label goes as high as it may, over the
    // monster itself, never over a message line.
    if (box->y < DD_HudLabelTop())
    {
        box->y = DD_HudLabelTop();
    }
    if (box->y + box->height > DD_HudLabelBottom())
    {
        return false;
    }
    box->depth = l->depth >> FRACBITS;
    box->depth = box->depth > 0 ? box->depth : 1;
    box->offcentre = abs(centre - middle);
    box->whole = DD_LabelWhole(l, box);
    return true;
}

static dd_color_t DD_LabelColor(const dd_label_t *l)
{
    return (l->marks & DD_LABEL_PROTECTED) ? DD_COLOR_PROTECT
         : (l->marks & DD_LABEL_PAUSED) ? DD_COLOR_PAUSED : DD_COLOR_LABEL;
}

// Draws label l in its box: the icons, then the text.
static void DD_LabelDraw(const dd_label_t *l, const dd_labelbox_t *box)
{
    dd_color_t color = DD_LabelColor(l);
    int level = l->depth / DD_LABEL_DIMSTEP;
    int x = box->x;

    if (l->marks & DD_LABEL_PROTECTED)
    {
        DD_FontDrawIcon(x, box->y, DD_ICON_LOCK, color, level, NULL);
        x += DD_ICON_WIDTH;
    }
    if (l->marks & DD_LABEL_PAUSED)
    {
        DD_FontDrawIcon(x, box->y, DD_ICON_PAUSE, color, level, NULL);
        x += DD_ICON_WIDTH;
    }
    DD_FontDraw(x, box->y, l->text, color, level, NULL);
}

// -ddlabellog: the labels drawn, one line each, when they changed, at
// most once a second.
static void DD_LabelLog(const int *picked, int npicked, int asked,
                        int placed)
{
    static char text[sizeof(dd_labellog_last)];
    char name[64];
    size_t used = 0;
    int now = I_GetTimeMS();
    int i;

    text[0] = '\0';
    for (i = 0; i < npicked && used < sizeof(text); ++i)
    {
        const dd_label_t *l = &dd_labels[picked[i]];
        const dd_labelbox_t *box = &dd_boxes[picked[i]];

        DD_SanitizeName(name, sizeof(name), l->text);
        used += snprintf(text + used, sizeof(text) - used,
                         "dockerdoom: label id=%.12s text=%s x=%d y=%d "
                         "w=%d h=%d marks=%s%s\n", l->id, name, box->x,
                         box->y, box->width, box->height,
                         (l->marks & DD_LABEL_PROTECTED) ? "P" : "",
                         (l->marks & DD_LABEL_PAUSED) ? "Z" : "");
    }
    if (strcmp(text, dd_labellog_last) == 0
     || now - dd_labellog_at < DD_LABEL_LOG_MS)
    {
        return;
    }
    dd_labellog_at = now;
    snprintf(dd_labellog_last, sizeof(dd_labellog_last), "%s", text);
    printf("dockerdoom: labels drawn=%d asked=%d placed=%d\n%s", npicked,
           asked, placed, text);
}

void DD_LabelsDraw(void)
{
    int picked[DD_LABEL_MAX];
    int npicked;
    int asked = dd_nlabels;
    int i;
    int n = 0;

    // No view rendered yet (the first frame of a game): nothing to go by.
    if (ds_p == NULL || vissprite_p == NULL || dd_labels_off)
    {
        dd_nlabels = 0;
        return;
    }
    for (i = 0; i < dd_nlabels; ++i)
    {
        if (DD_LabelPlace(&dd_labels[i], &dd_boxes[n]))
        {
            dd_labels[n] = dd_labels[i];
            ++n;
        }
    }
    npicked = DD_LabelPick(dd_boxes, n, scaledviewwidth / 2, DD_LABEL_MAX,
                           picked);
    for (i = 0; i < npicked; ++i)
    {
        DD_LabelDraw(&dd_labels[picked[i]], &dd_boxes[picked[i]]);
    }
    if (dd_labellog)
    {
        DD_LabelLog(picked, npicked, asked, n);
    }
    dd_nlabels = 0;
}
