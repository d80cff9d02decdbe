/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for fleet.c: engine names, --host NAME=URL and --context
 * NAME[=CTX] as the mount names its engines, building the fleet (no
 * engine is asked: resolving is address parsing only), and the fleet's
 * logic over a second, in-process backend (a fixed list, recorded kills):
 * listing, kills and identity checks go per member through the ops. */
#include <errno.h>
#include <fcntl.h>
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

#include "capture.h"
#include "fleet.h"
#include "killfile.h"
#include "members.h"
#include "log.h"
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

    /* --kube: NAME= when given, else named later after its context. */
    assert_int_equal(split(SPEC_KUBE, "prod=/k.yaml:ops", name, &addr), 0);
    assert_string_equal(name, "prod");
    assert_string_equal(addr, "/k.yaml:ops");
    assert_int_equal(split(SPEC_KUBE, "p=", name, &addr), 0);
    assert_string_equal(addr, "");
    assert_int_equal(split(SPEC_KUBE, "/k.yaml", name, &addr), 0);
    assert_string_equal(name, "");
    assert_int_equal(split(SPEC_KUBE, ":ops", name, &addr), 0);
    assert_string_equal(addr, ":ops");
    assert_int_equal(split(SPEC_KUBE, "", name, &addr), EINVAL);
    assert_int_equal(split(SPEC_KUBECONFIG, NULL, name, &addr), 0);
    assert_string_equal(name, "");
    assert_null(addr);

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

/* The fleet of o's engine options (members_add), as main builds it. */
static int build_fleet(struct fleet *f, const struct options *o,
                       const struct backend_env *env, char *err,
                       size_t errlen)
{
    int rc = fleet_init(f, members_room(o), err, errlen);
    return rc ? rc : members_add(f, o, env, err, errlen);
}

/* Building: names in order, the same address twice refused, the CLI's
 * choice named "default" when no engine is given. */
static void build(void **state)
{
    (void)state;
    struct options o;
    struct fleet f;
    struct backend_env env = { .docker = { .home = "/nonexistent" } };
    char err[512];

    char *three[] = { "dockerfs", "/m", "--host", "a=unix:///a.sock", "-H",
                      "b=tcp://127.0.0.1:1", "--host", "unix:///c.sock", NULL };
    assert_int_equal(opts_parse(&o, 8, three, err, sizeof err), 0);
    assert_int_equal(build_fleet(&f, &o, &env, err, sizeof err), 0);
    assert_int_equal(f.n, 3);
    struct backend_about a;
    assert_string_equal(f.m[0].name, "a");
    assert_string_equal(f.m[0].be.ops->kind, "docker");
    member_about(&f.m[0], &a);
    assert_string_equal(a.where, "/a.sock");
    assert_string_equal(f.m[1].name, "b");
    assert_string_equal(f.m[2].name, "default");
    assert_ptr_equal(fleet_member(&f, 1), &f.m[1]);
    assert_null(fleet_member(&f, 3));
    fleet_free(&f);
    opts_free(&o);

    char *twice[] = { "dockerfs", "/m", "--host", "a=unix:///a.sock", "-H",
                      "b=unix:///a.sock", NULL };
    assert_int_equal(opts_parse(&o, 6, twice, err, sizeof err), 0);
    assert_int_equal(build_fleet(&f, &o, &env, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "listed twice"));
    assert_int_equal(f.n, 1);
    fleet_free(&f);
    opts_free(&o);

    char *none[] = { "dockerfs", "/m", NULL };
    env.docker.host = "unix:///x.sock";
    assert_int_equal(opts_parse(&o, 2, none, err, sizeof err), 0);
    assert_int_equal(build_fleet(&f, &o, &env, err, sizeof err), 0);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.m[0].name, "default");
    member_about(&f.m[0], &a);
    assert_string_equal(a.where, "/x.sock");
    fleet_free(&f);
    opts_free(&o);

    char *nocontext[] = { "dockerfs", "/m", "--context", "nope", NULL };
    assert_int_equal(opts_parse(&o, 4, nocontext, err, sizeof err), 0);
    assert_int_not_equal(build_fleet(&f, &o, &env, err, sizeof err), 0);
    fleet_free(&f);
    opts_free(&o);
}

