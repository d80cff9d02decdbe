/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ddlisten.c - a listener of ddaudio's socket for the tests: answers the
 * challenge with a password (or wrongly, or not at all), reads for a
 * while, and says what came.
 *
 *   $ ddlisten /tmp/a/audio.sock secret12 2000
 *   hello=20 format=44100,2,16 bytes=352800 closed=no ramp=ok
 *
 * usage: ddlisten SOCKET PASSWORD|- MS [--no-read]
 *   PASSWORD - : send no answer at all
 *   MS         how long to listen (from the answer on)
 *   --no-read  connect and answer, then read nothing (a stalled page)
 *
 * ramp: the stream, after the format, is checked to be byte k+1 = byte k
 * + 1 (mod 251), the pattern tests/container/45-ddaudio.sh's writer
 * feeds: "ok", or "broken at N" (a byte lost or changed), or "-" when
 * nothing came.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "vncauth.h"

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    unsigned char buf[65536], head[28], answer[VNCAUTH_LEN];
    size_t have = 0, bytes = 0;
    long long end;
    bool closed = false, ramp_ok = true, no_read;
    long long broken_at = -1;
    int last = -1, fd;

    if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "--no-read"))) {
        fprintf(stderr, "usage: ddlisten SOCKET PASSWORD|- MS [--no-read]\n");
        return 2;
    }
    no_read = argc == 5;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("ddlisten: connect");
        return 1;
    }
    /* The hello: "DDA1" and the challenge. */
    while (have < 20) {
        ssize_t n = read(fd, head + have, 20 - have);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    if (have == 20 && strcmp(argv[2], "-") != 0) {
        if (vncauth_response(argv[2], head + 4, answer) != 0)
            return 1;
        if (write(fd, answer, sizeof(answer)) != (ssize_t)sizeof(answer))
            closed = true;
    }
    end = now_ms() + atol(argv[3]);
    if (no_read) {
        usleep((useconds_t)atol(argv[3]) * 1000);
        printf("hello=%zu no-read\n", have);
        return 0;
    }
    size_t fmt = 0;
    while (!closed && now_ms() < end) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int left = (int)(end - now_ms());
        if (poll(&p, 1, left > 0 ? left : 0) <= 0)
            continue;
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0) {
            closed = true;
            break;
        }
        size_t i = 0;
        while (fmt < 8 && i < (size_t)n)
            head[20 + fmt++] = buf[i++];
        for (; i < (size_t)n; i++, bytes++) {
            if (last >= 0 && buf[i] != (last + 1) % 251 && ramp_ok) {
                ramp_ok = false;
                broken_at = (long long)bytes;
            }
            last = buf[i];
        }
    }
    printf("hello=%zu", have);
    if (fmt == 8)
        printf(" format=%u,%u,%u", head[20] | head[21] << 8 | head[22] << 16 | (unsigned)head[23] << 24,
               head[24], head[25]);
    else
        printf(" format=none");
    printf(" bytes=%zu closed=%s ramp=", bytes, closed ? "yes" : "no");
    if (bytes == 0)
        printf("-\n");
    else if (ramp_ok)
        printf("ok\n");
    else
        printf("broken at %lld\n", broken_at);
    close(fd);
    return 0;
}
