/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bbody.h - libcurl write callbacks for the benchmarks' API calls: keep
 * the start of an answer (ids, errors), or all of it (a list to decode).
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef DDBENCH_BBODY_H
#define DDBENCH_BBODY_H

#include <stddef.h>

/* The start of an answer, always terminated. */
struct bbody {
    char data[4096];
    size_t len;
};

/* A whole answer (data is malloc'd, terminated; free it). */
struct bwhole {
    char *data;
    size_t len, cap;
};

/* CURLOPT_WRITEFUNCTION for a struct bbody: keeps what fits, drops the
 * rest, never an error. */
size_t bbody_collect(char *p, size_t size, size_t n, void *arg);

/* CURLOPT_WRITEFUNCTION for a struct bwhole: keeps everything; 0 (an
 * error for libcurl) when memory runs out. */
size_t bbody_grow(char *p, size_t size, size_t n, void *arg);

#endif
