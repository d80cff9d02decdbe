/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for swarm.c's pure parts: GET /nodes into nodes, the
 * --swarm-engine template, the engine name of a node, the difference
 * between the followed nodes and the listed ones; and fleet_add, the
 * fleet growing in its fixed room (no engine is asked). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backend_docker.h"
#include "fleet.h"
#include "members.h"
#include "opts.h"
#include "swarm.h"

static const char nodes_json[] =
    "[{\"ID\":\"abcdef123456789012345678z\",\"Description\":"
    "{\"Hostname\":\"vm\"},\"Status\":{\"State\":\"ready\","
    "\"Addr\":\"10.0.0.1\"},\"ManagerStatus\":{\"Leader\":true}},"
    " {\"ID\":\"zyxwvu987654321\",\"Description\":{\"Hostname\":\"w-2.lan\"},"
    "\"Status\":{\"State\":\"down\",\"Addr\":\"10.0.0.2\"}},"
    " {\"ID\":\"bad id\",\"Description\":{\"Hostname\":\"x\"}},"
    " {\"Description\":{\"Hostname\":\"noid\"}},"
    " {\"ID\":\"q1\",\"Description\":{\"Hostname\":\"evil host/\\n\"},"
    "\"Status\":{\"State\":\"unknown\",\"Addr\":\"1.2.3.4/x\"}},"
    " 17]";

static void parse_nodes(void **state)
{
    struct swarm_node *v;
    size_t n;

    (void)state;
    assert_int_equal(swarm_parse_nodes(nodes_json, strlen(nodes_json), &v,
                                       &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].id, "abcdef123456789012345678z");
    assert_string_equal(v[0].hostname, "vm");
    assert_string_equal(v[0].addr, "10.0.0.1");
    assert_int_equal(v[0].down, 0);
    assert_string_equal(v[1].id, "zyxwvu987654321");
    assert_string_equal(v[1].hostname, "w-2.lan");
    assert_int_equal(v[1].down, 1);
    /* Bytes that could reach a URL or a log line are not kept. */
    assert_string_equal(v[2].id, "q1");
    assert_string_equal(v[2].hostname, "");
    assert_string_equal(v[2].addr, "");
    assert_int_equal(v[2].down, 0);
    free(v);
    assert_int_equal(swarm_parse_nodes("{}", 2, &v, &n), EINVAL);
    assert_null(v);
    assert_int_equal(swarm_parse_nodes("[", 1, &v, &n), EINVAL);
    assert_int_equal(swarm_parse_nodes("[]", 2, &v, &n), 0);
    assert_int_equal(n, 0);
    free(v);
}

static void templates(void **state)
{
    struct swarm_node nd = { .id = "abc123", .hostname = "h1",
                             .addr = "10.0.0.9" };
    struct swarm_node noaddr = { .id = "abc123", .hostname = "h1" };
    char err[256], out[64];

    (void)state;
    assert_int_equal(swarm_template_check(SWARM_ENGINE_DEFAULT, err,
                                          sizeof err), 0);
    assert_int_equal(swarm_template_check("unix:///run/{id}.sock", err,
                                          sizeof err), 0);
    assert_int_equal(swarm_template_check("tcp://{addr}:{port}", err,
                                          sizeof err), EINVAL);
    assert_non_null(strstr(err, "unknown placeholder {port}"));
    assert_int_equal(swarm_template_check("tcp://{addr:2376", err,
                                          sizeof err), EINVAL);
    assert_int_equal(swarm_template_check("tcp://addr}:2376", err,
                                          sizeof err), EINVAL);
    assert_int_equal(swarm_template_check("http://{addr}", err,
                                          sizeof err), EINVAL);
    assert_int_equal(swarm_expand(SWARM_ENGINE_DEFAULT, &nd, out,
                                  sizeof out), 0);
    assert_string_equal(out, "tcp://10.0.0.9:2376");
    assert_int_equal(swarm_expand("unix:///s/{id}-{hostname}.sock", &nd, out,
                                  sizeof out), 0);
    assert_string_equal(out, "unix:///s/abc123-h1.sock");
    assert_int_equal(swarm_expand(SWARM_ENGINE_DEFAULT, &noaddr, out,
                                  sizeof out), EINVAL);
    assert_int_equal(swarm_expand("tcp://{bad}", &nd, out, sizeof out),
                     EINVAL);
    assert_int_equal(swarm_expand(SWARM_ENGINE_DEFAULT, &nd, out, 19),
                     ENAMETOOLONG);
    assert_int_equal(swarm_expand(SWARM_ENGINE_DEFAULT, &nd, out, 20), 0);
}

