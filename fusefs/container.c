/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container.c - one container as the mount shows it, and its files. */
#include "container.h"
#include "escape.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* CONTAINER_FILES as two tables indexed by kind. */
static const char *const kind_names[FILE_KINDS] = {
#define FILE_KIND_NAME(kind, name, data) [kind] = name,
    CONTAINER_FILES(FILE_KIND_NAME)
#undef FILE_KIND_NAME
};
static const unsigned char kind_data[FILE_KINDS] = {
#define FILE_KIND_DATA(kind, name, data) [kind] = data,
    CONTAINER_FILES(FILE_KIND_DATA)
#undef FILE_KIND_DATA
};

int id_is_hex(const char *s, size_t len)
{
    if (!s || len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return 0;
    }
    return 1;
}

int id_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return (n == ID_LEN || n == POD_ID_LEN) && id_is_hex(s, n);
}

int pod_id_from_uid(const char *uid, size_t len, char *id)
{
    size_t o = 0;

    if (!uid || len != POD_UID_LEN)
        return EINVAL;
    for (size_t i = 0; i < len; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (uid[i] == '-') || (!dash && !id_is_hex(uid + i, 1)))
            return EINVAL;
        if (!dash)
            id[o++] = uid[i];
    }
    id[o] = '\0';
    return 0;
}

static int label_cmp(const void *a, const void *b)
{
    const struct label *x = a, *y = b;
    return strcmp(x->key, y->key);
}

/* strdup that treats NULL as "". */
static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

int container_set(struct container *c, const char *id, const char *name,
                  const char *image, const char *state, long long created,
                  const struct label *labels, size_t nlabels)
{
    memset(c, 0, sizeof *c);
    if (!id_valid(id))
        return EINVAL;
    memcpy(c->id, id, strlen(id) + 1);
    memcpy(c->short_id, id, SHORT_ID_LEN);
    c->short_id[SHORT_ID_LEN] = '\0';
    c->created = created;
    c->name = dup_or_empty(name);
    c->image = dup_or_empty(image);
    c->state = dup_or_empty(state);
    if (!c->name || !c->image || !c->state)
        goto nomem;
    if (nlabels) {
        c->labels = calloc(nlabels, sizeof *c->labels);
        if (!c->labels)
            goto nomem;
        for (size_t i = 0; i < nlabels; i++) {
            c->labels[i].key = dup_or_empty(labels[i].key);
            c->labels[i].value = dup_or_empty(labels[i].value);
            c->nlabels = i + 1;
            if (!c->labels[i].key || !c->labels[i].value)
                goto nomem;
        }
        qsort(c->labels, c->nlabels, sizeof *c->labels, label_cmp);
    }
    return 0;
nomem:
    container_clear(c);
    return ENOMEM;
}

int container_set_ns(struct container *c, const char *ns)
{
    char *copy = NULL;

    if (ns && !(copy = strdup(ns)))
        return ENOMEM;
    free(c->ns);
    c->ns = copy;
    return 0;
}

int container_has(const struct container *c, enum file_kind k)
{
    return k != FILE_NAMESPACE || c->ns != NULL;
}

int container_copy(struct container *dst, const struct container *src)
{
    int rc = container_set(dst, src->id, src->name, src->image, src->state,
                           src->created, src->labels, src->nlabels);
    if (rc == 0 && (rc = container_set_ns(dst, src->ns)) != 0)
        container_clear(dst);
    if (rc == 0) {
        dst->labels_cut = src->labels_cut;
        dst->own = src->own;
        dst->engine_ix = src->engine_ix;
        dst->engine = src->engine;
        dst->changed_ns = src->changed_ns;
    }
    return rc;
}

size_t container_bytes(const struct container *c)
{
    size_t n = (c->name ? strlen(c->name) : 0) +
               (c->image ? strlen(c->image) : 0) +
               (c->state ? strlen(c->state) : 0);

    for (size_t i = 0; i < c->nlabels; i++)
        n += strlen(c->labels[i].key) + strlen(c->labels[i].value) + 2;
    return n;
}

