/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lines.c: a stream cut at every possible place must give
 * the same lines. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lines.h"

/* Collects lines as "line|line|..." */
struct collect {
    char out[4096];
    int count;
    int stop_at;    /* return 7 on this line number (1-based); 0 = never */
};

static int collect_fn(const char *line, size_t len, void *arg)
{
    struct collect *c = arg;
    assert_true(len > 0);
    assert_null(memchr(line, '\n', len));
    size_t used = strlen(c->out);
    assert_true(used + len + 2 < sizeof c->out);
    memcpy(c->out + used, line, len);
    c->out[used + len] = '|';
    c->out[used + len + 1] = '\0';
    c->count++;
    return c->count == c->stop_at ? 7 : 0;
}

static void feed_all(struct lines *l, const char *s, size_t len,
                     struct collect *c)
{
    assert_int_equal(lines_feed(l, s, len, collect_fn, c), 0);
}

static const char stream[] =
    "{\"a\":1}\n"
    "\n"
    "{\"b\":2}\r\n"
    "xyz\n"
    "\r\n"
    "last-no-newline";
static const char expect[] = "{\"a\":1}|{\"b\":2}|xyz|";

static void every_split_position(void **state)
{
    (void)state;
    size_t n = sizeof stream - 1;
    for (size_t i = 0; i <= n; i++) {
        for (size_t j = i; j <= n; j++) {
            struct lines l;
            struct collect c = { "", 0, 0 };
            lines_init(&l, 100);
            feed_all(&l, stream, i, &c);
            feed_all(&l, stream + i, j - i, &c);
            feed_all(&l, stream + j, n - j, &c);
            assert_string_equal(c.out, expect);
            /* The unfinished last line completes with the next chunk. */
            feed_all(&l, "\n", 1, &c);
            assert_string_equal(c.out, "{\"a\":1}|{\"b\":2}|xyz|last-no-newline|");
            lines_free(&l);
        }
    }
}

static void one_byte_chunks(void **state)
{
    (void)state;
    struct lines l;
    struct collect c = { "", 0, 0 };
    lines_init(&l, 100);
    for (size_t i = 0; i < sizeof stream - 1; i++)
        feed_all(&l, stream + i, 1, &c);
    assert_string_equal(c.out, expect);
    lines_free(&l);
}

static void crlf_split_between_cr_and_lf(void **state)
{
    (void)state;
    struct lines l;
    struct collect c = { "", 0, 0 };
    lines_init(&l, 100);
    feed_all(&l, "abc\r", 4, &c);
    assert_int_equal(c.count, 0);
    feed_all(&l, "\ndef\r\r\n", 7, &c);
    /* Only one "\r" before "\n" is dropped. */
    assert_string_equal(c.out, "abc|def\r|");
    lines_free(&l);
}

/* An over-long line is handed on once, cut to max_line, and the rest of
 * it dropped: an event naming a container with many labels still names
 * it (parse_event reads the head). */
static void overlong_lines_cut(void **state)
{
    (void)state;
    char big[300];
    memset(big, 'x', sizeof big);
    size_t n = sizeof stream - 1;
    /* An over-long line between good ones, fed in every chunk size. */
    for (size_t chunk = 1; chunk <= 40; chunk++) {
        struct buf all;
        buf_init(&all, 0);
        buf_add(&all, "ok1\n", 4);
        buf_add(&all, big, sizeof big);
        buf_add(&all, "\n", 1);
        buf_add(&all, "ok2\n", 4);
        buf_add(&all, big, 11);         /* exactly max_line: kept */
        buf_add(&all, "\r\n", 2);
        buf_add(&all, big, 12);         /* one over: cut */
        buf_add(&all, "\n", 1);
        buf_add(&all, "ok3\n", 4);
        struct lines l;
        struct collect c = { "", 0, 0 };
        lines_init(&l, 11);
        for (size_t off = 0; off < all.len; off += chunk) {
            size_t k = all.len - off < chunk ? all.len - off : chunk;
            feed_all(&l, all.data + off, k, &c);
        }
        assert_string_equal(c.out, "ok1|xxxxxxxxxxx|ok2|xxxxxxxxxxx|"
                                   "xxxxxxxxxxx|ok3|");
        assert_true(l.pending.cap <= 64);   /* memory stayed bounded */
        lines_free(&l);
        buf_free(&all);
    }
    (void)n;
}

static void callback_stops_feed(void **state)
{
    (void)state;
    struct lines l;
    struct collect c = { "", 0, 2 };
    lines_init(&l, 100);
    assert_int_equal(lines_feed(&l, "a\nb\nc\n", 6, collect_fn, &c), 7);
    assert_string_equal(c.out, "a|b|");
    /* Stopping mid-line in pending works the same. */
    struct collect c2 = { "", 0, 1 };
    lines_reset(&l);
    assert_int_equal(lines_feed(&l, "pa", 2, collect_fn, &c2), 0);
    assert_int_equal(lines_feed(&l, "rt\nnext\n", 8, collect_fn, &c2), 7);
    assert_string_equal(c2.out, "part|");
    lines_free(&l);
}

static void reset_forgets_partial(void **state)
{
    (void)state;
    struct lines l;
    struct collect c = { "", 0, 0 };
    lines_init(&l, 5);
    feed_all(&l, "half", 4, &c);
    lines_reset(&l);
    feed_all(&l, "new\n", 4, &c);
    assert_string_equal(c.out, "new|");
    /* Reset also ends skipping of an over-long line (its head is out). */
    feed_all(&l, "toolongline", 11, &c);
    lines_reset(&l);
    feed_all(&l, "ok\n", 3, &c);
    assert_string_equal(c.out, "new|toolo|ok|");
    lines_free(&l);
}

static void no_limit_and_nul_bytes(void **state)
{
    (void)state;
    struct lines l;
    struct collect c = { "", 0, 0 };
    lines_init(&l, 0);
    char big[2000];
    memset(big, 'y', sizeof big);
    feed_all(&l, big, 1000, &c);
    feed_all(&l, big, 1000, &c);
    assert_int_equal(c.count, 0);
    lines_reset(&l);
    feed_all(&l, "a\0b\n", 4, &c);
    assert_int_equal(c.count, 1);
    assert_memory_equal(c.out, "a", 1);
    lines_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_split_position),
        cmocka_unit_test(one_byte_chunks),
        cmocka_unit_test(crlf_split_between_cr_and_lf),
        cmocka_unit_test(overlong_lines_cut),
        cmocka_unit_test(callback_stops_feed),
        cmocka_unit_test(reset_forgets_partial),
        cmocka_unit_test(no_limit_and_nul_bytes),
    };
    return cmocka_run_group_tests_name("lines", tests, NULL, NULL);
}
