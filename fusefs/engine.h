/* engine.h - the Docker Engine API over HTTP (unix socket or tcp+TLS).
 *
 * Every call makes its own curl handle: libcurl handles are never shared
 * between threads, and a kill from a FUSE worker must not wait for the
 * events thread. */
#ifndef DOCKERFS_ENGINE_H
#define DOCKERFS_ENGINE_H

#include <stddef.h>
#include <curl/curl.h>
#include "container.h"
#include "host.h"
#include "killreq.h"
#include "parse.h"

#define ENGINE_API "/v1.41"

struct engine {
    const struct host *host;
    long timeout_ms;        /* a whole request, list or kill */
};

void engine_init(struct engine *e, const struct host *host, double timeout_s);

/* A curl handle aimed at ENGINE_API path (which starts with "/"), with
 * the socket or TLS settings applied; no timeout set. NULL on ENOMEM. */
CURL *engine_handle(const struct engine *e, const char *path);

/* GET /containers/json (all=1 if all, filters JSON if not NULL). Returns
 * 0 and fills *out and *n (containers_free), or an errno (EIO, ETIMEDOUT,
 * EINVAL for a refused filter, ENOMEM) with a one-line reason in err. */
int engine_list(const struct engine *e, int all, const char *filters,
                struct container **out, size_t *n, char *err, size_t errlen);

/* GET /containers/{id}/json (full hex id): the container as it is now,
 * never older than an event about it the engine has already sent. Fills
 * c (container_clear) and info (may be NULL) as parse_inspect does.
 * Returns 0, ENOENT (no such container), EINVAL (bad id), EBADMSG (its
 * record is over 1 MiB or not JSON: already logged once by skipped_log;
 * treat it as not listed), EIO, ETIMEDOUT, ENOMEM, with a one-line reason
 * in err. */
int engine_inspect(const struct engine *e, const char *id, struct container *c,
                   struct inspect_info *info, char *err, size_t errlen);

/* A handle for GET /events with container events since the Unix second
 * since (Docker's filters JSON {"type":["container"]}); the caller sets
 * the write callback and the timeouts. NULL on ENOMEM. */
CURL *engine_events_handle(const struct engine *e, long long since);

/* Removes, kills or stops the container (full hex id). Returns 0 or the
 * errno of kill_errno(), with the engine's message in err. */
int engine_kill(const struct engine *e, const char *id, enum kill_action a,
                char *err, size_t errlen);

/* The errno for a failed transfer: ETIMEDOUT or EIO. */
int engine_transport_errno(CURLcode rc);

#endif
