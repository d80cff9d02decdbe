//
// SPDX-License-Identifier: GPL-2.0-or-later
// Copyright(C) 2026 the dockerdoom authors
//
// This program is free software; you can redistribute it and/or
// modify it under the terms of the GNU General Public License
// as published by the Free Software Foundation; either version 2
// of the License, or (at your option) any later version.
//
// This program is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// DESCRIPTION:
//	dockerdoom: worker threads.
//

#include <errno.h>
#include <time.h>

#include "dd_worker.h"

int DD_WorkerStart(dd_worker_t *w, void *(*fn)(void *), void *arg)
{
    pthread_condattr_t attr;
    int err;

    if (w->running)
    {
        return EBUSY;
    }
    w->stop = 0;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_destroy(&w->wake);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    err = pthread_create(&w->thread, NULL, fn, arg);
    if (err != 0)
    {
        return err;
    }
    w->running = 1;
    return 0;
}

int DD_WorkerSleep(dd_worker_t *w, int ms)
{
    struct timespec until;
    int stop;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long) (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
    {
        until.tv_sec += 1;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->lock);
    while (!w->stop
        && pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
    {
    }
    stop = w->stop;
    pthread_mutex_unlock(&w->lock);
    return stop;
}

void DD_WorkerStop(dd_worker_t *w)
{
    if (!w->running)
    {
        return;
    }
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    w->running = 0;
}
