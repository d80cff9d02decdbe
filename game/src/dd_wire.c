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
//	dockerdoom: the synchronised events on the wire (see dd_wire.h).
//

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dd_wire.h"

// The largest encoded event with its DICT events: an ADD with a full
// name and three new strings.
#define DD_WIRE_EVENT_MAX \
    (1 + 1 + DD_ID_LEN / 2 + 5 + 5 + DD_NAME_LEN + 3 + 5 \
     + 3 * (1 + 1 + 5 + DD_IMAGE_LEN))

// A value of at most 28 bits (4 LEB128 bytes) is all the format uses.
#define DD_WIRE_VARINT_MAX ((1u << 28) - 1)

struct dd_outmsg_s
{
    dd_outmsg_t *next;
    size_t len;
    unsigned char data[];
};

static unsigned int DD_Hash(const char *s)
{
    unsigned int h = 2166136261u;

    while (*s != '\0')
    {
        h = (h ^ (unsigned char) *s++) * 16777619u;
    }
    return h;
}

void DD_DictInit(dd_dict_t *dict)
{
    int i;

    memset(dict, 0, sizeof(*dict));
    for (i = 0; i < DD_DICT_SLOTS; ++i)
    {
        dict->hash[i] = DD_Hash("");
    }
}

int DD_WbufPut(dd_wbuf_t *buf, const void *bytes, size_t len)
{
    unsigned char *grown;
    size_t cap;

    if (len == 0)
    {
        return 0;
    }
    if (buf->len + len > buf->cap)
    {
        cap = buf->cap ? buf->cap : 256;
        while (cap < buf->len + len)
        {
            cap *= 2;
        }
        grown = realloc(buf->data, cap);
        if (grown == NULL)
        {
            return ENOMEM;
        }
        buf->data = grown;
        buf->cap = cap;
    }
    memcpy(buf->data + buf->len, bytes, len);
    buf->len += len;
    return 0;
}

void DD_WbufFree(dd_wbuf_t *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}

// ---- encoding --------------------------------------------------------------

// An event's bytes as they are built, in a fixed buffer.
typedef struct
{
    unsigned char b[DD_WIRE_EVENT_MAX];
    size_t len;
} dd_ebuf_t;

static void DD_PutByte(dd_ebuf_t *e, unsigned int v)
{
    e->b[e->len++] = (unsigned char) v;
}

static void DD_PutVarint(dd_ebuf_t *e, unsigned int v)
{
    while (v >= 0x80)
    {
        DD_PutByte(e, (v & 0x7f) | 0x80);
        v >>= 7;
    }
    DD_PutByte(e, v);
}

// A string cut to max bytes.
static void DD_PutString(dd_ebuf_t *e, const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n > max)
    {
        n = max;
    }
    DD_PutVarint(e, (unsigned int) n);
    memcpy(e->b + e->len, s, n);
    e->len += n;
}

static int DD_HexValue(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    return -1;
}

static int DD_IdValid(const char *id)
{
    size_t n = strlen(id);
    size_t i;

    if (n == 0 || n > DD_ID_LEN)
    {
        return 0;
    }
    for (i = 0; i < n; ++i)
    {
        if (DD_HexValue(id[i]) < 0)
        {
            return 0;
        }
    }
    return 1;
}

static void DD_PutId(dd_ebuf_t *e, const char *id)
{
    size_t n = strlen(id);
    size_t i;

    DD_PutByte(e, (unsigned int) n);
    for (i = 0; i < n; i += 2)
    {
        int lo = i + 1 < n ? DD_HexValue(id[i + 1]) : 0;

        DD_PutByte(e, (unsigned int) (DD_HexValue(id[i]) << 4 | lo));
    }
}

