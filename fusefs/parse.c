/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.c - the engine's JSON: container lists, event lines, errors. */
#include "escape.h"
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The string member key of obj, or NULL. */
static const char *get_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

void parse_texts_free(struct parse_texts *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    memset(t, 0, sizeof *t);
}

const char *parse_text(json_t *v, struct parse_texts *t)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v), nuls = 0;

    if (!s || strlen(s) == len)
        return s;
    for (size_t i = 0; i < len; i++)
        nuls += s[i] == '\0';
    char *copy = malloc(len + nuls + 1), **v2 = t->v;
    if (copy && t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        if ((v2 = realloc(t->v, cap * sizeof *v2)) != NULL) {
            t->v = v2;
            t->cap = cap;
        }
    }
    if (!copy || !v2) {
        free(copy);
        t->nomem = 1;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\0') {
            memcpy(copy + o, ESCAPE_NUL, 2);
            o += 2;
        } else {
            copy[o++] = s[i];
        }
    }
    copy[o] = '\0';
    t->v[t->n++] = copy;
    return copy;
}

/* The text of member key of obj, or NULL. */
static const char *text_at(json_t *obj, const char *key, struct parse_texts *t)
{
    return parse_text(json_object_get(obj, key), t);
}

/* The container's name. Docker lists link aliases ("/web/db") next to
 * the real name, so the first entry without an inner "/" wins; the
 * leading "/" Docker adds (Podman does not) is dropped. */
static const char *pick_name(json_t *names, struct parse_texts *t)
{
    const char *first = NULL;
    size_t i;
    json_t *v;

    if (json_is_string(names)) {    /* not the usual shape, but clear */
        first = parse_text(names, t);
        return !first ? "" : *first == '/' ? first + 1 : first;
    }
    json_array_foreach(names, i, v) {
        const char *s = parse_text(v, t);
        if (!s)
            continue;
        if (*s == '/')
            s++;
        if (!first)
            first = s;
        if (!strchr(s, '/'))
            return s;
    }
    return first ? first : "";
}

int parse_labels(json_t *lj, struct parse_texts *t, struct label **out,
                 size_t *n)
{
    size_t nl = json_is_object(lj) ? json_object_size(lj) : 0;
    const char *k;
    json_t *v;

    *out = NULL;
    *n = 0;
    if (!nl)
        return 0;
    if (!(*out = calloc(nl, sizeof **out)))
        return ENOMEM;
    json_object_foreach(lj, k, v) {
        const char *s = parse_text(v, t);
        if (!s || *n == nl)
            continue;
        (*out)[*n].key = (char *)k;
        (*out)[*n].value = (char *)s;
        (*n)++;
    }
    return t->nomem ? ENOMEM : 0;
}

/* 1 if v is a string of exactly 64 lower-case hex digits. */
static int is_id(json_t *v)
{
    const char *s = json_string_value(v);
    return s && json_string_length(v) == ID_LEN && id_is_hex(s, ID_LEN);
}

/* Creation time: Docker sends Unix seconds; accept a real or a decimal
 * string too, anything else is 0. */
static long long get_created(json_t *v)
{
    if (json_is_integer(v))
        return (long long)json_integer_value(v);
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (d > -9e18 && d < 9e18)
            return (long long)d;
        return 0;
    }
    const char *s = json_string_value(v);
    if (s && *s) {
        char *end;
        errno = 0;
        long long n = strtoll(s, &end, 10);
        if (!errno && *end == '\0')
            return n;
    }
    return 0;
}

/* Fills c from one element of the list; ENOENT for an entry to skip. */
static int parse_one(json_t *o, struct container *c)
{
    struct parse_texts t = { 0 };
    struct label *labels;
    size_t n;

    if (!json_is_object(o) || !is_id(json_object_get(o, "Id")))
        return ENOENT;
    int rc = parse_labels(json_object_get(o, "Labels"), &t, &labels, &n);
    const char *name = pick_name(json_object_get(o, "Names"), &t);
    const char *image = text_at(o, "Image", &t);
    const char *state = text_at(o, "State", &t);
    if (!rc && !t.nomem)
        rc = container_set(c, get_str(o, "Id"), name, image ? image : "",
                           state ? state : "",
                           get_created(json_object_get(o, "Created")),
                           labels, n);
    else
        rc = ENOMEM;
    free(labels);
    parse_texts_free(&t);
    return rc;
}

/* Finds "key" : "<64 hex>" in text[0..len) and copies the id to id[],
 * else leaves id "". For naming a record that cannot be decoded: Docker
 * and Podman write the id first, so even a cut record names it. */