/* fleet_add takes any backend: the name is checked (valid, not taken),
 * a failed add frees the backend it was given, and the slot stays
 * free. */
static int destroyed;
static void count_destroy(void *impl) { (void)impl; destroyed++; }
static void fake_about(const void *impl, struct backend_about *a)
{
    a->display = a->where = impl;
    a->context = NULL;
    a->hint = "";
    a->things = "containers";
}

static void add_checks(void **state)
{
    (void)state;
    static const struct backend_ops fake = {
        .kind = "fake", .about = fake_about, .destroy = count_destroy,
    };
    struct fleet f;
    struct backend be;
    char err[256];
    unsigned ix = 7;

    destroyed = 0;
    assert_int_equal(fleet_init(&f, 2, err, sizeof err), 0);
    be = (struct backend){ &fake, "x://1" };
    assert_int_equal(fleet_add(&f, "one", &be, 0, &ix, err, sizeof err), 0);
    assert_int_equal(ix, 0);
    assert_null(be.ops);                        /* taken over */
    be = (struct backend){ &fake, "x://2" };
    assert_int_equal(fleet_add(&f, "bad name", &be, 0, &ix, err, sizeof err),
                     EINVAL);
    assert_int_equal(destroyed, 1);
    be = (struct backend){ &fake, "x://2" };
    assert_int_equal(fleet_add(&f, "one", &be, 0, &ix, err, sizeof err),
                     EEXIST);
    assert_int_equal(destroyed, 2);
    be = (struct backend){ &fake, "x://1" };
    assert_int_equal(fleet_add(&f, "two", &be, 0, &ix, err, sizeof err),
                     EINVAL);
    assert_non_null(strstr(err, "'one' and 'two' are one engine at x://1"));
    assert_int_equal(f.n, 1);
    be = (struct backend){ &fake, "x://2" };
    assert_int_equal(fleet_add(&f, "two", &be, FLEET_YIELDS, &ix, err,
                               sizeof err), 0);
    assert_int_equal(ix, 1);
    assert_int_equal(f.m[1].yields, 1);
    assert_int_equal(atomic_load(&f.m[1].down), 1);  /* not listed yet */
    be = (struct backend){ &fake, "x://3" };
    assert_int_equal(fleet_add(&f, "three", &be, 0, &ix, err, sizeof err),
                     ENOSPC);
    assert_int_equal(destroyed, 4);
    fleet_free(&f);
    assert_int_equal(destroyed, 6);
}

/* A down engine answers EIO at once; with FLEET_KILLS_IN_FLIGHT kills
 * waiting on a stalled engine one more gets EAGAIN (after
 * FLEET_KILL_STALL_MS), the others' budgets are their own. */
