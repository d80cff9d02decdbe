/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for audit.c: audit lines and errno names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit.h"
#include "capture.h"
#include "log.h"

static void audit_plain(void **state)
{
    (void)state;
    struct audit a = { "4eeff8a1b2c3", "web", "nginx:1", 42, 0, "bash",
                       "rm", "ok", NULL, NULL, NULL };
    char line[512];
    const char *want = "kill id=4eeff8a1b2c3 name=web image=nginx:1 pid=42 "
                       "uid=0 comm=bash action=rm result=ok";
    assert_int_equal(audit_format(&a, line, sizeof line), (int)strlen(want));
    assert_string_equal(line, want);
}

/* A pod's line names its namespace after its name. */
static void audit_namespace(void **state)
{
    (void)state;
    struct audit a = { "5f1c0a2b3d4e", "web-1", "nginx:1", 42, 0, "bash",
                       "rm", "ok", "prod", NULL, "shop" };
    char line[512];
    audit_format(&a, line, sizeof line);
    assert_string_equal(line, "kill id=5f1c0a2b3d4e name=web-1 namespace=shop "
                        "image=nginx:1 engine=prod pid=42 uid=0 comm=bash "
                        "action=rm result=ok");
}

/* A fleet's audit line names the container's engine after its image. */
static void audit_engine(void **state)
{
    (void)state;
    struct audit a = { "4eeff8a1b2c3", "web", "nginx:1", 42, 0, "bash",
                       "rm", "ok", "prod eu", NULL, NULL };
    char line[512];
    audit_format(&a, line, sizeof line);
    assert_string_equal(line, "kill id=4eeff8a1b2c3 name=web image=nginx:1 "
                        "engine=\"prod eu\" pid=42 uid=0 comm=bash action=rm "
                        "result=ok");
}

static void audit_quoting(void **state)
{
    (void)state;
    struct audit a = { "4eeff8a1b2c3", "my web", "we\"ird\\img", 7, 1000,
                       "evil\nkill id=x", "stop", "EPERM", NULL, NULL, NULL };
    char line[512];
    audit_format(&a, line, sizeof line);
    assert_string_equal(line,
        "kill id=4eeff8a1b2c3 name=\"my web\" image=\"we\\\"ird\\\\img\" pid=7 "
        "uid=1000 comm=\"evil\\x0akill id=x\" action=stop result=EPERM");
    assert_null(strchr(line, '\n'));

    struct audit b = { NULL, "", NULL, -1, 0, "a\tb", "rm", "dry-run", NULL, NULL, NULL };
    audit_format(&b, line, sizeof line);
    assert_string_equal(line, "kill id=- name=\"\" image=- pid=-1 uid=0 "
                              "comm=\"a\\x09b\" action=rm result=dry-run");

    /* Renamed since it was listed: the name now, and the one listed. */
    struct audit c = { "4eeff8a1b2c3", "other", "img", 7, 0, "sh", "rm",
                       "EPERM", NULL, "scope 1", NULL };
    audit_format(&c, line, sizeof line);
    assert_string_equal(line, "kill id=4eeff8a1b2c3 name=other was=\"scope 1\" "
                              "image=img pid=7 uid=0 comm=sh action=rm result=EPERM");
}

static void audit_truncation(void **state)
{
    (void)state;
    struct audit a = { "4eeff8a1b2c3", "web", "nginx:1", 42, 0, "bash",
                       "rm", "ok", NULL, NULL, NULL };
    char full[512];
    int n = audit_format(&a, full, sizeof full);
    for (size_t cap = 0; cap < (size_t)n + 2; cap++) {
        char small[512];
        memset(small, 'Z', sizeof small);
        assert_int_equal(audit_format(&a, small, cap), n);
        if (cap) {
            size_t got = strlen(small);
            assert_int_equal(got, cap - 1 < (size_t)n ? cap - 1 : (size_t)n);
            assert_memory_equal(small, full, got);
        }
        assert_int_equal(small[cap], 'Z');
    }
    assert_int_equal(audit_format(&a, NULL, 0), n);
}

static void errno_names(void **state)
{
    (void)state;
    assert_string_equal(errno_name(EPERM), "EPERM");
    assert_string_equal(errno_name(ENOENT), "ENOENT");
    assert_string_equal(errno_name(EINVAL), "EINVAL");
    assert_string_equal(errno_name(EROFS), "EROFS");
    assert_string_equal(errno_name(EACCES), "EACCES");
    assert_string_equal(errno_name(EBUSY), "EBUSY");
    assert_string_equal(errno_name(EIO), "EIO");
    assert_string_equal(errno_name(ETIMEDOUT), "ETIMEDOUT");
    assert_string_equal(errno_name(12345), "E12345");
    assert_string_equal(errno_name(-3), "E-3");
}

