/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for container.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "container.h"

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"

static void hex_check(void **state)
{
    (void)state;
    assert_true(id_is_hex("0123456789abcdef", 16));
    assert_false(id_is_hex("", 0));
    assert_false(id_is_hex(NULL, 3));
    assert_false(id_is_hex("ABC", 3));
    assert_false(id_is_hex("abg", 3));
    assert_false(id_is_hex("ab ", 3));
    assert_true(id_is_hex("abz", 2));
}

static void set_copies_and_sorts(void **state)
{
    (void)state;
    struct label in[] = { { "z", "last" }, { "a", "first" }, { "m", "mid" } };
    struct container c;
    assert_int_equal(container_set(&c, ID1, "web", "nginx:1", "running",
                                   1700000000, in, 3), 0);
    assert_string_equal(c.id, ID1);
    assert_string_equal(c.short_id, "4eeff8a1b2c3");
    assert_string_equal(c.name, "web");
    assert_string_equal(c.image, "nginx:1");
    assert_string_equal(c.state, "running");
    assert_int_equal(c.created, 1700000000);
    assert_int_equal(c.nlabels, 3);
    assert_string_equal(c.labels[0].key, "a");
    assert_string_equal(c.labels[1].key, "m");
    assert_string_equal(c.labels[2].key, "z");
    assert_ptr_not_equal(c.name, (void *)"web");
    assert_string_equal(container_label(&c, "m"), "mid");
    assert_string_equal(container_label(&c, "z"), "last");
    assert_null(container_label(&c, "q"));
    assert_null(container_label(&c, NULL));

    struct container d;
    assert_int_equal(container_copy(&d, &c), 0);
    container_clear(&c);
    assert_null(c.name);
    assert_int_equal(c.nlabels, 0);
    assert_string_equal(d.labels[0].value, "first");
    assert_string_equal(d.name, "web");
    container_clear(&d);
    container_clear(&d);
}

static void set_rejects_bad_ids(void **state)
{
    (void)state;
    struct container c;
    assert_int_equal(container_set(&c, NULL, "n", "i", "s", 0, NULL, 0), EINVAL);
    assert_int_equal(container_set(&c, "abc", "n", "i", "s", 0, NULL, 0), EINVAL);
    assert_int_equal(container_set(&c, ID1 "0", "n", "i", "s", 0, NULL, 0), EINVAL);
    char upper[] = ID1;
    upper[3] = 'E';
    assert_int_equal(container_set(&c, upper, "n", "i", "s", 0, NULL, 0), EINVAL);
    /* NULL strings become "". */
    assert_int_equal(container_set(&c, ID1, NULL, NULL, NULL, 0, NULL, 0), 0);
    assert_string_equal(c.name, "");
    assert_null(c.labels);
    assert_null(container_label(&c, "x"));
    container_clear(&c);
}

static const char *render(const struct container *c, enum file_kind k,
                          struct buf *b)
{
    buf_reset(b);
    assert_int_equal(container_render(c, k, b), 0);
    return buf_str(b);
}

static void render_every_kind(void **state)
{
    (void)state;
    struct label in[] = {
        { "b", "two\nlines" }, { "a", "back\\slash" }, { "c", "" },
        { "k\ney", "v=w" },
    };
    struct container c;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(container_set(&c, ID1, "web", "nginx:1", "exited",
                                   -5, in, 4), 0);
    assert_string_equal(render(&c, FILE_ID, &b), ID1 "\n");
    assert_string_equal(render(&c, FILE_NAME, &b), "web\n");
    assert_string_equal(render(&c, FILE_IMAGE, &b), "nginx:1\n");
    assert_string_equal(render(&c, FILE_STATE, &b), "exited\n");
    assert_string_equal(render(&c, FILE_CREATED, &b), "-5\n");
    assert_string_equal(render(&c, FILE_LABELS, &b),
                        "a=back\\\\slash\nb=two\\nlines\nc=\nk\\ney=v=w\n");
    assert_string_equal(render(&c, FILE_KILL, &b), "");
    assert_int_equal(container_render(&c, FILE_DIR, &b), EINVAL);
    /* protected needs the rules: fs.c renders it */
    assert_int_equal(container_render(&c, FILE_PROTECTED, &b), EINVAL);
    assert_int_equal(container_render(&c, FILE_LINK, &b), EINVAL);
    assert_int_equal(container_render(&c, FILE_KINDS, &b), EINVAL);
    assert_int_equal(container_render(&c, (enum file_kind)-1, &b), EINVAL);
    /* render appends */
    buf_reset(&b);
    container_render(&c, FILE_NAME, &b);
    container_render(&c, FILE_STATE, &b);
    assert_string_equal(buf_str(&b), "web\nexited\n");
    container_clear(&c);

    /* No labels: empty file. */
    assert_int_equal(container_set(&c, ID1, "x", "y", "z", 0, NULL, 0), 0);
    assert_string_equal(render(&c, FILE_LABELS, &b), "");
    assert_string_equal(render(&c, FILE_CREATED, &b), "0\n");
    container_clear(&c);
    buf_free(&b);
}

