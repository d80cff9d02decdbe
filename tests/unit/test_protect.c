/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for protect.c: what keeps a container from being killed. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "protect.h"

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"
#define ID2 "0000000000001111111111112222222222223333333333334444444444445555"

static void make(struct container *c, const char *name, const char *image,
                 const struct label *l, size_t n)
{
    assert_int_equal(container_set(c, ID1, name, image, "running", 0, l, n), 0);
}

/* Labels cut from a record too big: a label rule on a key that may have
 * been cut cannot say "not protected"; keys always kept can. */
static void protect_labels_cut(void **state)
{
    (void)state;
    struct protect_rules r = { 0 };
    struct label l[] = { { "team", "web" } };
    struct container c;
    char err[128];

    make(&c, "web", "nginx", l, 1);
    assert_int_equal(protect_add(&r, "label=tier=prod", err, sizeof err), 0);
    assert_int_equal(protect_check(&r, &c, NULL, ""), 0);
    c.labels_cut = 3;
    assert_int_equal(protect_check(&r, &c, NULL, ""), EPERM);
    protect_free(&r);
    /* A rule on a label that is there decides as always. */
    assert_int_equal(protect_add(&r, "label=team=db", err, sizeof err), 0);
    assert_int_equal(protect_check(&r, &c, NULL, ""), 0);
    protect_free(&r);
    /* dockerfs.* labels are always kept: absent means absent. */
    assert_int_equal(protect_add(&r, "label=dockerfs.keep", err, sizeof err), 0);
    assert_int_equal(protect_check(&r, &c, NULL, ""), 0);
    assert_int_equal(protect_check(NULL, &c, NULL, ""), 0);
    protect_free(&r);
    container_clear(&c);
}

static void protect_bad_specs(void **state)
{
    (void)state;
    const char *bad[] = { "nonsense", "label=", "name=", "image=", "=x",
                          "label==x", "foo=bar", "", "Name=x", "labels=a",
                          "engine=", "engines=a" };
    struct protect_rules r = { 0 };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[128] = "";
        assert_int_equal(protect_add(&r, bad[i], err, sizeof err), EINVAL);
        assert_true(strlen(err) > 0);
        assert_null(strchr(err, '\n'));
    }
    assert_int_equal(r.n, 0);
    assert_int_equal(protect_add(&r, NULL, NULL, 0), EINVAL);
    char tiny[4];
    assert_int_equal(protect_add(&r, "nonsense", tiny, sizeof tiny), EINVAL);
    assert_int_equal(strlen(tiny), 3);
    protect_free(&r);
}

static void protect_parse_good(void **state)
{
    (void)state;
    struct protect_rules r = { 0 };
    char err[128];
    assert_int_equal(protect_add(&r, "label=tier=db", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "label=keep", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "label=k=", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "label=a=b=c", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "name=web-*", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "image=postgres*", err, sizeof err), 0);
    assert_int_equal(r.n, 6);
    assert_int_equal(r.v[0].kind, PROTECT_BY_LABEL);
    assert_string_equal(r.v[0].key, "tier");
    assert_string_equal(r.v[0].value, "db");
    assert_string_equal(r.v[1].key, "keep");
    assert_null(r.v[1].value);
    assert_string_equal(r.v[2].value, "");
    assert_string_equal(r.v[3].key, "a");
    assert_string_equal(r.v[3].value, "b=c");
    assert_int_equal(r.v[4].kind, PROTECT_BY_NAME);
    assert_null(r.v[4].key);
    assert_string_equal(r.v[4].value, "web-*");
    assert_int_equal(r.v[5].kind, PROTECT_BY_IMAGE);
    protect_free(&r);
    assert_int_equal(r.n, 0);
    protect_free(&r);
}

