// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the message queue (hold times, priorities), kill result
// texts and the idrm summary.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "dd_msg.h"

static void shown(dd_msgq_t *q, int now, const char *want)
{
    const char *got = DD_MsgShown(q, now);

    if (want == NULL)
    {
        assert_null(got);
    }
    else
    {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

static void test_info(void **state)
{
    dd_msgq_t q;

    (void) state;
    DD_MsgInit(&q);
    shown(&q, 0, NULL);
    DD_MsgPost(&q, DD_MSG_INFO, "hit web", 0);
    shown(&q, 10, "hit web");
    // A remark replaces a remark at once, and goes by itself.
    DD_MsgPost(&q, DD_MSG_INFO, "hit db", 20);
    shown(&q, 30, "hit db");
    shown(&q, 20 + DD_MSG_INFO_MAX, NULL);
    // A result replaces a remark at once; a remark never pushes out a
    // result.
    DD_MsgPost(&q, DD_MSG_INFO, "killing web", 5000);
    DD_MsgPost(&q, DD_MSG_OK, "killed web", 5010);
    shown(&q, 5010, "killed web");
    DD_MsgPost(&q, DD_MSG_INFO, "hit db", 5020);
    shown(&q, 5030, "killed web");
    shown(&q, 5010 + DD_MSG_OK_MAX - 1, "killed web");
    shown(&q, 5010 + DD_MSG_OK_MAX, NULL);
}

static void test_failure_held(void **state)
{
    dd_msgq_t q;
    int t;

    (void) state;
    DD_MsgInit(&q);
    DD_MsgPost(&q, DD_MSG_FAIL, "svc-0: kill refused, EPERM", 1000);
    // Other kills succeed right after: the failure stays on screen for
    // its whole time, and the successes come after it.
    DD_MsgPost(&q, DD_MSG_OK, "killed svc-1", 1010);
    DD_MsgPost(&q, DD_MSG_OK, "killed svc-2", 1020);
    for (t = 1000; t < 1000 + DD_MSG_FAIL_MAX; t += 100)
    {
        shown(&q, t, "svc-0: kill refused, EPERM");
    }
    shown(&q, 1000 + DD_MSG_FAIL_MAX, "killed svc-1");
    // A success waits its short time before the next.
    t = 1000 + DD_MSG_FAIL_MAX;
    shown(&q, t + DD_MSG_OK_MIN - 1, "killed svc-1");
    shown(&q, t + DD_MSG_OK_MIN, "killed svc-2");
    shown(&q, t + DD_MSG_OK_MIN + DD_MSG_OK_MAX, NULL);
}

static void test_failure_after_failure(void **state)
{
    dd_msgq_t q;

    (void) state;
    DD_MsgInit(&q);
    DD_MsgPost(&q, DD_MSG_FAIL, "a: kill failed", 0);
    DD_MsgPost(&q, DD_MSG_FAIL, "b: kill failed", 10);
    // Another failure takes over once the first was readable.
    shown(&q, DD_MSG_FAIL_MIN - 1, "a: kill failed");
    shown(&q, DD_MSG_FAIL_MIN, "b: kill failed");
    // A failure replaces a success once the success was readable.
    DD_MsgInit(&q);
    DD_MsgPost(&q, DD_MSG_OK, "killed a", 0);
    DD_MsgPost(&q, DD_MSG_FAIL, "b: kill failed", 10);
    shown(&q, DD_MSG_OK_MIN - 1, "killed a");
    shown(&q, DD_MSG_OK_MIN, "b: kill failed");
}

static void test_queue_full(void **state)
{
    char text[32];
    dd_msgq_t q;
    int i;

    (void) state;
    DD_MsgInit(&q);
    DD_MsgPost(&q, DD_MSG_FAIL, "shown", 0);
    // The same text twice is queued once.
    DD_MsgPost(&q, DD_MSG_OK, "killed a", 0);
    DD_MsgPost(&q, DD_MSG_OK, "killed a", 0);
    assert_int_equal(q.count, 1);
    // Failures push out successes, never the other way round.
    for (i = 0; i < DD_MSG_QUEUE; ++i)
    {
        snprintf(text, sizeof(text), "fail %d", i);
        DD_MsgPost(&q, DD_MSG_FAIL, text, 0);
    }
    assert_int_equal(q.count, DD_MSG_QUEUE);
    for (i = 0; i < q.count; ++i)
    {
        assert_int_equal(q.queue[(q.head + i) % DD_MSG_QUEUE].prio,
                         DD_MSG_FAIL);
    }
    DD_MsgPost(&q, DD_MSG_OK, "killed b", 0);
    for (i = 0; i < q.count; ++i)
    {
        assert_string_not_equal(q.queue[(q.head + i) % DD_MSG_QUEUE].text,
                                "killed b");
    }
    // With only failures waiting, the newest failure drops the oldest.
    DD_MsgPost(&q, DD_MSG_FAIL, "fail last", 0);
    assert_string_equal(q.queue[q.head].text, "fail 1");
    assert_string_equal(
        q.queue[(q.head + q.count - 1) % DD_MSG_QUEUE].text, "fail last");
}

static void test_kill_message(void **state)
{
    char msg[80];

    (void) state;
    DD_KillMessage(msg, sizeof(msg), "web", 0);
    assert_string_equal(msg, "killed web");
    DD_KillMessage(msg, sizeof(msg), "web", EPERM);
    assert_string_equal(msg,
                        "web: kill refused, EPERM (Operation not permitted)");
    DD_KillMessage(msg, sizeof(msg), "web", ELOOP);
    assert_non_null(strstr(msg, "web: kill failed, ELOOP ("));
    DD_KillMessage(msg, 8, "a-very-long-name", EIO);
    assert_int_equal(strlen(msg), 7);
    DD_SlowMessage(msg, sizeof(msg), "web", 0, 5);
    assert_string_equal(msg, "web: engine has not answered for 5 s");
    DD_SlowMessage(msg, sizeof(msg), "web", 3, 5);
    assert_string_equal(msg, "web and 3 more: engine has not answered "
                        "for 5 s");
}

static void test_batch(void **state)
{
    dd_batch_t b;
    char msg[DD_MSG_LEN];
    int i;

    (void) state;
    DD_BatchInit(&b);
    b.pending = 8;
    for (i = 0; i < 7; ++i)
    {
        assert_false(DD_BatchResult(&b, NULL, 0));
    }
    assert_true(DD_BatchResult(&b, NULL, EPERM));
    assert_int_equal(DD_BatchSummary(&b, 0, NULL, NULL, msg, sizeof(msg)), DD_MSG_FAIL);
    assert_string_equal(msg, "idrm: 7 killed, 1 refused (EPERM)");

    DD_BatchInit(&b);
    b.pending = 3;
    DD_BatchResult(&b, NULL, 0);
    DD_BatchResult(&b, NULL, 0);
    assert_true(DD_BatchResult(&b, NULL, 0));
    assert_int_equal(DD_BatchSummary(&b, 0, NULL, NULL, msg, sizeof(msg)), DD_MSG_OK);
    assert_string_equal(msg, "idrm: 3 killed");

    DD_BatchInit(&b);
    b.pending = 5;
    DD_BatchResult(&b, NULL, EIO);
    DD_BatchResult(&b, NULL, EACCES);
    DD_BatchResult(&b, NULL, ETIMEDOUT);
    DD_BatchResult(&b, NULL, EIO);
    assert_true(DD_BatchResult(&b, NULL, EPERM));
    DD_BatchSummary(&b, 0, NULL, NULL, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 2 refused (EACCES, EPERM), "
                        "3 failed (EIO, ETIMEDOUT)");

    DD_BatchInit(&b);
    DD_BatchSummary(&b, 0, NULL, NULL, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: nothing killed");
}

// Results on engines: n kills (err 0) or errors on engine.
static void results(dd_batch_t *b, const char *engine, int n, int err)
{
    int i;

    for (i = 0; i < n; ++i)
    {
        DD_BatchResult(b, engine, err);
    }
}

// A HUD of maxlen characters.
static int fits_len(const char *text, void *ctx)
{
    return strlen(text) <= *(size_t *) ctx;
}

static void test_batch_one_engine(void **state)
{
    dd_batch_t b;
    char msg[DD_MSG_LEN];

    (void) state;
    // One engine: the message names none, whatever the table holds.
    DD_BatchInit(&b);
    b.pending = 3;
    results(&b, "a", 2, 0);
    assert_true(DD_BatchResult(&b, "a", EPERM));
    assert_int_equal(DD_BatchSummary(&b, 0, NULL, NULL, msg, sizeof(msg)),
                     DD_MSG_FAIL);
    assert_string_equal(msg, "idrm: 2 killed, 1 refused (EPERM)");
    // A table on several engines, an idrm on one of them: it says which.
    DD_BatchSummary(&b, 1, NULL, NULL, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 2 killed (2 on a), "
                        "1 refused (EPERM; 1 on a)");
    // A mount without engine files.
    DD_BatchInit(&b);
    results(&b, "", 2, 0);
    DD_BatchSummary(&b, 1, NULL, NULL, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 2 killed");
    DD_BatchInit(&b);
    DD_BatchSummary(&b, 1, NULL, NULL, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: nothing killed");
}

static void test_batch_two_engines(void **state)
{
    dd_batch_t b;
    char msg[DD_MSG_LEN];
    size_t max;

    (void) state;
    DD_BatchInit(&b);
    b.pending = 5;
    DD_BatchResult(&b, "b", 0);
    results(&b, "a", 3, 0);
    assert_true(DD_BatchResult(&b, "b", 0));
    assert_int_equal(DD_BatchSummary(&b, 1, NULL, NULL, msg, sizeof(msg)),
                     DD_MSG_OK);
    assert_string_equal(msg, "idrm: 5 killed (3 on a, 2 on b)");
    // Ties go by name.
    DD_BatchResult(&b, "b", 0);
    DD_BatchSummary(&b, 1, NULL, NULL, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 6 killed (3 on a, 3 on b)");

    DD_BatchInit(&b);
    results(&b, "n1", 1, 0);
    results(&b, "n2", 1, EPERM);
    results(&b, "n1", 2, EIO);
    results(&b, "n2", 1, ETIMEDOUT);
    assert_int_equal(DD_BatchSummary(&b, 1, NULL, NULL, msg, sizeof(msg)),
                     DD_MSG_FAIL);
    assert_string_equal(msg, "idrm: 1 killed (1 on n1), "
                        "1 refused (EPERM; 1 on n2), "
                        "3 failed (EIO, ETIMEDOUT; 2 on n1, 1 on n2)");
    DD_BatchSummary(&b, 0, NULL, NULL, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 1 killed, 1 refused (EPERM), "
                        "3 failed (EIO, ETIMEDOUT)");

    // A HUD too narrow for each engine's name: the rest summed up, then
    // only how many engines, then none.
    DD_BatchInit(&b);
    results(&b, "prod-west", 2, 0);
    results(&b, "prod-east", 3, 0);
    results(&b, "prod-west", 1, EIO);
    max = 79;
    DD_BatchSummary(&b, 1, fits_len, &max, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 5 killed (3 on prod-east, 2 on prod-west), "
                        "1 failed (EIO; 1 on prod-west)");
    max = 78;
    DD_BatchSummary(&b, 1, fits_len, &max, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 5 killed (3 on prod-east, 2 on 1 other), "
                        "1 failed (EIO; 1 on prod-west)");
    max = 60;
    DD_BatchSummary(&b, 1, fits_len, &max, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 5 killed (on 2 engines), "
                        "1 failed (EIO; on 1 engine)");
    max = 40;
    assert_int_equal(DD_BatchSummary(&b, 1, fits_len, &max, msg, sizeof(msg)),
                     DD_MSG_FAIL);
    assert_string_equal(msg, "idrm: 5 killed, 1 failed (EIO)");
}

static void test_batch_many_engines(void **state)
{
    dd_batch_t b;
    char msg[DD_MSG_LEN];
    char name[32];
    size_t max;
    int i;

    (void) state;
    DD_BatchInit(&b);
    for (i = 0; i < 8; ++i)
    {
        snprintf(name, sizeof(name), "engine-%d", i);
        results(&b, name, i + 1, 0);
    }
    // 36 kills on 8 engines do not all fit DD_MSG_LEN: the most first.
    DD_BatchSummary(&b, 1, NULL, NULL, msg, sizeof(msg));
    assert_true(strlen(msg) < DD_MSG_LEN);
    assert_string_equal(msg, "idrm: 36 killed (8 on engine-7, 7 on engine-6, "
                        "6 on engine-5, 5 on engine-4, 4 on engine-3, "
                        "3 on engine-2, 3 on 2 others)");
    max = 63;
    DD_BatchSummary(&b, 1, fits_len, &max, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 36 killed (8 on engine-7, 7 on engine-6, "
                        "21 on 6 others)");
    // The caller's buffer bounds it too.
    DD_BatchSummary(&b, 1, NULL, NULL, msg, 50);
    assert_string_equal(msg, "idrm: 36 killed (8 on engine-7, 28 on 7 others)");
    DD_BatchSummary(&b, 1, NULL, NULL, msg, 40);
    assert_string_equal(msg, "idrm: 36 killed (on 8 engines)");
    DD_BatchSummary(&b, 1, NULL, NULL, msg, 20);
    assert_string_equal(msg, "idrm: 36 killed");

    // Engines beyond DD_BATCH_ENGINES are summed up: "at least".
    DD_BatchInit(&b);
    for (i = 0; i < DD_BATCH_ENGINES + 4; ++i)
    {
        snprintf(name, sizeof(name), "e%02d", i);
        results(&b, name, 1, 0);
    }
    max = 44;
    DD_BatchSummary(&b, 1, fits_len, &max, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 20 killed (1 on e00, 19 on 16+ others)");
    max = 43;
    DD_BatchSummary(&b, 1, fits_len, &max, msg, sizeof(msg));
    assert_string_equal(msg, "idrm: 20 killed (on 17+ engines)");
    DD_BatchSummary(&b, 1, NULL, NULL, msg, sizeof(msg));
    assert_true(strlen(msg) < DD_MSG_LEN);
    assert_non_null(strstr(msg, "idrm: 20 killed (1 on e00, 1 on e01, "));
    assert_non_null(strstr(msg, "+ others)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_failure_held),
        cmocka_unit_test(test_failure_after_failure),
        cmocka_unit_test(test_queue_full),
        cmocka_unit_test(test_kill_message),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_batch_one_engine),
        cmocka_unit_test(test_batch_two_engines),
        cmocka_unit_test(test_batch_many_engines),
    };

    return cmocka_run_group_tests_name("game_msg", tests, NULL, NULL);
}