static void find_id(const char *text, size_t len, const char *key,
                    char id[ID_LEN + 1])
{
    size_t klen = strlen(key);

    id[0] = '\0';
    for (size_t i = 0; i + klen + 2 <= len; i++) {
        if (text[i] != '"' || memcmp(text + i + 1, key, klen) != 0 ||
            text[i + 1 + klen] != '"')
            continue;
        size_t j = i + klen + 2;
        while (j < len && is_space(text[j]))
            j++;
        if (j >= len || text[j++] != ':')
            continue;
        while (j < len && is_space(text[j]))
            j++;
        if (j + ID_LEN + 2 <= len && text[j] == '"' &&
            id_is_hex(text + j + 1, ID_LEN) && text[j + 1 + ID_LEN] == '"') {
            memcpy(id, text + j + 1, ID_LEN);
            id[ID_LEN] = '\0';
            return;
        }
    }
}

/* One element of a list, cut down by jtrim, over this size, is not a
 * container. */
#define LIST_ELEM_MAX (1u << 20)

/* What parse_one reads of a list element. */
static const char *const LIST_KEEP[] = {
    "Id", "Names", "Image", "State", "Created", "Labels", NULL
};

/* What parse_inspect reads (parse.h). */
const char *const INSPECT_KEEP[] = {
    "Id", "Name", "Image", "Created", "State", "Config", NULL
};
const char *const INSPECT_DESCEND[] = { "Config", NULL };
const char *const INSPECT_INNER[] = { "Image", "Labels", NULL };

enum { LP_START, LP_ARRAY, LP_DONE, LP_BROKEN };

void list_parser_init(struct list_parser *p)
{
    memset(p, 0, sizeof *p);
    buf_init(&p->elem, LIST_ELEM_MAX);
}

void list_parser_free(struct list_parser *p)
{
    buf_free(&p->elem);
    containers_free(p->v, p->n);
    p->v = NULL;
    p->n = p->cap = 0;
}

static int lp_fail(struct list_parser *p, int err)
{
    p->state = LP_BROKEN;
    p->err = err;
    return err;
}

/* Tells the owner about an element left out, with its id if its text
 * names one. */
static void lp_skip(struct list_parser *p, const char *why)
{
    char id[ID_LEN + 1];

    p->skipped++;
    find_id(p->elem.data ? p->elem.data : "", p->elem.len, "Id", id);
    if (p->on_skip)
        p->on_skip(p->skip_arg, id, why);
}

/* Decodes the collected element. Entries that are not containers are
 * dropped silently, as before; a record that is too large or is not JSON
 * is dropped and told (lp_skip): one container never costs the list. */
static int lp_element_done(struct list_parser *p)
{
    json_error_t jerr;
    json_t *o = NULL;
    struct container c;
    int rc;

    if (p->trim.err) {
        return lp_fail(p, p->trim.err);
    } else if (p->trim.full) {
        lp_skip(p, "its record is over 1 MiB");
    } else if (!(o = json_loadb(p->elem.data ? p->elem.data : "", p->elem.len,
                                JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr))) {
        char why[sizeof jerr.text + 32];
        snprintf(why, sizeof why, "its record is not JSON (%s)", jerr.text);
        lp_skip(p, why);
    }
    p->in_elem = 0;
    size_t cut = p->trim.cut;
    buf_reset(&p->elem);
    if (!o)
        return 0;
    memset(&c, 0, sizeof c);
    rc = parse_one(o, &c);
    json_decref(o);
    c.labels_cut = cut;
    if (rc == ENOENT)
        return 0;
    if (rc)
        return lp_fail(p, rc);
    size_t bytes = container_bytes(&c);
    if (p->n >= ENGINE_CONTAINERS_MAX || p->bytes + bytes > ENGINE_BYTES_MAX) {
        /* One engine's share is full: the rest is not read at all. */
        container_clear(&c);
        p->capped = 1;
        return lp_fail(p, EFBIG);
    }
    p->bytes += bytes;
    if (containers_push(&p->v, &p->n, &p->cap, &c))
        return lp_fail(p, ENOMEM);
    return 0;
}

/* Adds c to the element being collected, as jtrim cuts it down: what
 * still outgrows LIST_ELEM_MAX is only scanned to its end (memory stays
 * bounded) and then skipped; the part kept still names its id. */
static int lp_keep(struct list_parser *p, char c)
{
    jtrim_feed(&p->trim, &c, 1);
    return p->trim.err ? lp_fail(p, p->trim.err) : 0;
}

