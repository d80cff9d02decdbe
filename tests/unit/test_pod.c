/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for pod.c: a pod as a row (uid, name, namespace, image,
 * state from phase and conditions, created, labels), pod lists with
 * their resourceVersion and continue token, watch events, Status bodies,
 * and hostile answers: wrong types, non-hex uids, names with '/' and
 * newlines, NULs, deep and huge documents. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "escape.h"
#include "pod.h"

#define UID1 "5f1c0a2b-3d4e-4f60-8a9b-0c1d2e3f4a5b"
#define HEX1 "5f1c0a2b3d4e4f608a9b0c1d2e3f4a5b"

/* A pod's JSON with the given metadata fields, spec and status. */
static char *pod_json(const char *meta, const char *spec, const char *status)
{
    static char out[4][8192];
    static int i;
    char *o = out[i++ % 4];
    snprintf(o, 8192, "{\"kind\":\"Pod\",\"metadata\":{%s},\"spec\":%s,"
             "\"status\":%s}", meta, spec, status);
    return o;
}

static int row_of(const char *json, struct container *c, const char **why)
{
    json_error_t jerr;
    json_t *o = json_loads(json, JSON_ALLOW_NUL, &jerr);
    int rc = pod_from_json(o, c, why);
    json_decref(o);
    return rc;
}

static void a_pod(void **state)
{
    (void)state;
    struct container c;
    const char *why;
    struct buf b;

    assert_int_equal(row_of(pod_json(
        "\"name\":\"web-7d9f\",\"namespace\":\"shop\",\"uid\":\"" UID1 "\","
        "\"creationTimestamp\":\"2026-12-07T15:00:00Z\","
        "\"labels\":{\"app\":\"web\",\"tier\":\"front\"},"
        "\"annotations\":{\"x\":\"a\\u0000b\"}",
        "{\"containers\":[{\"name\":\"main\",\"image\":\"nginx:1.25\"},"
        "{\"name\":\"side\",\"image\":\"envoy\"}]}",
        "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\","
        "\"status\":\"True\"}]}"), &c, &why), 0);
    assert_string_equal(c.id, HEX1);
    assert_string_equal(c.short_id, "5f1c0a2b3d4e");
    assert_string_equal(c.name, "web-7d9f");
    assert_string_equal(c.ns, "shop");
    assert_string_equal(c.image, "nginx:1.25");
    assert_string_equal(c.state, "running");
    assert_int_equal(c.created, 1796655600LL);
    assert_int_equal(c.nlabels, 2);
    assert_string_equal(container_label(&c, "tier"), "front");
    buf_init(&b, 0);
    assert_int_equal(container_render(&c, FILE_ID, &b), 0);
    assert_string_equal(buf_str(&b), UID1 "\n");
    buf_free(&b);
    container_clear(&c);
}

/* State from the phase and the Ready condition; terminating while a
 * deletionTimestamp is set, whatever the phase. */
static void states(void **state)
{
    (void)state;
    static const struct { const char *status, *del, *want; } v[] = {
        { "{\"phase\":\"Pending\"}", NULL, "pending" },
        { "{\"phase\":\"Running\"}", NULL, "running" },
        { "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\","
          "\"status\":\"False\"}]}", NULL, "unready" },
        { "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Other\","
          "\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"True\"}]}",
          NULL, "running" },
        { "{\"phase\":\"Succeeded\"}", NULL, "succeeded" },
        { "{\"phase\":\"Failed\"}", NULL, "failed" },
        { "{\"phase\":\"Unknown\"}", NULL, "unknown" },
        { "{\"phase\":\"Bogus\"}", NULL, "unknown" },
        { "{}", NULL, "unknown" },
        { "{\"phase\":7,\"conditions\":\"x\"}", NULL, "unknown" },
        { "{\"phase\":\"Running\"}", "\"2026-12-07T15:00:00Z\"",
          "terminating" },
        { "{\"phase\":\"Pending\"}", "null", "pending" },
    };
    char meta[512];

    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct container c;
        const char *why;
        snprintf(meta, sizeof meta, "\"name\":\"p\",\"namespace\":\"n\","
                 "\"uid\":\"" UID1 "\"%s%s", v[i].del ?
                 ",\"deletionTimestamp\":" : "", v[i].del ? v[i].del : "");
        assert_int_equal(row_of(pod_json(meta, "{}", v[i].status), &c,
                                &why), 0);
        if (strcmp(c.state, v[i].want) != 0)
            fail_msg("%s: %s, not %s", v[i].status, c.state, v[i].want);
        assert_string_equal(c.image, "");
        container_clear(&c);
    }
}

