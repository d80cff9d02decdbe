/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pod.c - pods, pod lists, watch events and Status from the API server,
 * into rows of the table. */
#include "pod.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

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

/* What the parser expects next at the root object's own level. */
enum { PL_START, PL_KEY, PL_COLON, PL_VALUE, PL_COMMA, PL_DONE, PL_BROKEN };
/* What the root's current value is to us. */
enum { PV_SKIP, PV_META, PV_ITEMS };

#define PL_KEY_MAX 16
#define PL_DEPTH_MAX 100000
/* The list's own metadata (resourceVersion, continue, a few more). */
#define PL_META_MAX (64u << 10)

void pod_list_init(struct pod_list_parser *p, struct pod_share *share)
{
    memset(p, 0, sizeof *p);
    buf_init(&p->key, PL_KEY_MAX);
    buf_init(&p->meta, PL_META_MAX);
    buf_init(&p->elem, POD_JSON_MAX);
    p->share = share;
}

void pod_list_free(struct pod_list_parser *p)
{
    buf_free(&p->key);
    buf_free(&p->meta);
    buf_free(&p->elem);
    containers_free(p->v, p->n);
    p->v = NULL;
    p->n = p->cap = 0;
}

static int pl_fail(struct pod_list_parser *p, int err)
{
    p->state = PL_BROKEN;
    p->err = err;
    return err;
}

/* Tells the owner about an item left out. */
static void pl_skip(struct pod_list_parser *p, json_t *o, const char *why)
{
    char id[POD_ID_LEN + 1] = "";

    p->skipped++;
    if (o)
        skip_id(o, id);
    if (p->on_skip)
        p->on_skip(p->skip_arg, id, why);
}

/* Decodes the item collected in p->elem into a row. */
static int pl_item_done(struct pod_list_parser *p)
{
    json_error_t jerr;
    json_t *o = NULL;
    struct container c;
    const char *why;
    int rc = 0;

    if (p->oversize)
        pl_skip(p, NULL, "its record is over 1 MiB");
    else if (!(o = json_loadb(buf_str(&p->elem), p->elem.len, JSON_ALLOW_NUL,
                              &jerr)))
        pl_skip(p, NULL, "its record is not JSON");
    p->in_elem = 0;
    p->oversize = 0;
    buf_reset(&p->elem);
    if (!o)
        return 0;
    rc = pod_from_json(o, &c, &why);
    if (rc == ENOENT)
        pl_skip(p, o, why);
    json_decref(o);
    if (rc == ENOENT)
        return 0;
    if (rc)
        return pl_fail(p, rc);
    /* Past one engine's share the rest is left out, unread. */
    if (p->full || (p->share && !pod_share_take(p->share, &c))) {
        p->full = 1;
        container_clear(&c);
        return 0;
    }
    if (containers_push(&p->v, &p->n, &p->cap, &c))
        return pl_fail(p, ENOMEM);
    return 0;
}

/* Keeps byte c of the item being collected; past POD_JSON_MAX the item
 * is only scanned to its end, then left out. */
static int pl_keep_elem(struct pod_list_parser *p, char c)
{
    int rc = p->oversize ? 0 : buf_add(&p->elem, &c, 1);

    if (rc == E2BIG) {
        p->oversize = 1;
        rc = 0;
    }
    return rc ? pl_fail(p, rc) : 0;
}

/* The list's metadata, once its text is whole. */
static int pl_meta_done(struct pod_list_parser *p)
{
    json_error_t jerr;
    json_t *m = json_loadb(buf_str(&p->meta), p->meta.len, JSON_ALLOW_NUL,
                           &jerr);
    int rc = json_is_object(m) &&
             copy_token(json_object_get(m, "resourceVersion"), p->rv,
                        sizeof p->rv) == 0 &&
             copy_token(json_object_get(m, "continue"), p->cont,
                        sizeof p->cont) == 0 ? 0 : EINVAL;

    json_decref(m);
    buf_reset(&p->meta);
    return rc ? pl_fail(p, rc) : 0;
}

/* A byte of the root's current value, outside a string: c changed the
 * nesting to p->depth already. Returns 0 or an error. */
static int pl_value_byte(struct pod_list_parser *p, char c)
{
    int rc = 0;

    switch (p->value) {
    case PV_META:
        if ((rc = buf_add(&p->meta, &c, 1)) != 0)
            return pl_fail(p, rc == E2BIG ? EINVAL : rc);
        return p->depth == 1 ? pl_meta_done(p) : 0;
    case PV_ITEMS:
        if (p->depth == 1)              /* the items array closed */
            return p->in_elem ? pl_item_done(p) : 0;
        if (!p->in_elem) {
            if (p->depth == 2 && (is_space(c) || c == ','))
                return 0;
            p->in_elem = 1;
            p->elem_scalar = p->depth == 2;
        }
        if (p->elem_scalar && !p->in_str && p->depth == 2 &&
            (c == ',' || is_space(c))) {
            p->in_elem = 0;
            buf_reset(&p->elem);
            pl_skip(p, NULL, "it is not an object");
            return 0;
        }
        if ((rc = pl_keep_elem(p, c)) != 0)
            return rc;
        /* An object or array item ends back at the array's level. */
        if (!p->elem_scalar && p->depth == 2)
            return pl_item_done(p);
        return 0;
    default:
        return 0;
    }
}

