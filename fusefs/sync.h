/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sync.h - keeps the container table equal to the engine: a full list,
 * then the /events stream, a full re-list after every reconnect and on a
 * slow timer. Runs on its own thread with its own curl handles. */
#ifndef DOCKERFS_SYNC_H
#define DOCKERFS_SYNC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <curl/curl.h>
#include "engine.h"
#include "filter.h"
#include "table.h"

/* Called on the sync thread after the table changed, with no lock held,
 * so they may call into the kernel (FUSE notifications). */
struct sync_hooks {
    void (*gone)(void *arg, const struct table_row *g);
    /* What container serial shows has changed; added: the root listing
     * has changed too (a container is new). */
    void (*changed)(void *arg, uint64_t serial, int added);
    void *arg;
};

struct sync {
    const struct engine *engine;
    struct table *table;
    /* Which engine of the mount this is: every container it lists gets
     * this index and name, and it writes only the rows that have them. */
    unsigned engine_ix;
    const char *engine_name;
    const struct filters *filters;
    int all;
    double resync_s;
    struct sync_hooks hooks;
    /* 1 while the engine does not answer (set before sync_start when the
     * first list failed): its rows read "unreachable", kills get EIO. */
    atomic_int down;
    /* Asked before the first full list of an engine that was down at
     * start-up (need_admit set), so that nothing of it is listed before
     * it is known to be a new engine: 0 lists it, EEXIST never follows
     * it (the thread ends; its address reaches another engine of the
     * mount), another errno means it still does not answer. */
    int (*admit)(void *arg, unsigned engine_ix);
    void *admit_arg;
    int need_admit;
    /* private */
    pthread_t thread;
    int started;
    atomic_int stop;            /* set by sync_stop, read by the thread */
    CURLM *multi;
    long long listed_at;        /* wall clock of the last full list */
};

/* Lists every container and makes the table match. Returns 0 or the
 * errno of engine_list() with a reason in err. */
int sync_full(struct sync *s, char *err, size_t errlen);

/* Starts the thread (after sync_full succeeded once). Returns 0 or an
 * errno. */
int sync_start(struct sync *s);

/* Stops and joins the thread; safe to call when it never started. */
void sync_stop(struct sync *s);

#endif
