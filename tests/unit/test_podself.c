/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for podself.c: which pod is the one dockerfs runs in, from
 * the downward API's POD_UID / POD_NAME / POD_NAMESPACE, else the host
 * name in the service account's namespace. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "podself.h"

#define UID "aaaaaaaa-0000-4000-8000-000000000001"
#define ID "aaaaaaaa000040008000000000000001"
#define ID2 "bbbbbbbb000040008000000000000002"

static struct kube_target in_cluster = { .context = KUBE_IN_CLUSTER,
                                         .namespace = "ops" };
static struct kube_target from_file = { .context = "prod",
                                        .namespace = "ops" };

/* A pod row id/name in namespace ns (NULL: a Docker container). */
static void row(struct container *c, const char *id, const char *name,
                const char *ns)
{
    assert_int_equal(container_set(c, id, name, "img", "running", 0, NULL,
                                   0), 0);
    assert_int_equal(container_set_ns(c, ns), 0);
}

static int is(const struct podself *s, const char *id, const char *name,
              const char *ns)
{
    struct container c;
    row(&c, id, name, ns);
    int r = podself_is(s, &c);
    container_clear(&c);
    return r;
}

/* POD_UID: that pod and no other, whatever its name, in any cluster. */
static void by_uid(void **state)
{
    (void)state;
    struct kube_env env = { .pod_uid = UID, .pod_name = "web-0",
                            .pod_namespace = "ops" };
    struct podself s;
    char err[256];

    assert_int_equal(podself_init(&s, &from_file, &env, "host", err,
                                  sizeof err), 0);
    assert_true(podself_known(&s));
    assert_string_equal(s.how, "POD_UID");
    assert_true(is(&s, ID, "anything", "anywhere"));
    /* A new pod that took the name is another pod. */
    assert_false(is(&s, ID2, "web-0", "ops"));
    /* A Docker container with those digits is no pod. */
    assert_false(is(&s, ID, "web-0", NULL));
}

static void bad_uid(void **state)
{
    (void)state;
    const char *bad[] = { "aaaaaaaa", "AAAAAAAA-0000-4000-8000-000000000001",
                          ID, "aaaaaaaa-0000-4000-8000-00000000000g" };
    struct podself s;
    char err[256];

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct kube_env env = { .pod_uid = bad[i] };
        err[0] = '\0';
        assert_int_equal(podself_init(&s, &in_cluster, &env, "h", err,
                                      sizeof err), EINVAL);
        assert_non_null(strstr(err, "POD_UID"));
        assert_null(strchr(err, '\n'));
    }
}

/* In-cluster: POD_NAME in POD_NAMESPACE, before the host name and the
 * service account's namespace. */
static void by_name(void **state)
{
    (void)state;
    struct kube_env env = { .pod_name = "dockerfs-7d9f", .pod_namespace =
                            "games" };
    struct podself s;
    char err[256];

    assert_int_equal(podself_init(&s, &in_cluster, &env, "dockerfs-host",
                                  err, sizeof err), 0);
    assert_string_equal(s.how, "POD_NAME");
    assert_true(is(&s, ID, "dockerfs-7d9f", "games"));
    assert_false(is(&s, ID, "dockerfs-7d9f", "ops"));
    assert_false(is(&s, ID, "dockerfs-host", "games"));
    assert_false(is(&s, ID, "dockerfs-7d9f", NULL));
    /* POD_NAME without POD_NAMESPACE: the service account's. */
    env.pod_namespace = "";
    assert_int_equal(podself_init(&s, &in_cluster, &env, "h", err,
                                  sizeof err), 0);
    assert_true(is(&s, ID, "dockerfs-7d9f", "ops"));
}

/* Nothing from the downward API: the host name in the service
 * account's namespace (a pod's default host name is its name). */
static void by_hostname(void **state)
{
    (void)state;
    struct kube_env env = { 0 };
    struct kube_target nons = { .context = KUBE_IN_CLUSTER };
    struct podself s;
    char err[256];

    assert_int_equal(podself_init(&s, &in_cluster, &env, "web-0", err,
                                  sizeof err), 0);
    assert_string_equal(s.how, "the host name");
    assert_true(is(&s, ID, "web-0", "ops"));
    assert_false(is(&s, ID, "web-0", "shop"));
    /* No namespace known at all: no pod is taken for ours. */
    assert_int_equal(podself_init(&s, &nons, &env, "web-0", err,
                                  sizeof err), 0);
    assert_false(podself_known(&s));
    assert_false(is(&s, ID, "web-0", "ops"));
}

/* A cluster of a kubeconfig may be any cluster: a name says nothing. */
static void names_only_in_cluster(void **state)
{
    (void)state;
    struct kube_env env = { .pod_name = "web-0", .pod_namespace = "ops" };
    struct podself s;
    char err[256];

    assert_int_equal(podself_init(&s, &from_file, &env, "web-0", err,
                                  sizeof err), 0);
    assert_false(podself_known(&s));
    assert_false(is(&s, ID, "web-0", "ops"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_uid),
        cmocka_unit_test(bad_uid),
        cmocka_unit_test(by_name),
        cmocka_unit_test(by_hostname),
        cmocka_unit_test(names_only_in_cluster),
    };
    return cmocka_run_group_tests_name("podself", tests, NULL, NULL);
}
