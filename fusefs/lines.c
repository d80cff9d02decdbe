/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lines.c - split a chunked byte stream into lines. */
#include "lines.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

/* The invariants lines_feed keeps; checked in SAN=1 builds. */
static void lines_check(const struct lines *l)
{
#ifdef DOCKERFS_ASSERT
    assert(!l->max_line || l->pending.len <= l->max_line + 1);
    assert(!l->skipping || l->pending.len == 0);
    assert(!l->pending.data || !memchr(l->pending.data, '\n', l->pending.len));
#else
    (void)l;
#endif
}

void lines_init(struct lines *l, size_t max_line)
{
    buf_init(&l->pending, 0);
    l->max_line = max_line;
    l->skipping = 0;
}

/* Hands one line to fn after dropping a trailing "\r", cut to max_line;
 * empty lines are not passed on. */
static int emit(struct lines *l, const char *s, size_t n,
                lines_fn fn, void *arg)
{
    if (n && s[n - 1] == '\r')
        n--;
    if (l->max_line && n > l->max_line)
        n = l->max_line;
    return n ? fn(s, n, arg) : 0;
}

/* A line that grows past max_line (plus room for a "\r") is handed on
 * cut the moment it does, and the rest of it dropped as it arrives, so
 * memory stays bounded. */
int lines_feed(struct lines *l, const char *data, size_t len,
               lines_fn fn, void *arg)
{
    size_t limit = l->max_line ? l->max_line + 1 : 0;

    while (len) {
        const char *nl = memchr(data, '\n', len);
        size_t part = nl ? (size_t)(nl - data) : len;
        size_t used = nl ? part + 1 : len;

        if (l->skipping) {
            if (nl)
                l->skipping = 0;
        } else if (l->pending.len == 0 && nl) {
            /* The whole line is in this chunk: no copy needed. */
            int rc = emit(l, data, part, fn, arg);
            if (rc)
                return rc;
        } else if (limit && l->pending.len + part > limit) {
            int rc = buf_add(&l->pending, data, limit - l->pending.len);
            if (rc == 0)
                rc = emit(l, l->pending.data, l->pending.len, fn, arg);
            buf_reset(&l->pending);
            l->skipping = !nl;
            if (rc)
                return rc;
        } else {
            int rc = buf_add(&l->pending, data, part);
            if (rc) {
                /* Out of memory: drop this line rather than split it. */
                buf_reset(&l->pending);
                l->skipping = !nl;
                return ENOMEM;
            }
            if (nl) {
                rc = emit(l, l->pending.data, l->pending.len, fn, arg);
                buf_reset(&l->pending);
                if (rc)
                    return rc;
            }
        }
        data += used;
        len -= used;
    }
    lines_check(l);
    return 0;
}

void lines_reset(struct lines *l)
{
    buf_reset(&l->pending);
    l->skipping = 0;
}

void lines_free(struct lines *l)
{
    buf_free(&l->pending);
    l->skipping = 0;
}
