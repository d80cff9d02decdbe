/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pod.c - pods, pod lists, watch events and Status from the API server,
 * into rows of the table. */
#include "pod.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"

const char *pod_state(const char *phase, int ready_false, int deleting)
{
    static const struct { const char *phase, *state; } map[] = {
        { "Pending", "pending" }, { "Succeeded", "succeeded" },
        { "Failed", "failed" }, { "Unknown", "unknown" },
    };

    if (deleting)
        return "terminating";
    if (phase && strcmp(phase, "Running") == 0)
        return ready_false ? "unready" : "running";
    for (size_t i = 0; phase && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(phase, map[i].phase) == 0)
            return map[i].state;
    return "unknown";
}

/* 1 if status.conditions holds {"type":"Ready","status":"False"}. */
static int ready_false(json_t *conditions)
{
    size_t i;
    json_t *c;

    json_array_foreach(conditions, i, c) {
        const char *type = json_string_value(json_object_get(c, "type"));
        const char *st = json_string_value(json_object_get(c, "status"));
        if (type && st && strcmp(type, "Ready") == 0)
            return strcmp(st, "False") == 0;
    }
    return 0;
}

/* The image of the first container of spec, or "". */
static json_t *first_image(json_t *spec)
{
    return json_object_get(json_array_get(json_object_get(spec,
                                                           "containers"), 0),
                           "image");
}

int pod_from_json(json_t *o, struct container *c, const char **why)
{
    struct parse_texts t = { 0 };
    json_t *meta = json_object_get(o, "metadata");
    json_t *uidv = json_object_get(meta, "uid");
    json_t *status = json_object_get(o, "status");
    struct label *labels = NULL;
    char id[POD_ID_LEN + 1];
    size_t n = 0;
    int rc;

    memset(c, 0, sizeof *c);
    *why = NULL;
    if (!json_is_object(o) || !json_is_object(meta)) {
        *why = "it is not an object with metadata";
        return ENOENT;
    }
    if (!json_is_string(uidv) ||
        pod_id_from_uid(json_string_value(uidv), json_string_length(uidv),
                        id) != 0) {
        *why = "its uid is not 8-4-4-4-12 lower-case hex digits";
        return ENOENT;
    }
    const char *name = parse_text(json_object_get(meta, "name"), &t);
    const char *ns = parse_text(json_object_get(meta, "namespace"), &t);
    const char *image = parse_text(first_image(json_object_get(o, "spec")),
                                   &t);
    const char *phase = json_string_value(json_object_get(status, "phase"));
    json_t *del = json_object_get(meta, "deletionTimestamp");
    rc = parse_labels(json_object_get(meta, "labels"), &t, &labels, &n);
    if (rc || t.nomem) {
        rc = ENOMEM;
    } else if (!name || !ns) {
        *why = "it has no name or namespace";
        rc = ENOENT;
    } else {
        const char *state = pod_state(phase, ready_false(json_object_get(
                                          status, "conditions")),
                                      del && !json_is_null(del));
        long long created = parse_rfc3339(json_string_value(
                                json_object_get(meta, "creationTimestamp")));
        rc = container_set(c, id, name, image ? image : "", state, created,
                           labels, n);
        if (rc == 0 && (rc = container_set_ns(c, ns)) != 0)
            container_clear(c);
    }
    free(labels);
    parse_texts_free(&t);
    return rc;
}

/* Copies a resourceVersion or continue token v into dst (len bytes):
 * printable ASCII that fits. "" for absent or null. Returns 0 or
 * EINVAL. */
static int copy_token(json_t *v, char *dst, size_t len)
{
    const char *s = json_string_value(v);
    size_t n = s ? json_string_length(v) : 0;

    dst[0] = '\0';
    if (!v || json_is_null(v))
        return 0;
    if (!s || n >= len)
        return EINVAL;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return EINVAL;
    memcpy(dst, s, n + 1);
    return 0;
}

/* The uid text of a pod object that could not be read, as skipped.h
 * wants it: its 32 digits, or "". */
static void skip_id(json_t *o, char *id)
{
    json_t *uid = json_object_get(json_object_get(o, "metadata"), "uid");

    if (!json_is_string(uid) ||
        pod_id_from_uid(json_string_value(uid), json_string_length(uid),
                        id) != 0)
        id[0] = '\0';
}

void pod_page_free(struct pod_page *p)
{
    containers_free(p->v, p->n);
    memset(p, 0, sizeof *p);
}

