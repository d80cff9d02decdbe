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
};

/* Starts an empty buffer that may hold at most max bytes (0: no limit). */
void buf_init(struct buf *b, size_t max);

/* Appends n bytes. Returns 0, E2BIG past the limit, ENOMEM; on error the
 * buffer keeps what it had. */
int buf_add(struct buf *b, const void *p, size_t n);

/* Appends formatted text; same returns as buf_add. */
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

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
