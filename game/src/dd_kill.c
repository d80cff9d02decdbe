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
//	dockerdoom: kill worker thread.
//

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dd_kill.h"
#include "dd_worker.h"

typedef struct
{
    char id[DD_ID_LEN + 1];
    int err;
} dd_killjob_t;

// A ring of jobs: count of them from jobs[head] on, wrapping around. One
// ring holds the requests, another the results.
typedef struct
{
    dd_killjob_t jobs[DD_KILL_QUEUE];
    int head;
    int count;
} dd_ring_t;

static struct
{
    dd_worker_t worker;
    char dir[4096];
    dd_ring_t requests;
    dd_ring_t results;
} dd_killer = {
    .worker = DD_WORKER_INIT,
};

static int DD_RingPush(dd_ring_t *ring, const char *id, int err)
{
    dd_killjob_t *job;

    if (ring->count == DD_KILL_QUEUE)
    {
        return EAGAIN;
    }
    job = &ring->jobs[(ring->head + ring->count) % DD_KILL_QUEUE];
    snprintf(job->id, sizeof(job->id), "%s", id);
    job->err = err;
    ++ring->count;
    return 0;
}

static int DD_RingPop(dd_ring_t *ring, dd_killjob_t *out)
{
    if (ring->count == 0)
    {
        return 0;
    }
    *out = ring->jobs[ring->head];
    ring->head = (ring->head + 1) % DD_KILL_QUEUE;
    --ring->count;
    return 1;
}

int DD_KillWrite(const char *dir, const char *id)
{
    char path[4096 + DD_ID_LEN + 8];
    ssize_t wrote;
    int fd;
    int err = 0;

    snprintf(path, sizeof(path), "%s/%s/kill", dir, id);
    // No O_TRUNC and no O_CREAT: dockerfs's kill file takes a plain write,
    // and a vanished entry must fail with ENOENT, not be created.
    fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
    {
        return errno;
    }
    do
    {
        wrote = write(fd, "1", 1);
    } while (wrote < 0 && errno == EINTR);
    if (wrote < 0)
    {
        err = errno;
    }
    else if (wrote != 1)
    {
        err = EIO;
    }
    if (close(fd) != 0 && err == 0 && errno != EINTR)
    {
        err = errno;
    }
    return err;
}

static void *DD_KillMain(void *arg)
{
    dd_killjob_t job;
    int err;

    (void) arg;
    pthread_mutex_lock(&dd_killer.worker.lock);
    for (;;)
    {
        while (!dd_killer.worker.stop
            && (dd_killer.requests.count == 0
             || dd_killer.results.count == DD_KILL_QUEUE))
        {
            pthread_cond_wait(&dd_killer.worker.wake,
                              &dd_killer.worker.lock);
        }
        if (dd_killer.worker.stop)
        {
            break;
        }
        DD_RingPop(&dd_killer.requests, &job);
        pthread_mutex_unlock(&dd_killer.worker.lock);

        err = DD_KillWrite(dd_killer.dir, job.id);

        pthread_mutex_lock(&dd_killer.worker.lock);
        DD_RingPush(&dd_killer.results, job.id, err);
    }
    pthread_mutex_unlock(&dd_killer.worker.lock);
    return NULL;
}

int DD_KillStart(const char *dir)
{
    if (dd_killer.worker.running)
    {
        return EBUSY;
    }
    snprintf(dd_killer.dir, sizeof(dd_killer.dir), "%s", dir);
    dd_killer.requests.count = 0;
    dd_killer.results.count = 0;
    return DD_WorkerStart(&dd_killer.worker, DD_KillMain, NULL);
}

int DD_KillSubmit(const char *id)
{
    int err;

    // The worker holds this lock only around ring operations, never during
    // a filesystem call, so taking it cannot stall the game loop.
    pthread_mutex_lock(&dd_killer.worker.lock);
    err = DD_RingPush(&dd_killer.requests, id, 0);
    if (err == 0)
    {
        pthread_cond_signal(&dd_killer.worker.wake);
    }
    pthread_mutex_unlock(&dd_killer.worker.lock);
    return err;
}

int DD_KillPoll(char *id, int *err)
{
    dd_killjob_t job;
    int got;

    if (pthread_mutex_trylock(&dd_killer.worker.lock) != 0)
    {
        return 0;
    }
    got = DD_RingPop(&dd_killer.results, &job);
    if (got)
    {
        // The worker may be waiting for room in the results ring.
        pthread_cond_signal(&dd_killer.worker.wake);
    }
    pthread_mutex_unlock(&dd_killer.worker.lock);
    if (got)
    {
        snprintf(id, DD_ID_LEN + 1, "%s", job.id);
        *err = job.err;
    }
    return got;
}

void DD_KillStop(void)
{
    DD_WorkerStop(&dd_killer.worker);
}
