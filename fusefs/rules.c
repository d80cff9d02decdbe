/* rules.c - which containers the mount shows (filters, sent to the
 * engine) and which of them may never be killed (protection). */
#include "errmsg.h"
#include "rules.h"

#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Adds one --protect spec; see rules.h. */
int rules_add(struct rules *r, const char *spec, char *err, size_t errlen)
{
    const char *how = "expected label=KEY[=VALUE], name=GLOB or image=GLOB";
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq)
        return errmsg(EINVAL, err, errlen, "bad --protect '%s': %s",
                    spec ? spec : "", how);

    struct rule nr = { 0 };
    size_t klen = (size_t)(eq - spec);
    const char *rest = eq + 1;
    if (klen == 5 && strncmp(spec, "label", 5) == 0) {
        const char *eq2 = strchr(rest, '=');
        size_t keylen = eq2 ? (size_t)(eq2 - rest) : strlen(rest);
        if (keylen == 0)
            return errmsg(EINVAL, err, errlen, "bad --protect '%s': empty label key",
                        spec);
        nr.kind = RULE_LABEL;
        nr.key = strndup(rest, keylen);
        if (!nr.key)
            return ENOMEM;
        if (eq2 && !(nr.value = strdup(eq2 + 1))) {
            free(nr.key);
            return ENOMEM;
        }
    } else if ((klen == 4 && strncmp(spec, "name", 4) == 0) ||
               (klen == 5 && strncmp(spec, "image", 5) == 0)) {
        if (*rest == '\0')
            return errmsg(EINVAL, err, errlen, "bad --protect '%s': empty pattern",
                        spec);
        nr.kind = klen == 4 ? RULE_NAME : RULE_IMAGE;
        if (!(nr.value = strdup(rest)))
            return ENOMEM;
    } else {
        return errmsg(EINVAL, err, errlen, "bad --protect '%s': %s", spec, how);
    }

    struct rule *v = realloc(r->v, (r->n + 1) * sizeof *v);
    if (!v) {
        free(nr.key);
        free(nr.value);
        return ENOMEM;
    }
    r->v = v;
    r->v[r->n++] = nr;
    return 0;
}

/* 1 for the values people use to say "yes" in a label. */
static int truthy(const char *s)
{
    return s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
                 strcmp(s, "1") == 0);
}

/* 1 if pattern matches image as reported, or image without its tag or
 * digest, so "image=nginx" protects "nginx:1.25" too. */
static int image_matches(const char *pattern, const char *image)
{
    if (fnmatch(pattern, image, 0) == 0)
        return 1;
    const char *slash = strrchr(image, '/');
    const char *base = slash ? slash + 1 : image;
    const char *cut = strchr(base, '@');
    const char *colon = strchr(base, ':');
    if (colon && (!cut || colon < cut))
        cut = colon;
    if (!cut)
        return 0;
    char *bare = strndup(image, (size_t)(cut - image));
    int m = bare && fnmatch(pattern, bare, 0) == 0;
    free(bare);
    return m;
}

/* 1 if one rule matches c. */
static int rule_matches(const struct rule *rl, const struct container *c)
{
    switch (rl->kind) {
    case RULE_LABEL: {
        const char *v = container_label(c, rl->key);
        return v && (!rl->value || strcmp(v, rl->value) == 0);
    }
    case RULE_NAME:
        return c->name && fnmatch(rl->value, c->name, 0) == 0;
    case RULE_IMAGE:
        return c->image && image_matches(rl->value, c->image);
    }
    return 0;
}

/* 1 if c may not be killed; see rules.h. */
int rules_protects(const struct rules *r, const struct container *c,
                   const char *self_id)
{
    if (truthy(container_label(c, PROTECT_LABEL)))
        return 1;
    if (self_id && *self_id && strcmp(self_id, c->id) == 0)
        return 1;
    for (size_t i = 0; r && i < r->n; i++)
        if (rule_matches(&r->v[i], c))
            return 1;
    return 0;
}

void rules_free(struct rules *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].key);
        free(r->v[i].value);
    }
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

/* The filter keys of GET /containers/json (docker ps --filter). */
static const char *const filter_keys[] = {
    "id", "name", "label", "exited", "status", "ancestor", "before",
    "since", "volume", "network", "publish", "expose", "health",
    "isolation", "is-task", NULL
};

/* Adds one --filter KEY=VALUE; see rules.h. */
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

/* 1 if some filter has this key. */
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