/* A hostile name, image or label cannot put a control character on a
 * terminal or forge a line: see escape.h. */
/* A cut label set ends with a line without "=": never a label. */
static void render_labels_cut(void **state)
{
    (void)state;
    struct label in[] = { { "a", "1" } };
    struct container c, d;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(container_set(&c, ID1, "web", "nginx:1", "running", 0,
                                   in, 1), 0);
    c.labels_cut = 4242;
    assert_string_equal(render(&c, FILE_LABELS, &b),
                        "a=1\n... 4242 more labels not shown (over 960 KiB of labels)\n");
    assert_int_equal(container_copy(&d, &c), 0);
    assert_int_equal(d.labels_cut, 4242);
    container_clear(&d);
    container_clear(&c);
    buf_free(&b);
}

static void render_escapes_controls(void **state)
{
    (void)state;
    struct label in[] = {
        { "x\rdockerfs.protect", "true" }, { "bell", "\a\x1b[2J" },
        { "nul", "a" "\xc0\x80" "b" }, { "dockerfs.protect=true", "" },
        { "a==b=", "c=d" },
    };
    struct container c;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(container_set(&c, ID1, "we\rb", "img\n:evil\x7f",
                                   "run\x1bning", 0, in, 5), 0);
    assert_string_equal(render(&c, FILE_NAME, &b), "we\\x0db\n");
    assert_string_equal(render(&c, FILE_IMAGE, &b), "img\\n:evil\\x7f\n");
    assert_string_equal(render(&c, FILE_STATE, &b), "run\\x1bning\n");
    assert_string_equal(render(&c, FILE_LABELS, &b),
                        "a\\x3d\\x3db\\x3d=c=d\n"
                        "bell=\\x07\\x1b[2J\n"
                        "dockerfs.protect\\x3dtrue=\n"
                        "nul=a\\x00b\n"
                        "x\\x0ddockerfs.protect=true\n");
    container_clear(&c);
    buf_free(&b);
}

static void kind_names(void **state)
{
    (void)state;
    const char *names[] = { "id", "name", "image", "state", "created",
                            "labels", "engine", "protected", "namespace",
                            "kill" };
    for (int k = FILE_ID; k <= FILE_KILL; k++) {
        assert_string_equal(file_kind_name((enum file_kind)k), names[k - 1]);
        assert_int_equal(file_kind_from_name(names[k - 1]), k);
    }
    assert_null(file_kind_name(FILE_DIR));
    assert_null(file_kind_name(FILE_LINK));
    assert_null(file_kind_name(FILE_KINDS));
    assert_int_equal(file_kind_from_name("ID"), FILE_KINDS);
    assert_int_equal(file_kind_from_name(""), FILE_KINDS);
    assert_int_equal(file_kind_from_name("kill2"), FILE_KINDS);
    assert_int_equal(file_kind_from_name(NULL), FILE_KINDS);
}

/* The engine file: the engine's name, "default" without one; a copy
 * keeps the engine (the name is the fleet's, shared, not copied). */
static void engine_file(void **state)
{
    (void)state;
    struct container c, d;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(container_set(&c, ID1, "web", "nginx", "running", 1,
                                   NULL, 0), 0);
    assert_string_equal(render(&c, FILE_ENGINE, &b), "default\n");
    static const char name[] = "prod";
    c.engine_ix = 3;
    c.engine = name;
    assert_string_equal(render(&c, FILE_ENGINE, &b), "prod\n");
    assert_int_equal(container_copy(&d, &c), 0);
    assert_int_equal(d.engine_ix, 3);
    assert_ptr_equal(d.engine, name);
    container_clear(&d);
    assert_null(d.engine);
    container_clear(&c);
    buf_free(&b);
}

/* A pod: a 32-hex id whose id file is the uid with its dashes, a
 * namespace file that a container does not have, both kept by a copy. */
