/* SPDX-License-Identifier: GPL-2.0-or-later */
/* defer.h - a few threads for the requests that wait on an engine.
 *
 * The request loop (serve.h) answers from the table in one thread; a kill
 * write waits for its engine's answer, milliseconds to seconds, and must
 * not hold every reader back meanwhile. Such a request is handed here and
 * answered from a worker. Workers are started as jobs need them, up to a
 * limit; beyond it jobs wait their turn in order. */
#ifndef DOCKERFS_DEFER_H
#define DOCKERFS_DEFER_H

#include <pthread.h>
#include <stddef.h>

typedef void (*defer_fn)(void *arg);

struct defer_job;

struct defer {
    pthread_mutex_t lock;
    pthread_cond_t more;            /* a job was queued, or stop */
    struct defer_job *head, *tail;  /* waiting, oldest first */
    pthread_t *threads;
    size_t nthreads, max_threads;
    size_t idle;                    /* workers waiting for a job */
    size_t queued;                  /* jobs no worker has taken yet */
    int stop;
};

/* Sets up a pool of at most max_threads workers (none started yet).
 * Returns 0 or ENOMEM. */
int defer_init(struct defer *d, size_t max_threads);

/* Runs fn(arg) on a worker. Returns 0, or ENOMEM / EAGAIN when it could
 * not be queued (no memory, no worker running and none could be started,
 * or the pool is stopping): the caller then runs fn itself. */
int defer_run(struct defer *d, defer_fn fn, void *arg);

/* Lets the workers finish every queued job, joins them and frees the
 * pool. Safe on a pool that defer_init failed to set up. */
void defer_stop(struct defer *d);

#endif