int pod_parse_list(const char *json, size_t len, struct pod_page *p,
                   list_skip_fn on_skip, void *arg)
{
    json_error_t jerr;
    json_t *root, *items, *o, *meta;
    size_t i;
    int rc = 0;

    memset(p, 0, sizeof *p);
    root = json ? json_loadb(json, len, JSON_ALLOW_NUL, &jerr) : NULL;
    items = json_object_get(root, "items");
    meta = json_object_get(root, "metadata");
    if (!json_is_object(root) || !json_is_array(items) ||
        (meta && !json_is_object(meta)) ||
        copy_token(json_object_get(meta, "resourceVersion"), p->rv,
                   sizeof p->rv) != 0 ||
        copy_token(json_object_get(meta, "continue"), p->cont,
                   sizeof p->cont) != 0) {
        json_decref(root);
        return EINVAL;
    }
    if (json_array_size(items) &&
        !(p->v = calloc(json_array_size(items), sizeof *p->v))) {
        json_decref(root);
        return ENOMEM;
    }
    json_array_foreach(items, i, o) {
        const char *why;
        char id[POD_ID_LEN + 1];
        rc = pod_from_json(o, &p->v[p->n], &why);
        if (rc == 0) {
            p->n++;
        } else if (rc == ENOENT) {
            p->skipped++;
            skip_id(o, id);
            if (on_skip)
                on_skip(arg, id, why);
            rc = 0;
        } else {
            break;
        }
    }
    json_decref(root);
    if (rc)
        pod_page_free(p);
    return rc;
}

int pod_share_full(struct pod_share *s, struct container *v, size_t *n)
{
    for (size_t i = s->counted; i < *n; i++) {
        size_t b = container_bytes(&v[i]);
        if (i >= s->rows_max || s->bytes + b > s->bytes_max) {
            for (size_t j = i; j < *n; j++)
                container_clear(&v[j]);
            *n = s->counted = i;
            return 1;
        }
        s->bytes += b;
    }
    s->counted = *n;
    return *n >= s->rows_max;
}

int pod_parse_event(const char *line, size_t len, struct pod_event *ev)
{
    static const char *const types[] = {
        [POD_ADDED] = "ADDED", [POD_MODIFIED] = "MODIFIED",
        [POD_DELETED] = "DELETED", [POD_BOOKMARK] = "BOOKMARK",
        [POD_ERROR] = "ERROR",
    };
    json_error_t jerr;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    json_t *obj = json_object_get(root, "object");
    const char *type = json_string_value(json_object_get(root, "type"));
    const char *why;
    int rc = EINVAL;

    memset(ev, 0, sizeof *ev);
    for (size_t i = 0; type && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(type, types[i]) == 0) {
            ev->type = (enum pod_event_type)i;
            rc = 0;
        }
    if (rc || !json_is_object(obj)) {
        json_decref(root);
        return EINVAL;
    }
    if (ev->type == POD_ERROR) {
        json_t *code = json_object_get(obj, "code");
        const char *msg = json_string_value(json_object_get(obj, "message"));
        ev->code = json_is_integer(code) &&
                   json_integer_value(code) > 0 &&
                   json_integer_value(code) < 1000
                   ? (int)json_integer_value(code) : 0;
        escape_text_to(ev->message, sizeof ev->message, msg ? msg : "");
        json_decref(root);
        return 0;
    }
    if (copy_token(json_object_get(json_object_get(obj, "metadata"),
                                   "resourceVersion"), ev->rv,
                   sizeof ev->rv) != 0)
        ev->rv[0] = '\0';
    if (ev->type != POD_BOOKMARK)
        rc = pod_from_json(obj, &ev->c, &why);
    json_decref(root);
    return rc;
}

void pod_parse_status(const char *json, size_t len, int *code, char *msg,
                      size_t msglen)
{
    json_error_t jerr;
    json_t *root = json ? json_loadb(json, len, JSON_ALLOW_NUL, &jerr) : NULL;
    json_t *c = json_object_get(root, "code");
    const char *kind = json_string_value(json_object_get(root, "kind"));
    const char *m = json_string_value(json_object_get(root, "message"));

    *code = 0;
    if (msglen)
        msg[0] = '\0';
    if (kind && strcmp(kind, "Status") == 0) {
        if (json_is_integer(c) && json_integer_value(c) > 0 &&
            json_integer_value(c) < 1000)
            *code = (int)json_integer_value(c);
        if (m && msglen)
            escape_text_to(msg, msglen, m);
    }
    json_decref(root);
}

int pod_parse_namespace_uid(const char *json, size_t len, char *id,
                            size_t idlen)
{
    json_error_t jerr;
    json_t *root = json ? json_loadb(json, len, JSON_ALLOW_NUL, &jerr) : NULL;
    json_t *uid = json_object_get(json_object_get(root, "metadata"), "uid");
    char hex[POD_ID_LEN + 1];
    int rc = EINVAL;

    if (idlen)
        id[0] = '\0';
    if (json_is_string(uid) && idlen > POD_UID_LEN &&
        pod_id_from_uid(json_string_value(uid), json_string_length(uid),
                        hex) == 0) {
        memcpy(id, json_string_value(uid), POD_UID_LEN + 1);
        rc = 0;
    }
    json_decref(root);
    return rc;
}