/* One byte outside any string. */
static int pl_byte(struct pod_list_parser *p, char c)
{
    int open = c == '{' || c == '[', close = c == '}' || c == ']';

    if (p->state == PL_START) {
        if (c == '{') {
            p->depth = 1;
            p->state = PL_KEY;
            return 0;
        }
        return is_space(c) ? 0 : pl_fail(p, EINVAL);
    }
    if (p->state == PL_DONE)
        return is_space(c) ? 0 : pl_fail(p, EINVAL);
    /* Inside the root's current value. */
    if (p->depth > 1 || (p->state == PL_VALUE && p->in_value)) {
        if (p->depth == 1 && p->scalar_value && (c == ',' || c == '}')) {
            /* A scalar value ended: c belongs to the root. */
            p->in_value = 0;
            p->state = PL_COMMA;
            return pl_byte(p, c);
        }
        if (close && p->depth <= 1)
            return pl_fail(p, EINVAL);
        /* Deeper than any pod: no more counting (jansson refuses far
         * less already). */
        if (open && p->depth >= PL_DEPTH_MAX)
            return pl_fail(p, EINVAL);
        if (open)
            p->depth++;
        else if (close)
            p->depth--;
        int rc = pl_value_byte(p, c);
        if (!rc && p->depth == 1 && !p->scalar_value && close) {
            p->in_value = 0;
            p->state = PL_COMMA;
        }
        return rc;
    }
    if (is_space(c))
        return 0;
    switch (p->state) {
    case PL_KEY:
        if (c == '}' && !p->keys)
            goto done;
        return pl_fail(p, EINVAL);      /* a key starts with '"' */
    case PL_COLON:
        if (c != ':')
            return pl_fail(p, EINVAL);
        p->state = PL_VALUE;
        return 0;
    case PL_VALUE: {
        const char *k = buf_str(&p->key);
        if (close || c == ',' || c == ':')
            return pl_fail(p, EINVAL);
        p->value = strcmp(k, "items") == 0 ? PV_ITEMS
                   : strcmp(k, "metadata") == 0 ? PV_META : PV_SKIP;
        p->in_value = 1;
        p->scalar_value = !open;
        if (p->value == PV_ITEMS && c != '[')
            return pl_fail(p, EINVAL);
        if (p->value == PV_ITEMS) {
            if (p->have_items++)
                return pl_fail(p, EINVAL);
            p->depth++;
            return 0;
        }
        if (p->value == PV_META && c != '{')
            return pl_fail(p, EINVAL);
        if (open)
            p->depth++;
        return pl_value_byte(p, c);
    }
    case PL_COMMA:
        if (c == ',') {
            p->state = PL_KEY;
            return 0;
        }
        if (c == '}')
            goto done;
        return pl_fail(p, EINVAL);
    default:
        return pl_fail(p, EINVAL);
    }
done:
    p->depth = 0;
    p->state = PL_DONE;
    return 0;
}

int pod_list_feed(struct pod_list_parser *p, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        int rc = 0;

        if (p->state == PL_BROKEN)
            return p->err;
        if (p->in_str) {
            /* A key of the root is collected; a value's string goes
             * where the value goes. */
            if (p->esc)
                p->esc = 0;
            else if (c == '\\')
                p->esc = 1;
            else if (c == '"')
                p->in_str = 0;
            if (p->in_key) {
                if (!p->in_str) {
                    p->in_key = 0;
                    p->state = PL_COLON;
                } else if (buf_add(&p->key, &c, 1) == E2BIG) {
                    buf_reset(&p->key);     /* a key we do not want */
                    buf_add(&p->key, "\x01", 1);
                }
                continue;
            }
            rc = pl_value_byte(p, c);
            if (!rc && !p->in_str && p->depth == 1 && p->in_value &&
                p->scalar_value) {
                p->in_value = 0;        /* a string value ended */
                if (p->value != PV_SKIP)
                    rc = pl_fail(p, EINVAL);
                p->state = PL_COMMA;
            }
        } else if (c == '"' && p->state == PL_KEY && p->depth == 1) {
            p->in_str = 1;
            p->in_key = 1;
            p->keys++;
            buf_reset(&p->key);
        } else if (c == '"') {
            if (p->state == PL_VALUE && !p->in_value && p->depth == 1) {
                rc = pl_byte(p, c);     /* the value starts */
            } else if (p->state != PL_VALUE) {
                rc = pl_fail(p, EINVAL);
            } else {
                rc = pl_value_byte(p, c);
            }
            if (!rc)
                p->in_str = 1;
        } else {
            rc = pl_byte(p, c);
        }
        if (rc)
            return rc;
    }
    return 0;
}

int pod_list_finish(struct pod_list_parser *p, struct pod_page *out)
{
    memset(out, 0, sizeof *out);
    if (p->state == PL_BROKEN)
        return p->err;
    if (p->state != PL_DONE || !p->have_items)
        return EINVAL;
    out->v = p->v;
    out->n = p->n;
    out->skipped = p->skipped;
    out->full = p->full;
    memcpy(out->rv, p->rv, sizeof out->rv);
    memcpy(out->cont, p->cont, sizeof out->cont);
    p->v = NULL;
    p->n = p->cap = 0;
    return 0;
}

int pod_share_take(struct pod_share *s, const struct container *c)
{
    size_t b = container_bytes(c);

    if (s->rows >= s->rows_max || s->bytes + b > s->bytes_max)
        return 0;
    s->rows++;
    s->bytes += b;
    return 1;
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
