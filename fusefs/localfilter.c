/* SPDX-License-Identifier: GPL-2.0-or-later */
/* localfilter.c - --filter matched on one inspected container. */
#include "localfilter.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const local_keys[] = {
    "id", "name", "label", "status", "exited", "health", NULL
};

int localfilter_supported(const struct filters *f)
{
    for (size_t i = 0; f && i < f->n; i++) {
        int known = 0;
        for (int k = 0; local_keys[k] && !known; k++)
            known = strcmp(f->v[i].key, local_keys[k]) == 0;
        if (!known)
            return 0;
    }
    return 1;
}

/* Docker's filters.Match: an exact match, or the value as a regular
 * expression found in s. A value that is no valid expression matches only
 * exactly (the engine refuses it; the start-up list has already said so). */
static int re_found(const char *value, const char *s)
{
    regex_t re;
    int m;

    if (strcmp(value, s) == 0)
        return 1;
    if (regcomp(&re, value, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    m = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return m;
}

/* One value of a label filter: KEY or KEY=VALUE. */
static int label_matches(const char *value, const struct container *c)
{
    const char *eq = strchr(value, '=');
    char key[256];
    const char *have;

    if (!eq)
        return container_label(c, value) != NULL;
    if ((size_t)(eq - value) >= sizeof key)
        return 0;
    memcpy(key, value, (size_t)(eq - value));
    key[eq - value] = '\0';
    have = container_label(c, key);
    return have && strcmp(have, eq + 1) == 0;
}

/* Does value of key match c? */
static int value_matches(const char *key, const char *value,
                         const struct container *c, const struct inspect_info *in)
{
    if (strcmp(key, "id") == 0)
        return re_found(value, c->id);
    if (strcmp(key, "name") == 0) {
        char slashed[1024];
        snprintf(slashed, sizeof slashed, "/%s", c->name);
        return re_found(value, c->name) || re_found(value, slashed);
    }
    if (strcmp(key, "label") == 0)
        return label_matches(value, c);
    if (strcmp(key, "status") == 0)
        return strcmp(value, c->state) == 0;
    if (strcmp(key, "health") == 0)
        return strcmp(value, in->health) == 0;
    if (strcmp(key, "exited") == 0) {
        char *end;
        errno = 0;
        long code = strtol(value, &end, 10);
        return !errno && end != value && *end == '\0' && !in->running &&
               strcmp(c->state, "exited") == 0 && code == in->exit_code;
    }
    return 0;
}

int localfilter_match(const struct filters *f, int all, const struct container *c,
                      const struct inspect_info *info)
{
    if (!all && !info->running && !filters_has(f, "status"))
        return 0;
    if (!localfilter_supported(f))
        return 0;
    for (size_t i = 0; f && i < f->n; i++) {
        const char *key = f->v[i].key;
        int is_label = strcmp(key, "label") == 0, any = 0, seen_first = 0;

        /* Each key once, at its first filter: later ones of the same key
         * were looked at with it. */
        for (size_t j = 0; j < i && !seen_first; j++)
            seen_first = strcmp(f->v[j].key, key) == 0;
        if (seen_first)
            continue;
        for (size_t j = i; j < f->n; j++) {
            if (strcmp(f->v[j].key, key) != 0)
                continue;
            int m = value_matches(key, f->v[j].value, c, info);
            if (is_label && !m)
                return 0;
            any |= m;
        }
        if (!any)
            return 0;
    }
    return 1;
}
