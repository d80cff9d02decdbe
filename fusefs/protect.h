/* SPDX-License-Identifier: GPL-2.0-or-later */
/* protect.h - which containers may never be killed: the dockerfs.protect
 * label, the container dockerfs runs in, and the --protect rules. */
#ifndef DOCKERFS_PROTECT_H
#define DOCKERFS_PROTECT_H

#include <stddef.h>
#include "container.h"

/* The label that protects a container whatever the options say. */
#define PROTECT_LABEL "dockerfs.protect"

enum protect_kind { PROTECT_BY_LABEL, PROTECT_BY_NAME, PROTECT_BY_IMAGE,
                    PROTECT_BY_ENGINE, PROTECT_BY_NAMESPACE };

struct protect_rule {
    enum protect_kind kind;
    char *key;      /* PROTECT_BY_LABEL: the label key; else NULL */
    char *value;    /* label value (NULL: any value), or a name/image
                       pattern (fnmatch glob) */
};

struct protect_rules {
    struct protect_rule *v;
    size_t n;
};

/* Adds one --protect spec: "label=KEY=VALUE", "label=KEY", "name=GLOB",
 * "image=GLOB", "engine=GLOB" (the name of the container's engine in the
 * mount, container_engine), "namespace=GLOB" (a pod's namespace; a
 * container has none and never matches). Returns 0, ENOMEM, or EINVAL
 * with a one-line reason in err. */
int protect_add(struct protect_rules *r, const char *spec,
                char *err, size_t errlen);

/* Whether c may be killed: 0 if it may; EPERM if label dockerfs.protect
 * is true (true/yes/1, any case), a rule matches, or c is the container
 * dockerfs runs in (self_id, 64 hex, or NULL/"" when not in one) or
 * its pod (c->own, set by the cluster's backend); ENOMEM
 * if that could not be decided. Every non-zero answer is a refusal.
 * An image rule matches c->image as given or without its tag or digest
 * ("image=nginx" protects "nginx:1.25"), and image_id (NULL or "": none),
 * the id the container was created from, as given or without its
 * "sha256:" ("image=sha256:4f2e*" protects what was made from 4f2e...,
 * whatever tags point at it now). */
int protect_check(const struct protect_rules *r, const struct container *c,
                  const char *image_id, const char *self_id);

void protect_free(struct protect_rules *r);

#endif
