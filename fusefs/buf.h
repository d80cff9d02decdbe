/* SPDX-License-Identifier: GPL-2.0-or-later */
/* buf.h - a growable byte buffer that always stays NUL-terminated. */
#ifndef DOCKERFS_BUF_H
#define DOCKERFS_BUF_H

#include <stddef.h>

struct buf {
    char *data;     /* NULL until the first byte arrives */
    size_t len;
    size_t cap;
    size_t max;     /* refuse to grow past this many bytes; 0 = no limit */
    unsigned init;  /* BUF_INIT once buf_init ran (checked under SAN=1) */
};

#define BUF_INIT 0x62756621u

/* Starts an empty buffer that may hold at most max bytes (0: no limit).
 * Every other call wants a buffer that went through here. */
void buf_init(struct buf *b, size_t max);

/* Appends n bytes. Returns 0, E2BIG past the limit, ENOMEM. On error the
 * buffer is emptied and its memory freed (as buf_free): a value built by
 * several appends is whole or not there, never half of it. A caller that
 * wants to keep what fits asks buf_room first. */
int buf_add(struct buf *b, const void *p, size_t n);

/* Appends formatted text; same returns (and EINVAL for a format the C
 * library refuses) and the same emptying on error as buf_add. */
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* How many more bytes the limit lets in (SIZE_MAX without one). */
size_t buf_room(const struct buf *b);

/* Drops everything past the first len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);

/* Frees the memory; the buffer is empty and usable again, with the same
 * limit. */
void buf_free(struct buf *b);

/* The contents as a C string ("" when empty). */
const char *buf_str(const struct buf *b);

#endif
