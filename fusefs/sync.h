/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sync.h - keeps the container table equal to the engine: a full list,
 * then the /events stream, a full re-list after every reconnect and on a
 * slow timer. Runs on its own thread with its own curl handles. This is
 * the Docker backend's follower (backend_docker.c); it writes the table
 * through follow.h only. */
#ifndef DOCKERFS_SYNC_H
#define DOCKERFS_SYNC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <curl/curl.h>
#include "engine.h"
#include "filter.h"
#include "follow.h"
#include "table.h"

struct sync {
    const struct engine *engine;
    struct follow out;          /* the table side: rows, hooks, down, admit */
    const struct filters *filters;
    int all;
    double resync_s;
    /* private */
    pthread_t thread;
    int started;
    atomic_int stop;            /* set by sync_stop, read by the thread */
    CURLM *multi;
    long long listed_at;        /* wall clock of the last full list */
    int cut_logged;             /* the last list was cut (EFBIG), said */
};

/* Lists every container and makes the table match. Returns 0 or the
 * errno of engine_list() with a reason in err. */
int sync_full(struct sync *s, char *err, size_t errlen);

/* Whether the mount would show container c (as inspected just now, with
 * info) today: --filter and --all decided on this view, here when every
 * filter key can be (localfilter.h), else by the engine's own list of
 * that container. Returns 0 (in scope), ESRCH (out of it), or the errno
 * of that list with a reason in err. */
int sync_scope(struct sync *s, const struct container *c,
               const struct inspect_info *info, char *err, size_t errlen);

/* Starts the thread (after sync_full succeeded once, or with *out.down
 * set when it did not). out.admit is asked before every re-list after
 * the stream was lost and before the first list of an engine that was
 * down (follow.h). Returns 0 or an errno. */
int sync_start(struct sync *s);

/* Stops and joins the thread; safe to call when it never started. */
void sync_stop(struct sync *s);

#endif
