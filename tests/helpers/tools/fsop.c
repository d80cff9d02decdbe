/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsop - one file system operation, reported as an exact errno name.
 *
 * Shell error messages depend on the locale and on the tool; tests need
 * the errno itself. fsop does one operation and prints "OK" or the errno
 * name ("EINVAL", "EPERM", ...) on stdout, exiting 0 either way. Exit 2
 * means a usage error.
 *
 *   fsop write PATH [DATA | -- DATA | --hex HEX | --file F | --size N | --empty]
 *               [--pieces N] [--trunc] [--delay-ms MS]
 *        open(O_WRONLY) then write() the data, as one write() call or in
 *        pieces of N bytes, then close(). The first failing step's errno
 *        is printed. --size N writes N bytes of non-'1' garbage.
 *   fsop read PATH          open(O_RDONLY) and read to the end
 *   fsop cat PATH           like read, but prints the content after "OK\n"
 *   fsop create PATH        open(O_CREAT|O_EXCL|O_WRONLY, 0644)
 *   fsop mkdir PATH | rmdir PATH | unlink PATH | stat PATH | readlink PATH
 *   fsop rename A B | symlink TARGET LINK | link A B
 *   fsop truncate PATH N | chmod PATH OCTAL | mknod PATH
 *   fsop opendir PATH       opendir + readdir to the end
 *   fsop watch DIR NAME MS  inotify on DIR; prints READY on stderr once
 *        watching, then OK when NAME is deleted from DIR (IN_DELETE) within
 *        MS milliseconds, else ETIMEDOUT; NAME "-": when DIR itself is
 *        (IN_DELETE_SELF)
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* strerrorname_np */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Prints the result of an operation: OK for 0, else the errno's name. */
static int report(int err)
{
    const char *name;

    if (err == 0) {
        puts("OK");
        return 0;
    }
    name = strerrorname_np(err);
    if (name)
        puts(name);
    else
        printf("E%d\n", err);
    return 0;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: fsop write PATH [DATA|-- DATA|--hex HEX|--file F|--size N|--empty]"
            " [--pieces N] [--trunc] [--delay-ms MS]\n"
            "       fsop read|cat|create|mkdir|rmdir|unlink|stat|readlink|"
            "mknod|opendir PATH\n"
            "       fsop rename|symlink|link A B\n"
            "       fsop truncate PATH N | chmod PATH OCTAL\n");
    return 2;
}

/* A's bytes (no terminator) in a new buffer *out of *len bytes.
 * Returns 0, or -1 when out of memory. */
static int copy_arg(const char *a, unsigned char **out, size_t *len)
{
    *len = strlen(a);
    if (!(*out = malloc(*len ? *len : 1)))
        return -1;
    memcpy(*out, a, *len);
    return 0;
}

/* Decodes hex text (two digits per byte) into a new buffer; -1 on bad
 * input. */
static int unhex(const char *s, unsigned char **out, size_t *len)
{
    size_t n = strlen(s), i;
    unsigned char *b;

    if (n % 2)
        return -1;
    b = malloc(n / 2 + 1);
    if (!b)
        return -1;
    for (i = 0; i < n / 2; i++) {
        unsigned int v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) {
            free(b);
            return -1;
        }
        b[i] = (unsigned char)v;
    }
    *out = b;
    *len = n / 2;
    return 0;
}

