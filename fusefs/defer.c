/* SPDX-License-Identifier: GPL-2.0-or-later */
/* defer.c - the worker threads of defer.h. */
#include "defer.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>

struct defer_job {
    defer_fn fn;
    void *arg;
    struct defer_job *next;
};

int defer_init(struct defer *d, size_t max_threads)
{
    d->head = d->tail = NULL;
    d->nthreads = d->idle = d->queued = 0;
    d->max_threads = max_threads ? max_threads : 1;
    d->stop = 0;
    if (!(d->threads = calloc(d->max_threads, sizeof *d->threads)))
        return ENOMEM;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->more, NULL);
    return 0;
}

/* Takes jobs until the pool stops and nothing is left to do. */
static void *worker(void *arg)
{
    struct defer *d = arg;

    pthread_mutex_lock(&d->lock);
    for (;;) {
        struct defer_job *j = d->head;
        if (!j) {
            if (d->stop)
                break;
            d->idle++;
            pthread_cond_wait(&d->more, &d->lock);
            d->idle--;
            continue;
        }
        d->head = j->next;
        d->queued--;
        if (!d->head)
            d->tail = NULL;
        pthread_mutex_unlock(&d->lock);
        j->fn(j->arg);
        free(j);
        pthread_mutex_lock(&d->lock);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

/* Starts one more worker; the lock is held. Signals go to the request
 * loop's thread, which must wake for them: workers block them all. */
static int start_worker(struct defer *d)
{
    sigset_t all, old;
    int rc;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&d->threads[d->nthreads], NULL, worker, d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return EAGAIN;
    d->nthreads++;
    return 0;
}

int defer_run(struct defer *d, defer_fn fn, void *arg)
{
    struct defer_job *j;

    if (!d->threads)
        return EAGAIN;
    if (!(j = malloc(sizeof *j)))
        return ENOMEM;
    j->fn = fn;
    j->arg = arg;
    j->next = NULL;
    pthread_mutex_lock(&d->lock);
    /* No worker free for the jobs already waiting and this one: one
     * more, while the limit allows (a kill to a stalled engine must not
     * hold back one to a healthy engine). A job queued with none running
     * would never run. */
    if (d->stop || (d->idle <= d->queued && d->nthreads < d->max_threads &&
                    start_worker(d) != 0 && d->nthreads == 0)) {
        pthread_mutex_unlock(&d->lock);
        free(j);
        return EAGAIN;
    }
    if (d->tail)
        d->tail->next = j;
    else
        d->head = j;
    d->tail = j;
    d->queued++;
    pthread_cond_signal(&d->more);
    pthread_mutex_unlock(&d->lock);
    return 0;
}

void defer_stop(struct defer *d)
{
    if (!d->threads)
        return;
    pthread_mutex_lock(&d->lock);
    d->stop = 1;
    pthread_cond_broadcast(&d->more);
    pthread_mutex_unlock(&d->lock);
    for (size_t i = 0; i < d->nthreads; i++)
        pthread_join(d->threads[i], NULL);
    free(d->threads);
    d->threads = NULL;
    pthread_cond_destroy(&d->more);
    pthread_mutex_destroy(&d->lock);
}