static void pod_row(void **state)
{
    (void)state;
    struct container c, d;
    struct buf b;
    char id[POD_ID_LEN + 1];

    assert_int_equal(pod_id_from_uid("5f1c0a2b-3d4e-4f60-8a9b-0c1d2e3f4a5b",
                                     POD_UID_LEN, id), 0);
    assert_string_equal(id, "5f1c0a2b3d4e4f608a9b0c1d2e3f4a5b");
    assert_int_equal(pod_id_from_uid("5F1C0A2B-3D4E-4F60-8A9B-0C1D2E3F4A5B",
                                     POD_UID_LEN, id), EINVAL);
    assert_int_equal(pod_id_from_uid("5f1c0a2b3d4e-4f60-8a9b-0c1d2e3f4a5b-",
                                     POD_UID_LEN, id), EINVAL);
    assert_int_equal(pod_id_from_uid("5f1c0a2b-3d4e-4f60-8a9b-0c1d2e3f4a5", 35,
                                     id), EINVAL);
    assert_int_equal(pod_id_from_uid("5f1c0a2b-3d4e-4f60-8a9b-0c1d2e3f4a5g",
                                     POD_UID_LEN, id), EINVAL);
    assert_int_equal(pod_id_from_uid(NULL, 0, id), EINVAL);
    assert_true(id_valid("5f1c0a2b3d4e4f608a9b0c1d2e3f4a5b"));
    assert_false(id_valid("5f1c0a2b3d4e4f608a9b0c1d2e3f4a5"));
    assert_false(id_valid(""));

    assert_int_equal(container_set(&c, "5f1c0a2b3d4e4f608a9b0c1d2e3f4a5b",
                                   "web-1", "nginx", "running", 1, NULL, 0), 0);
    assert_string_equal(c.short_id, "5f1c0a2b3d4e");
    assert_false(container_has(&c, FILE_NAMESPACE));
    assert_true(container_has(&c, FILE_NAME));
    buf_init(&b, 0);
    assert_int_equal(container_render(&c, FILE_NAMESPACE, &b), EINVAL);
    buf_reset(&b);
    assert_int_equal(container_set_ns(&c, "shop"), 0);
    assert_true(container_has(&c, FILE_NAMESPACE));
    assert_int_equal(container_render(&c, FILE_NAMESPACE, &b), 0);
    assert_string_equal(buf_str(&b), "shop\n");
    buf_reset(&b);
    assert_int_equal(container_render(&c, FILE_ID, &b), 0);
    assert_string_equal(buf_str(&b), "5f1c0a2b-3d4e-4f60-8a9b-0c1d2e3f4a5b\n");
    assert_int_equal(container_copy(&d, &c), 0);
    assert_string_equal(d.ns, "shop");
    assert_ptr_not_equal(d.ns, c.ns);
    assert_int_equal(container_set_ns(&d, NULL), 0);
    assert_null(d.ns);
    container_clear(&d);
    container_clear(&c);
    buf_free(&b);
}

/* Every free() of container.c and of this file comes through here (the
 * suite links with -Wl,--wrap=free, tests/tests.mk): free_array sees what
 * containers_free gives back. */
void __real_free(void *p);
void __wrap_free(void *p);
static void *freed[64];
static size_t nfreed;

void __wrap_free(void *p)
{
    if (p && nfreed < sizeof freed / sizeof freed[0])
        freed[nfreed++] = p;
    __real_free(p);
}

static int was_freed(const void *p)
{
    for (size_t i = 0; i < nfreed; i++)
        if (freed[i] == p)
            return 1;
    return 0;
}

/* containers_free gives back the array and every string and label array
 * its containers own. */
static void free_array(void **state)
{
    (void)state;
    struct label in[] = { { "z", "last" }, { "a", "first" } };
    struct container *v = calloc(2, sizeof *v);
    assert_non_null(v);
    assert_int_equal(container_set(&v[0], ID1, "web", "nginx:1", "running",
                                   1700000000, in, 2), 0);
    assert_int_equal(container_set(&v[1], ID1, "db", "pg:16", "exited",
                                   1700000001, NULL, 0), 0);
    assert_int_equal(container_set_ns(&v[1], "shop"), 0);
    const void *owned[] = {
        v, v[0].name, v[0].image, v[0].state, v[0].labels,
        v[0].labels[0].key, v[0].labels[0].value,
        v[0].labels[1].key, v[0].labels[1].value,
        v[1].name, v[1].image, v[1].state, v[1].ns,
    };
    nfreed = 0;
    containers_free(v, 2);
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        if (!was_freed(owned[i]))
            fail_msg("containers_free left block %zu of %zu allocated", i,
                     sizeof owned / sizeof owned[0]);
    assert_int_equal(nfreed, sizeof owned / sizeof owned[0]);
    nfreed = 0;
    containers_free(NULL, 3);
    assert_int_equal(nfreed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hex_check),
        cmocka_unit_test(set_copies_and_sorts),
        cmocka_unit_test(set_rejects_bad_ids),
        cmocka_unit_test(render_every_kind),
        cmocka_unit_test(render_escapes_controls),
        cmocka_unit_test(render_labels_cut),
        cmocka_unit_test(kind_names),
        cmocka_unit_test(engine_file),
        cmocka_unit_test(pod_row),
        cmocka_unit_test(free_array),
    };
    return cmocka_run_group_tests_name("container", tests, NULL, NULL);
}