void container_clear(struct container *c)
{
    free(c->name);
    free(c->image);
    free(c->state);
    free(c->ns);
    for (size_t i = 0; i < c->nlabels; i++) {
        free(c->labels[i].key);
        free(c->labels[i].value);
    }
    free(c->labels);
    memset(c, 0, sizeof *c);
}

const char *container_engine(const struct container *c)
{
    return c->engine ? c->engine : ENGINE_NAME_DEFAULT;
}

/* Labels are sorted: a binary search. */
const char *container_label(const struct container *c, const char *key)
{
    if (!key || !c->nlabels)
        return NULL;
    struct label k = { .key = (char *)key };
    const struct label *l = bsearch(&k, c->labels, c->nlabels,
                                    sizeof *c->labels, label_cmp);
    return l ? l->value : NULL;
}

/* Appends s escaped (see escape.h) and a newline. */
static int add_line(struct buf *out, const char *s)
{
    int rc = escape_text(out, s ? s : "", s ? strlen(s) : 0);
    return rc ? rc : buf_add(out, "\n", 1);
}

/* Appends a label key escaped, with "=" as \x3d too: the first "=" of a
 * line is always where the key ends, so a key "dockerfs.protect=true"
 * cannot pass for that label with an empty value. */
static int add_key(struct buf *out, const char *k)
{
    int rc = 0;

    while (!rc) {
        size_t n = strcspn(k, "=");
        rc = escape_text(out, k, n);
        if (rc || k[n] == '\0')
            break;
        rc = buf_add(out, "\\x3d", 4);
        k += n + 1;
    }
    return rc;
}

int container_render(const struct container *c, enum file_kind kind,
                     struct buf *out)
{
    int rc;
    switch (kind) {
    case FILE_ID:
        if (strlen(c->id) == POD_ID_LEN)
            return buf_printf(out, "%.8s-%.4s-%.4s-%.4s-%s\n", c->id,
                              c->id + 8, c->id + 12, c->id + 16, c->id + 20);
        return buf_printf(out, "%s\n", c->id);
    case FILE_NAME:
        return add_line(out, c->name);
    case FILE_IMAGE:
        return add_line(out, c->image);
    case FILE_STATE:
        return add_line(out, c->state);
    case FILE_CREATED:
        return buf_printf(out, "%lld\n", c->created);
    case FILE_LABELS:
        for (size_t i = 0; i < c->nlabels; i++) {
            if ((rc = add_key(out, c->labels[i].key)) ||
                (rc = buf_add(out, "=", 1)) ||
                (rc = add_line(out, c->labels[i].value)))
                return rc;
        }
        /* A line without "=" is never a label: the mark of a cut. */
        if (c->labels_cut)
            return buf_printf(out, "... %zu more labels not shown (over %u "
                              "KiB of labels)\n", c->labels_cut,
                              LABELS_KEPT_MAX >> 10);
        return 0;
    case FILE_ENGINE:
        return add_line(out, container_engine(c));
    case FILE_NAMESPACE:
        return c->ns ? add_line(out, c->ns) : EINVAL;
    case FILE_KILL:
        return 0;
    default:
        return EINVAL;
    }
}

const char *file_kind_name(enum file_kind kind)
{
    if ((int)kind < 0 || kind >= FILE_KINDS)
        return NULL;
    return kind_names[kind];
}

int file_kind_is_data(enum file_kind kind)
{
    return (int)kind >= 0 && kind < FILE_KINDS && kind_data[kind];
}

enum file_kind file_kind_from_name(const char *name)
{
    if (!name)
        return FILE_KINDS;
    for (int k = 0; k < FILE_KINDS; k++)
        if (kind_names[k] && strcmp(kind_names[k], name) == 0)
            return (enum file_kind)k;
    return FILE_KINDS;
}

void containers_free(struct container *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        container_clear(&v[i]);
    free(v);
}

int containers_push(struct container **v, size_t *n, size_t *cap,
                    struct container *c)
{
    if (*n == *cap) {
        size_t room = *cap ? *cap * 2 : 64;
        struct container *grown = realloc(*v, room * sizeof *grown);
        if (!grown) {
            container_clear(c);
            return ENOMEM;
        }
        *v = grown;
        *cap = room;
    }
    (*v)[(*n)++] = *c;
    return 0;
}
