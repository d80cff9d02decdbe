/* SPDX-License-Identifier: GPL-2.0-or-later */
/* protect.c - the rules that keep a container from being killed. */
#include "errmsg.h"
#include "protect.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int protect_add(struct protect_rules *r, const char *spec,
                char *err, size_t errlen)
{
    const char *how = "expected label=KEY[=VALUE], name=GLOB, image=GLOB, "
                      "engine=GLOB or namespace=GLOB";
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq)
        return errmsg(EINVAL, err, errlen, "bad --protect '%s': %s",
                    spec ? spec : "", how);

    struct protect_rule nr = { 0 };
    size_t klen = (size_t)(eq - spec);
    const char *rest = eq + 1;
    if (klen == 5 && strncmp(spec, "label", 5) == 0) {
        const char *eq2 = strchr(rest, '=');
        size_t keylen = eq2 ? (size_t)(eq2 - rest) : strlen(rest);
        if (keylen == 0)
            return errmsg(EINVAL, err, errlen, "bad --protect '%s': empty label key",
                        spec);
        nr.kind = PROTECT_BY_LABEL;
        nr.key = strndup(rest, keylen);
        if (!nr.key)
            return ENOMEM;
        if (eq2 && !(nr.value = strdup(eq2 + 1))) {
            free(nr.key);
            return ENOMEM;
        }
    } else if ((klen == 4 && strncmp(spec, "name", 4) == 0) ||
               (klen == 5 && strncmp(spec, "image", 5) == 0) ||
               (klen == 6 && strncmp(spec, "engine", 6) == 0) ||
               (klen == 9 && strncmp(spec, "namespace", 9) == 0)) {
        if (*rest == '\0')
            return errmsg(EINVAL, err, errlen, "bad --protect '%s': empty pattern",
                        spec);
        nr.kind = klen == 4 ? PROTECT_BY_NAME : klen == 5 ? PROTECT_BY_IMAGE
                  : klen == 6 ? PROTECT_BY_ENGINE : PROTECT_BY_NAMESPACE;
        if (!(nr.value = strdup(rest)))
            return ENOMEM;
    } else {
        return errmsg(EINVAL, err, errlen, "bad --protect '%s': %s", spec, how);
    }

    struct protect_rule *v = realloc(r->v, (r->n + 1) * sizeof *v);
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

/* 1 if pattern matches the image id, with or without its "sha256:". */
static int image_id_matches(const char *pattern, const char *id)
{
    return fnmatch(pattern, id, 0) == 0 ||
           (strncmp(id, "sha256:", 7) == 0 && fnmatch(pattern, id + 7, 0) == 0);
}

/* 1 if pattern matches image as given, or image without its tag or
 * digest; -1 on ENOMEM. The list names an image by its id once no tag
 * points at it any more: "sha256" is no repository. */
static int image_matches(const char *pattern, const char *image)
{
    if (strncmp(image, "sha256:", 7) == 0)
        return image_id_matches(pattern, image);
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
    if (!bare)
        return -1;
    int m = fnmatch(pattern, bare, 0) == 0;
    free(bare);
    return m;
}

/* 1 if rl matches c, 0 if not, -1 on ENOMEM. */
static int rule_matches(const struct protect_rule *rl, const struct container *c,
                        const char *image_id)
{
    switch (rl->kind) {
    case PROTECT_BY_LABEL: {
        const char *v = container_label(c, rl->key);
        /* Not among the labels kept of a cut set: it may have been cut,
         * and what cannot be decided is protected. Labels that are
         * always kept are known. */
        if (!v && c->labels_cut &&
            strncmp(rl->key, LABELS_ALWAYS_KEPT, strlen(LABELS_ALWAYS_KEPT)) != 0)
            return 1;
        return v && (!rl->value || strcmp(v, rl->value) == 0);
    }
    case PROTECT_BY_NAME:
        return c->name && fnmatch(rl->value, c->name, 0) == 0;
    case PROTECT_BY_IMAGE: {
        int m = c->image ? image_matches(rl->value, c->image) : 0;
        if (m == 0 && image_id && *image_id)
            m = image_id_matches(rl->value, image_id);
        return m;
    }
    case PROTECT_BY_ENGINE:
        return fnmatch(rl->value, container_engine(c), 0) == 0;
    case PROTECT_BY_NAMESPACE:
        /* A container has no namespace: never matched. */
        return c->ns && fnmatch(rl->value, c->ns, 0) == 0;
    }
    return -1;      /* a rule we do not know cannot say "not protected" */
}

int protect_check(const struct protect_rules *r, const struct container *c,
                  const char *image_id, const char *self_id)
{
    if (truthy(container_label(c, PROTECT_LABEL)))
        return EPERM;
    if ((self_id && *self_id && strcmp(self_id, c->id) == 0) || c->own)
        return EPERM;
    for (size_t i = 0; r && i < r->n; i++) {
        int m = rule_matches(&r->v[i], c, image_id);
        if (m)
            return m > 0 ? EPERM : ENOMEM;
    }
    return 0;
}

void protect_free(struct protect_rules *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].key);
        free(r->v[i].value);
    }
    free(r->v);
    r->v = NULL;
    r->n = 0;
}
