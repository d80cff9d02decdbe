/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dirflood - hold many open handles of one directory, read as told.
 *
 * What code in the game container can do to the mount's root: open it
 * again and again and read a little of each handle. Commands come one a
 * line on stdin, each answered by one line on stdout:
 *
 *   open N   open N more handles of DIR and read one small block of
 *            each (getdents64):  "opened K of N ERR" (K that opened and
 *            read; ERR the first errno name, or OK)
 *   read     read one more small block of every open handle:
 *            "read K of N ERR"
 *   openw N PATH  open PATH for writing N more times, writing nothing
 *            (a kill file: nothing is killed): "openedw K of N ERR"
 *   quit     close everything and exit (so does end of input)
 *
 *   dirflood DIR
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* strerrorname_np */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_HANDLES 100000

static int fds[MAX_HANDLES];
static int nfds;

/* One getdents64 of 512 bytes on fd: 0, or the errno. */
static int read_some(int fd)
{
    char buf[512];
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    return n < 0 ? errno : 0;
}

static const char *errname(int err)
{
    const char *s = err ? strerrorname_np(err) : "OK";
    return s ? s : "E?";
}

int main(int argc, char **argv)
{
    char line[128];

    if (argc != 2) {
        fprintf(stderr, "usage: dirflood DIR (commands on stdin)\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        int want = 0, done = 0, first = 0;
        char path[4096];

        if (sscanf(line, "openw %d %4095s", &want, path) == 2) {
            for (int i = 0; i < want && nfds < MAX_HANDLES; i++) {
                int fd = open(path, O_WRONLY);
                if (fd >= 0) {
                    fds[nfds++] = fd;
                    done++;
                } else if (!first) {
                    first = errno;
                }
            }
            printf("openedw %d of %d %s\n", done, want, errname(first));
        } else if (sscanf(line, "open %d", &want) == 1) {
            for (int i = 0; i < want && nfds < MAX_HANDLES; i++) {
                int fd = open(argv[1], O_RDONLY | O_DIRECTORY);
                int err = fd < 0 ? errno : read_some(fd);
                if (fd >= 0)
                    fds[nfds++] = fd;
                if (err && !first)
                    first = err;
                if (!err)
                    done++;
            }
            printf("opened %d of %d %s\n", done, want, errname(first));
        } else if (strncmp(line, "read", 4) == 0) {
            for (int i = 0; i < nfds; i++) {
                int err = read_some(fds[i]);
                if (err && !first)
                    first = err;
                if (!err)
                    done++;
            }
            printf("read %d of %d %s\n", done, nfds, errname(first));
        } else if (strncmp(line, "quit", 4) == 0) {
            break;
        } else {
            printf("unknown command\n");
        }
    }
    for (int i = 0; i < nfds; i++)
        close(fds[i]);
    return 0;
}
