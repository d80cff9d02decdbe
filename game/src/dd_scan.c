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
//	dockerdoom: directory scanner thread.
//

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dd_name.h"
#include "dd_scan.h"
#include "dd_worker.h"

static struct
{
    dd_worker_t worker;
    int max_ms;             // the longest pause between scans
    char dir[4096];
    dd_scanstate_t state;   // the thread's own
    dd_snapshot_t pending;  // newest listing not yet taken
    int have_pending;
    int confirm;            // publish the next scan even if unchanged
} dd_scanner = {
    .worker = DD_WORKER_INIT,
};

int DD_IsEntryName(const char *name)
{
    size_t len = strlen(name);
    size_t i;

    if (len < 12 || len > DD_ID_LEN)
    {
        return 0;
    }
    for (i = 0; i < len; ++i)
    {
        if (!((name[i] >= '0' && name[i] <= '9')
           || (name[i] >= 'a' && name[i] <= 'f')))
        {
            return 0;
        }
    }
    return 1;
}

// Reads the first line of id/file under the directory dirfd into buf.
// Returns 0 or an errno value (buf is then empty).
static int DD_ReadField(int dirfd, const char *id, const char *file,
                        char *buf, size_t bufsize)
{
    char path[2 * DD_ID_LEN];
    ssize_t got;
    size_t used = 0;
    int fd;
    int err = 0;

    buf[0] = '\0';
    snprintf(path, sizeof(path), "%s/%s", id, file);
    fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
    {
        return errno;
    }
    while (used + 1 < bufsize)
    {
        got = read(fd, buf + used, bufsize - 1 - used);
        if (got < 0 && errno == EINTR)
        {
            continue;
        }
        if (got < 0)
        {
            err = errno;
            break;
        }
        if (got == 0)
        {
            break;
        }
        used += (size_t) got;
    }
    close(fd);
    buf[err ? 0 : used] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    DD_TrimRight(buf);
    return err;
}

// The entry directory's mtime and ctime into e. Returns 0 or an errno
// value (the entry went since the listing; e is then unchanged).
static int DD_StatEntry(int dirfd, dd_scanentry_t *e)
{
    struct stat st;

    if (fstatat(dirfd, e->id, &st, 0) != 0)
    {
        return errno;
    }
    e->mtime = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    e->ctime = st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
    return 0;
}

// Reads name, image, state and protected of e (id set) afresh, and its
// engine and namespace too when it is new (an id never moves to another
// engine or namespace, so the refresh of a known entry does not pay for
// them; a container's directory has no namespace file: ""). Returns the
// files read.
static int DD_ReadEntry(int dirfd, dd_scanentry_t *e, int fresh)
{
    char protect[4];

    if (DD_ReadField(dirfd, e->id, "name", e->name, sizeof(e->name)) != 0
     || e->name[0] == '\0')
    {
        // Without a name the short id is the best label there is.
        snprintf(e->name, sizeof(e->name), "%.12s", e->id);
    }
    DD_ReadField(dirfd, e->id, "image", e->image, sizeof(e->image));
    DD_ReadField(dirfd, e->id, "state", e->status, sizeof(e->status));
    DD_ReadField(dirfd, e->id, "protected", protect, sizeof(protect));
    e->protect = strcmp(protect, "1") == 0;
    if (!fresh)
    {
        return 4;
    }
    DD_ReadField(dirfd, e->id, "engine", e->engine, sizeof(e->engine));
    DD_ReadField(dirfd, e->id, "namespace", e->ns, sizeof(e->ns));
    return 6;
}

// Reads known entry e again. Returns 1 when what the game sees of it
// changed, else 0.
static int DD_RereadEntry(int dirfd, dd_scanentry_t *e, int *reads)
{
    dd_scanentry_t before = *e;

    *reads += DD_ReadEntry(dirfd, e, 0);
    return strcmp(before.name, e->name) != 0
        || strcmp(before.image, e->image) != 0
        || strcmp(before.status, e->status) != 0
        || before.protect != e->protect;
}

static int DD_CompareEntries(const void *a, const void *b)
{
    return strcmp(((const dd_scanentry_t *) a)->id,
                  ((const dd_scanentry_t *) b)->id);
}

