/* SPDX-License-Identifier: GPL-2.0-or-later */
/* buf.c - growable NUL-terminated byte buffer. */
#include "buf.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The invariants every function keeps, checked on the way in and out in
 * SAN=1 builds (DOCKERFS_ASSERT): a buffer someone else broke stops the
 * program at once. */
static void buf_check(const struct buf *b)
{
#ifdef DOCKERFS_ASSERT
    assert(b->data ? b->len < b->cap : b->len == 0 && b->cap == 0);
    assert(!b->data || b->data[b->len] == '\0');
    assert(!b->max || b->len <= b->max);
#else
    (void)b;
#endif
}

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

/* Makes room for need more bytes plus the terminator. 0, E2BIG or ENOMEM. */
static int buf_reserve(struct buf *b, size_t need)
{
    if (need > (size_t)-1 - b->len - 1)
        return ENOMEM;
    if (b->max && b->len + need > b->max)
        return E2BIG;
    size_t want = b->len + need + 1;
    if (want <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap > (size_t)-1 / 2 ? want : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int buf_add(struct buf *b, const void *p, size_t n)
{
    buf_check(b);
    int rc = buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    buf_check(b);
    return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];

    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return EINVAL;
    if ((size_t)n < sizeof small)
        return buf_add(b, small, (size_t)n);

    /* Too long for the stack copy: format straight into reserved room. */
    int rc = buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    buf_check(b);
    return 0;
}

void buf_truncate(struct buf *b, size_t len)
{
    buf_check(b);
    if (b->data && len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
    buf_check(b);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    buf_check(b);
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

const char *buf_str(const struct buf *b)
{
    return b->data ? b->data : "";
}
