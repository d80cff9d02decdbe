/* SPDX-License-Identifier: GPL-2.0-or-later */
/* outq.h - what ddaudio still has to send one listener. */
#ifndef DDAUDIO_OUTQ_H
#define DDAUDIO_OUTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A bounded byte queue in front of a non-blocking socket. Sound is pushed
 * whole or not at all: a listener that does not keep up loses whole
 * chunks (a gap it hears as silence), never half a sample frame, and
 * never holds the game or the other listeners up.
 */
struct outq {
    unsigned char *buf;
    size_t cap;     /* bytes buf holds */
    size_t len;     /* bytes waiting, from buf[0] */
};

/* An empty queue of cap bytes. 0, or ENOMEM. */
int outq_init(struct outq *q, size_t cap);

/* Frees the queue's memory. */
void outq_free(struct outq *q);

/* Appends n bytes if all of them fit; false (nothing appended) if not. */
bool outq_push(struct outq *q, const void *data, size_t n);

/* Writes as much as fd takes now. 0 (the rest, if any, stays queued),
   or an errno from write (EPIPE: the listener left). */
int outq_flush(struct outq *q, int fd);

#endif