// The slot holding s (cut to DD_IMAGE_LEN), defining one with a DICT
// event in e when none does; never one of the taken[0..ntaken) slots,
// which this event already refers to.
static int DD_PutRef(dd_ebuf_t *e, dd_dict_t *dict, const char *s,
                     const int *taken, int ntaken)
{
    char cut[DD_IMAGE_LEN + 1];
    unsigned int h;
    int slot;
    int i;
    int j;

    strncpy(cut, s, DD_IMAGE_LEN);
    cut[DD_IMAGE_LEN] = '\0';
    h = DD_Hash(cut);
    for (i = 0; i < DD_DICT_SLOTS; ++i)
    {
        if (dict->hash[i] == h && strcmp(dict->str[i], cut) == 0)
        {
            return i;
        }
    }
    slot = dict->next;
    for (j = 0; j < ntaken; ++j)
    {
        if (taken[j] == slot)
        {
            slot = (slot + 1) % DD_DICT_SLOTS;
            j = -1;
        }
    }
    dict->next = (slot + 1) % DD_DICT_SLOTS;
    memcpy(dict->str[slot], cut, sizeof(cut));
    dict->hash[slot] = h;
    DD_PutByte(e, DD_EV_DICT);
    DD_PutByte(e, (unsigned int) slot);
    DD_PutString(e, cut, DD_IMAGE_LEN);
    return slot;
}

// The DICT events go before the event that uses them: the fields are
// built apart, then appended after them.
int DD_WireEncode(dd_wbuf_t *buf, const dd_event_t *ev, dd_dict_t *dict)
{
    dd_ebuf_t *pre;
    dd_ebuf_t *body;
    dd_dict_t *saved = NULL;
    int taken[4] = { -1, -1, -1, -1 };
    int ntaken = 0;
    int mask = ev->mask & DD_CHANGED_ALL;
    int err;

    switch (ev->type)
    {
        case DD_EV_ADD:
        case DD_EV_DEL:
        case DD_EV_SET:
        case DD_EV_RESULT:
            if (!DD_IdValid(ev->e.id))
            {
                return EINVAL;
            }
            break;
        case DD_EV_SCAN:
        case DD_EV_HELLO:
        case DD_EV_CAST:
            break;
        default:
            return EINVAL;
    }
    if (ev->type == DD_EV_SET && mask == 0)
    {
        return EINVAL;
    }
    if (ev->type == DD_EV_ADD)
    {
        mask = DD_CHANGED_ALL;
    }
    pre = malloc(sizeof(*pre));
    body = malloc(sizeof(*body));
    if (pre == NULL || body == NULL)
    {
        free(pre);
        free(body);
        return ENOMEM;
    }
    pre->len = 0;
    body->len = 0;
    if ((ev->type == DD_EV_ADD || ev->type == DD_EV_SET)
     && (mask & (DD_CHANGED_IMAGE | DD_CHANGED_STATUS | DD_CHANGED_ENGINE
                 | DD_CHANGED_NS)))
    {
        // Kept to undo the slots this event defines if the append fails.
        saved = malloc(sizeof(*saved));
        if (saved == NULL)
        {
            free(pre);
            free(body);
            return ENOMEM;
        }
        memcpy(saved, dict, sizeof(*saved));
    }
    DD_PutByte(body, ev->type);
    switch (ev->type)
    {
        case DD_EV_ADD:
        case DD_EV_SET:
            DD_PutId(body, ev->e.id);
            if (ev->type == DD_EV_SET)
            {
                DD_PutVarint(body, (unsigned int) mask);
            }
            if (mask & DD_CHANGED_NAME)
            {
                DD_PutString(body, ev->e.name, DD_NAME_LEN);
            }
            if (mask & DD_CHANGED_IMAGE)
            {
                taken[ntaken] = DD_PutRef(pre, dict, ev->e.image, taken,
                                          ntaken);
                DD_PutByte(body, (unsigned int) taken[ntaken++]);
            }
            if (mask & DD_CHANGED_STATUS)
            {
                taken[ntaken] = DD_PutRef(pre, dict, ev->e.status, taken,
                                          ntaken);
                DD_PutByte(body, (unsigned int) taken[ntaken++]);
            }
            if (mask & DD_CHANGED_PROTECT)
            {
                DD_PutVarint(body, ev->e.protect ? 1 : 0);
            }
            if (mask & DD_CHANGED_ENGINE)
            {
                taken[ntaken] = DD_PutRef(pre, dict, ev->e.engine, taken,
                                          ntaken);
                DD_PutByte(body, (unsigned int) taken[ntaken++]);
            }
            if (mask & DD_CHANGED_NS)
            {
                taken[ntaken] = DD_PutRef(pre, dict, ev->e.ns, taken,
                                          ntaken);
                DD_PutByte(body, (unsigned int) taken[ntaken++]);
            }
            break;
        case DD_EV_DEL:
            DD_PutId(body, ev->e.id);
            break;
        case DD_EV_RESULT:
            DD_PutId(body, ev->e.id);
            DD_PutVarint(body, ev->value > 0 ? (unsigned int) ev->value : 0);
            break;
        case DD_EV_HELLO:
            DD_PutVarint(body, ev->value > 0 ? (unsigned int) ev->value : 0);
            DD_PutString(body, ev->e.name, DD_WIRE_PNAME_LEN);
            break;
        default:
            break;
    }
    err = DD_WbufPut(buf, pre->b, pre->len);
    if (err == 0)
    {
        err = DD_WbufPut(buf, body->b, body->len);
        if (err != 0)
        {
            buf->len -= pre->len;
        }
    }
    if (err != 0 && saved != NULL)
    {
        memcpy(dict, saved, sizeof(*dict));
    }
    free(saved);
    free(pre);
    free(body);
    return err;
}

