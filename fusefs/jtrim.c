/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jtrim.c - a container's JSON record cut down as it streams in (see
 * jtrim.h). A small state machine over the bytes: frames for the record
 * object, a descended object and a Labels object, and a raw mode that
 * copies (or skips) any other value whole. Malformed input is copied on
 * as it is from where it went wrong, so that the decoder refuses it. */
#include "jtrim.h"

#include <errno.h>
#include <string.h>

enum { FR_TOP, FR_DESC, FR_LABELS };
enum {
    S_OPEN,             /* before the record's '{' */
    S_KEY_OR_END,       /* after '{': a key or '}' */
    S_KEY_NEXT,         /* after ',': a key */
    S_KEY,              /* in a key */
    S_COLON,
    S_VALUE,            /* before a value */
    S_AFTER,            /* after a value: ',' or '}' */
    S_DONE              /* the record's '}' is written */
};

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

void jtrim_init(struct jtrim *t, struct buf *out, const char *const *keep,
                const char *const *descend, const char *const *inner,
                size_t labels_max)
{
    memset(t, 0, sizeof *t);
    t->out = out;
    t->keep = keep;
    t->descend = descend;
    t->inner = inner;
    t->labels_max = labels_max;
    t->nfr = 1;
    t->fr[0].kind = FR_TOP;
    t->fr[0].st = S_OPEN;
    t->fr[0].first = 1;
    buf_reset(out);
}

static struct jtrim_frame *top(struct jtrim *t)
{
    return &t->fr[t->nfr - 1];
}

/* 1 while a label member is being written: what does not fit then
 * costs that label only. */
static int in_label(struct jtrim *t)
{
    struct jtrim_frame *f = top(t);
    return f->kind == FR_LABELS && f->st >= S_KEY && f->st <= S_VALUE;
}

static void put(struct jtrim *t, const char *s, size_t n)
{
    struct jtrim_frame *f = top(t);
    int label = in_label(t), rc;

    if (t->err || t->full || (label && f->full))
        return;
    rc = buf_add(t->out, s, n);
    if (rc == E2BIG && label)
        f->full = 1;
    else if (rc == E2BIG)
        t->full = 1;
    else if (rc)
        t->err = rc;
}

/* Not the JSON expected: a control character (which the decoder always
 * refuses), then the rest as it comes. */
static void go_broken(struct jtrim *t, char c)
{
    t->broken = 1;
    t->raw = 0;
    put(t, "\x01", 1);
    put(t, &c, 1);
}

/* A member's value has ended: a label member is kept or left out. */
static void member_done(struct jtrim *t, struct jtrim_frame *f)
{
    f->st = S_AFTER;
    if (f->kind != FR_LABELS)
        return;
    size_t len = t->out->len - f->mark;
    if (f->full && f->priority) {
        /* A label protection may read cannot be kept: neither can the
         * record. */
        t->full = 1;
        return;
    }
    if (f->full || (!f->priority && t->labels_kept + len > t->labels_max)) {
        buf_truncate(t->out, f->mark);
        t->cut++;
        return;
    }
    t->labels_kept += len;
    f->first = 0;
}

static void close_frame(struct jtrim *t)
{
    put(t, "}", 1);
    if (t->nfr == 1) {
        t->fr[0].st = S_DONE;
        return;
    }
    t->nfr--;
    member_done(t, top(t));
}

static void begin_key(struct jtrim *t, struct jtrim_frame *f)
{
    f->st = S_KEY;
    f->klen = 0;
    f->key_long = 0;
    f->key_esc = 0;
    f->escaped = 0;
    f->priority = 0;
    f->full = 0;
    if (f->kind == FR_LABELS) {
        f->mark = t->out->len;
        if (!f->first)
            put(t, ",", 1);
        put(t, "\"", 1);
    }
}

static void end_key(struct jtrim *t, struct jtrim_frame *f)
{
    f->key[f->klen] = '\0';
    f->st = S_COLON;
    if (f->kind == FR_LABELS) {
        size_t n = strlen(JTRIM_PRIORITY);
        /* An escaped key might spell the protect label: kept too. */
        f->keep = 1;
        f->priority = f->escaped ||
                      (f->klen >= n && memcmp(f->key, JTRIM_PRIORITY, n) == 0);
        return;
    }
    if (f->escaped) {
        /* "\u004cabels" would hide the labels from a plain compare: a
         * record spelled so is refused whole, never shown without them. */
        go_broken(t, '"');
        return;
    }
    f->keep = !f->key_long &&
              in_list(f->kind == FR_TOP ? t->keep : t->inner, f->key);
    if (f->kind == FR_DESC && !t->inner)
        f->keep = !f->key_long;
    if (f->keep) {
        if (!f->first)
            put(t, ",", 1);
        put(t, "\"", 1);
        put(t, f->key, f->klen);
        put(t, "\"", 1);
        f->first = 0;
    }
}