/* One byte inside the array. Tracks strings and nesting only as far as
 * needed to find where each element ends; jansson checks the rest. */
static int lp_array_byte(struct list_parser *p, char c)
{
    if (!p->in_elem) {
        if (is_space(c) || c == ',')
            return 0;
        if (c == ']') {
            p->state = LP_DONE;
            return 0;
        }
        p->in_elem = 1;
        p->depth = 0;
        jtrim_init(&p->trim, &p->elem, LIST_KEEP, NULL, NULL, LABELS_KEPT_MAX);
    }
    if (p->in_str) {
        if (p->esc)
            p->esc = 0;
        else if (c == '\\')
            p->esc = 1;
        else if (c == '"')
            p->in_str = 0;
        return lp_keep(p, c);
    }
    if (c == '"') {
        p->in_str = 1;
        return lp_keep(p, c);
    }
    if (c == '{' || c == '[') {
        p->depth++;
        return lp_keep(p, c);
    }
    if (c == '}' || c == ']') {
        if (p->depth == 0) {        /* ']' closing the array after a scalar */
            if (c == '}')
                return lp_fail(p, EINVAL);
            p->state = LP_DONE;
            return lp_element_done(p);
        }
        int rc = lp_keep(p, c);
        if (rc == 0 && --p->depth == 0)
            rc = lp_element_done(p);
        return rc;
    }
    if (p->depth == 0 && (c == ',' || is_space(c)))
        return lp_element_done(p);
    return lp_keep(p, c);
}

int list_parser_feed(struct list_parser *p, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        int rc = 0;

        switch (p->state) {
        case LP_START:
            if (c == '[')
                p->state = LP_ARRAY;
            else if (!is_space(c))
                rc = lp_fail(p, EINVAL);
            break;
        case LP_ARRAY:
            rc = lp_array_byte(p, c);
            break;
        case LP_DONE:
            if (!is_space(c))
                rc = lp_fail(p, EINVAL);
            break;
        default:
            return p->err;
        }
        if (rc)
            return rc;
    }
    return 0;
}

int list_parser_finish(struct list_parser *p, struct container **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (p->state == LP_BROKEN && !p->capped)
        return p->err;
    if (p->state != LP_DONE && !p->capped)
        return EINVAL;
    if (p->n) {
        *out = p->v;
        *n = p->n;
    } else {
        free(p->v);
    }
    p->v = NULL;
    p->n = p->cap = 0;
    return p->capped ? EFBIG : 0;
}

/* Parses a /containers/json body into a fresh array; see parse.h. */
int parse_container_list(const char *json, size_t len,
                         struct container **out, size_t *n)
{
    struct list_parser p;
    int rc;

    *out = NULL;
    *n = 0;
    if (!json)
        return EINVAL;
    list_parser_init(&p);
    rc = list_parser_feed(&p, json, len);
    if (rc == 0 || rc == EFBIG)
        rc = list_parser_finish(&p, out, n);
    list_parser_free(&p);
    return rc;
}

/* Actions that change nothing the mount shows. Docker appends details
 * after ": " to some of them ("exec_start: sh", "health_status: healthy"). */
static int action_ignored(const char *a)
{
    static const char *const exact[] = {
        "attach", "detach", "resize", "top", "commit", "copy", "export",
        "archive-path", "extract-to-dir", NULL
    };
    if (strncmp(a, "exec_", 5) == 0 || strncmp(a, "health_status", 13) == 0)
        return 1;
    size_t n = strcspn(a, ":");
    for (int i = 0; exact[i]; i++)
        if (strlen(exact[i]) == n && strncmp(a, exact[i], n) == 0)
            return 1;
    return 0;
}

/* Image actions after which a name may point at another image (Podman
 * says remove where Docker says delete). */
static int image_moves_tags(const char *a)
{
    static const char *const moves[] = {
        "tag", "untag", "delete", "remove", "pull", "load", "import", NULL
    };
    for (int i = 0; moves[i]; i++)
        if (strcmp(a, moves[i]) == 0)
            return 1;
    return 0;
}

/* A line that is not JSON, most likely the head of one cut at the line
 * limit (every label of a container rides along in its events): if it
 * says it is about a container and names its id, re-reading that
 * container is right whatever the event was, and always harmless. */
static int event_head(const char *line, size_t len, struct event *ev)
{
    static const char type[] = "\"Type\":\"container\"";

    if (!memmem(line, len, type, sizeof type - 1))
        return EINVAL;
    find_id(line, len, "id", ev->id);
    if (!ev->id[0])
        find_id(line, len, "ID", ev->id);
    if (!ev->id[0])
        return EINVAL;
    ev->kind = EVENT_CHANGED;
    return 0;
}

