/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lines.h - split a byte stream that arrives in arbitrary chunks into lines.
 *
 * The engine's /events answer is one JSON object per line, but curl hands
 * it over in whatever pieces the socket produced. */
#ifndef DOCKERFS_LINES_H
#define DOCKERFS_LINES_H

#include "buf.h"

/* Called once per complete line, without its "\n" (a "\r" before it is
 * dropped too). Empty lines are not passed on. A non-zero return stops
 * lines_feed, which returns that value. */
typedef int (*lines_fn)(const char *line, size_t len, void *arg);

struct lines {
    struct buf pending;     /* the unfinished last line */
    size_t max_line;
    int skipping;           /* inside an over-long line: drop to its end */
};

/* Starts a splitter (max_line 0: no limit). A line longer than max_line
 * bytes is handed to fn once, cut to its first max_line bytes; the rest
 * of it is dropped. */
void lines_init(struct lines *l, size_t max_line);

/* Feeds a chunk. Returns 0, the first non-zero value of fn, or ENOMEM. */
int lines_feed(struct lines *l, const char *data, size_t len,
               lines_fn fn, void *arg);

/* Forgets an unfinished line (after a reconnect). */
void lines_reset(struct lines *l);

/* Frees the pending buffer. */
void lines_free(struct lines *l);

#endif
