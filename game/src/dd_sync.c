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
//	dockerdoom: the container list every peer holds alike (see
//	dd_sync.h).
//

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dd_sync.h"

// The fields of b that differ from a, as DD_CHANGED_* bits.
static int DD_Differs(const dd_scanentry_t *a, const dd_scanentry_t *b)
{
    int mask = 0;

    if (strcmp(a->name, b->name) != 0)
    {
        mask |= DD_CHANGED_NAME;
    }
    if (strcmp(a->image, b->image) != 0)
    {
        mask |= DD_CHANGED_IMAGE;
    }
    if (strcmp(a->status, b->status) != 0)
    {
        mask |= DD_CHANGED_STATUS;
    }
    if ((a->protect != 0) != (b->protect != 0))
    {
        mask |= DD_CHANGED_PROTECT;
    }
    if (strcmp(a->engine, b->engine) != 0)
    {
        mask |= DD_CHANGED_ENGINE;
    }
    if (strcmp(a->ns, b->ns) != 0)
    {
        mask |= DD_CHANGED_NS;
    }
    return mask;
}

int DD_SyncDiff(const dd_snapshot_t *from, const dd_snapshot_t *to,
                dd_event_fn fn, void *ctx)
{
    dd_event_t *ev = malloc(sizeof(*ev));
    int i = 0;
    int j = 0;
    int err = 0;

    if (ev == NULL)
    {
        return ENOMEM;
    }
    while (err == 0 && (i < from->count || j < to->count))
    {
        int cmp;

        if (i == from->count)
        {
            cmp = 1;
        }
        else if (j == to->count)
        {
            cmp = -1;
        }
        else
        {
            cmp = strcmp(from->entries[i].id, to->entries[j].id);
        }
        memset(ev, 0, sizeof(*ev));
        if (cmp < 0)
        {
            ev->type = DD_EV_DEL;
            memcpy(ev->e.id, from->entries[i].id, sizeof(ev->e.id));
            err = fn(ev, ctx);
            ++i;
        }
        else if (cmp > 0)
        {
            ev->type = DD_EV_ADD;
            ev->mask = DD_CHANGED_ALL;
            ev->e = to->entries[j];
            err = fn(ev, ctx);
            ++j;
        }
        else
        {
            ev->mask = DD_Differs(&from->entries[i], &to->entries[j]);
            if (ev->mask != 0)
            {
                ev->type = DD_EV_SET;
                ev->e = to->entries[j];
                err = fn(ev, ctx);
            }
            ++i;
            ++j;
        }
    }
    free(ev);
    return err;
}

// qsort has no context: the events being sorted (one caller at a time,
// the game thread).
static const dd_event_t *dd_sorting;

// By id, then by position: the events of one id in their order.
static int DD_CompareEvents(const void *a, const void *b)
{
    int ia = *(const int *) a;
    int ib = *(const int *) b;
    int cmp = strcmp(dd_sorting[ia].e.id, dd_sorting[ib].e.id);

    if (cmp != 0)
    {
        return cmp;
    }
    return ia < ib ? -1 : ia > ib;
}

static void DD_SetFields(dd_scanentry_t *dst, const dd_scanentry_t *src,
                         int mask)
{
    if (mask & DD_CHANGED_NAME)
    {
        memcpy(dst->name, src->name, sizeof(dst->name));
    }
    if (mask & DD_CHANGED_IMAGE)
    {
        memcpy(dst->image, src->image, sizeof(dst->image));
    }
    if (mask & DD_CHANGED_STATUS)
    {
        memcpy(dst->status, src->status, sizeof(dst->status));
    }
    if (mask & DD_CHANGED_PROTECT)
    {
        dst->protect = src->protect != 0;
    }
    if (mask & DD_CHANGED_ENGINE)
    {
        memcpy(dst->engine, src->engine, sizeof(dst->engine));
    }
    if (mask & DD_CHANGED_NS)
    {
        memcpy(dst->ns, src->ns, sizeof(dst->ns));
    }
}

