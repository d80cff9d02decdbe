/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for engine.c: the kill actions, what a status means, and
 * a request that cannot get a curl handle (curl_easy_init is wrapped:
 * tests/tests.mk). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"

/* curl_easy_init fails while no_handle is set, as it does out of memory. */
static int no_handle;
CURL *__real_curl_easy_init(void);
CURL *__wrap_curl_easy_init(void);
CURL *__wrap_curl_easy_init(void)
{
    return no_handle ? NULL : __real_curl_easy_init();
}

static void kill_status_errno(void **state)
{
    (void)state;
    assert_int_equal(engine_kill_errno(200), 0);
    assert_int_equal(engine_kill_errno(204), 0);
    assert_int_equal(engine_kill_errno(299), 0);
    assert_int_equal(engine_kill_errno(304), 0);
    assert_int_equal(engine_kill_errno(404), ENOENT);
    assert_int_equal(engine_kill_errno(409), EBUSY);
    assert_int_equal(engine_kill_errno(403), EPERM);
    assert_int_equal(engine_kill_errno(400), EIO);
    assert_int_equal(engine_kill_errno(500), EIO);
    assert_int_equal(engine_kill_errno(0), EIO);
    assert_int_equal(engine_kill_errno(101), EIO);
    assert_int_equal(engine_kill_errno(301), EIO);
}

static void actions(void **state)
{
    (void)state;
    assert_int_equal(kill_action_parse("rm"), KILL_RM);
    assert_int_equal(kill_action_parse("kill"), KILL_KILL);
    assert_int_equal(kill_action_parse("stop"), KILL_STOP);
    assert_int_equal(kill_action_parse("explode"), -1);
    assert_int_equal(kill_action_parse("RM"), -1);
    assert_int_equal(kill_action_parse(""), -1);
    assert_int_equal(kill_action_parse("rm "), -1);
    assert_int_equal(kill_action_parse(NULL), -1);
    assert_string_equal(kill_action_name(KILL_RM), "rm");
    assert_string_equal(kill_action_name(KILL_KILL), "kill");
    assert_string_equal(kill_action_name(KILL_STOP), "stop");
    assert_string_equal(kill_action_name((enum kill_action)9), "?");
}

static void transport(void **state)
{
    (void)state;
    assert_int_equal(engine_transport_errno(CURLE_OPERATION_TIMEDOUT), ETIMEDOUT);
    assert_int_equal(engine_transport_errno(CURLE_COULDNT_CONNECT), EIO);
    assert_int_equal(engine_transport_errno(CURLE_RECV_ERROR), EIO);
}

/* An engine's message cannot end the log line it is put in. */
static void answer_reason_escaped(void **state)
{
    (void)state;
    char err[256];
    const char *forged = "{\"message\":\"No such container\\n"
                         "kill id=4eeff8a1b2c3 result=ok\\r\\u001b[2J\"}";

    engine_answer_reason(409, forged, strlen(forged), err, sizeof err);
    assert_string_equal(err, "engine answered 409: No such container\\n"
                             "kill id=4eeff8a1b2c3 result=ok\\x0d\\x1b[2J");
    assert_null(strchr(err, '\n'));
    assert_null(strchr(err, '\r'));
    const char *plain = "{\"message\":\"conflict: in use\"}";
    engine_answer_reason(409, plain, strlen(plain), err, sizeof err);
    assert_string_equal(err, "engine answered 409: conflict: in use");
    engine_answer_reason(500, "oops\nsecond", 11, err, 12);
    assert_int_equal(strlen(err), 11);
}

/* engine_get's body is the caller's to buf_free whatever the result
 * (swarm.c's GET /nodes does): started even when no handle was had. */
static void get_body_started_without_handle(void **state)
{
    (void)state;
    struct host h = { .url_base = "http://localhost",
                      .display = "unix:///nonexistent" };
    struct engine e;
    struct buf body;
    char err[128];

    engine_init(&e, &h, 1);
    memset(&body, 0xa5, sizeof body);   /* as a caller's stack holds it */
    no_handle = 1;
    assert_int_equal(engine_get(&e, "/nodes", &body, 4096, err, sizeof err),
                     ENOMEM);
    no_handle = 0;
    assert_string_equal(err, "out of memory");
    assert_int_equal(body.len, 0);
    assert_string_equal(buf_str(&body), "");
    buf_free(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kill_status_errno),
        cmocka_unit_test(actions),
        cmocka_unit_test(transport),
        cmocka_unit_test(answer_reason_escaped),
        cmocka_unit_test(get_body_started_without_handle),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