static void emit_audit(void)
{
    log_open(0, 0);
    struct audit a = { "4eeff8a1b2c3", "web", "nginx", 1, 2, "sh", "rm", "ok", NULL, NULL, NULL };
    audit_log(&a);
    char big[3000];
    memset(big, 'n', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    a.name = big;
    audit_log(&a);
}

static void audit_to_log(void **state)
{
    (void)state;
    char *out = capture_stderr(emit_audit);
    assert_non_null(strstr(out, "notice: kill id=4eeff8a1b2c3 name=web image=nginx "
                                "pid=1 uid=2 comm=sh action=rm result=ok\n"));
    assert_long_line_whole(out);
    assert_int_equal(count_lines(out), 2);
    free(out);
}

static struct audit_trail trail;

/* What audit_trail_log(a, refused, now) wrote; a fresh capture each. */
static const struct audit *t_a;
static int t_refused;
static double t_now;
static void trail_one(void) { audit_trail_log(&trail, t_a, t_refused, t_now); }
static void trail_flush_all(void) { audit_trail_flush(&trail, 0, 1); }

static char *trail_log(const struct audit *a, int refused, double now)
{
    t_a = a;
    t_refused = refused;
    t_now = now;
    return capture_stderr(trail_one);
}

static void coalescing(void **state)
{
    (void)state;
    struct audit a = { "4eeff8a1b2c3", "web", "nginx", 9, 1000, "sh", "rm", "EACCES", NULL, NULL, NULL };
    struct audit b = a, ok = a;
    char *out;
    int lines = 0;

    b.uid = 1001;
    ok.result = "ok";
    log_open(0, 0);
    audit_trail_init(&trail);
    out = trail_log(&a, 1, 100.0);
    assert_int_equal(count_lines(out), 1);
    assert_non_null(strstr(out, "uid=1000 comm=sh action=rm result=EACCES\n"));
    free(out);
    /* A flood from the same uid on the same container: counted. */
    for (int i = 0; i < 500; i++) {
        out = trail_log(&a, 1, 100.0 + i * 0.01);
        lines += count_lines(out);
        free(out);
    }
    assert_int_equal(lines, 0);
    /* Another uid, or a success, is its own line. */
    out = trail_log(&b, 1, 104.0);
    assert_int_equal(count_lines(out), 1);
    free(out);
    out = trail_log(&ok, 0, 104.5);
    assert_int_equal(count_lines(out), 1);
    assert_non_null(strstr(out, "result=ok\n"));
    free(out);
    out = trail_log(&ok, 0, 104.6);
    assert_int_equal(count_lines(out), 1);
    free(out);
    /* The window ends: the next attempt first logs the count, then
     * itself, as the first of a new window. */
    out = trail_log(&a, 1, 110.5);
    assert_int_equal(count_lines(out), 2);
    char *more = strstr(out, "kill id=4eeff8a1b2c3 uid=1000 result=EACCES: "
                             "500 more in 10 s\n");
    assert_non_null(more);
    assert_non_null(strstr(more, "comm=sh action=rm result=EACCES\n"));
    free(out);
    /* b's window had nothing more to say; a's new one has 1. */
    out = trail_log(&a, 1, 111.0);
    assert_int_equal(count_lines(out), 0);
    free(out);
    out = capture_stderr(trail_flush_all);
    assert_int_equal(count_lines(out), 1);
    assert_non_null(strstr(out, "result=EACCES: 1 more in 10 s\n"));
    free(out);
    audit_trail_cleanup(&trail);
}

/* More containers than slots: memory stays bounded, and so does the log. */
static void coalescing_bounded(void **state)
{
    (void)state;
    struct audit a = { NULL, "n", "i", 9, 1000, "sh", "rm", "EPERM", NULL, NULL, NULL };
    char id[16];
    char *out;
    int lines = 0;

    log_open(0, 0);
    audit_trail_init(&trail);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < AUDIT_SLOTS + 50; i++) {
            snprintf(id, sizeof id, "%012d", i);
            a.short_id = id;
            out = trail_log(&a, 1, 50.0 + round);
            lines += count_lines(out);
            free(out);
        }
    }
    /* One line per slot, and one for the first that found none. */
    assert_int_equal(lines, AUDIT_SLOTS + 1);
    out = capture_stderr(trail_flush_all);
    assert_non_null(strstr(out, "kill refusals on other containers: 149 more in 10 s\n"));
    assert_int_equal(count_lines(out), AUDIT_SLOTS + 1);
    free(out);
    audit_trail_cleanup(&trail);
    assert_true(audit_now() > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(audit_plain),
        cmocka_unit_test(audit_engine),
        cmocka_unit_test(audit_namespace),
        cmocka_unit_test(audit_quoting),
        cmocka_unit_test(audit_truncation),
        cmocka_unit_test(errno_names),
        cmocka_unit_test(audit_to_log),
        cmocka_unit_test(coalescing),
        cmocka_unit_test(coalescing_bounded),
    };
    return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