// Lists the entry ids of d into *list (sorted, other fields empty).
// Returns 0 or an errno value (then *list is empty).
static int DD_ListIds(DIR *d, dd_snapshot_t *list)
{
    struct dirent *de;
    dd_scanentry_t *grown;
    int capacity = 0;
    int err = 0;

    list->entries = NULL;
    list->count = 0;
    for (;;)
    {
        // readdir returns NULL both at the end and on an error (a mount
        // whose daemon died mid-listing); only errno tells them apart.
        errno = 0;
        de = readdir(d);
        if (de == NULL)
        {
            err = errno;
            break;
        }
        if (!DD_IsEntryName(de->d_name))
        {
            continue;
        }
        if (list->count == capacity)
        {
            capacity = capacity ? capacity * 2 : 64;
            grown = realloc(list->entries,
                            (size_t) capacity * sizeof(*grown));
            if (grown == NULL)
            {
                err = ENOMEM;
                break;
            }
            list->entries = grown;
        }
        // DD_IsEntryName bounds the length by DD_ID_LEN.
        memset(&list->entries[list->count], 0, sizeof(*list->entries));
        memcpy(list->entries[list->count].id, de->d_name,
               strlen(de->d_name) + 1);
        ++list->count;
    }
    if (err != 0)
    {
        DD_SnapshotFree(list);
        return err;
    }
    if (list->count > 1)
    {
        qsort(list->entries, (size_t) list->count, sizeof(*list->entries),
              DD_CompareEntries);
    }
    return 0;
}

int DD_ScanUpdate(const char *dir, dd_scanstate_t *st, int refresh,
                  int *changed)
{
    dd_snapshot_t list;
    unsigned char *done;
    DIR *d;
    int err;
    int i;
    int j;
    int cmp;

    *changed = 0;
    st->reads = 0;
    d = opendir(dir);
    if (d == NULL)
    {
        return errno;
    }
    err = DD_ListIds(d, &list);
    done = err == 0 ? calloc((size_t) list.count + 1, 1) : NULL;
    if (err == 0 && done == NULL)
    {
        DD_SnapshotFree(&list);
        err = ENOMEM;
    }
    if (err != 0)
    {
        closedir(d);
        return err;
    }
    if (list.count != st->known.count)
    {
        *changed = 1;
    }
    // Both sorted: known entries keep what was read before unless their
    // directory says they changed. The stat comes before the reads, so a
    // change made while they run moves the times past the ones kept.
    for (i = 0, j = 0; i < list.count; ++i)
    {
        dd_scanentry_t *e = &list.entries[i];
        dd_scanentry_t now = *e;

        cmp = 1;
        while (j < st->known.count
            && (cmp = strcmp(st->known.entries[j].id, e->id)) < 0)
        {
            ++j;
            *changed = 1;
        }
        if (j < st->known.count && cmp == 0)
        {
            *e = st->known.entries[j++];
            if (DD_StatEntry(dirfd(d), &now) == 0
             && (now.mtime != e->mtime || now.ctime != e->ctime))
            {
                e->mtime = now.mtime;
                e->ctime = now.ctime;
                *changed |= DD_RereadEntry(dirfd(d), e, &st->reads);
                done[i] = 1;
            }
            continue;
        }
        DD_StatEntry(dirfd(d), e);
        st->reads += DD_ReadEntry(dirfd(d), e, 1);
        done[i] = 1;
        *changed = 1;
    }
    // A few known ones afresh, in turn, for a directory whose files are
    // rewritten in place.
    for (i = 0; i < list.count && i < refresh; ++i)
    {
        int k = (st->cursor + i) % list.count;

        if (!done[k])
        {
            *changed |= DD_RereadEntry(dirfd(d), &list.entries[k],
                                       &st->reads);
        }
    }
    st->cursor = list.count > 0 ? (st->cursor + i) % list.count : 0;
    free(done);
    closedir(d);
    DD_SnapshotFree(&st->known);
    st->known = list;
    return 0;
}

void DD_ScanStateFree(dd_scanstate_t *st)
{
    DD_SnapshotFree(&st->known);
    st->cursor = 0;
    st->reads = 0;
}

int DD_ScanDir(const char *dir, dd_snapshot_t *snap)
{
    dd_scanstate_t st = { { NULL, 0 }, 0, 0 };
    int changed;
    int err = DD_ScanUpdate(dir, &st, 0, &changed);

    *snap = st.known;
    return err;
}

