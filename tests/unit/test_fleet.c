/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for fleet.c: engine names, --host NAME=URL and --context
 * NAME[=CTX] as the mount names its engines, and building the fleet
 * (no engine is asked: resolving is address parsing only). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fleet.h"
#include "opts.h"

static int split(int kind, const char *arg, char *name, const char **addr)
{
    struct engine_spec s = { .kind = kind, .arg = arg };
    char err[256] = "";
    int rc = engine_spec_split(&s, name, addr, err, sizeof err);
    if (rc)
        assert_true(err[0] != '\0');
    return rc;
}

static void names(void **state)
{
    (void)state;
    assert_true(engine_name_valid("a", 1));
    assert_true(engine_name_valid("prod-eu.1_x", 11));
    assert_false(engine_name_valid("", 0));
    assert_false(engine_name_valid("-a", 2));
    assert_false(engine_name_valid("a@b", 3));
    assert_false(engine_name_valid("a/b", 3));
    assert_false(engine_name_valid("a b", 3));
    char long_name[ENGINE_NAME_MAX + 2];
    memset(long_name, 'x', sizeof long_name);
    assert_true(engine_name_valid(long_name, ENGINE_NAME_MAX));
    assert_false(engine_name_valid(long_name, ENGINE_NAME_MAX + 1));
}

static void split_host_and_context(void **state)
{
    (void)state;
    char name[ENGINE_NAME_MAX + 1];
    const char *addr;

    assert_int_equal(split(SPEC_HOST, "unix:///run/a.sock", name, &addr), 0);
    assert_string_equal(name, "default");
    assert_string_equal(addr, "unix:///run/a.sock");
    assert_int_equal(split(SPEC_HOST, "tcp://h:2376", name, &addr), 0);
    assert_string_equal(name, "default");
    assert_int_equal(split(SPEC_HOST, "/run/a.sock", name, &addr), 0);
    assert_string_equal(name, "default");
    assert_string_equal(addr, "/run/a.sock");
    assert_int_equal(split(SPEC_HOST, "a=unix:///run/a.sock", name, &addr), 0);
    assert_string_equal(name, "a");
    assert_string_equal(addr, "unix:///run/a.sock");
    assert_int_equal(split(SPEC_HOST, "n1.eu=tcp://10.0.0.1:2376", name,
                           &addr), 0);
    assert_string_equal(name, "n1.eu");
    assert_string_equal(addr, "tcp://10.0.0.1:2376");
    assert_int_equal(split(SPEC_HOST, "a=", name, &addr), EINVAL);
    assert_int_equal(split(SPEC_HOST, "", name, &addr), EINVAL);

    assert_int_equal(split(SPEC_CONTEXT, "prod", name, &addr), 0);
    assert_string_equal(name, "prod");
    assert_string_equal(addr, "prod");
    assert_int_equal(split(SPEC_CONTEXT, "p=prod+eu", name, &addr), 0);
    assert_string_equal(name, "p");
    assert_string_equal(addr, "prod+eu");
    /* A context name that is not an engine name must be renamed. */
    assert_int_equal(split(SPEC_CONTEXT, "prod+eu", name, &addr), EINVAL);

    char big[ENGINE_NAME_MAX + 16];
    memset(big, 'x', ENGINE_NAME_MAX + 1);
    strcpy(big + ENGINE_NAME_MAX + 1, "=unix:///a");
    assert_int_equal(split(SPEC_HOST, big, name, &addr), EINVAL);
}

static void duplicates(void **state)
{
    (void)state;
    char err[256];
    struct engine_spec ok[] = {
        { SPEC_HOST, "unix:///a" }, { SPEC_HOST, "b=unix:///b" },
        { SPEC_CONTEXT, "prod" }, { SPEC_CONTEXT, "p2=prod" },
    };
    assert_int_equal(engine_specs_check(ok, 4, err, sizeof err), 0);
    assert_int_equal(engine_specs_check(NULL, 0, err, sizeof err), 0);
    struct engine_spec two_default[] = {
        { SPEC_HOST, "unix:///a" }, { SPEC_HOST, "unix:///b" },
    };
    assert_int_equal(engine_specs_check(two_default, 2, err, sizeof err),
                     EINVAL);
    assert_non_null(strstr(err, "'default'"));
    struct engine_spec same[] = {
        { SPEC_HOST, "prod=unix:///a" }, { SPEC_CONTEXT, "prod" },
    };
    assert_int_equal(engine_specs_check(same, 2, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "'prod'"));
}