// ---- decoding --------------------------------------------------------------

typedef struct
{
    const unsigned char *p;
    const unsigned char *end;
    int bad;
} dd_reader_t;

static unsigned int DD_GetByte(dd_reader_t *r)
{
    if (r->p >= r->end)
    {
        r->bad = 1;
        return 0;
    }
    return *r->p++;
}

static unsigned int DD_GetVarint(dd_reader_t *r)
{
    unsigned int v = 0;
    unsigned int b;
    int shift;

    for (shift = 0; shift < 28; shift += 7)
    {
        b = DD_GetByte(r);
        v |= (b & 0x7f) << shift;
        if (!(b & 0x80))
        {
            return v;
        }
    }
    r->bad = 1;     // more than 4 bytes: no value of ours
    return 0;
}

// A string of at most max bytes into dst (max + 1 bytes).
static void DD_GetString(dd_reader_t *r, char *dst, size_t max)
{
    unsigned int n = DD_GetVarint(r);

    dst[0] = '\0';
    if (r->bad || n > max || (size_t) (r->end - r->p) < n
     || memchr(r->p, '\0', n) != NULL)
    {
        r->bad = 1;
        return;
    }
    memcpy(dst, r->p, n);
    dst[n] = '\0';
    r->p += n;
}

static void DD_GetId(dd_reader_t *r, char *dst)
{
    static const char hex[] = "0123456789abcdef";
    unsigned int n = DD_GetByte(r);
    unsigned int i;

    dst[0] = '\0';
    if (r->bad || n == 0 || n > DD_ID_LEN
     || (size_t) (r->end - r->p) < (n + 1) / 2)
    {
        r->bad = 1;
        return;
    }
    for (i = 0; i < n; ++i)
    {
        unsigned int b = r->p[i / 2];

        dst[i] = hex[i % 2 == 0 ? b >> 4 : b & 15];
    }
    dst[n] = '\0';
    r->p += (n + 1) / 2;
}

// The string of a slot, cut to max bytes, into dst (max + 1 bytes).
static void DD_GetRef(dd_reader_t *r, const dd_dict_t *dict, char *dst,
                      size_t max)
{
    unsigned int slot = DD_GetByte(r);
    size_t n;

    dst[0] = '\0';
    if (r->bad)
    {
        return;
    }
    n = strlen(dict->str[slot]);
    if (n > max)
    {
        n = max;
    }
    memcpy(dst, dict->str[slot], n);
    dst[n] = '\0';
}

static int DD_Push(dd_event_t **events, int *count, int *cap,
                   const dd_event_t *ev)
{
    dd_event_t *grown;

    if (*count == *cap)
    {
        *cap = *cap ? *cap * 2 : 16;
        grown = realloc(*events, (size_t) *cap * sizeof(*grown));
        if (grown == NULL)
        {
            return ENOMEM;
        }
        *events = grown;
    }
    (*events)[(*count)++] = *ev;
    return 0;
}