static void kill_budget(void **state)
{
    (void)state;
    struct member m[2];
    struct fleet f = { .m = m, .n = 2 };

    memset(m, 0, sizeof m);
    for (int i = 0; i < FLEET_KILLS_IN_FLIGHT; i++)
        assert_int_equal(fleet_kill_begin(&f, 0), 0);
    assert_int_equal(fleet_kill_begin(&f, 0), EAGAIN);
    assert_int_equal(fleet_kill_begin(&f, 1), 0);
    fleet_kill_end(&f, 1);
    fleet_kill_end(&f, 0);
    assert_int_equal(fleet_kill_begin(&f, 0), 0);
    m[1].down = 1;
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
    struct fleet f = { .m = m, .n = 1 };
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

/* ------------------------------------------------------------------
 * A second backend, in process: it serves a fixed list and records the
 * kills it is asked for, so the fleet's routing can be seen per member. */

#define TB_MAX 4

struct tb {
    const char *display;
    const char *ids[TB_MAX];        /* what it lists (full ids) */
    const char *names[TB_MAX];
    size_t n;
    char identity[64];
    int identity_rc;                /* what identity answers */
    struct follow out;              /* from wire */
    const struct options *opt;
    int lists, started, stopped, destroyed, inspects;
    char killed[TB_MAX][ID_LEN + 1];
    enum kill_action actions[TB_MAX];
    int nkilled;
};

static void tb_about(const void *impl, struct backend_about *a)
{
    const struct tb *t = impl;

    a->display = t->display;
    a->where = t->display;
    a->context = NULL;
    a->hint = "";
    a->things = "containers";
}

static void tb_wire(void *impl, const struct follow *out,
                    const struct options *o)
{
    struct tb *t = impl;

    t->out = *out;
    t->opt = o;
}

static int tb_identity(void *impl, char *id, size_t idlen, char *err,
                       size_t errlen)
{
    struct tb *t = impl;

    snprintf(id, idlen, "%s", t->identity_rc ? "" : t->identity);
    snprintf(err, errlen, "test backend %s: %s", t->display,
             t->identity_rc ? strerror(t->identity_rc) : "ok");
    return t->identity_rc;
}

static int tb_find(const struct tb *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->ids[i], id) == 0)
            return (int)i;
    return -1;
}

static int tb_list(void *impl, char *err, size_t errlen)
{
    struct tb *t = impl;
    struct container v[TB_MAX];
    int rc = 0;

    (void)err;
    (void)errlen;
    t->lists++;
    for (size_t i = 0; i < t->n; i++)
        assert_int_equal(container_set(&v[i], t->ids[i], t->names[i],
                                       "busybox", "running", 0, NULL, 0), 0);
    rc = follow_replace(&t->out, v, t->n);
    for (size_t i = 0; i < t->n; i++)
        container_clear(&v[i]);
    return rc;
}

static int tb_start(void *impl)
{
    ((struct tb *)impl)->started++;
    return 0;
}

static void tb_stop(void *impl)
{
    ((struct tb *)impl)->stopped++;
}

static int tb_inspect(void *impl, const struct container *c,
                      struct container *now, char *image_id,
                      size_t image_id_len, char *err, size_t errlen)
{
    struct tb *t = impl;
    int i = tb_find(t, c->id);

    t->inspects++;
    snprintf(image_id, image_id_len, "sha256:test");
    if (i < 0) {
        snprintf(err, errlen, "no such container");
        return ENOENT;
    }
    return container_set(now, t->ids[i], t->names[i], "busybox", "running",
                         0, NULL, 0);
}

static int tb_kill(void *impl, const struct container *c, enum kill_action a,
                   char *err, size_t errlen)
{
    struct tb *t = impl;
    const char *id = c->id;

    if (tb_find(t, id) < 0 || t->nkilled == TB_MAX) {
        snprintf(err, errlen, "no such container");
        return ENOENT;
    }
    snprintf(t->killed[t->nkilled], sizeof t->killed[0], "%s", id);
    t->actions[t->nkilled++] = a;
    return 0;
}

static void tb_destroy(void *impl)
{
    ((struct tb *)impl)->destroyed++;
}

static const struct backend_ops tb_ops = {
    .kind = "test", .about = tb_about, .wire = tb_wire,
    .identity = tb_identity, .list = tb_list, .start = tb_start,
    .stop = tb_stop, .inspect = tb_inspect, .kill = tb_kill,
    .destroy = tb_destroy,
};

static void give(struct member *m, const char *name, struct tb *t)
{
    snprintf(m->name, sizeof m->name, "%s", name);
    m->be.ops = &tb_ops;
    m->be.impl = t;
}