static void key_byte(struct jtrim *t, struct jtrim_frame *f, char c)
{
    if (f->kind == FR_LABELS)
        put(t, &c, 1);
    if (!f->key_esc && c == '"') {
        end_key(t, f);
        return;
    }
    if (f->key_esc)
        f->key_esc = 0;
    else if (c == '\\')
        f->key_esc = f->escaped = 1;
    if (f->klen < JTRIM_KEY_MAX - 1)
        f->key[f->klen++] = c;
    else
        f->key_long = 1;
}

static void push(struct jtrim *t, int kind)
{
    struct jtrim_frame *f = &t->fr[t->nfr++];

    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->st = S_KEY_OR_END;
    f->first = 1;
    put(t, "{", 1);
}

static void raw_byte(struct jtrim *t, char c);

static void begin_value(struct jtrim *t, struct jtrim_frame *f, char c)
{
    if (c == '{' && f->keep && f->kind == FR_TOP && in_list(t->descend, f->key)) {
        push(t, FR_DESC);
        return;
    }
    if (c == '{' && f->keep && f->kind != FR_LABELS &&
        strcmp(f->key, "Labels") == 0) {
        push(t, FR_LABELS);
        return;
    }
    t->raw = 1;
    t->raw_copy = f->keep;
    t->raw_depth = 0;
    t->raw_str = t->raw_esc = t->raw_scalar = 0;
    raw_byte(t, c);
}

static void step(struct jtrim *t, char c);

static void raw_done(struct jtrim *t)
{
    t->raw = 0;
    member_done(t, top(t));
}

static void raw_copy(struct jtrim *t, char c)
{
    if (t->raw_copy)
        put(t, &c, 1);
}

static void raw_byte(struct jtrim *t, char c)
{
    if (t->raw_str) {
        raw_copy(t, c);
        if (t->raw_esc)
            t->raw_esc = 0;
        else if (c == '\\')
            t->raw_esc = 1;
        else if (c == '"') {
            t->raw_str = 0;
            if (t->raw_depth == 0)
                raw_done(t);
        }
        return;
    }
    if (t->raw_scalar) {
        if (c == ',' || c == '}' || c == ']' || is_ws(c)) {
            raw_done(t);
            step(t, c);
        } else {
            raw_copy(t, c);
        }
        return;
    }
    if (c == '"') {
        t->raw_str = 1;
        raw_copy(t, c);
    } else if (c == '{' || c == '[') {
        t->raw_depth++;
        raw_copy(t, c);
    } else if (c == '}' || c == ']') {
        if (t->raw_depth == 0) {
            go_broken(t, c);
            return;
        }
        raw_copy(t, c);
        if (--t->raw_depth == 0)
            raw_done(t);
    } else if (is_ws(c)) {
        /* only inside a container: a value never starts with one */
    } else {
        if (t->raw_depth == 0)
            t->raw_scalar = 1;
        raw_copy(t, c);
    }
}

static void step(struct jtrim *t, char c)
{
    struct jtrim_frame *f = top(t);

    if (t->err)
        return;
    if (t->broken) {
        put(t, &c, 1);
        return;
    }
    if (t->raw) {
        raw_byte(t, c);
        return;
    }
    if (is_ws(c) && f->st != S_KEY)
        return;
    switch (f->st) {
    case S_OPEN:
        if (c == '{') {
            put(t, "{", 1);
            f->st = S_KEY_OR_END;
        } else {
            /* Not an object (no container): copied whole, for the
             * decoder to tell. */
            t->broken = 1;
            put(t, &c, 1);
        }
        return;
    case S_KEY_OR_END:
        if (c == '}')
            close_frame(t);
        else if (c == '"')
            begin_key(t, f);
        else
            go_broken(t, c);
        return;
    case S_KEY_NEXT:
        if (c == '"')
            begin_key(t, f);
        else
            go_broken(t, c);
        return;
    case S_KEY:
        key_byte(t, f, c);
        return;
    case S_COLON:
        if (c == ':') {
            if (f->keep)
                put(t, ":", 1);
            f->st = S_VALUE;
        } else {
            go_broken(t, c);
        }
        return;
    case S_VALUE:
        begin_value(t, f, c);
        return;
    case S_AFTER:
        if (c == ',')
            f->st = S_KEY_NEXT;
        else if (c == '}')
            close_frame(t);
        else
            go_broken(t, c);
        return;
    default:                    /* S_DONE: only white space may follow */
        go_broken(t, c);
        return;
    }
}

void jtrim_feed(struct jtrim *t, const char *data, size_t n)
{
    for (size_t i = 0; i < n && !t->err; i++)
        step(t, data[i]);
}
