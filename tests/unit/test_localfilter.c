/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for localfilter.c: --filter decided on one inspected container. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "localfilter.h"

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"

struct fixture {
    struct container c;
    struct inspect_info in;
    struct filters f;
};

static int setup(void **state)
{
    static struct fixture fx;
    struct label l[] = { { "app", "web" }, { "tier", "front" } };

    memset(&fx, 0, sizeof fx);
    assert_int_equal(container_set(&fx.c, ID1, "web-1", "nginx", "running",
                                   1, l, 2), 0);
    fx.in.running = 1;
    snprintf(fx.in.health, sizeof fx.in.health, "healthy");
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    container_clear(&fx->c);
    filters_free(&fx->f);
    return 0;
}

static void add(struct filters *f, const char *spec)
{
    char err[128];
    assert_int_equal(filters_add(f, spec, err, sizeof err), 0);
}

static int match(struct fixture *fx, int all)
{
    return localfilter_match(&fx->f, all, &fx->c, &fx->in);
}

static void no_filters(void **state)
{
    struct fixture *fx = *state;
    assert_true(localfilter_supported(&fx->f));
    assert_true(match(fx, 0));
    fx->in.running = 0;
    assert_false(match(fx, 0));     /* not running: only with --all */
    assert_true(match(fx, 1));
}

static void name_and_id(void **state)
{
    struct fixture *fx = *state;
    add(&fx->f, "name=web");
    assert_true(match(fx, 0));      /* found anywhere, as Docker's regexp */
    filters_free(&fx->f);
    add(&fx->f, "name=^web-1$");
    assert_true(match(fx, 0));
    filters_free(&fx->f);
    add(&fx->f, "name=^/web");      /* Docker's own name has the slash */
    assert_true(match(fx, 0));
    filters_free(&fx->f);
    add(&fx->f, "name=db");
    assert_false(match(fx, 0));
    add(&fx->f, "name=web");        /* values of one key: either */
    assert_true(match(fx, 0));
    add(&fx->f, "id=4eeff8");       /* keys: both */
    assert_true(match(fx, 0));
    add(&fx->f, "id=ffff");
    assert_true(match(fx, 0));
    filters_free(&fx->f);
    add(&fx->f, "id=ffff");
    assert_false(match(fx, 0));
}

static void labels_all_must_match(void **state)
{
    struct fixture *fx = *state;
    add(&fx->f, "label=app");
    assert_true(match(fx, 0));
    add(&fx->f, "label=tier=front");
    assert_true(match(fx, 0));
    add(&fx->f, "label=tier=back");
    assert_false(match(fx, 0));
    filters_free(&fx->f);
    add(&fx->f, "label=nope");
    assert_false(match(fx, 0));
}

static void status_exited_health(void **state)
{
    struct fixture *fx = *state;
    add(&fx->f, "status=exited");
    assert_false(match(fx, 0));
    free(fx->c.state);
    fx->c.state = strdup("exited");
    fx->in.running = 0;
    fx->in.exit_code = 3;
    assert_true(match(fx, 0));      /* a status filter implies --all */
    filters_free(&fx->f);
    add(&fx->f, "exited=3");
    assert_true(match(fx, 1));
    assert_false(match(fx, 0));
    filters_free(&fx->f);
    add(&fx->f, "exited=4");
    assert_false(match(fx, 1));
    filters_free(&fx->f);
    add(&fx->f, "health=healthy");
    assert_true(match(fx, 1));
    add(&fx->f, "health=none");
    assert_true(match(fx, 1));
    filters_free(&fx->f);
    add(&fx->f, "health=unhealthy");
    assert_false(match(fx, 1));
}

static void engine_only_keys(void **state)
{
    struct fixture *fx = *state;
    const char *keys[] = { "ancestor=nginx", "before=x", "since=x", "volume=v",
                           "network=n", "publish=80", "expose=80",
                           "isolation=default", "is-task=true" };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        filters_free(&fx->f);
        add(&fx->f, "name=web");
        assert_true(localfilter_supported(&fx->f));
        add(&fx->f, keys[i]);
        assert_false(localfilter_supported(&fx->f));
        assert_false(match(fx, 1));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(no_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(name_and_id, setup, teardown),
        cmocka_unit_test_setup_teardown(labels_all_must_match, setup, teardown),
        cmocka_unit_test_setup_teardown(status_exited_health, setup, teardown),
        cmocka_unit_test_setup_teardown(engine_only_keys, setup, teardown),
    };
    return cmocka_run_group_tests_name("localfilter", tests, NULL, NULL);
}