/* One engine ID is held by one member: the first claim wins, a second
 * member with it is told who holds it, an empty ID is never a clash. */
/* fleet_check_ids on check_f, for capture_stderr. */
static struct fleet *check_f;
static void check_ids_now(void)
{
    fleet_check_ids(check_f);
}

static void engine_ids(void **state)
{
    (void)state;
    struct member m[3];
    struct fleet f = { .m = m, .n = 3 };
    const char *id = "4f0c9a1e-7b2d-4c3e-9a55-0d1e2f3a4b5c";

    struct tb t[3] = { { .display = "unix:///x.sock" },
                       { .display = "unix:///y.sock" },
                       { .display = "tcp://127.0.0.1:1" } };

    memset(m, 0, sizeof m);
    give(&m[0], "a", &t[0]);
    give(&m[1], "b", &t[1]);
    give(&m[2], "c", &t[2]);
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

    /* At start-up: in order, the later one is refused (retired, logged,
     * both named), the others go on: one member, the same engine given
     * twice or one claiming another's identity, never keeps the mount
     * from starting. */
    memset(m, 0, sizeof m);
    give(&m[0], "a", &t[0]);
    give(&m[1], "b", &t[2]);
    give(&m[2], "c", &t[1]);
    snprintf(m[0].first_id, sizeof m[0].first_id, "%s", id);
    snprintf(m[1].first_id, sizeof m[1].first_id, "other");
    snprintf(m[2].first_id, sizeof m[2].first_id, "%s", id);
    check_f = &f;
    char *said = capture_stderr(check_ids_now);
    assert_non_null(strstr(said, "engine c at"));
    assert_non_null(strstr(said, "as engine a"));
    assert_non_null(strstr(said, id));
    assert_int_equal(atomic_load(&m[2].retired), 1);
    assert_int_equal(atomic_load(&m[0].retired), 0);
    assert_int_equal(atomic_load(&m[1].retired), 0);
    assert_string_equal(m[0].engine_id, id);
    assert_string_equal(m[1].engine_id, "other");
    free(said);

    /* Distinct, or unknown (""), IDs are no clash. */
    memset(m, 0, sizeof m);
    give(&m[0], "a", &t[0]);
    give(&m[1], "b", &t[0]);
    give(&m[2], "c", &t[0]);
    snprintf(m[0].first_id, sizeof m[0].first_id, "one");
    snprintf(m[1].first_id, sizeof m[1].first_id, "two");
    fleet_check_ids(&f);
    assert_string_equal(m[1].engine_id, "two");
    assert_string_equal(m[2].engine_id, "");
}

#define IA1 "a1a1a1a1a1a100000000000000000000000000000000000000000000000000a1"
#define IA2 "a2a2a2a2a2a211111111111111111111111111111111111111111111111111a2"
#define IB1 "b1b1b1b1b1b100000000000000000000000000000000000000000000000000b1"
#define IB2 "b2b2b2b2b2b211111111111111111111111111111111111111111111111111b2"

static struct fleet rf;
static struct tb rt[2];
static struct table *rtab;
static struct options ropt;
static struct killfiles rfiles;

/* Two members on the test backend, wired to a real table and listed. */
static void routed_fleet(void)
{
    struct follow_hooks hooks = { 0 };
    int bad = 1;

    memset(&ropt, 0, sizeof ropt);
    ropt.action = KILL_KILL;
    memset(rt, 0, sizeof rt);
    rt[0] = (struct tb){ .display = "test://a", .ids = { IA1, IA2 },
                         .names = { "web", "only-a" }, .n = 2,
                         .identity = "engine-A" };
    rt[1] = (struct tb){ .display = "test://b", .ids = { IB1, IB2 },
                         .names = { "web", "only-b" }, .n = 2,
                         .identity = "engine-B" };
    rf.n = 2;
    rf.m = calloc(2, sizeof *rf.m);
    assert_non_null(rf.m);
    give(&rf.m[0], "a", &rt[0]);
    give(&rf.m[1], "b", &rt[1]);
    assert_non_null(rtab = table_new());
    fleet_wire(&rf, rtab, &ropt, &hooks);
    assert_int_equal(fleet_first_list(&rf, &bad), 2);
    assert_int_equal(bad, 0);
    fleet_check_ids(&rf);
    killfiles_init(&rfiles);
}