/* What is not a pod is left out with a reason; strange but readable
 * values are kept as they are (the files escape them). */
static void hostile_pods(void **state)
{
    (void)state;
    static const char *const not_pods[] = {
        "[]", "\"pod\"", "{}", "{\"metadata\":[]}",
        "{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\"}}",
        "{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\",\"uid\":7}}",
        "{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\",\"uid\":"
        "\"5F1C0A2B-3D4E-4F60-8A9B-0C1D2E3F4A5B\"}}",
        "{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\",\"uid\":"
        "\"" HEX1 "\"}}",
        "{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\",\"uid\":"
        "\"../../../etc/passwd-0000-0000-000000\"}}",
        "{\"metadata\":{\"name\":7,\"namespace\":\"b\",\"uid\":\"" UID1 "\"}}",
        "{\"metadata\":{\"name\":\"a\",\"uid\":\"" UID1 "\"}}",
    };
    struct container c;
    const char *why;

    for (size_t i = 0; i < sizeof not_pods / sizeof not_pods[0]; i++) {
        if (row_of(not_pods[i], &c, &why) != ENOENT)
            fail_msg("read as a pod: %s", not_pods[i]);
        assert_non_null(why);
    }
    assert_int_equal(pod_from_json(NULL, &c, &why), ENOENT);
    assert_int_equal(row_of(pod_json(
        "\"name\":\"a/b\\nkill id=x\",\"namespace\":\"../kube-system\","
        "\"uid\":\"" UID1 "\",\"labels\":{\"k\":\"v\\u0000w\",\"n\":7},"
        "\"creationTimestamp\":12",
        "{\"containers\":{\"image\":\"x\"}}", "[]"), &c, &why), 0);
    assert_string_equal(c.name, "a/b\nkill id=x");
    assert_string_equal(c.ns, "../kube-system");
    assert_int_equal(c.nlabels, 1);         /* a number is no label */
    assert_string_equal(container_label(&c, "k"), "v" ESCAPE_NUL "w");
    assert_int_equal(c.created, 0);
    assert_string_equal(c.image, "");
    container_clear(&c);
}

static void skip_count(void *arg, const char *id, const char *why)
{
    int *n = arg;
    assert_non_null(why);
    assert_true(id[0] == '\0' || strlen(id) == POD_ID_LEN);
    (*n)++;
}

static void lists(void **state)
{
    (void)state;
    struct pod_page p;
    char body[16384];
    int skipped = 0;

    snprintf(body, sizeof body,
             "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
             "{\"resourceVersion\":\"1234\",\"continue\":\"eyJ2Ijo=\"},"
             "\"items\":[%s,{\"metadata\":{\"uid\":\"bad\"}},%s,7]}",
             pod_json("\"name\":\"a\",\"namespace\":\"n\",\"uid\":\"" UID1
                      "\"", "{}", "{\"phase\":\"Pending\"}"),
             pod_json("\"name\":\"b\",\"namespace\":\"n\",\"uid\":"
                      "\"7a000000-0000-4000-8000-000000000001\"", "{}", "{}"));
    assert_int_equal(pod_parse_list(body, strlen(body), &p, skip_count,
                                    &skipped), 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.skipped, 2);
    assert_int_equal(skipped, 2);
    assert_string_equal(p.rv, "1234");
    assert_string_equal(p.cont, "eyJ2Ijo=");
    assert_string_equal(p.v[1].name, "b");
    pod_page_free(&p);
    assert_null(p.v);

    const char *last = "{\"metadata\":{\"resourceVersion\":\"9\"},"
                       "\"items\":[]}";
    assert_int_equal(pod_parse_list(last, strlen(last), &p, NULL, NULL), 0);
    assert_int_equal(p.n, 0);
    assert_string_equal(p.cont, "");
    pod_page_free(&p);

    static const char *const bad[] = {
        "", "[]", "{}", "{\"items\":{}}", "{\"items\":[],\"metadata\":[]}",
        "{\"items\":[],\"metadata\":{\"resourceVersion\":7}}",
        "{\"items\":[],\"metadata\":{\"resourceVersion\":\"a b\"}}",
        "{\"items\":[],\"metadata\":{\"continue\":\"a\\nb\"}}",
        "{\"items\":[", "{\"items\":[]} trailing",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pod_parse_list(bad[i], strlen(bad[i]), &p, NULL, NULL) != EINVAL)
            fail_msg("a pod list: %s", bad[i]);
    assert_int_equal(pod_parse_list(NULL, 0, &p, NULL, NULL), EINVAL);

    /* A resourceVersion longer than kept: not a list we can follow. */
    char longrv[512] = "{\"items\":[],\"metadata\":{\"resourceVersion\":\"";
    memset(longrv + strlen(longrv), '1', POD_RV_MAX + 1);
    strcat(longrv, "\"}}");
    assert_int_equal(pod_parse_list(longrv, strlen(longrv), &p, NULL, NULL),
                     EINVAL);
}

