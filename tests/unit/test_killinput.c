/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for killinput.c: what a write to kill means. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "killinput.h"

/* The verdict of one write on a fresh handle. */
static enum kill_verdict fresh(const void *data, size_t len)
{
    struct kill_input in = { 0 };
    return kill_input_feed(&in, data, len);
}

#define FRESH(s) fresh(s, sizeof(s) - 1)

static void single_writes(void **state)
{
    (void)state;
    assert_int_equal(FRESH("1"), KILL_FIRE);
    assert_int_equal(FRESH("1\n"), KILL_FIRE);
    assert_int_equal(FRESH(" 1 "), KILL_FIRE);
    assert_int_equal(FRESH("1\r\n"), KILL_FIRE);
    assert_int_equal(FRESH("\t\v\f 1 \r\n\n"), KILL_FIRE);
    assert_int_equal(FRESH("01"), KILL_BAD);
    assert_int_equal(FRESH("2"), KILL_BAD);
    assert_int_equal(FRESH("-1"), KILL_BAD);
    assert_int_equal(FRESH("+1"), KILL_BAD);
    assert_int_equal(FRESH("yes"), KILL_BAD);
    assert_int_equal(FRESH(""), KILL_BAD);
    assert_int_equal(FRESH("11"), KILL_BAD);
    assert_int_equal(FRESH("1 1"), KILL_BAD);
    assert_int_equal(FRESH("1.0"), KILL_BAD);
    assert_int_equal(FRESH("\n"), KILL_BAD);
    assert_int_equal(FRESH("   "), KILL_BAD);
    assert_int_equal(FRESH("1\0"), KILL_BAD);
    assert_int_equal(FRESH("\0" "1"), KILL_BAD);
    assert_int_equal(FRESH("\0"), KILL_BAD);
    assert_int_equal(FRESH("\xff" "1"), KILL_BAD);
    assert_int_equal(fresh(NULL, 1), KILL_BAD);
}

static void length_limit(void **state)
{
    (void)state;
    char buf[KILL_INPUT_MAX + 2];
    memset(buf, ' ', sizeof buf);
    buf[0] = '1';
    assert_int_equal(fresh(buf, KILL_INPUT_MAX), KILL_FIRE);
    assert_int_equal(fresh(buf, KILL_INPUT_MAX + 1), KILL_BAD);
    assert_int_equal(fresh(buf, KILL_INPUT_MAX + 2), KILL_BAD);
}

static void bad_poisons_handle(void **state)
{
    (void)state;
    struct kill_input in = { 0 };
    assert_int_equal(kill_input_feed(&in, "2", 1), KILL_BAD);
    assert_int_equal(kill_input_feed(&in, "1", 1), KILL_BAD);
    assert_int_equal(kill_input_feed(&in, "\n", 1), KILL_BAD);
    /* Even after a success, a bad write poisons. */
    struct kill_input ok = { 0 };
    assert_int_equal(kill_input_feed(&ok, "1", 1), KILL_FIRE);
    kill_input_result(&ok, 0);
    assert_int_equal(kill_input_feed(&ok, "x", 1), KILL_BAD);
    assert_int_equal(kill_input_feed(&ok, "\n", 1), KILL_BAD);
    /* Empty write poisons too. */
    struct kill_input e = { 0 };
    assert_int_equal(kill_input_feed(&e, "", 0), KILL_BAD);
    assert_int_equal(kill_input_feed(&e, "1", 1), KILL_BAD);
}

static void byte_by_byte_after_success(void **state)
{
    (void)state;
    struct kill_input in = { 0 };
    assert_int_equal(kill_input_feed(&in, "1", 1), KILL_FIRE);
    kill_input_result(&in, 0);
    assert_int_equal(kill_input_feed(&in, "\n", 1), KILL_DONE);
    assert_int_equal(kill_input_feed(&in, "\r\n", 2), KILL_DONE);
    assert_int_equal(kill_input_feed(&in, " ", 1), KILL_DONE);
    /* Another "1" fires again; the engine answers for a gone container. */
    assert_int_equal(kill_input_feed(&in, "1\n", 2), KILL_FIRE);
    /* Whitespace-led pieces: " " before the "1" is not yet a request. */
    struct kill_input w = { 0 };
    assert_int_equal(kill_input_feed(&w, " ", 1), KILL_BAD);
}

static void after_failed_kill(void **state)
{
    (void)state;
    struct kill_input in = { 0 };
    assert_int_equal(kill_input_feed(&in, "1", 1), KILL_FIRE);
    kill_input_result(&in, EBUSY);
    assert_int_equal(in.fired, 0);
    /* The rest of "1\n" is not accepted after a failure... */
    struct kill_input in2 = in;
    assert_int_equal(kill_input_feed(&in2, "\n", 1), KILL_BAD);
    /* ...but a retry with "1" fires again. */
    assert_int_equal(kill_input_feed(&in, "1", 1), KILL_FIRE);
    kill_input_result(&in, 0);
    assert_int_equal(kill_input_feed(&in, "\n", 1), KILL_DONE);
    /* A later failure does not forget the earlier success. */
    kill_input_result(&in, ENOENT);
    assert_int_equal(kill_input_feed(&in, "\n", 1), KILL_DONE);
}

/* Closing a handle that no write reached is the only place an empty
 * write can be refused: the kernel drops zero-byte writes. */
static void flush_without_write(void **state)
{
    (void)state;
    struct kill_input in = {0};
    assert_int_equal(kill_input_flush(&in), EINVAL);
    assert_int_equal(kill_input_feed(&in, "1", 1), KILL_FIRE);
    kill_input_result(&in, 0);
    assert_int_equal(kill_input_flush(&in), 0);

    struct kill_input bad = {0};
    assert_int_equal(kill_input_feed(&bad, "2", 1), KILL_BAD);
    /* The write already got EINVAL; the close must not repeat it. */
    assert_int_equal(kill_input_flush(&bad), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_writes),
        cmocka_unit_test(length_limit),
        cmocka_unit_test(bad_poisons_handle),
        cmocka_unit_test(byte_by_byte_after_success),
        cmocka_unit_test(after_failed_kill),
        cmocka_unit_test(flush_without_write),
    };
    return cmocka_run_group_tests_name("killinput", tests, NULL, NULL);
}