/* A node that reports an IPv6 address: its colons must not run into the
 * port's. */
static void templates_ipv6(void **state)
{
    struct swarm_node nd = { .id = "abc123", .hostname = "h1",
                             .addr = "fd00::2" };
    char out[128];

    (void)state;
    assert_int_equal(swarm_expand(SWARM_ENGINE_DEFAULT, &nd, out,
                                  sizeof out), 0);
    assert_string_equal(out, "tcp://[fd00::2]:2376");
    /* Bracketed by the template already: not twice. */
    assert_int_equal(swarm_expand("tcp://[{addr}]:2375", &nd, out,
                                  sizeof out), 0);
    assert_string_equal(out, "tcp://[fd00::2]:2375");
    /* A socket path is no host:port. */
    assert_int_equal(swarm_expand("unix:///s/{addr}.sock", &nd, out,
                                  sizeof out), 0);
    assert_string_equal(out, "unix:///s/fd00::2.sock");
    /* The brackets count against the length. */
    assert_int_equal(swarm_expand(SWARM_ENGINE_DEFAULT, &nd, out, 20),
                     ENAMETOOLONG);
    assert_int_equal(swarm_expand(SWARM_ENGINE_DEFAULT, &nd, out, 21), 0);
}

static int taken_b(void *arg, const char *name)
{
    (void)arg;
    return strcmp(name, "b") == 0 || strcmp(name, "node-ffffff") == 0;
}

static void names(void **state)
{
    struct swarm_node v[] = {
        { .id = "aaaaaa111", .hostname = "a" },
        { .id = "bbbbbb222", .hostname = "same" },
        { .id = "cccccc333", .hostname = "same" },
        { .id = "dddddd444", .hostname = "" },
        { .id = "eeeeee555", .hostname = "b" },
        { .id = "ffffff666", .hostname = "" },
        { .id = "gggggg777", .hostname =
          "h123456789012345678901234567890123456789012345678901234567" },
    };
    char name[ENGINE_NAME_MAX + 1];

    (void)state;
    assert_int_equal(swarm_node_name(v, 7, 0, NULL, NULL, name), 0);
    assert_string_equal(name, "a");
    /* One host name for two nodes (one machine): the ID tells them. */
    assert_int_equal(swarm_node_name(v, 7, 1, NULL, NULL, name), 0);
    assert_string_equal(name, "same-bbbbbb");
    assert_int_equal(swarm_node_name(v, 7, 2, NULL, NULL, name), 0);
    assert_string_equal(name, "same-cccccc");
    assert_int_equal(swarm_node_name(v, 7, 3, NULL, NULL, name), 0);
    assert_string_equal(name, "node-dddddd");
    /* Taken by another member (--host b=...). */
    assert_int_equal(swarm_node_name(v, 7, 4, taken_b, NULL, name), 0);
    assert_string_equal(name, "b-eeeeee");
    assert_int_equal(swarm_node_name(v, 7, 5, taken_b, NULL, name), EEXIST);
    /* 57 characters: with -gggggg it would be over 63. */
    assert_int_equal(swarm_node_name(v, 7, 6, NULL, NULL, name), 0);
    assert_string_equal(name, v[6].hostname);
    assert_int_equal(swarm_node_name(v, 7, 6, taken_b, NULL, name), 0);
    v[6].hostname[0] = 'b';
    assert_int_equal(swarm_node_name(v, 7, 6, NULL, NULL, name), 0);
    v[4].hostname[0] = 'x';
    assert_int_equal(swarm_node_name(v, 7, 6, taken_b, NULL, name), 0);
    for (size_t i = 0; i < 7; i++) {
        if (swarm_node_name(v, 7, i, NULL, NULL, name) == 0)
            assert_true(engine_name_valid(name, strlen(name)));
    }
}

