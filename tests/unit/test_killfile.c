/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for killfile.c: who may write kill, and what one write does
 * and leaves in the audit trail, with the real table and a real (but
 * unreachable) engine address. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "backend_docker.h"
#include "capture.h"
#include "killfile.h"
#include "log.h"

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"
#define ID2 "0000000000001111111111112222222222223333333333334444444444445555"

static struct fleet fleet;
static struct options opt;
static struct kill_env env;
static struct killfiles files;
static uint64_t s_plain, s_guarded;
static struct kill_caller root = { .pid = 1, .uid = 0, .gid = 0 };

static int setup(void **state)
{
    struct container c;
    struct label l = { "dockerfs.protect", "true" };

    (void)state;
    memset(&opt, 0, sizeof opt);
    opt.timeout = 1.0;
    env.table = table_new();
    /* One Docker engine, named "default", whose socket is not there. */
    struct docker_env denv = { .home = "/nonexistent" };
    struct follow_hooks hooks = { 0 };
    struct backend be;
    char err[256];
    memset(&be, 0, sizeof be);
    assert_int_equal(backend_docker_new(&be, SPEC_HOST,
                                        "unix:///nonexistent/dockerfs-test.sock",
                                        &denv, err, sizeof err), 0);
    assert_int_equal(fleet_init(&fleet, 1, err, sizeof err), 0);
    assert_int_equal(fleet_add(&fleet, ENGINE_NAME_DEFAULT, &be, 0, NULL,
                               err, sizeof err), 0);
    fleet_wire(&fleet, env.table, &opt, &hooks);
    /* Up, as after a first list: kills reach the (absent) engine. */
    atomic_store(&fleet.m[0].down, 0);
    env.fleet = &fleet;
    env.opt = &opt;
    env.self_id = "";
    killfiles_init(&files);
    env.files = &files;
    assert_int_equal(container_set(&c, ID1, "plain", "busybox", "running", 0,
                                   NULL, 0), 0);
    assert_int_equal(table_upsert(env.table, &c, NULL, &s_plain), 0);
    container_clear(&c);
    assert_int_equal(container_set(&c, ID2, "guarded", "busybox", "running", 0,
                                   &l, 1), 0);
    assert_int_equal(table_upsert(env.table, &c, NULL, &s_guarded), 0);
    container_clear(&c);
    log_open(0, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    killfiles_cleanup(&files);
    fleet_free(&fleet);
    table_free(env.table);
    return 0;
}

static void permission(void **state)
{
    (void)state;
    struct options o = { 0 };
    struct kill_caller who = { .pid = 5, .uid = 1000, .gid = 1000 };

    assert_true(kill_permitted(&o, &root));
    assert_false(kill_permitted(&o, &who));
    o.kill_uid = 1000;
    assert_true(kill_permitted(&o, &who));
    o.kill_uid = 0;
    o.have_gid = 1;
    o.kill_gid = 50;
    assert_false(kill_permitted(&o, &who));
    who.groups[0] = 7;
    who.groups[1] = 50;
    who.ngroups = 1;
    assert_false(kill_permitted(&o, &who));     /* only the valid ones */
    who.ngroups = 2;
    assert_true(kill_permitted(&o, &who));
    who.ngroups = 0;
    who.gid = 50;
    assert_true(kill_permitted(&o, &who));
    o.have_gid = 0;
    assert_false(kill_permitted(&o, &who));     /* no --gid: gid 0 is not it */
}

static void access_answers(void **state)
{
    (void)state;
    struct options o = { 0 };
    struct kill_caller who = { .pid = 5, .uid = 1000, .gid = 1000 };

    assert_int_equal(killfile_access(&o, &root, W_OK), 0);
    assert_int_equal(killfile_access(&o, &root, R_OK), EACCES);
    assert_int_equal(killfile_access(&o, &root, X_OK | W_OK), EACCES);
    assert_int_equal(killfile_access(&o, &who, W_OK), EACCES);
    assert_int_equal(killfile_access(&o, &who, F_OK), 0);
    o.ro = 1;
    assert_int_equal(killfile_access(&o, &root, W_OK), EROFS);
}

static struct kill_caller stranger = { .pid = 77, .uid = 4242, .gid = 4242 };
static int open_rc;

static void open_as_stranger(void)
{
    uint64_t fh = 0;
    open_rc = killfile_open(&env, &stranger, s_plain, O_WRONLY, &fh);
}

static void open_rules(void **state)
{
    (void)state;
    uint64_t fh = 0;

    assert_int_equal(killfile_open(&env, &root, s_plain, O_RDONLY, &fh), EACCES);
    assert_int_equal(killfile_open(&env, &root, s_plain, O_RDWR, &fh), EACCES);
    opt.ro = 1;
    assert_int_equal(killfile_open(&env, &root, s_plain, O_WRONLY, &fh), EROFS);
    opt.ro = 0;
    char *out = capture_stderr(open_as_stranger);
    assert_int_equal(open_rc, EACCES);
    assert_non_null(strstr(out, "kill id=4eeff8a1b2c3 name=plain image=busybox "
                                "engine=default pid=77 uid=4242 comm="));
    assert_non_null(strstr(out, "result=EACCES\n"));
    free(out);
    assert_int_equal(killfile_open(&env, &root, s_plain, O_WRONLY, &fh), 0);
    assert_true(fh != 0);
    assert_int_equal(killfile_flush(fh), EINVAL);   /* nothing written */
    killfile_release(&env, fh);
}

/* The --uid user (the game's account) holds at most KILLFILE_HANDLES_MAX
 * open kill files (EMFILE beyond); root is not counted; closing one makes
 * room. */
static void open_cap(void **state)
{
    (void)state;
    static uint64_t fh[KILLFILE_HANDLES_MAX];
    struct kill_caller game = { .pid = 9, .uid = 4321, .gid = 4321 };
    uint64_t extra = 0, r = 0;

    opt.kill_uid = 4321;
    for (int i = 0; i < KILLFILE_HANDLES_MAX; i++)
        assert_int_equal(killfile_open(&env, &game, s_plain, O_WRONLY, &fh[i]), 0);
    assert_int_equal(killfile_open(&env, &game, s_plain, O_WRONLY, &extra), EMFILE);
    assert_int_equal(killfile_open(&env, &root, s_plain, O_WRONLY, &r), 0);
    killfile_release(&env, r);
    killfile_release(&env, fh[5]);
    assert_int_equal(killfile_open(&env, &game, s_plain, O_WRONLY, &fh[5]), 0);
    for (int i = 0; i < KILLFILE_HANDLES_MAX; i++)
        killfile_release(&env, fh[i]);
    assert_int_equal(files.open_limited, 0);
    opt.kill_uid = 0;
}

static uint64_t w_serial;
static const char *w_data;
static int w_rc;

static void write_one(void)
{
    uint64_t fh = 0;
    assert_int_equal(killfile_open(&env, &root, w_serial, O_WRONLY, &fh), 0);
    w_rc = killfile_write(&env, &root, w_serial, fh, w_data, strlen(w_data));
    killfile_release(&env, fh);
}

/* The stderr of one write of data to serial's kill file; rc in w_rc. */
static char *write_kill(uint64_t serial, const char *data)
{
    w_serial = serial;
    w_data = data;
    return capture_stderr(write_one);
}

static void flush_all(void)
{
    audit_trail_flush(&files.audit, 0, 1);
}

static void write_outcomes(void **state)
{
    (void)state;
    char *out;

    opt.dry_run = 1;
    out = write_kill(s_guarded, "1");
    assert_int_equal(w_rc, EPERM);
    assert_non_null(strstr(out, "name=guarded"));
    assert_non_null(strstr(out, "result=EPERM\n"));
    free(out);

    out = write_kill(s_plain, "2");
    assert_int_equal(w_rc, EINVAL);
    assert_null(strstr(out, "kill id="));       /* not a request: no audit */
    free(out);

    out = write_kill(999, "1");
    assert_int_equal(w_rc, ENOENT);
    free(out);

    /* The engine cannot be reached: the re-check cannot be made, also
     * under --dry-run, and nothing is killed. */
    out = write_kill(s_plain, "1\n");
    assert_int_equal(w_rc, EIO);
    assert_non_null(strstr(out, "id=4eeff8a1b2c3 name=plain"));
    assert_non_null(strstr(out, "action=rm result=EIO\n"));
    free(out);
    /* The same refusal again by the same uid: counted, not logged. */
    opt.dry_run = 0;
    out = write_kill(s_plain, "1");
    assert_int_equal(w_rc, EIO);
    assert_null(strstr(out, "result=EIO"));
    free(out);
    out = capture_stderr(flush_all);
    assert_non_null(strstr(out, "kill id=4eeff8a1b2c3 uid=0 result=EIO: 1 more in 10 s\n"));
    free(out);

    assert_int_equal(killfile_write(&env, &root, s_plain, 0, "1", 1), EBADF);
}

/* The table's copy and the engine's view now, and what the decision
 * makes of every way the inspect can end. */
static void decisions(void **state)
{
    (void)state;
    struct protect_rules r = { 0 };
    struct container listed, now, other;
    struct label guard = { "dockerfs.protect", "yes" };
    char err[128];

    assert_int_equal(protect_add(&r, "name=web-*", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "image=db:prod", err, sizeof err), 0);
    assert_int_equal(container_set(&listed, ID1, "plain", "sha256:77", "running",
                                   0, NULL, 0), 0);
    assert_int_equal(container_set(&other, ID2, "plain", "busybox", "running",
                                   0, NULL, 0), 0);

    /* Same in both views, unprotected: kill. */
    assert_int_equal(container_set(&now, ID1, "plain", "busybox", "running", 0,
                                   NULL, 0), 0);
    assert_int_equal(kill_decide(&r, "", &listed, 0, &now, "sha256:77"), 0);
    /* The engine's view is the one protected. */
    container_clear(&now);
    assert_int_equal(container_set(&now, ID1, "web-1", "busybox", "running", 0,
                                   NULL, 0), 0);
    assert_int_equal(kill_decide(&r, "", &listed, 0, &now, ""), EPERM);
    container_clear(&now);
    assert_int_equal(container_set(&now, ID1, "plain", "db:prod", "running", 0,
                                   NULL, 0), 0);
    assert_int_equal(kill_decide(&r, "", &listed, 0, &now, "sha256:77"), EPERM);
    container_clear(&now);
    assert_int_equal(container_set(&now, ID1, "plain", "busybox", "running", 0,
                                   &guard, 1), 0);
    assert_int_equal(kill_decide(&r, "", &listed, 0, &now, NULL), EPERM);
    /* The table's view is protected: the inspect is not even read. */
    assert_int_equal(kill_decide(&r, ID1, &listed, 0, &other, NULL), EPERM);
    /* An answer about another container decides nothing. */
    assert_int_equal(kill_decide(&r, "", &listed, 0, &other, NULL), EPERM);
    /* Every failed inspect: passed on when the kill would fail the same
     * way, else EPERM. */
    assert_int_equal(kill_decide(&r, "", &listed, ENOENT, NULL, NULL), ENOENT);
    assert_int_equal(kill_decide(&r, "", &listed, EIO, NULL, NULL), EIO);
    assert_int_equal(kill_decide(&r, "", &listed, ETIMEDOUT, NULL, NULL), ETIMEDOUT);
    assert_int_equal(kill_decide(&r, "", &listed, EPROTO, NULL, NULL), EPERM);
    /* Out of the mount's scope now (renamed out of a --filter). */
    assert_int_equal(kill_decide(&r, "", &listed, ESRCH, &now, NULL), EPERM);
    assert_int_equal(kill_decide(&r, "", &listed, ENOMEM, NULL, NULL), EPERM);
    assert_int_equal(kill_decide(&r, "", &listed, EINVAL, NULL, NULL), EPERM);
    assert_int_equal(kill_decide(&r, "", &listed, 12345, NULL, NULL), EPERM);
    container_clear(&now);
    container_clear(&listed);
    container_clear(&other);
    protect_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(permission),
        cmocka_unit_test(access_answers),
        cmocka_unit_test(open_rules),
        cmocka_unit_test(open_cap),
        cmocka_unit_test(write_outcomes),
        cmocka_unit_test(decisions),
    };
    return cmocka_run_group_tests_name("killfile", tests, setup, teardown);
}