int DD_WireDecode(const unsigned char *msg, size_t len, dd_dict_t *dict,
                  dd_event_t **events, int *count)
{
    dd_reader_t r = { msg, msg + len, 0 };
    dd_dict_t *work = NULL;     // a copy, made at the first DICT
    dd_event_t *out = NULL;
    dd_event_t ev;
    int n = 0;
    int cap = 0;
    int err = 0;

    *events = NULL;
    *count = 0;
    while (err == 0 && !r.bad && r.p < r.end)
    {
        const dd_dict_t *d = work != NULL ? work : dict;

        memset(&ev, 0, sizeof(ev));
        ev.type = (dd_evtype_t) DD_GetByte(&r);
        switch (ev.type)
        {
            case DD_EV_DICT:
            {
                unsigned int slot = DD_GetByte(&r);
                char s[DD_IMAGE_LEN + 1];

                DD_GetString(&r, s, DD_IMAGE_LEN);
                if (r.bad)
                {
                    break;
                }
                if (work == NULL)
                {
                    work = malloc(sizeof(*work));
                    if (work == NULL)
                    {
                        err = ENOMEM;
                        break;
                    }
                    memcpy(work, dict, sizeof(*work));
                }
                // strncpy pads with NULs: equal dictionaries are equal
                // bytes.
                strncpy(work->str[slot], s, DD_IMAGE_LEN + 1);
                work->hash[slot] = DD_Hash(s);
                work->next = (int) (slot + 1) % DD_DICT_SLOTS;
                continue;
            }
            case DD_EV_ADD:
            case DD_EV_SET:
                DD_GetId(&r, ev.e.id);
                ev.mask = DD_CHANGED_ALL;
                if (ev.type == DD_EV_SET)
                {
                    ev.mask = (int) DD_GetVarint(&r);
                    if (ev.mask == 0 || (ev.mask & ~DD_CHANGED_ALL) != 0)
                    {
                        r.bad = 1;
                    }
                }
                if (ev.mask & DD_CHANGED_NAME)
                {
                    DD_GetString(&r, ev.e.name, DD_NAME_LEN);
                }
                if (ev.mask & DD_CHANGED_IMAGE)
                {
                    DD_GetRef(&r, d, ev.e.image, DD_IMAGE_LEN);
                }
                if (ev.mask & DD_CHANGED_STATUS)
                {
                    DD_GetRef(&r, d, ev.e.status, DD_STATUS_LEN);
                }
                if (ev.mask & DD_CHANGED_PROTECT)
                {
                    ev.e.protect = DD_GetVarint(&r) != 0;
                }
                if (ev.mask & DD_CHANGED_ENGINE)
                {
                    DD_GetRef(&r, d, ev.e.engine, DD_ENGINE_LEN);
                }
                if (ev.mask & DD_CHANGED_NS)
                {
                    DD_GetRef(&r, d, ev.e.ns, DD_NS_LEN);
                }
                break;
            case DD_EV_DEL:
                DD_GetId(&r, ev.e.id);
                break;
            case DD_EV_RESULT:
                DD_GetId(&r, ev.e.id);
                ev.value = (int) DD_GetVarint(&r);
                break;
            case DD_EV_HELLO:
                ev.value = (int) DD_GetVarint(&r);
                DD_GetString(&r, ev.e.name, DD_WIRE_PNAME_LEN);
                break;
            case DD_EV_SCAN:
            case DD_EV_CAST:
                break;
            default:
                r.bad = 1;
                break;
        }
        if (!r.bad && err == 0)
        {
            err = DD_Push(&out, &n, &cap, &ev);
        }
    }
    if (err == 0 && r.bad)
    {
        err = EINVAL;
    }
    if (err != 0)
    {
        free(out);
        free(work);
        return err;
    }
    if (work != NULL)
    {
        memcpy(dict, work, sizeof(*dict));
        free(work);
    }
    *events = out;
    *count = n;
    return 0;
}

// ---- chunks ----------------------------------------------------------------

void DD_SenderInit(dd_sender_t *s)
{
    memset(s, 0, sizeof(*s));
}

int DD_SenderQueue(dd_sender_t *s, const unsigned char *msg, size_t len,
                   int urgent)
{
    dd_outmsg_t *m;
    dd_outmsg_t **tail = urgent ? &s->urgent : &s->list;

    if (len == 0)
    {
        return 0;
    }
    m = malloc(sizeof(*m) + len);
    if (m == NULL)
    {
        return ENOMEM;
    }
    m->next = NULL;
    m->len = len;
    memcpy(m->data, msg, len);
    while (*tail != NULL)
    {
        tail = &(*tail)->next;
    }
    *tail = m;
    return 0;
}