static void unrouted_fleet(void)
{
    fleet_stop(&rf);
    fleet_free(&rf);
    killfiles_cleanup(&rfiles);
    table_free(rtab);
}

/* One write of "1" to the kill file of the row with short id sid. */
static int kill_row(const char *sid)
{
    struct kill_env env = { rtab, &ropt, "", &rfiles, &rf };
    struct kill_caller root = { .pid = 1 };
    uint64_t serial = 0, fh = 0;
    int rc;

    table_rdlock(rtab);
    const struct container *c = table_by_short_id(rtab, sid, &serial);
    table_unlock(rtab);
    assert_non_null(c);
    assert_int_equal(killfile_open(&env, &root, serial, O_WRONLY, &fh), 0);
    rc = killfile_write(&env, &root, serial, fh, "1\n", 2);
    killfile_release(&env, fh);
    return rc;
}

static void engine_of(const char *sid, unsigned ix, const char *name)
{
    uint64_t serial;

    table_rdlock(rtab);
    const struct container *c = table_by_short_id(rtab, sid, &serial);
    assert_non_null(c);
    assert_int_equal(c->engine_ix, ix);
    assert_string_equal(c->engine, name);
    table_unlock(rtab);
}

/* The fleet lists each member through its own ops into its own rows,
 * sends each kill to the backend of the row's engine and no other,
 * refuses one on a down member without asking it, and starts, stops and
 * frees every backend. */
static void routes_through_ops(void **state)
{
    (void)state;
    log_open(0, 0);
    routed_fleet();
    assert_int_equal(rt[0].lists, 1);
    assert_int_equal(rt[1].lists, 1);
    assert_int_equal(rt[0].out.engine_ix, 0);
    assert_int_equal(rt[1].out.engine_ix, 1);
    assert_ptr_equal(rt[1].out.down, &rf.m[1].down);
    assert_ptr_equal(rt[0].opt, &ropt);
    assert_string_equal(rf.m[0].engine_id, "engine-A");
    assert_string_equal(rf.m[1].engine_id, "engine-B");
    assert_int_equal(table_count(rtab), 4);
    engine_of("a1a1a1a1a1a1", 0, "a");
    engine_of("b1b1b1b1b1b1", 1, "b");

    /* A kill reaches its own engine's backend, with the action. */
    assert_int_equal(kill_row("b1b1b1b1b1b1"), 0);
    assert_int_equal(rt[1].nkilled, 1);
    assert_string_equal(rt[1].killed[0], IB1);
    assert_int_equal(rt[1].actions[0], KILL_KILL);
    assert_int_equal(rt[0].nkilled, 0);
    assert_int_equal(rt[0].inspects, 0);
    assert_int_equal(kill_row("a1a1a1a1a1a1"), 0);
    assert_int_equal(rt[0].nkilled, 1);
    assert_string_equal(rt[0].killed[0], IA1);
    assert_int_equal(rt[1].nkilled, 1);

    /* Gone from the engine since it was listed: its ENOENT, no kill. */
    rt[1].ids[0] = IB2;
    rt[1].n = 1;
    assert_int_equal(kill_row("b1b1b1b1b1b1"), ENOENT);
    assert_int_equal(rt[1].nkilled, 1);

    /* Down: EIO at once, the backend is not asked. */
    int inspects = rt[0].inspects;
    atomic_store(&rf.m[0].down, 1);
    assert_int_equal(kill_row("a1a1a1a1a1a1"), EIO);
    assert_int_equal(rt[0].inspects, inspects);
    assert_int_equal(rt[0].nkilled, 1);

    /* A re-list of b writes b's rows only. */
    assert_int_equal(rf.m[1].be.ops->list(rf.m[1].be.impl, NULL, 0), 0);
    assert_int_equal(table_count(rtab), 3);
    engine_of("a1a1a1a1a1a1", 0, "a");

    assert_int_equal(fleet_start(&rf), 0);
    assert_int_equal(rt[0].started + rt[1].started, 2);
    unrouted_fleet();
    assert_int_equal(rt[0].stopped, 1);
    assert_int_equal(rt[1].stopped, 1);
    assert_int_equal(rt[0].destroyed + rt[1].destroyed, 2);
}