/* Reads a whole file into a new buffer; -1 on failure. */
static int slurp(const char *path, unsigned char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b = NULL;
    size_t cap = 0, n = 0, r;

    if (!f)
        return -1;
    for (;;) {
        if (n == cap) {
            unsigned char *nb;
            cap = cap ? cap * 2 : 4096;
            nb = realloc(b, cap);
            if (!nb) {
                free(b);
                fclose(f);
                return -1;
            }
            b = nb;
        }
        r = fread(b + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    *out = b;
    *len = n;
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    if (ms > 0)
        nanosleep(&ts, NULL);
}

/* The write subcommand: one open, one or more write() calls, one close.
 * A short write counts as done (the kernel may split); the first errno
 * wins. */
static int do_write(int argc, char **argv)
{
    const char *path;
    unsigned char *data = NULL;
    size_t len = 0, off = 0, pieces = 0;
    int flags = O_WRONLY, fd, err = 0, have = 0, i;
    long delay = 0;

    if (argc < 3)
        return usage();
    path = argv[2];
    for (i = 3; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--") && i + 1 < argc && !have) {
            /* the next argument is data, even "-1" */
            if (copy_arg(argv[++i], &data, &len))
                return 2;
            have = 1;
        } else if (!strcmp(a, "--trunc")) {
            flags |= O_TRUNC;
        } else if (!strcmp(a, "--empty")) {
            have = 1;
        } else if (!strcmp(a, "--pieces") && i + 1 < argc) {
            pieces = strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(a, "--delay-ms") && i + 1 < argc) {
            delay = strtol(argv[++i], NULL, 10);
        } else if (!strcmp(a, "--hex") && i + 1 < argc && !have) {
            if (unhex(argv[++i], &data, &len))
                return usage();
            have = 1;
        } else if (!strcmp(a, "--file") && i + 1 < argc && !have) {
            if (slurp(argv[++i], &data, &len)) {
                perror(argv[i]);
                return 2;
            }
            have = 1;
        } else if (!strcmp(a, "--size") && i + 1 < argc && !have) {
            size_t k;
            len = strtoul(argv[++i], NULL, 10);
            data = malloc(len ? len : 1);
            if (!data)
                return 2;
            /* Printable garbage without a '1' or white space. */
            for (k = 0; k < len; k++)
                data[k] = (unsigned char)('A' + k % 26);
            have = 1;
        } else if (a[0] != '-' && !have) {
            if (copy_arg(a, &data, &len))
                return 2;
            have = 1;
        } else {
            free(data);
            return usage();
        }
    }
    if (!have) {
        free(data);
        return usage();
    }
    fd = open(path, flags);
    if (fd < 0) {
        free(data);
        return report(errno);
    }
    sleep_ms(delay);
    if (len == 0) {
        if (write(fd, "", 0) < 0)
            err = errno;
    }
    while (!err && off < len) {
        size_t n = len - off;
        ssize_t w;
        if (pieces && n > pieces)
            n = pieces;
        w = write(fd, data + off, n);
        if (w < 0) {
            err = errno;
            break;
        }
        if (w == 0)
            break;
        off += (size_t)w;
    }
    if (close(fd) < 0 && !err)
        err = errno;
    free(data);
    return report(err);
}

/* read / cat: open and read to the end; cat also prints what it read. */
static int do_read(const char *path, int show)
{
    char buf[65536];
    unsigned char *all = NULL;
    size_t n = 0;
    ssize_t r;
    int fd = open(path, O_RDONLY), err = 0;

    if (fd < 0)
        return report(errno);
    for (;;) {
        r = read(fd, buf, sizeof buf);
        if (r < 0) {
            err = errno;
            break;
        }
        if (r == 0)
            break;
        if (show) {
            unsigned char *na = realloc(all, n + (size_t)r);
            if (!na) {
                err = ENOMEM;
                break;
            }
            all = na;
            memcpy(all + n, buf, (size_t)r);
            n += (size_t)r;
        }
    }
    close(fd);
    report(err);
    if (!err && show && n)
        fwrite(all, 1, n, stdout);
    free(all);
    return 0;
}

static int do_opendir(const char *path)
{
    DIR *d = opendir(path);
    int err = 0;

    if (!d)
        return report(errno);
    errno = 0;
    while (readdir(d))
        ;
    err = errno;
    closedir(d);
    return report(err);
}

/* watch: waits for an IN_DELETE of name in dir, as a file manager would. */
static int do_watch(const char *dir, const char *name, long ms)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    int fd = inotify_init1(IN_CLOEXEC), found = 0;
    struct timespec t0, t;

    if (fd < 0)
        return report(errno);
    int self = strcmp(name, "-") == 0;

    if (inotify_add_watch(fd, dir, self ? IN_DELETE_SELF
                                        : IN_DELETE | IN_MOVED_FROM) < 0) {
        int err = errno;
        close(fd);
        return report(err);
    }
    fputs("READY\n", stderr);
    fflush(stderr);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!found) {
        long left;
        clock_gettime(CLOCK_MONOTONIC, &t);
        left = ms - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t n = read(fd, buf, sizeof buf);
        for (char *q = buf; n > 0 && q < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)q;
            if (self ? (ev->mask & IN_DELETE_SELF) != 0
                     : ev->len && strcmp(ev->name, name) == 0)
                found = 1;
            q += sizeof *ev + ev->len;
        }
    }
    close(fd);
    return report(found ? 0 : ETIMEDOUT);
}

/* Runs a syscall-style call (0 or -1 with errno) and reports it. */
#define REPORT(call) report((call) == 0 ? 0 : errno)

int main(int argc, char **argv)
{
    const char *op;

    if (argc < 3)
        return usage();
    op = argv[1];
    if (!strcmp(op, "write"))
        return do_write(argc, argv);
    if (!strcmp(op, "read") && argc == 3)
        return do_read(argv[2], 0);
    if (!strcmp(op, "cat") && argc == 3)
        return do_read(argv[2], 1);
    if (!strcmp(op, "opendir") && argc == 3)
        return do_opendir(argv[2]);
    if (!strcmp(op, "watch") && argc == 5)
        return do_watch(argv[2], argv[3], atol(argv[4]));
    if (!strcmp(op, "create") && argc == 3) {
        int fd = open(argv[2], O_CREAT | O_EXCL | O_WRONLY, 0644);
        if (fd < 0)
            return report(errno);
        close(fd);
        return report(0);
    }
    if (!strcmp(op, "mkdir") && argc == 3)
        return REPORT(mkdir(argv[2], 0755));
    if (!strcmp(op, "rmdir") && argc == 3)
        return REPORT(rmdir(argv[2]));
    if (!strcmp(op, "unlink") && argc == 3)
        return REPORT(unlink(argv[2]));
    if (!strcmp(op, "mknod") && argc == 3)
        return REPORT(mknod(argv[2], S_IFREG | 0644, 0));
    if (!strcmp(op, "stat") && argc == 3) {
        struct stat st;
        return REPORT(lstat(argv[2], &st));
    }
    if (!strcmp(op, "readlink") && argc == 3) {
        char buf[PATH_MAX];
        ssize_t n = readlink(argv[2], buf, sizeof buf - 1);
        if (n < 0)
            return report(errno);
        buf[n] = '\0';
        report(0);
        puts(buf);
        return 0;
    }
    if (!strcmp(op, "rename") && argc == 4)
        return REPORT(rename(argv[2], argv[3]));
    if (!strcmp(op, "symlink") && argc == 4)
        return REPORT(symlink(argv[2], argv[3]));
    if (!strcmp(op, "link") && argc == 4)
        return REPORT(link(argv[2], argv[3]));
    if (!strcmp(op, "truncate") && argc == 4)
        return REPORT(truncate(argv[2], strtoll(argv[3], NULL, 10)));
    if (!strcmp(op, "chmod") && argc == 4)
        return REPORT(chmod(argv[2], (mode_t)strtoul(argv[3], NULL, 8)));
    return usage();
}
