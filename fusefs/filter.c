/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter.c - the --filter specs that scope the mount, as the engine's
 * filters JSON. */
#include "errmsg.h"
#include "filter.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The filter keys of GET /containers/json (docker ps --filter). */
static const char *const filter_keys[] = {
    "id", "name", "label", "exited", "status", "ancestor", "before",
    "since", "volume", "network", "publish", "expose", "health",
    "isolation", "is-task", NULL
};

int filters_add(struct filters *f, const char *spec, char *err, size_t errlen)
{
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq)
        return errmsg(EINVAL, err, errlen, "bad --filter '%s': expected KEY=VALUE",
                    spec ? spec : "");
    size_t klen = (size_t)(eq - spec);
    if (klen == 0)
        return errmsg(EINVAL, err, errlen, "bad --filter '%s': empty key", spec);
    int known = 0;
    for (int i = 0; filter_keys[i] && !known; i++)
        known = strlen(filter_keys[i]) == klen &&
                strncmp(filter_keys[i], spec, klen) == 0;
    if (!known)
        return errmsg(EINVAL, err, errlen, "bad --filter '%s': unknown key '%.*s'",
                    spec, (int)klen, spec);
    if (eq[1] == '\0')
        return errmsg(EINVAL, err, errlen, "bad --filter '%s': empty value", spec);
    json_t *probe = json_string(eq + 1);    /* the engine wants UTF-8 */
    if (!probe)
        return errmsg(EINVAL, err, errlen, "bad --filter: value is not UTF-8");
    json_decref(probe);

    struct filter nf = { strndup(spec, klen), strdup(eq + 1) };
    struct filter *v = nf.key && nf.value
                           ? realloc(f->v, (f->n + 1) * sizeof *v) : NULL;
    if (!v) {
        free(nf.key);
        free(nf.value);
        return ENOMEM;
    }
    f->v = v;
    f->v[f->n++] = nf;
    return 0;
}

int filters_has(const struct filters *f, const char *key)
{
    for (size_t i = 0; f && key && i < f->n; i++)
        if (strcmp(f->v[i].key, key) == 0)
            return 1;
    return 0;
}

/* Appends value to the array under key in obj, creating it. 0 or -1. */
static int add_value(json_t *obj, const char *key, const char *value)
{
    json_t *arr = json_object_get(obj, key);
    if (!arr) {
        arr = json_array();
        if (!arr || json_object_set_new(obj, key, arr))
            return -1;
    }
    return json_array_append_new(arr, json_string(value));
}

/* The filters as the engine wants them, {"key":["v",...]}. only_id joins
 * the "id" array; values under one key are alternatives to the engine,
 * so a caller that also has an "id" filter (filters_has) must check the
 * answer itself. */
char *filters_json(const struct filters *f, const char *only_id, int *err)
{
    if (err)
        *err = 0;
    if ((!f || f->n == 0) && !only_id)
        return NULL;
    json_t *obj = json_object();
    int bad = !obj;
    for (size_t i = 0; !bad && f && i < f->n; i++)
        bad = add_value(obj, f->v[i].key, f->v[i].value) != 0;
    if (!bad && only_id)
        bad = add_value(obj, "id", only_id) != 0;
    char *s = bad ? NULL : json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (!s && err)
        *err = ENOMEM;
    return s;
}

void filters_free(struct filters *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].key);
        free(f->v[i].value);
    }
    free(f->v);
    f->v = NULL;
    f->n = 0;
}
