/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter.h - which containers the mount shows: --filter specs, sent to
 * the engine with every list. */
#ifndef DOCKERFS_FILTER_H
#define DOCKERFS_FILTER_H

#include <stddef.h>

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
 * VALUE is not empty. Returns 0, ENOMEM, or EINVAL with a reason in err. */
int filters_add(struct filters *f, const char *spec, char *err, size_t errlen);

/* 1 if some filter has this key. */
int filters_has(const struct filters *f, const char *key);

/* The filters as the engine's JSON ({"key":["v1","v2"],...}), plus
 * "id":[only_id] when only_id is not NULL. NULL when there is nothing to
 * send; on ENOMEM also NULL with *err set. Free with free(). */
char *filters_json(const struct filters *f, const char *only_id, int *err);

void filters_free(struct filters *f);

#endif
