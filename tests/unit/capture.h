/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capture.h - for unit tests: what a function writes to stderr. */
#ifndef TEST_CAPTURE_H
#define TEST_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Runs fn with stderr going to a temp file; returns what it wrote. */
static inline char *capture_stderr(void (*fn)(void))
{
    char path[] = "/tmp/test_log_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t len = lseek(fd, 0, SEEK_END);
    char *s = calloc(1, (size_t)len + 1);
    assert_int_equal(pread(fd, s, (size_t)len, 0), len);
    close(fd);
    return s;
}

/* The number of newlines in s. */
static inline int count_lines(const char *s)
{
    int n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Asserts that out holds the tests' long line whole: "name=" and 2999
 * 'n's, then " image=nginx" (no cut, no split). */
static inline void assert_long_line_whole(const char *out)
{
    const char *nn = strstr(out, "name=nnnn");

    assert_non_null(nn);
    assert_int_equal(strspn(nn + 5, "n"), 2999);
    assert_int_equal(strncmp(nn + 5 + 2999, " image=nginx", 12), 0);
}

#endif
