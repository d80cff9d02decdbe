/* Unit tests for rules.c: --protect rules and --filter specs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rules.h"

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"
#define ID2 "0000000000001111111111112222222222223333333333334444444444445555"

static void make(struct container *c, const char *name, const char *image,
                 const struct label *l, size_t n)
{
    assert_int_equal(container_set(c, ID1, name, image, "running", 0, l, n), 0);
}

static void rules_bad_specs(void **state)
{
    (void)state;
    const char *bad[] = { "nonsense", "label=", "name=", "image=", "=x",
                          "label==x", "foo=bar", "", "Name=x", "labels=a" };
    struct rules r = { 0 };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[128] = "";
        assert_int_equal(rules_add(&r, bad[i], err, sizeof err), EINVAL);
        assert_true(strlen(err) > 0);
        assert_null(strchr(err, '\n'));
    }
    assert_int_equal(r.n, 0);
    assert_int_equal(rules_add(&r, NULL, NULL, 0), EINVAL);
    char tiny[4];
    assert_int_equal(rules_add(&r, "nonsense", tiny, sizeof tiny), EINVAL);
    assert_int_equal(strlen(tiny), 3);
    rules_free(&r);
}

static void rules_parse_good(void **state)
{
    (void)state;
    struct rules r = { 0 };
    char err[128];
    assert_int_equal(rules_add(&r, "label=tier=db", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "label=keep", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "label=k=", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "label=a=b=c", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "name=web-*", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "image=postgres*", err, sizeof err), 0);
    assert_int_equal(r.n, 6);
    assert_int_equal(r.v[0].kind, RULE_LABEL);
    assert_string_equal(r.v[0].key, "tier");
    assert_string_equal(r.v[0].value, "db");
    assert_string_equal(r.v[1].key, "keep");
    assert_null(r.v[1].value);
    assert_string_equal(r.v[2].value, "");
    assert_string_equal(r.v[3].key, "a");
    assert_string_equal(r.v[3].value, "b=c");
    assert_int_equal(r.v[4].kind, RULE_NAME);
    assert_null(r.v[4].key);
    assert_string_equal(r.v[4].value, "web-*");
    assert_int_equal(r.v[5].kind, RULE_IMAGE);
    rules_free(&r);
    assert_int_equal(r.n, 0);
    rules_free(&r);
}

static void protect_label_builtin(void **state)
{
    (void)state;
    struct rules none = { 0 };
    const char *yes[] = { "true", "TRUE", "True", "yes", "YES", "1" };
    const char *no[] = { "false", "0", "", "no", "on", "truex" };
    struct container c;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        struct label l = { PROTECT_LABEL, (char *)yes[i] };
        make(&c, "x", "y", &l, 1);
        assert_true(rules_protects(&none, &c, NULL));
        container_clear(&c);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        struct label l = { PROTECT_LABEL, (char *)no[i] };
        make(&c, "x", "y", &l, 1);
        assert_false(rules_protects(&none, &c, NULL));
        assert_false(rules_protects(NULL, &c, ""));
        container_clear(&c);
    }
}

static void protect_self(void **state)
{
    (void)state;
    struct rules none = { 0 };
    struct container c;
    make(&c, "x", "y", NULL, 0);
    assert_true(rules_protects(&none, &c, ID1));
    assert_false(rules_protects(&none, &c, ID2));
    assert_false(rules_protects(&none, &c, ""));
    assert_false(rules_protects(&none, &c, NULL));
    container_clear(&c);
}

static void protect_rules_match(void **state)
{
    (void)state;
    struct rules r = { 0 };
    char err[128];
    assert_int_equal(rules_add(&r, "label=tier=db", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "label=keep", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "name=web-*", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "image=postgres", err, sizeof err), 0);
    assert_int_equal(rules_add(&r, "image=registry:5000/team/*", err, sizeof err), 0);

    struct container c;
    struct label db = { "tier", "db" }, fe = { "tier", "fe" },
                 keep = { "keep", "" };
    make(&c, "a", "busybox", &db, 1);
    assert_true(rules_protects(&r, &c, NULL));
    container_clear(&c);
    make(&c, "a", "busybox", &fe, 1);
    assert_false(rules_protects(&r, &c, NULL));
    container_clear(&c);
    make(&c, "a", "busybox", &keep, 1);
    assert_true(rules_protects(&r, &c, NULL));
    container_clear(&c);

    const char *names_yes[] = { "web-1", "web-", "web-a-b" };
    const char *names_no[] = { "web", "xweb-1", "Web-1" };
    for (size_t i = 0; i < 3; i++) {
        make(&c, names_yes[i], "busybox", NULL, 0);
        assert_true(rules_protects(&r, &c, NULL));
        container_clear(&c);
        make(&c, names_no[i], "busybox", NULL, 0);
        assert_false(rules_protects(&r, &c, NULL));
        container_clear(&c);
    }
    const char *images_yes[] = { "postgres", "postgres:16", "postgres@sha256:ab",
                                 "registry:5000/team/app", "registry:5000/team/app:1" };
    const char *images_no[] = { "postgresql", "library/postgres", "x/postgres:1",
                                "registry:5000/other/app", "" };
    for (size_t i = 0; i < 5; i++) {
        make(&c, "n", images_yes[i], NULL, 0);
        assert_true(rules_protects(&r, &c, NULL));
        container_clear(&c);
        make(&c, "n", images_no[i], NULL, 0);
        assert_false(rules_protects(&r, &c, NULL));
        container_clear(&c);
    }
    rules_free(&r);
}

static void filters_bad(void **state)
{
    (void)state;
    const char *bad[] = { "=x", "nokey", "foo=bar", "label=", "status=",
                          "", "Label=x", "id" };
    struct filters f = { 0 };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[128] = "";
        assert_int_equal(filters_add(&f, bad[i], err, sizeof err), EINVAL);
        assert_true(strlen(err) > 0);
    }
    char err[128];
    assert_int_equal(filters_add(&f, "name=\xff\xfe", err, sizeof err), EINVAL);
    assert_int_equal(filters_add(&f, NULL, NULL, 0), EINVAL);
    assert_int_equal(f.n, 0);
    filters_free(&f);
}

static void filters_good_and_json(void **state)
{
    (void)state;
    struct filters f = { 0 };
    char err[128];
    int e = 5;
    assert_null(filters_json(&f, NULL, &e));
    assert_int_equal(e, 0);

    char *s = filters_json(&f, ID1, &e);
    assert_string_equal(s, "{\"id\":[\"" ID1 "\"]}");
    free(s);

    const char *keys[] = { "id", "name", "label", "exited", "status",
                           "ancestor", "before", "since", "volume", "network",
                           "publish", "expose", "health", "isolation", "is-task" };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        char spec[64];
        snprintf(spec, sizeof spec, "%s=v", keys[i]);
        struct filters g = { 0 };
        assert_int_equal(filters_add(&g, spec, err, sizeof err), 0);
        assert_true(filters_has(&g, keys[i]));
        filters_free(&g);
    }

    assert_int_equal(filters_add(&f, "label=tier=db", err, sizeof err), 0);
    assert_int_equal(filters_add(&f, "status=running", err, sizeof err), 0);
    assert_int_equal(filters_add(&f, "label=a", err, sizeof err), 0);
    assert_int_equal(filters_add(&f, "name=we\"b", err, sizeof err), 0);
    assert_true(filters_has(&f, "label"));
    assert_true(filters_has(&f, "status"));
    assert_false(filters_has(&f, "id"));
    assert_false(filters_has(&f, "lab"));
    assert_false(filters_has(&f, NULL));
    assert_false(filters_has(NULL, "label"));

    s = filters_json(&f, NULL, &e);
    assert_int_equal(e, 0);
    assert_string_equal(s, "{\"label\":[\"tier=db\",\"a\"],\"status\":[\"running\"],"
                           "\"name\":[\"we\\\"b\"]}");
    free(s);
    s = filters_json(&f, ID2, NULL);
    assert_string_equal(s, "{\"label\":[\"tier=db\",\"a\"],\"status\":[\"running\"],"
                           "\"name\":[\"we\\\"b\"],\"id\":[\"" ID2 "\"]}");
    free(s);

    /* only_id joins an existing id filter's array. */
    assert_int_equal(filters_add(&f, "id=abc", err, sizeof err), 0);
    s = filters_json(&f, ID1, NULL);
    assert_non_null(strstr(s, "\"id\":[\"abc\",\"" ID1 "\"]"));
    free(s);
    filters_free(&f);
    assert_int_equal(f.n, 0);
    assert_null(filters_json(NULL, NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_bad_specs),
        cmocka_unit_test(rules_parse_good),
        cmocka_unit_test(protect_label_builtin),
        cmocka_unit_test(protect_self),
        cmocka_unit_test(protect_rules_match),
        cmocka_unit_test(filters_bad),
        cmocka_unit_test(filters_good_and_json),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
