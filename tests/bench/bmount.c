/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bmount.c - presence checks on the mount (see bmount.h).
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#include "bmount.h"
#include "bclock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bmount_stat(const char *mnt, const char *name)
{
    char path[4096];
    struct stat st;

    snprintf(path, sizeof(path), "%s/%s", mnt, name);
    return stat(path, &st) == 0;
}

int bmount_listed(const char *mnt, const char *name)
{
    DIR *d = opendir(mnt);
    struct dirent *e;
    int found = 0;

    if (!d)
        return 0;
    while (!found && (e = readdir(d)) != NULL)
        found = strcmp(e->d_name, name) == 0;
    closedir(d);
    return found;
}

/* Is this a dot entry? */
static int dots(const char *n)
{
    return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

long bmount_count(const char *mnt)
{
    DIR *d = opendir(mnt);
    struct dirent *e;
    long n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (!dots(e->d_name))
            n++;
    closedir(d);
    return n;
}

/* Reads one small file to the end; its content is not kept. Returns 0 or
 * -1. */
static int slurp(const char *path)
{
    char buf[4096];
    ssize_t r;
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return -1;
    while ((r = read(fd, buf, sizeof(buf))) > 0)
        ;
    close(fd);
    return r < 0 ? -1 : 0;
}

long bmount_scan(const char *mnt)
{
    return bmount_scan2(mnt, "name", "image");
}

long bmount_scan2(const char *mnt, const char *f1, const char *f2)
{
    DIR *d = opendir(mnt);
    struct dirent *e;
    char path[4096];
    long n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (dots(e->d_name))
            continue;
        /* A container removed between readdir and open is not an error
         * for a scanner: it just has nothing to show. */
        snprintf(path, sizeof(path), "%s/%s/%s", mnt, e->d_name, f1);
        slurp(path);
        snprintf(path, sizeof(path), "%s/%s/%s", mnt, e->d_name, f2);
        slurp(path);
        n++;
    }
    closedir(d);
    return n;
}

/* Reads the first line of a small file into out (size n); 0 or -1. */
static int first_line(const char *path, char *out, size_t n)
{
    ssize_t r;
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return -1;
    r = read(fd, out, n - 1);
    close(fd);
    if (r <= 0)
        return -1;
    out[r] = '\0';
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

long bmount_names(const char *mnt, double *ms)
{
    enum { NAME_MAX_LEN = 256 };
    DIR *d = opendir(mnt);
    struct dirent *e;
    char path[4096], (*names)[NAME_MAX_LEN] = NULL;
    long n = 0, cap = 0, read_ok = 0;
    int64_t t0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (dots(e->d_name))
            continue;
        if (n == cap) {
            void *grown;
            cap = cap ? cap * 2 : 1024;
            if (!(grown = realloc(names, (size_t)cap * sizeof *names))) {
                free(names);
                closedir(d);
                return -1;
            }
            names = grown;
        }
        snprintf(path, sizeof(path), "%s/%s/name", mnt, e->d_name);
        if (first_line(path, names[n], sizeof names[n]) == 0)
            n++;
    }
    closedir(d);
    t0 = bclock_ns();
    for (long i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s/image", mnt, names[i]);
        if (slurp(path) == 0)
            read_ok++;
    }
    *ms = bclock_ms(t0, bclock_ns());
    free(names);
    return read_ok;
}

int bmount_kill(const char *mnt, const char *name)
{
    char path[4096];
    int fd, err = 0;

    snprintf(path, sizeof(path), "%s/%s/kill", mnt, name);
    fd = open(path, O_WRONLY);
    if (fd < 0)
        return errno;
    if (write(fd, "1", 1) != 1)
        err = errno ? errno : EIO;
    if (close(fd) != 0 && !err)
        err = errno;
    return err;
}

int bmount_wait(const char *mnt, const char *name, int want, long long since_ns,
                long period_us, long timeout_ms, struct bmount_seen *seen)
{
    int64_t now;

    seen->stat_ms = seen->list_ms = -1;
    for (;;) {
        if (seen->stat_ms < 0 && bmount_stat(mnt, name) == want)
            seen->stat_ms = bclock_ms(since_ns, bclock_ns());
        if (seen->stat_ms >= 0 && seen->list_ms < 0 &&
            bmount_listed(mnt, name) == want)
            seen->list_ms = bclock_ms(since_ns, bclock_ns());
        if (seen->stat_ms >= 0 && seen->list_ms >= 0)
            return 0;
        now = bclock_ns();
        if (bclock_ms(since_ns, now) > timeout_ms)
            return -1;
        bclock_sleep_us(period_us);
    }
}