static void diff(void **state)
{
    struct swarm_known k[] = {
        { .id = "n1", .ix = 0, .down = 0 },
        { .id = "n2", .ix = 1, .down = 0 },
        { .id = "n3", .ix = 2, .down = 1 },
        { .id = "n4", .ix = 3, .down = 1 },
        { .id = "n5", .ix = 4, .down = 0 },
    };
    struct swarm_node v[] = {
        { .id = "n1" }, { .id = "n2", .down = 1 }, { .id = "n3" },
        { .id = "n4", .down = 1 }, { .id = "n6" },
    };
    enum swarm_change what[5];
    int added[5];

    (void)state;
    swarm_diff(k, 5, v, 5, what, added);
    assert_int_equal(what[0], SWARM_SAME);
    assert_int_equal(what[1], SWARM_DOWN);
    assert_int_equal(what[2], SWARM_UP);
    assert_int_equal(what[3], SWARM_SAME);
    assert_int_equal(what[4], SWARM_GONE);
    assert_int_equal(added[0] + added[1] + added[2] + added[3], 0);
    assert_int_equal(added[4], 1);
    swarm_diff(k, 5, v, 0, what, added);
    for (int i = 0; i < 5; i++)
        assert_int_equal(what[i], SWARM_GONE);
    swarm_diff(NULL, 0, v, 5, what, added);
    for (int i = 0; i < 5; i++)
        assert_int_equal(added[i], 1);
}

/* A node's member: a Docker backend for url, added as --swarm does. */
static int add_node(struct fleet *f, const char *name, const char *url,
                    unsigned *ix, char *err, size_t errlen)
{
    struct docker_env env;
    struct backend be;
    int rc;

    memset(&env, 0, sizeof env);
    memset(&be, 0, sizeof be);
    if ((rc = backend_docker_new(&be, SPEC_HOST, url, &env, err, errlen)))
        return rc;
    return fleet_add(f, name, &be, FLEET_YIELDS, ix, err, errlen);
}

static void fleet_grows(void **state)
{
    char *argv[] = { "dockerfs", "--swarm", "unix:///m.sock",
                     "--host", "a=unix:///a.sock", "/mnt", NULL };
    struct options o;
    struct backend_env env;
    struct fleet f;
    char err[256], url[64], name[16];
    unsigned ix = 99;

    (void)state;
    memset(&env, 0, sizeof env);
    assert_int_equal(opts_parse(&o, 6, argv, err, sizeof err), 0);
    assert_string_equal(o.swarm, "unix:///m.sock");
    assert_null(o.swarm_engine);
    assert_int_equal(members_room(&o), 1 + SWARM_NODES_MAX);
    assert_int_equal(fleet_init(&f, members_room(&o), err, sizeof err), 0);
    assert_int_equal(members_add(&f, &o, &env, err, sizeof err), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.cap, 1 + SWARM_NODES_MAX);
    struct member *first = fleet_member(&f, 0);
    assert_int_equal(add_node(&f, "a", "unix:///b.sock", &ix, err,
                              sizeof err), EEXIST);
    assert_int_equal(add_node(&f, "n", "bogus://x", &ix, err, sizeof err),
                     EINVAL);
    assert_int_equal(add_node(&f, "n", "unix:///a.sock", &ix, err,
                              sizeof err), EINVAL);
    assert_non_null(strstr(err, "listed twice"));
    assert_int_equal(f.n, 1);
    assert_null(fleet_member(&f, 1));
    for (int i = 0; i < SWARM_NODES_MAX; i++) {
        snprintf(url, sizeof url, "unix:///n%d.sock", i);
        snprintf(name, sizeof name, "n%d", i);
        assert_int_equal(add_node(&f, name, url, &ix, err, sizeof err), 0);
        assert_int_equal(ix, (unsigned)i + 1);
        assert_string_equal(fleet_member(&f, ix)->name, name);
        assert_int_equal(fleet_member(&f, ix)->yields, 1);
        /* Not listed yet: kills get EIO. */
        assert_int_equal(fleet_kill_begin(&f, ix), EIO);
    }
    assert_int_equal(add_node(&f, "over", "unix:///o.sock", &ix, err,
                              sizeof err), ENOSPC);
    /* Members never move while the fleet grows. */
    assert_ptr_equal(fleet_member(&f, 0), first);
    fleet_free(&f);
    opts_free(&o);
}