/* Deep and huge documents end in an error, not a crash. */
static void deep_and_huge(void **state)
{
    (void)state;
    struct pod_page p;
    struct pod_event ev;
    struct buf b;

    buf_init(&b, 0);
    buf_printf(&b, "{\"items\":[");
    for (int i = 0; i < 100000; i++)
        buf_add(&b, "[", 1);
    assert_int_equal(pod_parse_list(b.data, b.len, &p, NULL, NULL), EINVAL);
    buf_reset(&b);
    buf_printf(&b, "{\"type\":\"ADDED\",\"object\":");
    for (int i = 0; i < 100000; i++)
        buf_add(&b, "{\"a\":", 5);
    assert_int_equal(pod_parse_event(b.data, b.len, &ev), EINVAL);
    /* 20000 pods in one page: all read. */
    buf_reset(&b);
    buf_printf(&b, "{\"items\":[");
    for (int i = 0; i < 20000; i++)
        buf_printf(&b, "%s{\"metadata\":{\"name\":\"p%d\",\"namespace\":"
                   "\"n\",\"uid\":\"7a000000-0000-4000-8000-%012d\"}}",
                   i ? "," : "", i, i);
    buf_printf(&b, "]}");
    assert_int_equal(pod_parse_list(b.data, b.len, &p, NULL, NULL), 0);
    assert_int_equal(p.n, 20000);
    assert_string_equal(p.v[19999].name, "p19999");
    pod_page_free(&p);
    buf_free(&b);
}

/* A list is read up to one engine's share, page after page: the rows
 * beyond it are dropped and no more pages are wanted. */
static void share(void **state)
{
    (void)state;
    struct pod_share sh = { 5, 1000, 0, 0 };
    struct container v[8];
    char uid[64];
    size_t n = 0;

    for (int i = 0; i < 8; i++) {
        snprintf(uid, sizeof uid, "7a00000%d-0000-4000-8000-000000000000", i);
        char id[POD_ID_LEN + 1];
        assert_int_equal(pod_id_from_uid(uid, strlen(uid), id), 0);
        assert_int_equal(container_set(&v[i], id, "p", "img", "pending", 0,
                                       NULL, 0), 0);
    }
    n = 3;                                      /* the first page */
    assert_int_equal(pod_share_full(&sh, v, &n), 0);
    assert_int_equal(n, 3);
    n = 8;                                      /* the second: too many */
    assert_int_equal(pod_share_full(&sh, v, &n), 1);
    assert_int_equal(n, 5);
    assert_null(v[5].name);                     /* cleared */
    for (int i = 0; i < 5; i++)
        container_clear(&v[i]);
    /* By bytes: each row's text counts (container_bytes). */
    struct pod_share by = { 100, 0, 0, 0 };
    assert_int_equal(container_set(&v[0], "7a000000000040008000000000000000",
                                   "p", "img", "pending", 0, NULL, 0), 0);
    by.bytes_max = container_bytes(&v[0]);
    n = 1;
    assert_int_equal(pod_share_full(&by, v, &n), 0);
    assert_int_equal(n, 1);
    container_clear(&v[0]);
}