/* Parses one /events line; see parse.h. Events without a Type come from
 * engines older than API 1.22, which only reported container events. */
int parse_event(const char *line, size_t len, struct event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = EVENT_IGNORE;
    if (!line)
        return EINVAL;
    json_t *o = json_loadb(line, len, JSON_ALLOW_NUL, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return event_head(line, len, ev);
    }
    int rc = 0;
    struct parse_texts t = { 0 };
    const char *type = get_str(o, "Type");
    const char *action = get_str(o, "Action");
    if (!action)
        action = get_str(o, "status");
    if (type && strcmp(type, "image") == 0) {
        if (action && image_moves_tags(action))
            ev->kind = EVENT_RELIST;
        goto out;
    }
    if (type ? strcmp(type, "container") != 0 : !get_str(o, "id"))
        goto out;       /* network, volume... events */
    if (!action) {
        rc = EINVAL;
        goto out;
    }
    if (action_ignored(action))
        goto out;
    json_t *idv = json_object_get(json_object_get(o, "Actor"), "ID");
    if (!idv)
        idv = json_object_get(o, "id");
    if (!is_id(idv)) {
        rc = EINVAL;
        goto out;
    }
    memcpy(ev->id, json_string_value(idv), ID_LEN + 1);
    if (strcmp(action, "rename") == 0) {
        const char *to = parse_text(json_object_get(json_object_get(
            json_object_get(o, "Actor"), "Attributes"), "name"), &t);
        if (to && *to == '/')
            to++;
        if (to && strlen(to) <= EVENT_NAME_MAX)
            memcpy(ev->rename_to, to, strlen(to) + 1);
    }
    ev->create = strcmp(action, "create") == 0;
    ev->kind = (strcmp(action, "destroy") == 0 || strcmp(action, "remove") == 0)
                   ? EVENT_GONE : EVENT_CHANGED;
out:
    parse_texts_free(&t);
    json_decref(o);
    return rc;
}

int parse_event_container(const char *line, size_t len, struct container *c,
                          long long *when_ns)
{
    json_t *o = line ? json_loadb(line, len, JSON_ALLOW_NUL, NULL) : NULL;
    json_t *actor = json_object_get(o, "Actor");
    json_t *attrs = json_object_get(actor, "Attributes");
    json_t *when = json_object_get(o, "timeNano");
    const char *action = get_str(o, "Action"), *type = get_str(o, "Type");
    struct parse_texts t = { 0 };
    struct label *labels = NULL;
    size_t n = 0;
    int rc = ENOENT;

    memset(c, 0, sizeof *c);
    *when_ns = json_is_integer(when) ? (long long)json_integer_value(when) : 0;
    if (!json_is_object(o) || !json_is_object(attrs)) {
        json_decref(o);
        return EINVAL;
    }
    /* A start would say nothing of when the container was made. */
    const char *state = action && strcmp(action, "create") == 0 ? "created"
                                                                : NULL;
    const char *name = text_at(attrs, "name", &t);
    const char *image = text_at(attrs, "image", &t);
    /* Podman puts podId and containerExitCode among the labels: there
     * the labels cannot be told from the rest. */
    if (type && strcmp(type, "container") == 0 && state && name && image &&
        is_id(json_object_get(actor, "ID")) && !json_object_get(attrs, "podId")) {
        rc = parse_labels(attrs, &t, &labels, &n);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(labels[i].key, "name") != 0 &&
                strcmp(labels[i].key, "image") != 0)
                labels[k++] = labels[i];
        if (!rc && t.nomem)
            rc = ENOMEM;
        if (!rc)
            rc = container_set(c, get_str(actor, "ID"), *name == '/' ? name + 1
                               : name, image, state, *when_ns / 1000000000LL,
                               labels, k);
    }
    free(labels);
    parse_texts_free(&t);
    json_decref(o);
    return rc;
}

