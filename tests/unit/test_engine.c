/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for engine.c: the kill actions and what a status means. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kill_status_errno),
        cmocka_unit_test(actions),
        cmocka_unit_test(transport),
        cmocka_unit_test(answer_reason_escaped),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