static void events(void **state)
{
    (void)state;
    struct pod_event ev;
    char line[8192];

    snprintf(line, sizeof line, "{\"type\":\"MODIFIED\",\"object\":%s}",
             pod_json("\"name\":\"a\",\"namespace\":\"n\",\"uid\":\"" UID1
                      "\",\"resourceVersion\":\"77\"", "{}",
                      "{\"phase\":\"Running\"}"));
    assert_int_equal(pod_parse_event(line, strlen(line), &ev), 0);
    assert_int_equal(ev.type, POD_MODIFIED);
    assert_string_equal(ev.rv, "77");
    assert_string_equal(ev.c.id, HEX1);
    assert_string_equal(ev.c.state, "running");
    container_clear(&ev.c);

    line[9] = 'X';      /* "type":"MXDIFIED" */
    assert_int_equal(pod_parse_event(line, strlen(line), &ev), EINVAL);

    snprintf(line, sizeof line, "{\"type\":\"DELETED\",\"object\":%s}",
             pod_json("\"name\":\"a\",\"namespace\":\"n\",\"uid\":\"" UID1
                      "\",\"resourceVersion\":\"78\"", "{}", "{}"));
    assert_int_equal(pod_parse_event(line, strlen(line), &ev), 0);
    assert_int_equal(ev.type, POD_DELETED);
    container_clear(&ev.c);

    const char *bm = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\","
                     "\"metadata\":{\"resourceVersion\":\"99\"}}}";
    assert_int_equal(pod_parse_event(bm, strlen(bm), &ev), 0);
    assert_int_equal(ev.type, POD_BOOKMARK);
    assert_string_equal(ev.rv, "99");

    const char *gone = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\","
                       "\"apiVersion\":\"v1\",\"status\":\"Failure\","
                       "\"message\":\"too old resource version: 5 (77)\\n\","
                       "\"reason\":\"Expired\",\"code\":410}}";
    assert_int_equal(pod_parse_event(gone, strlen(gone), &ev), 0);
    assert_int_equal(ev.type, POD_ERROR);
    assert_int_equal(ev.code, 410);
    assert_string_equal(ev.message, "too old resource version: 5 (77)\\n");

    /* A pod that cannot be read: ENOENT, but its rv is still given. */
    const char *bad = "{\"type\":\"ADDED\",\"object\":{\"metadata\":"
                      "{\"uid\":\"x\",\"resourceVersion\":\"80\"}}}";
    assert_int_equal(pod_parse_event(bad, strlen(bad), &ev), ENOENT);
    assert_string_equal(ev.rv, "80");

    static const char *const junk[] = {
        "", "x", "[]", "{\"type\":\"ADDED\"}", "{\"type\":7,\"object\":{}}",
        "{\"object\":{}}", "{\"type\":\"ADDED\",\"object\":[]}",
        "{\"type\":\"ERROR\",\"object\":\"gone\"}",
    };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
        if (pod_parse_event(junk[i], strlen(junk[i]), &ev) != EINVAL)
            fail_msg("an event: %s", junk[i]);
    const char *wild = "{\"type\":\"ERROR\",\"object\":{\"code\":99999}}";
    assert_int_equal(pod_parse_event(wild, strlen(wild), &ev), 0);
    assert_int_equal(ev.code, 0);
}

static void status_and_namespace(void **state)
{
    (void)state;
    char msg[64], id[64];
    int code;
    const char *st = "{\"kind\":\"Status\",\"code\":403,\"message\":"
                     "\"pods \\\"x\\\" is forbidden\\r\\n\"}";

    pod_parse_status(st, strlen(st), &code, msg, sizeof msg);
    assert_int_equal(code, 403);
    assert_string_equal(msg, "pods \"x\" is forbidden\\x0d\\n");
    pod_parse_status("{\"code\":1}", 10, &code, msg, sizeof msg);
    assert_int_equal(code, 0);
    assert_string_equal(msg, "");
    pod_parse_status(NULL, 0, &code, msg, sizeof msg);
    assert_int_equal(code, 0);

    const char *ns = "{\"kind\":\"Namespace\",\"metadata\":{\"name\":"
                     "\"kube-system\",\"uid\":\"" UID1 "\"}}";
    assert_int_equal(pod_parse_namespace_uid(ns, strlen(ns), id, sizeof id),
                     0);
    assert_string_equal(id, UID1);
    assert_int_equal(pod_parse_namespace_uid("{}", 2, id, sizeof id), EINVAL);
    assert_string_equal(id, "");
    assert_int_equal(pod_parse_namespace_uid(ns, strlen(ns), id, 10),
                     EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_pod),
        cmocka_unit_test(states),
        cmocka_unit_test(hostile_pods),
        cmocka_unit_test(lists),
        cmocka_unit_test(deep_and_huge),
        cmocka_unit_test(share),
        cmocka_unit_test(events),
        cmocka_unit_test(status_and_namespace),
    };
    return cmocka_run_group_tests_name("pod", tests, NULL, NULL);
}
