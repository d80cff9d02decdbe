/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for jtrim.c: records cut down to what dockerfs reads, label
 * sets cut at a budget but for the labels protection reads, malformed
 * input left for the decoder to refuse. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "jtrim.h"

static const char *const KEEP[] = { "Id", "Names", "Labels", "State", NULL };
static const char *const IKEEP[] = { "Id", "Name", "Config", "State", NULL };
static const char *const IDESC[] = { "Config", NULL };
static const char *const IINNER[] = { "Image", "Labels", NULL };

/* in, trimmed (fed in pieces of chunk bytes) into out (max bytes). */
static void trim(struct jtrim *t, struct buf *out, size_t max, const char *in,
                 size_t chunk, size_t labels_max, int inspect)
{
    buf_init(out, max);
    jtrim_init(t, out, inspect ? IKEEP : KEEP, inspect ? IDESC : NULL,
               inspect ? IINNER : NULL, labels_max);
    size_t len = strlen(in);
    for (size_t off = 0; off < len; off += chunk)
        jtrim_feed(t, in + off, len - off < chunk ? len - off : chunk);
}

static void members(void **state)
{
    (void)state;
    struct jtrim t;
    struct buf out;
    const char *in =
        "{ \"Id\" : \"abc\", \"Command\":\"sh -c '{[\\\"'\", \"Names\":[\"/web\", \"/x/y\"],"
        "\"Ports\":[{\"P\":1},{\"P\":[2,3]}], \"Created\": 17,"
        " \"State\":\"running\", \"Mounts\":null, \"Labels\":{ \"a\" : \"1\","
        " \"b\":{\"nested\":[1,\"}\"]}, \"c\":true } }";
    for (size_t chunk = 1; chunk <= strlen(in); chunk *= 3) {
        trim(&t, &out, 0, in, chunk, 1 << 20, 0);
        assert_int_equal(t.full, 0);
        assert_int_equal(t.cut, 0);
        assert_string_equal(out.data,
            "{\"Id\":\"abc\",\"Names\":[\"/web\",\"/x/y\"],\"State\":\"running\","
            "\"Labels\":{\"a\":\"1\",\"b\":{\"nested\":[1,\"}\"]},\"c\":true}}");
        buf_free(&out);
    }
}

/* Labels past the budget are left out and counted, the protect label
 * and escaped keys always kept; the result still decodes. */