/* opts_parse refuses what the fleet would: a usage error, exit 2. */
static void through_opts(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    char *ok[] = { "dockerfs", "/m", "--host", "a=unix:///a", "-H",
                   "b=unix:///b", "--context", "prod", NULL };
    assert_int_equal(opts_parse(&o, 8, ok, err, sizeof err), 0);
    assert_int_equal(o.n_engines, 3);
    opts_free(&o);
    char *dup[] = { "dockerfs", "/m", "--host", "a=unix:///a", "--host",
                    "a=unix:///b", NULL };
    assert_int_equal(opts_parse(&o, 6, dup, err, sizeof err), 2);
    assert_non_null(strstr(err, "'a'"));
    opts_free(&o);
    char *bad[] = { "dockerfs", "/m", "--host", "a=", NULL };
    assert_int_equal(opts_parse(&o, 4, bad, err, sizeof err), 2);
    opts_free(&o);
}

/* Building: names in order, the same address twice refused, the CLI's
 * choice named "default" when no engine is given. */
static void build(void **state)
{
    (void)state;
    struct options o;
    struct fleet f;
    struct docker_env env = { .home = "/nonexistent" };
    char err[512];

    char *three[] = { "dockerfs", "/m", "--host", "a=unix:///a.sock", "-H",
                      "b=tcp://127.0.0.1:1", "--host", "unix:///c.sock", NULL };
    assert_int_equal(opts_parse(&o, 8, three, err, sizeof err), 0);
    assert_int_equal(fleet_build(&f, &o, &env, err, sizeof err), 0);
    assert_int_equal(f.n, 3);
    assert_string_equal(f.m[0].name, "a");
    assert_string_equal(f.m[0].host.unix_path, "/a.sock");
    assert_string_equal(f.m[1].name, "b");
    assert_string_equal(f.m[2].name, "default");
    assert_ptr_equal(fleet_member(&f, 1), &f.m[1]);
    assert_null(fleet_member(&f, 3));
    fleet_free(&f);
    opts_free(&o);

    char *twice[] = { "dockerfs", "/m", "--host", "a=unix:///a.sock", "-H",
                      "b=unix:///a.sock", NULL };
    assert_int_equal(opts_parse(&o, 6, twice, err, sizeof err), 0);
    assert_int_equal(fleet_build(&f, &o, &env, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "listed twice"));
    fleet_free(&f);
    opts_free(&o);

    char *none[] = { "dockerfs", "/m", NULL };
    env.host = "unix:///x.sock";
    assert_int_equal(opts_parse(&o, 2, none, err, sizeof err), 0);
    assert_int_equal(fleet_build(&f, &o, &env, err, sizeof err), 0);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.m[0].name, "default");
    assert_string_equal(f.m[0].host.unix_path, "/x.sock");
    fleet_free(&f);
    opts_free(&o);

    char *nocontext[] = { "dockerfs", "/m", "--context", "nope", NULL };
    assert_int_equal(opts_parse(&o, 4, nocontext, err, sizeof err), 0);
    assert_int_not_equal(fleet_build(&f, &o, &env, err, sizeof err), 0);
    fleet_free(&f);
    opts_free(&o);
}

/* A down engine answers EIO at once; with FLEET_KILLS_IN_FLIGHT kills
 * waiting on a stalled engine one more gets EAGAIN (after
 * FLEET_KILL_STALL_MS), the others' budgets are their own. */
static void kill_budget(void **state)
{
    (void)state;
    struct member m[2];
    struct fleet f = { m, 2 };

    memset(m, 0, sizeof m);
    for (int i = 0; i < FLEET_KILLS_IN_FLIGHT; i++)
        assert_int_equal(fleet_kill_begin(&f, 0), 0);
    assert_int_equal(fleet_kill_begin(&f, 0), EAGAIN);
    assert_int_equal(fleet_kill_begin(&f, 1), 0);
    fleet_kill_end(&f, 1);
    fleet_kill_end(&f, 0);
    assert_int_equal(fleet_kill_begin(&f, 0), 0);
    m[1].sync.down = 1;
    assert_int_equal(fleet_kill_begin(&f, 1), EIO);
    assert_int_equal(fleet_kill_begin(&f, 2), EIO);
    for (int i = 0; i < FLEET_KILLS_IN_FLIGHT; i++)
        fleet_kill_end(&f, 0);
    assert_int_equal(atomic_load(&m[0].kills), 0);
}

struct ender { struct fleet *f; int n; };