static int admit_rc;

static void admit_a(void)
{
    char err[256];
    admit_rc = fleet_admit(&rf, 0, err, sizeof err);
}

/* Before a re-list: the same identity is trusted; another one is logged
 * once and answered ESTALE (rows to be dropped, the new engine listed as
 * this member, which holds its identity now); one another member holds
 * is EEXIST, and the gone identity is nobody's; not answering is its
 * errno; no usable identity is followed unchecked. */
static void identity_changes(void **state)
{
    (void)state;
    char err[256];

    log_open(0, 0);
    routed_fleet();
    assert_int_equal(fleet_admit(&rf, 0, err, sizeof err), 0);
    assert_string_equal(rf.m[0].engine_id, "engine-A");

    snprintf(rt[0].identity, sizeof rt[0].identity, "engine-A2");
    char *out = capture_stderr(admit_a);
    assert_int_equal(admit_rc, ESTALE);
    assert_non_null(strstr(out, "engine a: identity changed (was engine-A, "
                                "now engine-A2)"));
    assert_int_equal(count_lines(out), 1);
    free(out);
    assert_string_equal(rf.m[0].engine_id, "engine-A2");
    assert_int_equal(fleet_admit(&rf, 0, err, sizeof err), 0);
    /* The old identity is free again. */
    assert_int_equal(fleet_claim_id(&rf, 1, "engine-A"), -1);
    assert_int_equal(fleet_claim_id(&rf, 1, "engine-B"), -1);

    rt[0].identity_rc = EIO;
    assert_int_equal(fleet_admit(&rf, 0, err, sizeof err), EIO);
    assert_non_null(strstr(err, "test://a"));
    assert_string_equal(rf.m[0].engine_id, "engine-A2");
    rt[0].identity_rc = EPROTO;
    out = capture_stderr(admit_a);
    assert_int_equal(admit_rc, 0);
    assert_non_null(strstr(out, "not checked against the others"));
    free(out);
    out = capture_stderr(admit_a);      /* said once, not every retry */
    assert_int_equal(admit_rc, 0);
    assert_string_equal(out, "");
    free(out);
    rt[0].identity_rc = 0;

    snprintf(rt[0].identity, sizeof rt[0].identity, "engine-B");
    out = capture_stderr(admit_a);
    assert_int_equal(admit_rc, EEXIST);
    assert_non_null(strstr(out, "identity changed (was engine-A2, now "
                                "engine-B)"));
    assert_non_null(strstr(out, "engine a at test://a is engine b "
                                "(test://b): it is not followed"));
    free(out);
    assert_string_equal(rf.m[0].engine_id, "");
    assert_string_equal(rf.m[1].engine_id, "engine-B");
    unrouted_fleet();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(split_host_and_context),
        cmocka_unit_test(duplicates),
        cmocka_unit_test(through_opts),
        cmocka_unit_test(build),
        cmocka_unit_test(add_checks),
        cmocka_unit_test(kill_budget),
        cmocka_unit_test(kill_burst_waits),
        cmocka_unit_test(engine_ids),
        cmocka_unit_test(routes_through_ops),
        cmocka_unit_test(identity_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