int DD_SenderChunk(dd_sender_t *s, unsigned char *out, int max)
{
    size_t n;
    int flags = 0;

    if (s->current == NULL)
    {
        dd_outmsg_t **from = s->urgent != NULL ? &s->urgent : &s->list;

        if (*from == NULL || max <= DD_WIRE_HEADER)
        {
            return 0;
        }
        s->current = *from;
        *from = s->current->next;
        s->pos = 0;
        flags |= DD_WIRE_FIRST;
    }
    n = s->current->len - s->pos;
    if (n > (size_t) (max - DD_WIRE_HEADER))
    {
        n = (size_t) (max - DD_WIRE_HEADER);
    }
    memcpy(out + DD_WIRE_HEADER, s->current->data + s->pos, n);
    s->pos += n;
    if (s->pos == s->current->len)
    {
        flags |= DD_WIRE_LAST;
        free(s->current);
        s->current = NULL;
    }
    out[0] = s->seq++;
    out[1] = (unsigned char) flags;
    return (int) n + DD_WIRE_HEADER;
}

int DD_SenderTake(dd_sender_t *s, unsigned char **msg, size_t *len)
{
    dd_outmsg_t **from = s->urgent != NULL ? &s->urgent : &s->list;
    dd_outmsg_t *m = *from;

    if (m == NULL || s->current != NULL)
    {
        return 0;
    }
    *from = m->next;
    *len = m->len;
    // The block is handed over as it is, its bytes moved to its start.
    memmove(m, m->data, m->len);
    *msg = (unsigned char *) m;
    return 1;
}

static int DD_FreeQueue(dd_outmsg_t **q)
{
    int n = 0;

    while (*q != NULL)
    {
        dd_outmsg_t *next = (*q)->next;

        free(*q);
        *q = next;
        ++n;
    }
    return n;
}

int DD_SenderDropList(dd_sender_t *s)
{
    return DD_FreeQueue(&s->list);
}

int DD_SenderBusy(const dd_sender_t *s)
{
    return s->current != NULL || s->urgent != NULL || s->list != NULL;
}

void DD_SenderFree(dd_sender_t *s)
{
    DD_FreeQueue(&s->urgent);
    DD_FreeQueue(&s->list);
    free(s->current);
    DD_SenderInit(s);
}

void DD_ReceiverInit(dd_receiver_t *r)
{
    memset(r, 0, sizeof(*r));
    r->lastseq = -1;
}

static void DD_ReceiverDrop(dd_receiver_t *r)
{
    if (r->inside)
    {
        ++r->lost;
    }
    r->inside = 0;
    r->buf.len = 0;
}

dd_recv_t DD_ReceiverFeed(dd_receiver_t *r, const unsigned char *chunk,
                          int len, const unsigned char **msg,
                          size_t *msglen)
{
    int seq;
    int flags;

    if (len < DD_WIRE_HEADER)
    {
        DD_ReceiverDrop(r);
        return DD_RECV_NONE;
    }
    seq = chunk[0];
    flags = chunk[1];
    if (r->lastseq == seq)
    {
        return DD_RECV_DUP;
    }
    if (r->lastseq >= 0 && seq != ((r->lastseq + 1) & 255))
    {
        DD_ReceiverDrop(r);
    }
    r->lastseq = seq;
    if (flags & DD_WIRE_FIRST)
    {
        // A message that never ended is given up for the new one.
        DD_ReceiverDrop(r);
        r->inside = 1;
    }
    if (!r->inside)
    {
        return DD_RECV_NONE;    // the rest of a message we lost
    }
    if (r->buf.len + (size_t) (len - DD_WIRE_HEADER) > DD_WIRE_MSG_MAX
     || DD_WbufPut(&r->buf, chunk + DD_WIRE_HEADER,
                   (size_t) (len - DD_WIRE_HEADER)) != 0)
    {
        DD_ReceiverDrop(r);
        return DD_RECV_NONE;
    }
    if (!(flags & DD_WIRE_LAST))
    {
        return DD_RECV_NONE;
    }
    r->inside = 0;
    *msg = r->buf.data;
    *msglen = r->buf.len;
    r->buf.len = 0;
    return DD_RECV_MESSAGE;
}

void DD_ReceiverReset(dd_receiver_t *r)
{
    DD_ReceiverDrop(r);
    r->lastseq = -1;
}

void DD_ReceiverFree(dd_receiver_t *r)
{
    DD_WbufFree(&r->buf);
    DD_ReceiverInit(r);
}
