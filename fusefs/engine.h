/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine.h - the Docker Engine API over HTTP (unix socket or tcp+TLS).
 *
 * Every call makes its own curl handle: libcurl handles are never shared
 * between threads, and a kill from a kill worker must not wait for the
 * events thread. */
#ifndef DOCKERFS_ENGINE_H
#define DOCKERFS_ENGINE_H

#include <stddef.h>
#include <curl/curl.h>
#include "container.h"
#include "host.h"
#include "killaction.h"
#include "parse.h"

#define ENGINE_API "/v1.41"

struct engine {
    const struct host *host;
    long timeout_ms;        /* a whole request, list or kill */
};

/* The call each kill action (killaction.h) makes:
 * KILL_RM   DELETE /containers/{id}?force=1      (docker rm -f)
 * KILL_KILL POST /containers/{id}/kill           (docker kill, SIGKILL)
 * KILL_STOP POST /containers/{id}/stop?t=T       (docker stop; T is half the
 *                                                 request timeout) */

/* An engine at host (not copied: it outlives e); timeout_s bounds each
 * request but the events stream (at least 0.1 s). */
void engine_init(struct engine *e, const struct host *host, double timeout_s);

/* A curl handle aimed at ENGINE_API path (which starts with "/"), with
 * the socket or TLS settings applied; no timeout set. NULL on ENOMEM. */
CURL *engine_handle(const struct engine *e, const char *path);

/* GET /containers/json (all=1 if all, filters JSON if not NULL). Returns
 * 0 and fills *out and *n (containers_free), or an errno (EIO, ETIMEDOUT,
 * EINVAL for a refused filter, ENOMEM) with a one-line reason in err;
 * EFBIG when the engine lists more than one engine may show (container.h:
 * ENGINE_CONTAINERS_MAX, ENGINE_BYTES_MAX): the transfer is cut there,
 * *out and *n hold what was kept, err says so. */
int engine_list(const struct engine *e, int all, const char *filters,
                struct container **out, size_t *n, char *err, size_t errlen);

/* GET /containers/{id}/json (full hex id): the container as it is now,
 * never older than an event about it the engine has already sent. Fills
 * c (container_clear) and info (may be NULL) as parse_inspect does.
 * Returns 0, ENOENT (no such container), EINVAL (bad id), EBADMSG (its
 * record is over 1 MiB or not JSON: already logged once by skipped_log;
 * treat it as not listed), EPROTO (another HTTP status), EIO or ETIMEDOUT
 * (transport, engine_transport_errno), ENOMEM, with a one-line reason in
 * err. */
int engine_inspect(const struct engine *e, const char *id, struct container *c,
                   struct inspect_info *info, char *err, size_t errlen);

/* GET /info: the engine's ID (parse_info_id) into id. Returns 0, a
 * transport errno (engine_transport_errno: the engine does not answer),
 * EPROTO (it answered another status than 200), EBADMSG (no usable ID
 * in the answer) or ENOMEM, with a one-line reason in err. */
int engine_info_id(const struct engine *e, char *id, size_t idlen,
                   char *err, size_t errlen);

/* GET path (after ENGINE_API), its body (at most max bytes) into body
 * (initialised here; buf_free it whatever the result). Returns 0 for a
 * 200 answer, a transport errno (engine_transport_errno), EPROTO
 * (another status, reason from the body), EMSGSIZE (over max) or
 * ENOMEM, with a one-line reason. */
int engine_get(const struct engine *e, const char *path, struct buf *body,
               size_t max, char *err, size_t errlen);

/* A handle for GET /events with container and image events since the
 * Unix second since (Docker's filters JSON {"type":["container","image"]}:
 * a moved tag changes the image that containers list); the caller sets
 * the write callback and the timeouts. NULL on ENOMEM. */
CURL *engine_events_handle(const struct engine *e, long long since);

/* Carries out a on the container (full hex id), as above. Returns 0, a
 * transport errno (engine_transport_errno), the errno of
 * engine_kill_errno() for the HTTP status, EINVAL for an id that is not
 * 64 hex digits, or ENOMEM; with a one-line reason in err
 * (engine_answer_reason for an error status). */
int engine_kill(const struct engine *e, const char *id, enum kill_action a,
                char *err, size_t errlen);

/* "engine answered STATUS: MESSAGE" into err, the message taken from an
 * error body (parse_error_message) and escaped (escape_text_to), so that
 * no byte an engine sends can end or forge a log line. */
void engine_answer_reason(long status, const char *body, size_t len,
                          char *err, size_t errlen);

/* The writer's errno for the HTTP status of a kill: 2xx and 304 -> 0,
 * 404 -> ENOENT, 409 -> EBUSY, 403 -> EPERM, anything else -> EIO. */
int engine_kill_errno(long status);

/* The errno for a failed transfer: ETIMEDOUT or EIO. */
int engine_transport_errno(CURLcode rc);

#endif