static void *end_later(void *arg)
{
    struct ender *e = arg;
    const struct timespec t = { 0, 50 * 1000000 };

    for (int i = 0; i < e->n; i++) {
        nanosleep(&t, NULL);
        fleet_kill_end(e->f, 0);
    }
    return NULL;
}

/* A burst of kills on an engine that keeps answering waits for slots
 * instead of EAGAIN (six parallel `echo 1 > kill` all go through). */
static void kill_burst_waits(void **state)
{
    (void)state;
    struct member m[1];
    struct fleet f = { m, 1 };
    struct ender e = { &f, 2 };
    pthread_t th;

    memset(m, 0, sizeof m);
    for (int i = 0; i < FLEET_KILLS_IN_FLIGHT; i++)
        assert_int_equal(fleet_kill_begin(&f, 0), 0);
    assert_int_equal(pthread_create(&th, NULL, end_later, &e), 0);
    assert_int_equal(fleet_kill_begin(&f, 0), 0);
    assert_int_equal(fleet_kill_begin(&f, 0), 0);
    pthread_join(th, NULL);
    for (int i = 0; i < FLEET_KILLS_IN_FLIGHT; i++)
        fleet_kill_end(&f, 0);
    assert_int_equal(atomic_load(&m[0].kills), 0);
}

/* One engine ID is held by one member: the first claim wins, a second
 * member with it is told who holds it, an empty ID is never a clash. */
static void engine_ids(void **state)
{
    (void)state;
    struct member m[3];
    struct fleet f = { m, 3 };
    char err[512] = "";
    const char *id = "4f0c9a1e-7b2d-4c3e-9a55-0d1e2f3a4b5c";

    memset(m, 0, sizeof m);
    snprintf(m[0].name, sizeof m[0].name, "a");
    snprintf(m[1].name, sizeof m[1].name, "b");
    snprintf(m[2].name, sizeof m[2].name, "c");
    m[0].host.display = "unix:///x.sock";
    m[1].host.display = "unix:///y.sock";
    m[2].host.display = "tcp://127.0.0.1:1";
    assert_int_equal(fleet_claim_id(&f, 1, id), -1);
    assert_string_equal(m[1].engine_id, id);
    assert_int_equal(fleet_claim_id(&f, 1, id), -1);   /* its own: fine */
    assert_int_equal(fleet_claim_id(&f, 0, id), 1);
    assert_string_equal(m[0].engine_id, "");
    assert_int_equal(fleet_claim_id(&f, 2, "other"), -1);
    assert_int_equal(fleet_claim_id(&f, 0, ""), -1);
    assert_int_equal(fleet_claim_id(&f, 0, NULL), -1);
    assert_int_equal(fleet_claim_id(&f, 3, "new"), -1);
    assert_string_equal(m[0].engine_id, "");

    /* At start-up: in order, the later one is refused, both named. */
    memset(m, 0, sizeof m);
    snprintf(m[0].name, sizeof m[0].name, "a");
    snprintf(m[1].name, sizeof m[1].name, "b");
    snprintf(m[2].name, sizeof m[2].name, "c");
    m[0].host.display = "unix:///x.sock";
    m[1].host.display = "tcp://127.0.0.1:1";
    m[2].host.display = "unix:///y.sock";
    snprintf(m[0].first_id, sizeof m[0].first_id, "%s", id);
    snprintf(m[1].first_id, sizeof m[1].first_id, "other");
    snprintf(m[2].first_id, sizeof m[2].first_id, "%s", id);
    assert_int_equal(fleet_check_ids(&f, err, sizeof err), EEXIST);
    assert_non_null(strstr(err, "'a'"));
    assert_non_null(strstr(err, "'c'"));
    assert_null(strstr(err, "'b'"));
    assert_non_null(strstr(err, id));
    assert_null(strchr(err, '\n'));

    /* Distinct, or unknown (""), IDs are no clash. */
    memset(m, 0, sizeof m);
    m[0].host.display = m[1].host.display = m[2].host.display = "x";
    snprintf(m[0].first_id, sizeof m[0].first_id, "one");
    snprintf(m[1].first_id, sizeof m[1].first_id, "two");
    assert_int_equal(fleet_check_ids(&f, err, sizeof err), 0);
    assert_string_equal(m[1].engine_id, "two");
    assert_string_equal(m[2].engine_id, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(split_host_and_context),
        cmocka_unit_test(duplicates),
        cmocka_unit_test(through_opts),
        cmocka_unit_test(build),
        cmocka_unit_test(kill_budget),
        cmocka_unit_test(kill_burst_waits),
        cmocka_unit_test(engine_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
