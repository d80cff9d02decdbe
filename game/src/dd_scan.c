//
// dockerdoom: directory scanner thread.
//

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dd_scan.h"
#include "dd_text.h"

static struct
{
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int running;
    int stop;
    int interval_ms;
    char dir[4096];
    dd_snapshot_t pending;  // newest snapshot not yet taken
    int have_pending;
} dd_scanner = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
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

// Reads the first line of dir/id/file into buf. Returns 0 or an errno
// value (buf is then empty).
static int DD_ReadField(const char *dir, const char *id, const char *file,
                        char *buf, size_t bufsize)
{
    char path[4096 + 2 * DD_ID_LEN];
    ssize_t got;
    size_t used = 0;
    int fd;
    int err = 0;

    buf[0] = '\0';
    snprintf(path, sizeof(path), "%s/%s/%s", dir, id, file);
    fd = open(path, O_RDONLY | O_CLOEXEC);
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

static int DD_CompareEntries(const void *a, const void *b)
{
    return strcmp(((const dd_scanentry_t *) a)->id,
                  ((const dd_scanentry_t *) b)->id);
}

int DD_ScanDir(const char *dir, dd_snapshot_t *snap)
{
    DIR *d;
    struct dirent *de;
    dd_scanentry_t *grown;
    dd_scanentry_t *e;
    char raw[DD_NAME_LEN + 1];
    int capacity = 0;
    int err = 0;

    snap->entries = NULL;
    snap->count = 0;
    d = opendir(dir);
    if (d == NULL)
    {
        return errno;
    }
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
        if (snap->count == capacity)
        {
            capacity = capacity ? capacity * 2 : 64;
            grown = realloc(snap->entries,
                            (size_t) capacity * sizeof(*grown));
            if (grown == NULL)
            {
                err = ENOMEM;
                break;
            }
            snap->entries = grown;
        }
        e = &snap->entries[snap->count];
        // DD_IsEntryName bounds the length by DD_ID_LEN.
        memcpy(e->id, de->d_name, strlen(de->d_name) + 1);
        if (DD_ReadField(dir, e->id, "name", raw, sizeof(raw)) != 0
         || raw[0] == '\0')
        {
            // Without a name the short id is the best label there is.
            snprintf(raw, sizeof(raw), "%.12s", e->id);
        }
        DD_SanitizeName(e->name, sizeof(e->name), raw);
        DD_ReadField(dir, e->id, "image", e->image, sizeof(e->image));
        ++snap->count;
    }
    closedir(d);
    if (err != 0)
    {
        DD_SnapshotFree(snap);
        return err;
    }
    if (snap->count > 1)
    {
        qsort(snap->entries, (size_t) snap->count, sizeof(*snap->entries),
              DD_CompareEntries);
    }
    return 0;
}

// Publishes snap as the newest snapshot, dropping an untaken older one.
static void DD_ScannerPublish(dd_snapshot_t *snap)
{
    pthread_mutex_lock(&dd_scanner.lock);
    DD_SnapshotFree(&dd_scanner.pending);
    dd_scanner.pending = *snap;
    dd_scanner.have_pending = 1;
    pthread_mutex_unlock(&dd_scanner.lock);
    snap->entries = NULL;
    snap->count = 0;
}

static void *DD_ScannerMain(void *arg)
{
    dd_snapshot_t snap;
    struct timespec until;
    int stop;

    (void) arg;
    for (;;)
    {
        // Only a complete listing is news. A dead mount (ENOTCONN) keeps
        // the monsters until dockerfs is back; an unmounted dockerfs
        // leaves an empty directory, which reads fine and clears them.
        if (DD_ScanDir(dd_scanner.dir, &snap) == 0)
        {
            DD_ScannerPublish(&snap);
        }

        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += dd_scanner.interval_ms / 1000;
        until.tv_nsec += (long) (dd_scanner.interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L)
        {
            until.tv_sec += 1;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&dd_scanner.lock);
        while (!dd_scanner.stop
            && pthread_cond_timedwait(&dd_scanner.wake, &dd_scanner.lock,
                                      &until) == 0)
        {
        }
        stop = dd_scanner.stop;
        pthread_mutex_unlock(&dd_scanner.lock);
        if (stop)
        {
            break;
        }
    }
    return NULL;
}

int DD_ScannerStart(const char *dir, int interval_ms)
{
    pthread_condattr_t attr;
    int err;

    if (dd_scanner.running)
    {
        return EBUSY;
    }
    snprintf(dd_scanner.dir, sizeof(dd_scanner.dir), "%s", dir);
    dd_scanner.interval_ms = interval_ms > 0 ? interval_ms : 500;
    dd_scanner.stop = 0;
    // The timed wait uses CLOCK_MONOTONIC so a clock change cannot stall
    // the scanner.
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_destroy(&dd_scanner.wake);
    pthread_cond_init(&dd_scanner.wake, &attr);
    pthread_condattr_destroy(&attr);
    err = pthread_create(&dd_scanner.thread, NULL, DD_ScannerMain, NULL);
    if (err != 0)
    {
        return err;
    }
    dd_scanner.running = 1;
    return 0;
}

int DD_ScannerTake(dd_snapshot_t *snap)
{
    int taken = 0;

    if (pthread_mutex_trylock(&dd_scanner.lock) != 0)
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
    pthread_mutex_unlock(&dd_scanner.lock);
    return taken;
}

void DD_ScannerStop(void)
{
    if (!dd_scanner.running)
    {
        return;
    }
    pthread_mutex_lock(&dd_scanner.lock);
    dd_scanner.stop = 1;
    pthread_cond_signal(&dd_scanner.wake);
    pthread_mutex_unlock(&dd_scanner.lock);
    pthread_join(dd_scanner.thread, NULL);
    dd_scanner.running = 0;
    DD_SnapshotFree(&dd_scanner.pending);
    dd_scanner.have_pending = 0;
}
