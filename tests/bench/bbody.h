/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bbody.h - the benchmarks' API calls made and their answers kept: the
 * start of one (ids, errors), or all of it (a list to decode). bapi.c
 * (Docker) and bkube.c (Kubernetes) aim a libcurl handle, these run it.
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef DDBENCH_BBODY_H
#define DDBENCH_BBODY_H

#include <stddef.h>
#include <curl/curl.h>

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

/* Runs h, aimed at its URL by the caller and cleaned up here (NULL: -1):
 * method NULL is GET, json NULL sends no body, the answer's start into
 * b. Returns the HTTP status, or -1 when the transfer failed (said on
 * stderr with the method and path). */
long bbody_call(CURL *h, const char *method, const char *path,
                const char *json, struct bbody *b);

/* Runs h (cleaned up here; NULL: 0) with the whole answer into w (free
 * w->data whatever the result). Returns the HTTP status, 0 when the
 * transfer failed. */
long bbody_fetch(CURL *h, struct bwhole *w);

#endif
