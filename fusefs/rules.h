/* rules.h - which containers the mount shows (filters, sent to the engine)
 * and which of them may never be killed (protection, checked here). */
#ifndef DOCKERFS_RULES_H
#define DOCKERFS_RULES_H

#include <stddef.h>
#include "container.h"

/* The label that protects a container whatever the options say. */
#define PROTECT_LABEL "dockerfs.protect"

enum rule_kind { RULE_LABEL, RULE_NAME, RULE_IMAGE };

struct rule {
    enum rule_kind kind;
    char *key;      /* RULE_LABEL: the label key; else NULL */
    char *value;    /* label value (NULL: any value), or a name/image
                       pattern (fnmatch glob) */
};

struct rules {
    struct rule *v;
    size_t n;
};

/* Adds one --protect spec: "label=KEY=VALUE", "label=KEY", "name=GLOB",
 * "image=GLOB". Returns 0, or EINVAL with a one-line reason in err. */
int rules_add(struct rules *r, const char *spec, char *err, size_t errlen);

/* 1 if c may not be killed: label dockerfs.protect is true (true/yes/1,
 * any case), a rule matches, or c is the container dockerfs runs in
 * (self_id, 64 hex, or NULL/"" when not in one). */
int rules_protects(const struct rules *r, const struct container *c,
                   const char *self_id);

void rules_free(struct rules *r);

struct filter {
    char *key;
    char *value;
};

struct filters {
    struct filter *v;
    size_t n;
};

/* Adds one --filter spec in docker ps syntax, KEY=VALUE, where KEY is one
 * the engine knows (id, name, label, exited, status, ancestor, before,
 * since, volume, network, publish, expose, health, isolation, is-task) and
 * VALUE is not empty. Returns 0, or EINVAL with a reason in err. */
int filters_add(struct filters *f, const char *spec, char *err, size_t errlen);

/* 1 if some filter has this key. */
int filters_has(const struct filters *f, const char *key);

/* The filters as the engine's JSON ({"key":["v1","v2"],...}), plus
 * "id":[only_id] when only_id is not NULL. NULL when there is nothing to
 * send; on ENOMEM also NULL with *err set. Free with free(). */
char *filters_json(const struct filters *f, const char *only_id, int *err);

void filters_free(struct filters *f);

#endif
