/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for parse.c: container lists, events, error bodies. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"
#include "parse.h"
#include <stdlib.h>

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"
#define ID2 "0000000000001111111111112222222222223333333333334444444444445555"

static int list(const char *json, struct container **v, size_t *n)
{
    return parse_container_list(json, strlen(json), v, n);
}

static void docker_list(void **state)
{
    (void)state;
    const char *json =
        "[{\"Id\":\"" ID1 "\",\"Names\":[\"/web\"],\"Image\":\"nginx:1\","
        "\"ImageID\":\"sha256:abc\",\"Command\":\"nginx\",\"Created\":1700000000,"
        "\"Ports\":[],\"Labels\":{\"z\":\"1\",\"a\":\"2\"},\"State\":\"running\","
        "\"Status\":\"Up 2 hours\"},"
        "{\"Id\":\"" ID2 "\",\"Names\":[\"/web/db\",\"/db\"],\"Image\":\"postgres\","
        "\"Created\":1,\"Labels\":null,\"State\":\"exited\"}]";
    struct container *v;
    size_t n;
    assert_int_equal(list(json, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, ID1);
    assert_string_equal(v[0].short_id, "4eeff8a1b2c3");
    assert_string_equal(v[0].name, "web");
    assert_string_equal(v[0].image, "nginx:1");
    assert_string_equal(v[0].state, "running");
    assert_int_equal(v[0].created, 1700000000);
    assert_int_equal(v[0].nlabels, 2);
    assert_string_equal(v[0].labels[0].key, "a");
    assert_string_equal(v[0].labels[0].value, "2");
    /* A link alias ("/web/db") is not the name. */
    assert_string_equal(v[1].name, "db");
    assert_int_equal(v[1].nlabels, 0);
    assert_string_equal(v[1].state, "exited");
    containers_free(v, n);
}

static void podman_list(void **state)
{
    (void)state;
    /* Podman's compat API: names without "/", extra fields. */
    const char *json =
        "[{\"Id\":\"" ID1 "\",\"Names\":[\"web\"],\"Image\":\"docker.io/library/nginx:latest\","
        "\"Created\":1700000001,\"Labels\":{\"io.podman\":\"x\"},"
        "\"State\":\"running\",\"Mounts\":[],\"Networks\":null}]";
    struct container *v;
    size_t n;
    assert_int_equal(list(json, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "web");
    assert_string_equal(v[0].image, "docker.io/library/nginx:latest");
    assert_string_equal(container_label(&v[0], "io.podman"), "x");
    containers_free(v, n);
}

static void missing_fields(void **state)
{
    (void)state;
    const char *json = "[{\"Id\":\"" ID1 "\"},"
        "{\"Id\":\"" ID2 "\",\"Names\":[],\"Image\":null,\"State\":5,"
        "\"Created\":\"123\",\"Labels\":{\"ok\":\"v\",\"num\":3,\"nul\":null}}]";
    struct container *v;
    size_t n;
    assert_int_equal(list(json, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].name, "");
    assert_string_equal(v[0].image, "");
    assert_string_equal(v[0].state, "");
    assert_int_equal(v[0].created, 0);
    assert_int_equal(v[0].nlabels, 0);
    assert_string_equal(v[1].name, "");
    assert_string_equal(v[1].image, "");
    assert_string_equal(v[1].state, "");
    assert_int_equal(v[1].created, 123);
    assert_int_equal(v[1].nlabels, 1);
    assert_string_equal(v[1].labels[0].key, "ok");
    containers_free(v, n);
}

static void created_shapes(void **state)
{
    (void)state;
    const char *json = "[{\"Id\":\"" ID1 "\",\"Created\":12.9},"
                       "{\"Id\":\"" ID2 "\",\"Created\":\"2023-01-01T00:00:00Z\"}]";
    struct container *v;
    size_t n;
    assert_int_equal(list(json, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].created, 12);
    assert_int_equal(v[1].created, 0);
    containers_free(v, n);
}

static void bad_ids_skipped(void **state)
{
    (void)state;
    const char *json =
        "[{\"Id\":\"xyz\"},{\"Id\":\"" ID1 "0\"},{\"Names\":[\"/noid\"]},"
        "{\"Id\":\"4EEFF8A1B2C3D4E5F60718293A4B5C6D7E8F90112233445566778899AABBCCDD\"},"
        "{\"Id\":\"../../../../../../../../../../../../../../../../../../../etc\"},"
        "{\"Id\":42},17,\"str\",null,[],"
        "{\"Id\":\"" ID2 "\",\"Names\":[\"/good\"]}]";
    struct container *v;
    size_t n;
    assert_int_equal(list(json, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "good");
    containers_free(v, n);
}

static void empty_and_garbage(void **state)
{
    (void)state;
    struct container *v = (void *)1;
    size_t n = 9;
    assert_int_equal(list("[]", &v, &n), 0);
    assert_int_equal(n, 0);
    assert_null(v);
    assert_int_equal(list("[17]", &v, &n), 0);
    assert_int_equal(n, 0);
    const char *bad[] = { "", "{}", "null", "\"x\"", "[", "[{]", "garbage",
                          "{\"message\":\"page not found\"}", "[]x", "42" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(list(bad[i], &v, &n), EINVAL);
        assert_null(v);
        assert_int_equal(n, 0);
    }
    assert_int_equal(parse_container_list(NULL, 0, &v, &n), EINVAL);
    /* Length is honoured: the body need not be terminated. */
    assert_int_equal(parse_container_list("[]trailing", 2, &v, &n), 0);
}

static void names_odd_shapes(void **state)
{
    (void)state;
    const char *json =
        "[{\"Id\":\"" ID1 "\",\"Names\":\"/solo\"},"
        "{\"Id\":\"" ID2 "\",\"Names\":[5,\"/a/b\"]}]";
    struct container *v;
    size_t n;
    assert_int_equal(list(json, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].name, "solo");
    assert_string_equal(v[1].name, "a/b");
    containers_free(v, n);
}

static struct event ev_of(const char *line, int want_rc)
{
    struct event ev;
    memset(&ev, 0x55, sizeof ev);
    assert_int_equal(parse_event(line, strlen(line), &ev), want_rc);
    return ev;
}

static void events_docker(void **state)
{
    (void)state;
    const char *fmt_start =
        "{\"status\":\"start\",\"id\":\"" ID1 "\",\"from\":\"nginx\","
        "\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"" ID1
        "\",\"Attributes\":{\"name\":\"web\"}},\"scope\":\"local\","
        "\"time\":1700000000,\"timeNano\":1700000000000000000}";
    struct event ev = ev_of(fmt_start, 0);
    assert_int_equal(ev.kind, EVENT_CHANGED);
    assert_string_equal(ev.id, ID1);

    ev = ev_of("{\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":"
               "{\"ID\":\"" ID2 "\"}}", 0);
    assert_int_equal(ev.kind, EVENT_GONE);
    assert_string_equal(ev.id, ID2);

    const char *changed[] = { "create", "die", "stop", "kill", "pause",
                              "unpause", "rename", "update", "restart",
                              "oom", "health_statusx" };
    for (size_t i = 0; i < sizeof changed / sizeof *changed; i++) {
        char line[512];
        snprintf(line, sizeof line, "{\"Type\":\"container\",\"Action\":\"%s\","
                 "\"Actor\":{\"ID\":\"%s\"}}", changed[i], ID1);
        ev = ev_of(line, 0);
        if (i == sizeof changed / sizeof *changed - 1)
            assert_int_equal(ev.kind, EVENT_IGNORE);    /* health_status prefix */
        else
            assert_int_equal(ev.kind, EVENT_CHANGED);
    }
}

static void events_podman_remove(void **state)
{
    (void)state;
    struct event ev = ev_of(
        "{\"status\":\"remove\",\"id\":\"" ID1 "\",\"from\":\"busybox\","
        "\"Type\":\"container\",\"Action\":\"remove\",\"Actor\":{\"ID\":\""
        ID1 "\",\"Attributes\":{\"containerExitCode\":\"0\"}},"
        "\"scope\":\"local\",\"time\":1,\"timeNano\":1}", 0);
    assert_int_equal(ev.kind, EVENT_GONE);
    assert_string_equal(ev.id, ID1);
    /* Old engines: no Type/Action, only status and id. */
    ev = ev_of("{\"status\":\"destroy\",\"id\":\"" ID2 "\",\"from\":\"x\"}", 0);
    assert_int_equal(ev.kind, EVENT_GONE);
    assert_string_equal(ev.id, ID2);
    ev = ev_of("{\"status\":\"start\",\"id\":\"" ID2 "\"}", 0);
    assert_int_equal(ev.kind, EVENT_CHANGED);
}

static void events_ignored(void **state)
{
    (void)state;
    const char *ign[] = { "exec_create: sh -c true", "exec_start: sh",
                          "exec_die", "health_status: healthy",
                          "health_status", "attach", "detach", "resize",
                          "top", "commit", "copy", "export", "archive-path",
                          "extract-to-dir" };
    for (size_t i = 0; i < sizeof ign / sizeof *ign; i++) {
        char line[512];
        snprintf(line, sizeof line, "{\"Type\":\"container\",\"Action\":\"%s\","
                 "\"Actor\":{\"ID\":\"%s\"}}", ign[i], ID1);
        struct event ev = ev_of(line, 0);
        assert_int_equal(ev.kind, EVENT_IGNORE);
    }
    const char *types[] = { "image", "network", "volume", "daemon", "plugin",
                            "service", "node", "secret", "config", "builder" };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        char line[512];
        snprintf(line, sizeof line, "{\"Type\":\"%s\",\"Action\":\"destroy\","
                 "\"Actor\":{\"ID\":\"%s\"},\"id\":\"%s\"}", types[i], ID1, ID1);
        struct event ev = ev_of(line, 0);
        assert_int_equal(ev.kind, EVENT_IGNORE);
        assert_string_equal(ev.id, "");
    }
    /* No Type and no id: not a container event. */
    struct event ev = ev_of("{\"status\":\"pull\"}", 0);
    assert_int_equal(ev.kind, EVENT_IGNORE);
}

/* A moved tag changes the image containers list (the name they were
 * created from while it still points at their image, else the image id)
 * and no container event says so: image events that may move one ask
 * for a re-list; the others change nothing shown. */
static void events_image(void **state)
{
    (void)state;
    const char *moves[] = { "tag", "untag", "delete", "remove", "pull",
                            "load", "import" };
    for (size_t i = 0; i < sizeof moves / sizeof *moves; i++) {
        char line[512];
        snprintf(line, sizeof line, "{\"status\":\"%s\",\"id\":\"sha256:%s\","
                 "\"Type\":\"image\",\"Action\":\"%s\",\"Actor\":{\"ID\":"
                 "\"sha256:%s\",\"Attributes\":{\"name\":\"web:1\"}}}",
                 moves[i], ID1, moves[i], ID1);
        struct event ev = ev_of(line, 0);
        assert_int_equal(ev.kind, EVENT_RELIST);
        assert_string_equal(ev.id, "");
    }
    const char *still[] = { "push", "save", "prune", "destroy", "tagx", "" };
    for (size_t i = 0; i < sizeof still / sizeof *still; i++) {
        char line[512];
        snprintf(line, sizeof line, "{\"Type\":\"image\",\"Action\":\"%s\","
                 "\"Actor\":{\"ID\":\"sha256:%s\"}}", still[i], ID1);
        struct event ev = ev_of(line, 0);
        assert_int_equal(ev.kind, EVENT_IGNORE);
    }
    /* An image event without an action: nothing to do. */
    struct event ev = ev_of("{\"Type\":\"image\",\"id\":\"x\"}", 0);
    assert_int_equal(ev.kind, EVENT_IGNORE);
}

static void events_malformed(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "x", "{", "[]", "null", "\"container\"", "{\"Type\":\"container\"",
        "{\"Type\":\"container\",\"Action\":\"start\"}",
        "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"abc\"}}",
        "{\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":{\"ID\":\"../etc\"}}",
        "{\"Type\":\"container\",\"Actor\":{\"ID\":\"" ID1 "\"}}",
        "{\"Type\":\"container\",\"Action\":7,\"Actor\":{\"ID\":\"" ID1 "\"}}",
        "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"" ID1 "A\"}}",
        "{\"status\":\"start\",\"id\":\"nothex\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct event ev = ev_of(bad[i], EINVAL);
        assert_int_equal(ev.kind, EVENT_IGNORE);
    }
    struct event ev;
    assert_int_equal(parse_event(NULL, 0, &ev), EINVAL);
    /* Only len bytes count. */
    const char *line = "{\"status\":\"start\",\"id\":\"" ID1 "\"}garbage";
    assert_int_equal(parse_event(line, strlen(line) - 7, &ev), 0);
    assert_int_equal(ev.kind, EVENT_CHANGED);
}

static void error_message(void **state)
{
    (void)state;
    char dst[16];
    const char *b = "{\"message\":\"No such container: abc\"}";
    assert_string_equal(parse_error_message(b, strlen(b), dst, sizeof dst),
                        "No such contain");
    char big[128];
    assert_string_equal(parse_error_message(b, strlen(b), big, sizeof big),
                        "No such container: abc");
    b = "404 page not found\r\nmore";
    assert_string_equal(parse_error_message(b, strlen(b), big, sizeof big),
                        "404 page not found");
    b = "{\"other\":1}";
    assert_string_equal(parse_error_message(b, strlen(b), big, sizeof big),
                        "{\"other\":1}");
    assert_string_equal(parse_error_message("", 0, big, sizeof big), "");
    assert_string_equal(parse_error_message(NULL, 5, big, sizeof big), "");
    assert_string_equal(parse_error_message("abc", 2, big, sizeof big), "ab");
    char one[1] = { 'x' };
    assert_ptr_equal(parse_error_message(b, strlen(b), one, 1), one);
    assert_int_equal(one[0], '\0');
    assert_null(parse_error_message(b, strlen(b), NULL, 0));
}

/* A list whose strings hold brackets, braces, commas and escaped quotes,
 * so only a real string tracker finds the element boundaries. */
static const char TRICKY_LIST[] =
    "[ {\"Id\":\"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "\","
    "\"Names\":[\"/x]y\"],\"Image\":\"i{m}g,\\\"q\\\"\",\"State\":\"running\","
    "\"Created\":1,\"Labels\":{\"k]\":\"v[\\\\\"}},\n"
    " 42, \"str]\", null,\n"
    "{\"Id\":\"" "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" "\","
    "\"Names\":[\"/two\"],\"Image\":\"img\",\"State\":\"exited\",\"Created\":2,"
    "\"Labels\":null} ]\n";

static void check_tricky(struct container *v, size_t n)
{
    assert_int_equal(n, 2);
    assert_string_equal(v[0].name, "x]y");
    assert_string_equal(v[0].image, "i{m}g,\"q\"");
    assert_int_equal(v[0].nlabels, 1);
    assert_string_equal(v[0].labels[0].key, "k]");
    assert_string_equal(v[0].labels[0].value, "v[\\");
    assert_string_equal(v[1].name, "two");
    assert_string_equal(v[1].state, "exited");
}

/* Fed in two pieces split at every position, and byte by byte, the
 * streaming parser gives what the whole-body parse gives. */
static void list_in_chunks(void **state)
{
    (void)state;
    size_t len = strlen(TRICKY_LIST);
    struct container *v;
    size_t n;

    assert_int_equal(parse_container_list(TRICKY_LIST, len, &v, &n), 0);
    check_tricky(v, n);
    containers_free(v, n);
    for (size_t cut = 0; cut <= len; cut++) {
        struct list_parser p;
        list_parser_init(&p);
        assert_int_equal(list_parser_feed(&p, TRICKY_LIST, cut), 0);
        assert_int_equal(list_parser_feed(&p, TRICKY_LIST + cut, len - cut), 0);
        assert_int_equal(list_parser_finish(&p, &v, &n), 0);
        check_tricky(v, n);
        containers_free(v, n);
        list_parser_free(&p);
    }
    struct list_parser p;
    list_parser_init(&p);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(list_parser_feed(&p, TRICKY_LIST + i, 1), 0);
    assert_int_equal(list_parser_finish(&p, &v, &n), 0);
    check_tricky(v, n);
    containers_free(v, n);
    list_parser_free(&p);
}

static void list_stream_errors(void **state)
{
    (void)state;
    struct list_parser p;
    struct container *v;
    size_t n;

    /* Not closed: the transfer ended early. */
    list_parser_init(&p);
    assert_int_equal(list_parser_feed(&p, "[{\"Id\":\"x\"}", 11), 0);
    assert_int_equal(list_parser_finish(&p, &v, &n), EINVAL);
    assert_null(v);
    list_parser_free(&p);
    /* Garbage after the array, no array at all. */
    const char *bad[] = { "[] x", "{\"a\":1}", "", "[}", "[{]" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        list_parser_init(&p);
        int rc = list_parser_feed(&p, bad[i], strlen(bad[i]));
        if (rc != 0) {
            /* Once broken by its input, it stays broken. */
            assert_int_equal(list_parser_feed(&p, "[]", 2), EINVAL);
        } else {
            rc = list_parser_finish(&p, &v, &n);
        }
        assert_int_equal(rc, EINVAL);
        list_parser_free(&p);
    }
}

/* Records the parser was told about. */
struct skips {
    int n;
    char ids[4][ID_LEN + 1];
    char why[4][128];
};

static void on_skip(void *arg, const char *id, const char *why)
{
    struct skips *k = arg;
    if (k->n < 4) {
        snprintf(k->ids[k->n], sizeof k->ids[0], "%s", id);
        snprintf(k->why[k->n], sizeof k->why[0], "%s", why);
    }
    k->n++;
}

/* Feeds text in pieces of chunk bytes to a parser that reports to k. */
static int feed_list(const char *text, size_t len, size_t chunk,
                     struct skips *k, struct container **v, size_t *n)
{
    struct list_parser p;
    int rc = 0;

    list_parser_init(&p);
    p.on_skip = on_skip;
    p.skip_arg = k;
    for (size_t off = 0; off < len && rc == 0; off += chunk)
        rc = list_parser_feed(&p, text + off, len - off < chunk ? len - off : chunk);
    if (rc == 0)
        rc = list_parser_finish(&p, v, n);
    list_parser_free(&p);
    return rc;
}

/* One container never costs the list: a record that is not JSON is left
 * out and told with its id; one over 1 MiB of labels (inherited from an
 * image, say) is listed with them cut; one still over 1 MiB without them
 * is left out; the others are listed; memory stays bounded. */
static void list_skips_unreadable_records(void **state)
{
    (void)state;
    struct skips k = { 0 };
    struct container *v;
    size_t n;
    /* A NUL in a label key: jansson refuses it, so the record is skipped. */
    const char *json =
        "[{\"Id\":\"" ID1 "\",\"Names\":[\"/bad\"],\"Labels\":{\"k\\u0000x\":\"v\"}},"
        "{\"Id\":}, "
        "{\"Id\":\"" ID2 "\",\"Names\":[\"/good\"]}]";
    assert_int_equal(feed_list(json, strlen(json), 7, &k, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "good");
    containers_free(v, n);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.ids[0], ID1);
    assert_non_null(strstr(k.why[0], "not JSON"));
    assert_string_equal(k.ids[1], "");

    /* 1.1 MiB of labels, between two good records. */
    size_t big = 1100 * 1024;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_printf(&b, "[{\"Id\":\"" ID1 "\",\"Names\":[\"/a\"]},"
                                "{\"Id\" : \"" ID2 "\",\"Names\":[\"/huge\"],"
                                "\"Labels\":{\"big\":\""), 0);
    char *fill = malloc(big);
    assert_non_null(fill);
    memset(fill, 'q', big);
    assert_int_equal(buf_add(&b, fill, big), 0);
    free(fill);
    assert_int_equal(buf_printf(&b, "\",\"x]\":\"{\"}},{\"Id\":\"%s\"}]",
                                "1111111111111111111111111111111111111111111111111111111111111111"), 0);
    memset(&k, 0, sizeof k);
    assert_int_equal(feed_list(b.data, b.len, 65536, &k, &v, &n), 0);
    /* Listed, its name whole, the big label cut and counted; the small one after it kept. */
    assert_int_equal(n, 3);
    assert_string_equal(v[0].name, "a");
    assert_string_equal(v[1].name, "huge");
    assert_int_equal(v[1].labels_cut, 1);
    assert_int_equal(v[1].nlabels, 1);
    assert_string_equal(v[1].labels[0].key, "x]");
    assert_string_equal(v[1].labels[0].value, "{");
    assert_string_equal(v[2].id, "1111111111111111111111111111111111111111111111111111111111111111");
    containers_free(v, n);
    assert_int_equal(k.n, 0);
    /* The whole-body parse does the same, without a hook. */
    assert_int_equal(parse_container_list(b.data, b.len, &v, &n), 0);
    assert_int_equal(n, 3);
    containers_free(v, n);
    buf_free(&b);

    /* A name of 1.1 MiB cannot be cut: that record is left out, told
     * with its id. */
    buf_init(&b, 0);
    assert_int_equal(buf_printf(&b, "[{\"Id\":\"" ID1 "\",\"Names\":[\"/a\"]},"
                                "{\"Id\" : \"" ID2 "\",\"Names\":[\"/"), 0);
    fill = malloc(big);
    assert_non_null(fill);
    memset(fill, 'q', big);
    assert_int_equal(buf_add(&b, fill, big), 0);
    free(fill);
    assert_int_equal(buf_printf(&b, "\"]}]"), 0);
    memset(&k, 0, sizeof k);
    assert_int_equal(feed_list(b.data, b.len, 65536, &k, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "a");
    containers_free(v, n);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.ids[0], ID2);
    assert_non_null(strstr(k.why[0], "over 1 MiB"));
    buf_free(&b);

    /* A string that never ends is still a broken list, but memory stays
     * bounded while it streams. */
    struct list_parser p;
    list_parser_init(&p);
    assert_int_equal(list_parser_feed(&p, "[\"", 2), 0);
    char chunk[4096];
    memset(chunk, 'a', sizeof chunk);
    for (int i = 0; i < 600; i++)
        assert_int_equal(list_parser_feed(&p, chunk, sizeof chunk), 0);
    assert_true(p.elem.cap <= (2u << 20));
    assert_int_equal(list_parser_finish(&p, &v, &n), EINVAL);
    list_parser_free(&p);
}

/* A list longer than one engine may show is cut there (EFBIG), and what
 * was kept is handed over; so is one whose text outgrows the bytes. */
static void list_engine_share(void **state)
{
    (void)state;
    struct buf b;
    struct container *v;
    size_t n;
    const size_t extra = 5;

    buf_init(&b, 0);
    assert_int_equal(buf_add(&b, "[", 1), 0);
    for (size_t i = 0; i < ENGINE_CONTAINERS_MAX + extra; i++)
        assert_int_equal(buf_printf(&b, "%s{\"Id\":\"%08zx%056d\",\"Names\":[\"/c%zu\"]}",
                                    i ? "," : "", i, 0, i), 0);
    assert_int_equal(buf_add(&b, "]", 1), 0);
    assert_int_equal(parse_container_list(b.data, b.len, &v, &n), EFBIG);
    assert_int_equal(n, ENGINE_CONTAINERS_MAX);
    assert_string_equal(v[n - 1].name, "c99999");
    containers_free(v, n);
    buf_free(&b);

    /* 90 records of 768 KiB of labels each: 64 MiB holds 85 of them. */
    buf_init(&b, 0);
    char *fill = malloc(1u << 20);
    assert_non_null(fill);
    memset(fill, 'q', 1u << 20);
    assert_int_equal(buf_add(&b, "[", 1), 0);
    for (int i = 0; i < 90; i++) {
        assert_int_equal(buf_printf(&b, "%s{\"Id\":\"%08x%056d\",\"Labels\":{",
                                    i ? "," : "", i, 0), 0);
        for (int k = 0; k < 3; k++) {
            assert_int_equal(buf_printf(&b, "%s\"k%d\":\"", k ? "," : "", k), 0);
            assert_int_equal(buf_add(&b, fill, 256u << 10), 0);
            assert_int_equal(buf_add(&b, "\"", 1), 0);
        }
        assert_int_equal(buf_add(&b, "}}", 2), 0);
    }
    assert_int_equal(buf_add(&b, "]", 1), 0);
    free(fill);
    assert_int_equal(parse_container_list(b.data, b.len, &v, &n), EFBIG);
    assert_true(n >= 80 && n < 90);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += container_bytes(&v[i]);
    assert_true(total <= ENGINE_BYTES_MAX);
    containers_free(v, n);
    buf_free(&b);
}

/* A NUL in a label value, a name or an image (\\u0000) is kept, as the
 * pair ESCAPE_NUL, which the files show as \\x00. */
static void list_nul_in_strings(void **state)
{
    (void)state;
    const char *json =
        "[{\"Id\":\"" ID1 "\",\"Names\":[\"/we\\u0000b\"],\"Image\":\"i\\u0000\","
        "\"State\":\"running\",\"Labels\":{\"dockerfs.protect\":\"true\\u0000no\","
        "\"plain\":\"v\"}}]";
    struct container *v;
    size_t n;
    assert_int_equal(list(json, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "we" ESCAPE_NUL "b");
    assert_string_equal(v[0].image, "i" ESCAPE_NUL);
    /* Not "true": a protect rule sees what the engine has. */
    assert_string_equal(container_label(&v[0], "dockerfs.protect"),
                        "true" ESCAPE_NUL "no");
    assert_string_equal(container_label(&v[0], "plain"), "v");
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(container_render(&v[0], FILE_LABELS, &b), 0);
    assert_string_equal(buf_str(&b), "dockerfs.protect=true\\x00no\nplain=v\n");
    buf_free(&b);
    containers_free(v, n);

    /* An Id with a NUL inside is no id. */
    const char *badid = "[{\"Id\":\"" ID1 "\\u0000x\"}]";
    assert_int_equal(list(badid, &v, &n), 0);
    assert_int_equal(n, 0);

    /* The same in an inspect body and an event. */
    const char *ins = "{\"Id\":\"" ID1 "\",\"Name\":\"/n\\u0000\",\"Config\":{"
                      "\"Image\":\"img\",\"Labels\":{\"a\":\"\\u0000\"}},"
                      "\"State\":{\"Status\":\"running\"}}";
    struct container c;
    assert_int_equal(parse_inspect(ins, strlen(ins), &c, NULL), 0);
    assert_string_equal(c.name, "n" ESCAPE_NUL);
    assert_string_equal(container_label(&c, "a"), ESCAPE_NUL);
    container_clear(&c);
    const char *evl = "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{"
                      "\"ID\":\"" ID1 "\",\"Attributes\":{\"l\":\"a\\u0000b\"}}}";
    struct event ev;
    assert_int_equal(parse_event(evl, strlen(evl), &ev), 0);
    assert_int_equal(ev.kind, EVENT_CHANGED);
    assert_string_equal(ev.id, ID1);
}

/* The head of an event line cut at the length limit (or one with a NUL
 * in a label key) still names its container: CHANGED, so it is re-read. */
static void events_cut_or_undecodable(void **state)
{
    (void)state;
    struct event ev;
    const char *cut = "{\"status\":\"start\",\"id\":\"" ID1 "\",\"from\":\"img\","
                      "\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{"
                      "\"ID\":\"" ID1 "\",\"Attributes\":{\"big\":\"qqqq";
    assert_int_equal(parse_event(cut, strlen(cut), &ev), 0);
    assert_int_equal(ev.kind, EVENT_CHANGED);
    assert_string_equal(ev.id, ID1);
    const char *podman = "{\"Type\":\"container\",\"Action\":\"remove\",\"Actor\":{"
                         "\"ID\":\"" ID2 "\",\"Attributes\":{\"k\\u0000\":\"v\"}}}";
    assert_int_equal(parse_event(podman, strlen(podman), &ev), 0);
    assert_int_equal(ev.kind, EVENT_CHANGED);
    assert_string_equal(ev.id, ID2);
    /* Not about a container, or no id: still malformed. */
    const char *img = "{\"Type\":\"image\",\"id\":\"" ID1 "\",\"x\":";
    assert_int_equal(parse_event(img, strlen(img), &ev), EINVAL);
    assert_int_equal(ev.kind, EVENT_IGNORE);
    const char *noid = "{\"Type\":\"container\",\"id\":\"abc\",";
    assert_int_equal(parse_event(noid, strlen(noid), &ev), EINVAL);
}

/* A create event shows its container at once: name and image from the
 * attributes, the rest of them as labels (a label called name or image
 * is Docker's own value there, so it is left out), the event's second. */
static void event_container_docker(void **state)
{
    (void)state;
    struct container c;
    long long when = -1;
    const char *ev = "{\"status\":\"create\",\"id\":\"" ID1 "\",\"from\":\"img:1\","
                     "\"Type\":\"container\",\"Action\":\"create\",\"Actor\":{"
                     "\"ID\":\"" ID1 "\",\"Attributes\":{\"image\":\"img:1\","
                     "\"name\":\"web\",\"tier\":\"f\\u0000e\",\"a\":\"1\"}},"
                     "\"scope\":\"local\",\"time\":1796193342,"
                     "\"timeNano\":1796193342653973853}";
    assert_int_equal(parse_event_container(ev, strlen(ev), &c, &when), 0);
    assert_true(when == 1796193342653973853LL);
    assert_string_equal(c.id, ID1);
    assert_string_equal(c.name, "web");
    assert_string_equal(c.image, "img:1");
    assert_string_equal(c.state, "created");
    assert_true(c.created == 1796193342);
    assert_int_equal(c.nlabels, 2);
    assert_string_equal(container_label(&c, "a"), "1");
    assert_string_equal(container_label(&c, "tier"), "f" ESCAPE_NUL "e");
    assert_null(container_label(&c, "name"));
    assert_null(container_label(&c, "image"));
    container_clear(&c);

    /* Anything but a create, Podman's, one without a name or image, or
     * not an event: ENOENT or EINVAL, and nothing to free. */
    const char *no[] = {
        "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"" ID1
        "\",\"Attributes\":{\"image\":\"i\",\"name\":\"n\"}}}",
        "{\"Type\":\"container\",\"Action\":\"create\",\"Actor\":{\"ID\":\"" ID1
        "\",\"Attributes\":{\"image\":\"i\",\"name\":\"n\",\"podId\":\"\","
        "\"containerExitCode\":\"0\"}}}",
        "{\"Type\":\"container\",\"Action\":\"create\",\"Actor\":{\"ID\":\"" ID1
        "\",\"Attributes\":{\"image\":\"i\"}}}",
        "{\"Type\":\"container\",\"Action\":\"create\",\"Actor\":{\"ID\":\"abc\","
        "\"Attributes\":{\"image\":\"i\",\"name\":\"n\"}}}",
        "{\"Type\":\"image\",\"Action\":\"create\",\"Actor\":{\"ID\":\"" ID1
        "\",\"Attributes\":{\"image\":\"i\",\"name\":\"n\"}}}",
    };
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        assert_int_equal(parse_event_container(no[i], strlen(no[i]), &c, &when),
                         ENOENT);
        assert_null(c.name);
    }
    assert_int_equal(parse_event_container("{\"Type\":\"container\"}", 22, &c,
                                           &when), EINVAL);
    assert_int_equal(parse_event_container("not json", 8, &c, &when), EINVAL);
    assert_int_equal(parse_event_container(NULL, 0, &c, &when), EINVAL);
    assert_true(when == 0);
}

static void events_rename(void **state)
{
    (void)state;
    struct event ev = ev_of(
        "{\"Type\":\"container\",\"Action\":\"rename\",\"Actor\":{\"ID\":\""
        ID1 "\",\"Attributes\":{\"name\":\"web2\",\"oldName\":\"/web\"}}}", 0);
    assert_int_equal(ev.kind, EVENT_CHANGED);
    assert_string_equal(ev.rename_to, "web2");
    /* Podman and older engines may add the slash. */
    ev = ev_of("{\"Type\":\"container\",\"Action\":\"rename\",\"Actor\":{\"ID\":\""
               ID1 "\",\"Attributes\":{\"name\":\"/db\"}}}", 0);
    assert_string_equal(ev.rename_to, "db");
    /* Only a rename says what the name becomes. */
    ev = ev_of("{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\""
               ID1 "\",\"Attributes\":{\"name\":\"web\"}}}", 0);
    assert_string_equal(ev.rename_to, "");
    ev = ev_of("{\"Type\":\"container\",\"Action\":\"rename\",\"Actor\":{\"ID\":\""
               ID1 "\"}}", 0);
    assert_int_equal(ev.kind, EVENT_CHANGED);
    assert_string_equal(ev.rename_to, "");
}

static int inspect(const char *json, struct container *c, struct inspect_info *in)
{
    return parse_inspect(json, strlen(json), c, in);
}

static void inspect_docker(void **state)
{
    (void)state;
    struct container c;
    struct inspect_info in;
    const char *json =
        "{\"Id\":\"" ID1 "\",\"Created\":\"2023-11-14T22:13:20.123456789Z\","
        "\"Path\":\"nginx\",\"State\":{\"Status\":\"exited\",\"Running\":false,"
        "\"ExitCode\":3,\"Health\":{\"Status\":\"unhealthy\"}},"
        "\"Image\":\"sha256:abc\",\"Name\":\"/web\",\"Config\":{\"Image\":"
        "\"nginx:1\",\"Labels\":{\"z\":\"1\",\"a\":\"2\",\"n\":7}}}";

    memset(&in, 0x55, sizeof in);
    assert_int_equal(inspect(json, &c, &in), 0);
    assert_string_equal(c.id, ID1);
    assert_string_equal(c.short_id, "4eeff8a1b2c3");
    assert_string_equal(c.name, "web");
    assert_string_equal(c.image, "nginx:1");
    assert_string_equal(c.state, "exited");
    assert_int_equal(c.created, 1700000000);
    assert_int_equal(c.nlabels, 2);
    assert_string_equal(c.labels[0].key, "a");
    assert_string_equal(c.labels[1].value, "1");
    assert_int_equal(in.running, 0);
    assert_int_equal(in.exit_code, 3);
    assert_string_equal(in.health, "unhealthy");
    assert_string_equal(in.image_id, "sha256:abc");
    container_clear(&c);

    /* Podman: no slash, an offset, no health, Labels null, info NULL. */
    json = "{\"Id\":\"" ID2 "\",\"Created\":\"2023-11-14T23:13:20+01:00\","
           "\"State\":{\"Status\":\"running\",\"Running\":true,\"ExitCode\":0},"
           "\"Name\":\"db\",\"Config\":{\"Image\":\"postgres\",\"Labels\":null}}";
    assert_int_equal(inspect(json, &c, &in), 0);
    assert_string_equal(c.name, "db");
    assert_int_equal(c.created, 1700000000);
    assert_int_equal(c.nlabels, 0);
    assert_int_equal(in.running, 1);
    assert_string_equal(in.health, "none");
    assert_string_equal(in.image_id, "");
    container_clear(&c);
    assert_int_equal(inspect(json, &c, NULL), 0);
    container_clear(&c);

    /* Missing parts are empty, as in a list; a bad date is 0. */
    json = "{\"Id\":\"" ID2 "\",\"Created\":\"yesterday\"}";
    assert_int_equal(inspect(json, &c, &in), 0);
    assert_string_equal(c.name, "");
    assert_string_equal(c.image, "");
    assert_string_equal(c.state, "");
    assert_int_equal(c.created, 0);
    assert_int_equal(in.running, 0);
    container_clear(&c);
}

static void inspect_bad(void **state)
{
    (void)state;
    struct container c;
    const char *bad[] = { "", "[]", "{}", "nope", "{\"Id\":\"abc\"}",
                          "{\"Id\":7}", "{\"Id\":\"" ID1 "\"" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(inspect(bad[i], &c, NULL), EINVAL);
        assert_null(c.name);
    }
    assert_int_equal(parse_inspect(NULL, 0, &c, NULL), EINVAL);

    /* An image id longer than protection can match is refused whole. */
    struct inspect_info in;
    char big[400];
    snprintf(big, sizeof big, "{\"Id\":\"" ID1 "\",\"Image\":\"sha256:%0100d\"}", 0);
    assert_int_equal(parse_inspect(big, strlen(big), &c, &in), EINVAL);
    assert_null(c.name);
    assert_int_equal(parse_inspect(big, strlen(big), &c, NULL), 0);
    container_clear(&c);
}

/* GET /info: the engine's identity, ID with host name and data root (one
 * machine's dockerds share an ID), or nothing that could be taken for one. */
static void info_id(void **state)
{
    (void)state;
    char id[64], id2[64];
    const char *b = "{\"Containers\":3,\"ID\":\"abc:DEF-1\",\"Name\":\"h1\","
                    "\"DockerRootDir\":\"/var/lib/docker\"}";
    const char *b2 = "{\"ID\":\"abc:DEF-1\",\"Name\":\"h1\","
                     "\"DockerRootDir\":\"/tmp/d2\"}";

    assert_int_equal(parse_info_id(b, strlen(b), id, sizeof id), 0);
    assert_string_equal(id, "abc:DEF-1 h1:/var/lib/docker");
    assert_int_equal(parse_info_id(b2, strlen(b2), id2, sizeof id2), 0);
    assert_string_not_equal(id, id2);
    const char *bare = "{\"ID\":\"x\"}";
    assert_int_equal(parse_info_id(bare, strlen(bare), id, sizeof id), 0);
    assert_string_equal(id, "x :");
    /* Podman: a new ID per request, so two answers of one service are
     * one identity, and two storage roots are two. */
    const char *p1 = "{\"ID\":\"067f8f08-ad2e\",\"Name\":\"vm\","
                     "\"BuildahVersion\":\"1.28.2\",\"DockerRootDir\":\"/r\"}";
    const char *p2 = "{\"ID\":\"51800afc-9385\",\"Name\":\"vm\","
                     "\"BuildahVersion\":\"1.28.2\",\"DockerRootDir\":\"/r\"}";
    const char *p3 = "{\"ID\":\"51800afc-9385\",\"Name\":\"vm\","
                     "\"BuildahVersion\":\"1.28.2\",\"DockerRootDir\":\"/s\"}";
    assert_int_equal(parse_info_id(p1, strlen(p1), id, sizeof id), 0);
    assert_string_equal(id, "podman vm:/r");
    assert_int_equal(parse_info_id(p2, strlen(p2), id2, sizeof id2), 0);
    assert_string_equal(id, id2);
    assert_int_equal(parse_info_id(p3, strlen(p3), id2, sizeof id2), 0);
    assert_string_equal(id2, "podman vm:/s");
    /* Without an ID it is no answer of an engine, Podman or not. */
    const char *p4 = "{\"BuildahVersion\":\"1.28.2\",\"Name\":\"vm\"}";
    assert_int_equal(parse_info_id(p4, strlen(p4), id, sizeof id), EINVAL);
    const char *bad[] = {
        "", "not json", "[\"ID\"]", "{}", "{\"ID\":\"\"}", "{\"ID\":7}",
        "{\"ID\":\"a b\"}", "{\"ID\":\"a\\nb\"}",
        "{\"ID\":\"a\",\"DockerRootDir\":\"/x\\u001b[2J\"}",
        "{\"ID\":\"a\",\"Name\":\"h\\r\"}",
        "{\"ID\":\"a\\u0000b\"}",
        "{\"ID\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memcpy(id, "junk", 5);
        assert_int_equal(parse_info_id(bad[i], strlen(bad[i]), id, sizeof id),
                         EINVAL);
        assert_string_equal(id, "");
    }
    assert_int_equal(parse_info_id(NULL, 0, id, sizeof id), EINVAL);
    assert_int_equal(parse_info_id(b, strlen(b), id, 0), EINVAL);
    /* "x :" and its NUL fit in 4 bytes, not 3. */
    assert_int_equal(parse_info_id(bare, strlen(bare), id, 4), 0);
    assert_int_equal(parse_info_id(bare, strlen(bare), id, 3), EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(docker_list),
        cmocka_unit_test(podman_list),
        cmocka_unit_test(missing_fields),
        cmocka_unit_test(created_shapes),
        cmocka_unit_test(bad_ids_skipped),
        cmocka_unit_test(empty_and_garbage),
        cmocka_unit_test(names_odd_shapes),
        cmocka_unit_test(events_docker),
        cmocka_unit_test(events_podman_remove),
        cmocka_unit_test(events_ignored),
        cmocka_unit_test(events_image),
        cmocka_unit_test(events_malformed),
        cmocka_unit_test(error_message),
        cmocka_unit_test(list_in_chunks),
        cmocka_unit_test(list_stream_errors),
        cmocka_unit_test(list_skips_unreadable_records),
        cmocka_unit_test(list_nul_in_strings),
        cmocka_unit_test(list_engine_share),
        cmocka_unit_test(events_cut_or_undecodable),
        cmocka_unit_test(events_rename),
        cmocka_unit_test(event_container_docker),
        cmocka_unit_test(inspect_docker),
        cmocka_unit_test(inspect_bad),
        cmocka_unit_test(info_id),
    };
    return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
