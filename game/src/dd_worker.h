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
//	dockerdoom: the one way the game's worker threads (scanner, kills)
//	are started, put to sleep and stopped.
//

#ifndef DD_WORKER_H
#define DD_WORKER_H

#include <pthread.h>

typedef struct
{
    pthread_t thread;
    pthread_mutex_t lock;   // guards stop and whatever the worker shares
    pthread_cond_t wake;    // signalled on stop and on new work
    int running;
    int stop;
} dd_worker_t;

#define DD_WORKER_INIT \
    { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER }

// Starts fn(arg) on a new thread. Returns 0, EBUSY when w already runs, or
// pthread_create's error.
int DD_WorkerStart(dd_worker_t *w, void *(*fn)(void *), void *arg);

// Waits up to ms milliseconds (on CLOCK_MONOTONIC, so a clock change
// cannot stall it) or until DD_WorkerStop. Takes and releases w->lock.
// Returns w->stop.
int DD_WorkerSleep(dd_worker_t *w, int ms);

// Tells the worker to stop and joins it; nothing when it does not run.
void DD_WorkerStop(dd_worker_t *w);

#endif