static void protect_label_builtin(void **state)
{
    (void)state;
    struct protect_rules none = { 0 };
    const char *yes[] = { "true", "TRUE", "True", "yes", "YES", "1" };
    const char *no[] = { "false", "0", "", "no", "on", "truex" };
    struct container c;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        struct label l = { PROTECT_LABEL, (char *)yes[i] };
        make(&c, "x", "y", &l, 1);
        assert_int_equal(EPERM, protect_check(&none, &c, NULL, NULL));
        container_clear(&c);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        struct label l = { PROTECT_LABEL, (char *)no[i] };
        make(&c, "x", "y", &l, 1);
        assert_int_equal(0, protect_check(&none, &c, NULL, NULL));
        assert_int_equal(0, protect_check(NULL, &c, NULL, ""));
        container_clear(&c);
    }
}

static void protect_self(void **state)
{
    (void)state;
    struct protect_rules none = { 0 };
    struct container c;
    make(&c, "x", "y", NULL, 0);
    assert_int_equal(EPERM, protect_check(&none, &c, NULL, ID1));
    assert_int_equal(0, protect_check(&none, &c, NULL, ID2));
    assert_int_equal(0, protect_check(&none, &c, NULL, ""));
    assert_int_equal(0, protect_check(&none, &c, NULL, NULL));
    /* The pod dockerfs runs in, as its backend marks it. */
    c.own = 1;
    assert_int_equal(EPERM, protect_check(&none, &c, NULL, NULL));
    assert_int_equal(EPERM, protect_check(NULL, &c, NULL, ID2));
    container_clear(&c);
}

static void protect_rules_match(void **state)
{
    (void)state;
    struct protect_rules r = { 0 };
    char err[128];
    assert_int_equal(protect_add(&r, "label=tier=db", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "label=keep", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "name=web-*", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "image=postgres", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "image=registry:5000/team/*", err, sizeof err), 0);

    struct container c;
    struct label db = { "tier", "db" }, fe = { "tier", "fe" },
                 keep = { "keep", "" };
    make(&c, "a", "busybox", &db, 1);
    assert_int_equal(EPERM, protect_check(&r, &c, NULL, NULL));
    container_clear(&c);
    make(&c, "a", "busybox", &fe, 1);
    assert_int_equal(0, protect_check(&r, &c, NULL, NULL));
    container_clear(&c);
    make(&c, "a", "busybox", &keep, 1);
    assert_int_equal(EPERM, protect_check(&r, &c, NULL, NULL));
    container_clear(&c);

    const char *names_yes[] = { "web-1", "web-", "web-a-b" };
    const char *names_no[] = { "web", "xweb-1", "Web-1" };
    for (size_t i = 0; i < 3; i++) {
        make(&c, names_yes[i], "busybox", NULL, 0);
        assert_int_equal(EPERM, protect_check(&r, &c, NULL, NULL));
        container_clear(&c);
        make(&c, names_no[i], "busybox", NULL, 0);
        assert_int_equal(0, protect_check(&r, &c, NULL, NULL));
        container_clear(&c);
    }
    const char *images_yes[] = { "postgres", "postgres:16", "postgres@sha256:ab",
                                 "registry:5000/team/app", "registry:5000/team/app:1" };
    const char *images_no[] = { "postgresql", "library/postgres", "x/postgres:1",
                                "registry:5000/other/app", "" };
    for (size_t i = 0; i < 5; i++) {
        make(&c, "n", images_yes[i], NULL, 0);
        assert_int_equal(EPERM, protect_check(&r, &c, NULL, NULL));
        container_clear(&c);
        make(&c, "n", images_no[i], NULL, 0);
        assert_int_equal(0, protect_check(&r, &c, NULL, NULL));
        container_clear(&c);
    }
    protect_free(&r);
}

/* What the container was created from counts, not only what the list
 * calls its image now: after `docker tag other db:prod` the list says
 * sha256:..., the inspect still says Config.Image db:prod. */