int DD_SnapshotCopy(dd_snapshot_t *dst, const dd_snapshot_t *src)
{
    dst->entries = NULL;
    dst->count = 0;
    if (src->count == 0)
    {
        return 0;
    }
    dst->entries = malloc((size_t) src->count * sizeof(*dst->entries));
    if (dst->entries == NULL)
    {
        return ENOMEM;
    }
    memcpy(dst->entries, src->entries,
           (size_t) src->count * sizeof(*dst->entries));
    dst->count = src->count;
    return 0;
}

// Publishes a copy of the thread's listing as the newest, dropping an
// untaken older one.
static void DD_ScannerPublish(void)
{
    dd_snapshot_t copy;

    if (DD_SnapshotCopy(&copy, &dd_scanner.state.known) != 0)
    {
        return;
    }
    pthread_mutex_lock(&dd_scanner.worker.lock);
    DD_SnapshotFree(&dd_scanner.pending);
    dd_scanner.pending = copy;
    dd_scanner.have_pending = 1;
    pthread_mutex_unlock(&dd_scanner.worker.lock);
}

int DD_ScanPause(long long cpu_ns, int max_ms)
{
    long long ms = cpu_ns * DD_SCAN_CPU_SHARE / 1000000;

    if (ms < DD_SCAN_MIN_MS)
    {
        ms = DD_SCAN_MIN_MS;
    }
    return ms < max_ms ? (int) ms : max_ms;
}

// The calling thread's CPU time in ns (0 when the clock cannot be read:
// the shortest pause then).
static long long DD_ThreadCpuNs(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    {
        return 0;
    }
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *DD_ScannerMain(void *arg)
{
    int first = 1;
    int changed;
    int confirm;
    long long cpu;

    (void) arg;
    do
    {
        pthread_mutex_lock(&dd_scanner.worker.lock);
        confirm = dd_scanner.confirm;
        dd_scanner.confirm = 0;
        pthread_mutex_unlock(&dd_scanner.worker.lock);
        cpu = DD_ThreadCpuNs();
        // Only a complete listing is news. A dead mount (ENOTCONN) keeps
        // the monsters until dockerfs is back; an unmounted dockerfs
        // leaves an empty directory, which reads fine and clears them.
        if (DD_ScanUpdate(dd_scanner.dir, &dd_scanner.state,
                          DD_SCAN_REFRESH, &changed) == 0
         && (changed || confirm || first))
        {
            DD_ScannerPublish();
            first = 0;
        }
        else if (confirm)
        {
            // Not answered yet: the next scan owes the listing.
            DD_ScannerConfirm();
        }
        // CPU, not wall time: a loaded machine or a slow mount must not
        // make changes wait longer, and the cost to bound is our own.
        cpu = DD_ThreadCpuNs() - cpu;
    } while (!DD_WorkerSleep(&dd_scanner.worker,
                             DD_ScanPause(cpu, dd_scanner.max_ms)));
    return NULL;
}

int DD_ScannerStart(const char *dir, int max_ms)
{
    if (dd_scanner.worker.running)
    {
        return EBUSY;
    }
    snprintf(dd_scanner.dir, sizeof(dd_scanner.dir), "%s", dir);
    dd_scanner.max_ms = max_ms > 0 ? max_ms : 500;
    dd_scanner.confirm = 0;
    return DD_WorkerStart(&dd_scanner.worker, DD_ScannerMain, NULL);
}

int DD_ScannerTake(dd_snapshot_t *snap)
{
    int taken = 0;

    if (pthread_mutex_trylock(&dd_scanner.worker.lock) != 0)
    {
        return 0;
    }
    if (dd_scanner.have_pending)
    {
        *snap = dd_scanner.pending;
        dd_scanner.pending.entries = NULL;
        dd_scanner.pending.count = 0;
        dd_scanner.have_pending = 0;
        taken = 1;
    }
    pthread_mutex_unlock(&dd_scanner.worker.lock);
    return taken;
}

void DD_ScannerConfirm(void)
{
    pthread_mutex_lock(&dd_scanner.worker.lock);
    dd_scanner.confirm = 1;
    pthread_mutex_unlock(&dd_scanner.worker.lock);
}

void DD_ScannerStop(void)
{
    DD_WorkerStop(&dd_scanner.worker);
    DD_SnapshotFree(&dd_scanner.pending);
    dd_scanner.have_pending = 0;
    DD_ScanStateFree(&dd_scanner.state);
}