/* Copies at most dstlen-1 bytes of s[0..n) into dst and terminates it. */
static void copy_trunc(char *dst, size_t dstlen, const char *s, size_t n)
{
    if (n >= dstlen)
        n = dstlen - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

const char *parse_error_message(const char *body, size_t len,
                                char *dst, size_t dstlen)
{
    if (!dst || dstlen == 0)
        return dst;
    dst[0] = '\0';
    if (!body || len == 0)
        return dst;
    json_t *o = json_loadb(body, len, 0, NULL);
    const char *msg = get_str(o, "message");
    if (msg) {
        copy_trunc(dst, dstlen, msg, strlen(msg));
    } else {
        size_t n = 0;
        while (n < len && body[n] != '\n' && body[n] != '\0')
            n++;
        if (n && body[n - 1] == '\r')
            n--;
        copy_trunc(dst, dstlen, body, n);
    }
    json_decref(o);
    return dst;
}

/* 1 if s has no control character (it goes into log lines as it is). */
static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < ' ' || (unsigned char)*s == 0x7f)
            return 0;
    return 1;
}

int parse_info_id(const char *json, size_t len, char *id, size_t idlen)
{
    if (!id || idlen == 0)
        return EINVAL;
    id[0] = '\0';
    if (!json || len == 0)
        return EINVAL;
    json_t *o = json_loadb(json, len, 0, NULL);
    const char *v = json_is_object(o) ? get_str(o, "ID") : NULL;
    /* Podman's compat /info makes up a new ID for every request: it is
     * told by host name and storage root alone. */
    if (v && v[0] && get_str(o, "BuildahVersion"))
        v = "podman";
    const char *name = get_str(o, "Name");
    const char *root = get_str(o, "DockerRootDir");
    int rc = EINVAL;

    name = name ? name : "";
    root = root ? root : "";
    if (v && v[0] && !strchr(v, ' ') && printable(v) && printable(name) &&
        printable(root)) {
        int k = snprintf(id, idlen, "%s %s:%s", v, name, root);
        rc = k > 0 && (size_t)k < idlen ? 0 : EINVAL;
    }
    if (rc)
        id[0] = '\0';
    json_decref(o);
    return rc;
}

long long parse_rfc3339(const char *s)
{
    struct tm tm;
    const char *p;
    long long t;

    if (!s)
        return 0;
    memset(&tm, 0, sizeof tm);
    if (!(p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)))
        return 0;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    t = (long long)timegm(&tm);
    if (*p == 'Z' && p[1] == '\0')
        return t;
    if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) &&
        isdigit((unsigned char)p[2]) && p[3] == ':' &&
        isdigit((unsigned char)p[4]) && isdigit((unsigned char)p[5]) &&
        p[6] == '\0') {
        long long off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600LL +
                        ((p[4] - '0') * 10 + (p[5] - '0')) * 60LL;
        return *p == '+' ? t - off : t + off;
    }
    return 0;
}

/* Parses an inspect body; see parse.h. */
int parse_inspect(const char *json, size_t len, struct container *c,
                  struct inspect_info *info)
{
    json_t *o = json ? json_loadb(json, len, JSON_ALLOW_NUL, NULL) : NULL;
    json_t *cfg = json_object_get(o, "Config");
    json_t *st = json_object_get(o, "State");
    struct parse_texts t = { 0 };
    struct label *labels = NULL;
    size_t n = 0;
    int rc;

    memset(c, 0, sizeof *c);
    if (!json_is_object(o) || !is_id(json_object_get(o, "Id"))) {
        json_decref(o);
        return EINVAL;
    }
    const char *name = text_at(o, "Name", &t);
    const char *image = text_at(cfg, "Image", &t);
    const char *state = text_at(st, "Status", &t);
    const char *health = get_str(json_object_get(st, "Health"), "Status");
    if (!image)
        image = text_at(o, "Image", &t);
    if (name && *name == '/')
        name++;
    rc = parse_labels(json_object_get(cfg, "Labels"), &t, &labels, &n);
    if (!rc && t.nomem)
        rc = ENOMEM;
    if (!rc)
        rc = container_set(c, get_str(o, "Id"), name ? name : "",
                           image ? image : "", state ? state : "",
                           parse_rfc3339(get_str(o, "Created")), labels, n);
    free(labels);
    parse_texts_free(&t);
    if (rc == 0 && info) {
        json_t *ec = json_object_get(st, "ExitCode");
        const char *image_id = get_str(o, "Image");
        /* Protection matches it: cut short it would match less. */
        if (image_id && strlen(image_id) >= sizeof info->image_id) {
            container_clear(c);
            json_decref(o);
            return EINVAL;
        }
        snprintf(info->image_id, sizeof info->image_id, "%s",
                 image_id ? image_id : "");
        info->running = json_is_true(json_object_get(st, "Running"));
        info->exit_code = json_is_integer(ec) ? (int)json_integer_value(ec) : 0;
        snprintf(info->health, sizeof info->health, "%s",
                 health && *health ? health : "none");
    }
    json_decref(o);
    return rc;
}