static void protect_image_ids(void **state)
{
    (void)state;
    struct protect_rules r = { 0 };
    struct container c;
    const char *old_id = "sha256:4f2e00000000000000000000000000000000000000000000000000000000aaaa";
    char err[128];

    assert_int_equal(protect_add(&r, "image=db:prod", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "image=sha256:4f2e*", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "image=77aa*", err, sizeof err), 0);
    make(&c, "n", "sha256:9999", NULL, 0);
    assert_int_equal(0, protect_check(&r, &c, NULL, NULL));
    assert_int_equal(0, protect_check(&r, &c, "", NULL));
    assert_int_equal(EPERM, protect_check(&r, &c, old_id, NULL));
    assert_int_equal(EPERM, protect_check(&r, &c, "sha256:77aa01", NULL));
    assert_int_equal(EPERM, protect_check(&r, &c, "77aa01", NULL));   /* Podman */
    assert_int_equal(0, protect_check(&r, &c, "sha256:1234", NULL));
    /* "sha256" is not a tag of the id: image=sha256 protects nothing. */
    struct protect_rules bare = { 0 };
    assert_int_equal(protect_add(&bare, "image=sha256", err, sizeof err), 0);
    assert_int_equal(0, protect_check(&bare, &c, old_id, NULL));
    protect_free(&bare);
    container_clear(&c);
    make(&c, "n", "db:prod", NULL, 0);      /* the inspect's Config.Image */
    assert_int_equal(EPERM, protect_check(&r, &c, "sha256:1234", NULL));
    container_clear(&c);
    protect_free(&r);
}

/* engine=GLOB protects what is on a matching engine of the fleet; a
 * container with no engine is on "default". */
static void protect_by_engine(void **state)
{
    (void)state;
    struct protect_rules r = { 0 };
    struct container c;
    char err[128];

    assert_int_equal(protect_add(&r, "engine=prod*", err, sizeof err), 0);
    make(&c, "web", "nginx", NULL, 0);
    assert_int_equal(protect_check(&r, &c, NULL, NULL), 0);
    c.engine = "prod-eu";
    assert_int_equal(protect_check(&r, &c, NULL, NULL), EPERM);
    c.engine = "dev";
    assert_int_equal(protect_check(&r, &c, NULL, NULL), 0);
    c.engine = NULL;
    assert_int_equal(protect_add(&r, "engine=default", err, sizeof err), 0);
    assert_int_equal(protect_check(&r, &c, NULL, NULL), EPERM);
    container_clear(&c);
    protect_free(&r);
}

/* namespace=GLOB protects a pod in a matching namespace; a container
 * has none and is never matched. */
static void protect_by_namespace(void **state)
{
    (void)state;
    struct protect_rules r = { 0 };
    struct container c;
    char err[128];

    assert_int_equal(protect_add(&r, "namespace=kube-*", err, sizeof err), 0);
    assert_int_equal(protect_add(&r, "namespace=", err, sizeof err), EINVAL);
    make(&c, "web", "nginx", NULL, 0);
    assert_int_equal(protect_check(&r, &c, NULL, NULL), 0);
    assert_int_equal(container_set_ns(&c, "kube-system"), 0);
    assert_int_equal(protect_check(&r, &c, NULL, NULL), EPERM);
    assert_int_equal(container_set_ns(&c, "shop"), 0);
    assert_int_equal(protect_check(&r, &c, NULL, NULL), 0);
    container_clear(&c);
    protect_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(protect_by_namespace),
        cmocka_unit_test(protect_bad_specs),
        cmocka_unit_test(protect_labels_cut),
        cmocka_unit_test(protect_parse_good),
        cmocka_unit_test(protect_label_builtin),
        cmocka_unit_test(protect_self),
        cmocka_unit_test(protect_rules_match),
        cmocka_unit_test(protect_image_ids),
        cmocka_unit_test(protect_by_engine),
    };
    return cmocka_run_group_tests_name("protect", tests, NULL, NULL);
}
