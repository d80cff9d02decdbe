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

#endif
