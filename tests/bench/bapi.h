/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bapi.h - the few Docker Engine API calls the benchmarks make, over a
 * unix socket with libcurl. One handle per call, as dockerfs does for its
 * kills, so a baseline pays the same connection cost.
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef DDBENCH_BAPI_H
#define DDBENCH_BAPI_H

#include <stddef.h>

/* Full ids are 64 hex digits. */
#define BAPI_ID_LEN 64

/* Creates a container of image (not started, network none) labelled
 * ddbench=label. Writes its full id into id (BAPI_ID_LEN + 1 bytes).
 * Returns 0, or -1 (reason on stderr). */
int bapi_create(const char *sock, const char *image, const char *label,
                char *id);

/* Starts a created container. Returns 0 or -1. */
int bapi_start(const char *sock, const char *id);

/* DELETE /containers/{id}?force=true, as docker rm -f. Returns 0 when the
 * engine answered 2xx, else -1. */
int bapi_remove(const char *sock, const char *id);

/* POST /containers/{id}/rename?name=name. Returns 0 on 204, else -1. */
int bapi_rename(const char *sock, const char *id, const char *name);

/* One GET /containers/json?all=1, the whole body decoded (jansson), and
 * Names[0] and Image of every container taken out, as a program using the
 * API instead of the mount would. Returns how many, or -1. */
long bapi_list_decode(const char *sock);

#endif