int DD_SyncApply(dd_snapshot_t *list, const dd_event_t *ev, int n)
{
    dd_scanentry_t *out;
    int *order;
    int norder = 0;
    int nout = 0;
    int i;
    int k;

    order = malloc((size_t) (n > 0 ? n : 1) * sizeof(*order));
    if (order == NULL)
    {
        return ENOMEM;
    }
    for (k = 0; k < n; ++k)
    {
        if (ev[k].type == DD_EV_ADD || ev[k].type == DD_EV_DEL
         || ev[k].type == DD_EV_SET)
        {
            order[norder++] = k;
        }
    }
    if (norder == 0)
    {
        free(order);
        return 0;
    }
    dd_sorting = ev;
    qsort(order, (size_t) norder, sizeof(*order), DD_CompareEvents);
    out = malloc((size_t) (list->count + norder) * sizeof(*out));
    if (out == NULL)
    {
        free(order);
        return ENOMEM;
    }
    // Merge: entries no event names are copied; each named id starts as
    // the list has it (or absent) and goes through its events in order.
    i = 0;
    k = 0;
    while (i < list->count || k < norder)
    {
        const char *id;
        dd_scanentry_t cur;
        int present = 0;
        int cmp;

        if (k == norder)
        {
            cmp = -1;
        }
        else if (i == list->count)
        {
            cmp = 1;
        }
        else
        {
            cmp = strcmp(list->entries[i].id, ev[order[k]].e.id);
        }
        if (cmp < 0)
        {
            out[nout++] = list->entries[i++];
            continue;
        }
        id = ev[order[k]].e.id;
        memset(&cur, 0, sizeof(cur));
        if (cmp == 0)
        {
            cur = list->entries[i++];
            present = 1;
        }
        for (; k < norder && strcmp(ev[order[k]].e.id, id) == 0; ++k)
        {
            const dd_event_t *e = &ev[order[k]];

            if (e->type == DD_EV_ADD)
            {
                memcpy(cur.id, e->e.id, sizeof(cur.id));
                DD_SetFields(&cur, &e->e, DD_CHANGED_ALL);
                present = 1;
            }
            else if (e->type == DD_EV_DEL)
            {
                present = 0;
            }
            else if (present)
            {
                DD_SetFields(&cur, &e->e, e->mask);
            }
        }
        if (present)
        {
            out[nout++] = cur;
        }
    }
    free(order);
    free(list->entries);
    list->entries = out;
    list->count = nout;
    return 0;
}

void DD_PackerInit(dd_packer_t *p, dd_dict_t *dict, size_t maxlen,
                   dd_emit_fn emit, void *ctx)
{
    memset(p, 0, sizeof(*p));
    p->dict = dict;
    p->maxlen = maxlen;
    p->emit = emit;
    p->ctx = ctx;
}

int DD_PackerFlush(dd_packer_t *p)
{
    int err = 0;

    if (p->buf.len > 0)
    {
        err = p->emit(p->buf.data, p->buf.len, p->ctx);
        p->buf.len = 0;
    }
    return err;
}

int DD_PackerAdd(const dd_event_t *ev, void *packer)
{
    dd_packer_t *p = packer;
    size_t before = p->buf.len;
    int err = DD_WireEncode(&p->buf, ev, p->dict);

    if (err != 0)
    {
        return err;
    }
    ++p->events;
    if (p->buf.len <= p->maxlen || before == 0)
    {
        return 0;
    }
    // Too long with this event: the message goes without it, and the
    // event (with the DICT events it needs) starts the next one.
    {
        size_t extra = p->buf.len - before;
        unsigned char *tail = malloc(extra);

        if (tail == NULL)
        {
            return ENOMEM;
        }
        memcpy(tail, p->buf.data + before, extra);
        p->buf.len = before;
        err = DD_PackerFlush(p);
        if (err == 0)
        {
            err = DD_WbufPut(&p->buf, tail, extra);
        }
        free(tail);
    }
    return err;
}

void DD_PackerFree(dd_packer_t *p)
{
    DD_WbufFree(&p->buf);
}