static void options(void **state)
{
    char *a1[] = { "dockerfs", "--swarm-engine", "tcp://{addr}:1", "/m", NULL };
    char *a2[] = { "dockerfs", "--swarm", "unix:///m", "--swarm-engine",
                   "tcp://{nope}", "/m", NULL };
    char *a3[] = { "dockerfs", "--swarm", "m:2375", "/m", NULL };
    char *a4[] = { "dockerfs", "--swarm", "unix:///m", "--swarm",
                   "unix:///n", "/m", NULL };
    char *a5[] = { "dockerfs", "--swarm", "tcp://m:2376", "--swarm-engine",
                   "unix:///s/{id}.sock", "/m", NULL };
    struct options o;
    char err[256];

    (void)state;
    assert_int_equal(opts_parse(&o, 4, a1, err, sizeof err), 2);
    assert_string_equal(err, "--swarm-engine needs --swarm");
    assert_int_equal(opts_parse(&o, 6, a2, err, sizeof err), 2);
    assert_non_null(strstr(err, "unknown placeholder {nope}"));
    assert_int_equal(opts_parse(&o, 4, a3, err, sizeof err), 2);
    assert_int_equal(opts_parse(&o, 6, a4, err, sizeof err), 2);
    assert_int_equal(opts_parse(&o, 6, a5, err, sizeof err), 0);
    assert_string_equal(o.swarm_engine, "unix:///s/{id}.sock");
    assert_true(o.swarm_poll == SWARM_POLL_S);
    opts_free(&o);

    char *p1[] = { "dockerfs", "--swarm-poll", "1", "/m", NULL };
    char *p2[] = { "dockerfs", "--swarm", "unix:///m", "--swarm-poll", "0",
                   "/m", NULL };
    char *p3[] = { "dockerfs", "--swarm", "unix:///m", "--swarm-poll", "x",
                   "/m", NULL };
    char *p4[] = { "dockerfs", "--swarm", "unix:///m", "--swarm-poll", "0.5",
                   "/m", NULL };
    assert_int_equal(opts_parse(&o, 4, p1, err, sizeof err), 2);
    assert_string_equal(err, "--swarm-poll needs --swarm");
    assert_int_equal(opts_parse(&o, 6, p2, err, sizeof err), 2);
    assert_non_null(strstr(err, "bad --swarm-poll '0'"));
    assert_int_equal(opts_parse(&o, 6, p3, err, sizeof err), 2);
    assert_int_equal(opts_parse(&o, 6, p4, err, sizeof err), 0);
    assert_true(o.swarm_poll == 0.5);
    opts_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_nodes),
        cmocka_unit_test(templates),
        cmocka_unit_test(templates_ipv6),
        cmocka_unit_test(names),
        cmocka_unit_test(diff),
        cmocka_unit_test(fleet_grows),
        cmocka_unit_test(options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
