/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for buf.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"

static void empty_is_empty_string(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_null(b.data);
    assert_string_equal(buf_str(&b), "");
    buf_reset(&b);
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
    buf_free(&b);
}

static void add_and_printf(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_add(&b, "ab", 2), 0);
    assert_int_equal(buf_add(&b, "", 0), 0);
    assert_int_equal(buf_printf(&b, "-%d-", 42), 0);
    assert_string_equal(buf_str(&b), "ab-42-");
    assert_int_equal(b.len, 6);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(buf_add(&b, "x", 1), 0);
    assert_string_equal(buf_str(&b), "x");
    buf_free(&b);
}

static void grows_large(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(buf_add(&b, "0123456789", 10), 0);
    assert_int_equal(b.len, 100000);
    assert_int_equal(strlen(buf_str(&b)), 100000);
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_reset(&b);
    assert_int_equal(buf_printf(&b, "<%s>", big), 0);
    assert_int_equal(b.len, 1001);
    assert_int_equal(buf_str(&b)[1000], '>');
    buf_free(&b);
}

static void limit_is_enforced(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 5);
    assert_int_equal(buf_add(&b, "abc", 3), 0);
    assert_int_equal(buf_room(&b), 2);
    assert_int_equal(buf_add(&b, "de", 2), 0);
    assert_string_equal(buf_str(&b), "abcde");
    assert_int_equal(buf_room(&b), 0);
    /* A failed append empties the buffer, limit kept: never half a value. */
    assert_int_equal(buf_add(&b, "f", 1), E2BIG);
    assert_int_equal(b.len, 0);
    assert_null(b.data);
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(b.max, 5);
    assert_int_equal(buf_add(&b, "abc", 3), 0);
    assert_int_equal(buf_printf(&b, "%s", "xyz"), E2BIG);
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(buf_add(&b, "xyz", 3), 0);
    assert_string_equal(buf_str(&b), "xyz");
    char big[600];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_reset(&b);
    assert_int_equal(buf_printf(&b, "%s", big), E2BIG);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* No limit: all the room there is. */
static void room_unlimited(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_room(&b), SIZE_MAX);
    assert_int_equal(buf_add(&b, "abc", 3), 0);
    assert_int_equal(buf_room(&b), SIZE_MAX);
    buf_free(&b);
}

static void binary_bytes(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_add(&b, "a\0b", 3), 0);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b\0", 4);
    buf_free(&b);
}

/* Under SAN=1 (DOCKERFS_ASSERT) a broken invariant stops the program at
 * the next call instead of corrupting memory quietly: a buffer whose text
 * lost its terminator aborts in a child. */
static void invariants_checked_under_san(void **state)
{
    (void)state;
#ifdef DOCKERFS_ASSERT
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct buf b;
        signal(SIGABRT, SIG_DFL);       /* not cmocka's handler */
        buf_init(&b, 0);
        buf_add(&b, "abc", 3);
        b.data[b.len] = 'x';            /* the terminator is gone */
        buf_add(&b, "", 0);
        _exit(0);                       /* not reached when checked */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
#else
    skip();
#endif
}

/* Under SAN=1 a buffer that never went through buf_init (stack garbage,
 * or zeroed memory) stops the program at its first use. */
static void init_marker_checked_under_san(void **state)
{
    (void)state;
#ifdef DOCKERFS_ASSERT
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct buf b;
        signal(SIGABRT, SIG_DFL);       /* not cmocka's handler */
        memset(&b, 0, sizeof b);        /* zeroed, never started */
        buf_add(&b, "abc", 3);
        _exit(0);                       /* not reached when checked */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_is_empty_string),
        cmocka_unit_test(add_and_printf),
        cmocka_unit_test(grows_large),
        cmocka_unit_test(limit_is_enforced),
        cmocka_unit_test(room_unlimited),
        cmocka_unit_test(binary_bytes),
        cmocka_unit_test(invariants_checked_under_san),
        cmocka_unit_test(init_marker_checked_under_san),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