static void labels_budget(void **state)
{
    (void)state;
    struct jtrim t;
    struct buf out, in;

    buf_init(&in, 0);
    assert_int_equal(buf_printf(&in, "{\"Id\":\"x\",\"Labels\":{"), 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(buf_printf(&in, "%s\"k%03d\":\"%090d\"", i ? "," : "", i, i), 0);
    assert_int_equal(buf_printf(&in, ",\"dockerfs.protect\":\"true\","
                                "\"dockerfs\\u002eprotect\":\"yes\",\"z\":\"1\"},"
                                "\"State\":\"running\"}"), 0);
    trim(&t, &out, 0, in.data, 4096, 1000, 0);
    assert_int_equal(t.full, 0);
    json_t *o = json_loads(out.data, 0, NULL);
    assert_non_null(o);
    json_t *l = json_object_get(o, "Labels");
    /* Some of the k labels fit in 1000 bytes, the rest are cut and
     * counted; "z" comes after the budget is spent: cut. */
    size_t kept = 100 - (t.cut - 1);
    assert_true(kept > 5 && kept < 12);
    assert_non_null(json_object_get(l, "k000"));
    assert_null(json_object_get(l, "k099"));
    assert_null(json_object_get(l, "z"));
    /* Both spellings of the protect label are kept (decoded, they are
     * one key). */
    assert_int_equal(json_object_size(l), kept + 1);
    assert_non_null(json_object_get(l, "dockerfs.protect"));
    assert_non_null(strstr(out.data, "\"dockerfs.protect\":\"true\""));
    assert_non_null(strstr(out.data, "\"dockerfs\\u002eprotect\":\"yes\""));
    assert_string_equal(json_string_value(json_object_get(o, "State")), "running");
    json_decref(o);
    buf_free(&out);
    buf_free(&in);
}

/* A label bigger than the whole buffer is cut alone; a protect label that
 * cannot be kept makes the record one that cannot be kept; anything else
 * that outgrows the buffer too. */
static void outgrown(void **state)
{
    (void)state;
    struct jtrim t;
    struct buf out, in;

    buf_init(&in, 0);
    assert_int_equal(buf_printf(&in, "{\"Id\":\"x\",\"Labels\":{\"small\":\"1\",\"big\":\""), 0);
    for (int i = 0; i < 300; i++)
        assert_int_equal(buf_add(&in, "0123456789", 10), 0);
    assert_int_equal(buf_printf(&in, "\",\"after\":\"2\"}}"), 0);
    trim(&t, &out, 1024, in.data, 100, 1 << 20, 0);
    assert_int_equal(t.full, 0);
    assert_int_equal(t.cut, 1);
    assert_string_equal(out.data, "{\"Id\":\"x\",\"Labels\":{\"small\":\"1\",\"after\":\"2\"}}");
    buf_free(&out);

    /* The same size as the protect label's value: the record is lost. */
    buf_reset(&in);
    assert_int_equal(buf_printf(&in, "{\"Id\":\"x\",\"Labels\":{\"dockerfs.protect\":\""), 0);
    for (int i = 0; i < 300; i++)
        assert_int_equal(buf_add(&in, "0123456789", 10), 0);
    assert_int_equal(buf_printf(&in, "\"}}"), 0);
    trim(&t, &out, 1024, in.data, 100, 1 << 20, 0);
    assert_int_equal(t.full, 1);
    buf_free(&out);

    /* A name as big: the record cannot be kept. */
    buf_reset(&in);
    assert_int_equal(buf_printf(&in, "{\"Id\":\"x\",\"Names\":[\""), 0);
    for (int i = 0; i < 300; i++)
        assert_int_equal(buf_add(&in, "0123456789", 10), 0);
    assert_int_equal(buf_printf(&in, "\"]}"), 0);
    trim(&t, &out, 1024, in.data, 100, 1 << 20, 0);
    assert_int_equal(t.full, 1);
    buf_free(&out);
    buf_free(&in);
}

/* An inspect record: Config descended into, only its Image and Labels. */
static void inspect_shape(void **state)
{
    (void)state;
    struct jtrim t;
    struct buf out;
    const char *in =
        "{\"Id\":\"x\",\"Name\":\"/web\",\"Image\":\"sha256:1\",\"State\":{\"Status\":"
        "\"running\",\"Health\":{\"Status\":\"ok\",\"Log\":[{}]}},\"Config\":{\"Env\":"
        "[\"SECRET=1\"],\"Image\":\"nginx\",\"Labels\":{\"a\":\"b\",\"c\":\"d\"},"
        "\"Cmd\":null},\"HostConfig\":{\"Binds\":[]}}";
    trim(&t, &out, 0, in, 5, 8, 1);
    assert_int_equal(t.full, 0);
    assert_int_equal(t.cut, 1);
    assert_string_equal(out.data,
        "{\"Id\":\"x\",\"Name\":\"/web\",\"State\":{\"Status\":\"running\",\"Health\":"
        "{\"Status\":\"ok\",\"Log\":[{}]}},\"Config\":{\"Image\":\"nginx\","
        "\"Labels\":{\"a\":\"b\"}}}");
    buf_free(&out);
}

/* What is not a record as expected reaches the decoder as something it
 * refuses, or as it came when it is not an object at all. */
static void malformed(void **state)
{
    (void)state;
    const char *bad[] = {
        "{\"Id\":\"x\",}",
        "{\"Id\" \"x\"}",
        "{\"Id\":\"x\" \"Names\":[]}",
        "{\"Id\":]}",
        "{\"I\\u0064\":\"x\",\"Labels\":{}}",
        "{\"\\u004cabels\":{\"dockerfs.protect\":\"true\"},\"Id\":\"x\"}",
        "{\"Id\":\"x\"} trailing",
        "{\"Id\":\"x\",\"Names\":[\"/a\"}",
        "{x}",
    };
    struct jtrim t;
    struct buf out;

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        trim(&t, &out, 0, bad[i], 1, 1 << 20, 0);
        json_t *o = json_loadb(out.data ? out.data : "", out.len, 0, NULL);
        if (o)
            fprintf(stderr, "decoded: %s -> %s\n", bad[i], out.data);
        assert_null(o);
        buf_free(&out);
    }
    /* Not an object: as it came (the list drops it as no container). */
    trim(&t, &out, 0, "[1, 2]", 2, 1 << 20, 0);
    assert_string_equal(out.data, "[1, 2]");
    buf_free(&out);
    trim(&t, &out, 0, "\"s\"", 2, 1 << 20, 0);
    assert_string_equal(out.data, "\"s\"");
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members),
        cmocka_unit_test(labels_budget),
        cmocka_unit_test(outgrown),
        cmocka_unit_test(inspect_shape),
        cmocka_unit_test(malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
