/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend.h - what the fleet needs of one engine, whatever kind it is.
 *
 * A backend is an ops table and its own state (impl). The fleet
 * (fleet.c) reaches an engine only through these ops, and the kill path
 * (killfile.c) only through the fleet; the follower a backend runs writes the shared table only
 * through follow.h, so fs.c, table.c and the game never know which kind
 * a row came from. Docker (engine.c, sync.c) is backend_docker.c; a
 * Kubernetes cluster (kube.c, pod.c) is backend_kube.c.
 *
 * members.c makes the backend of each engine option. */
#ifndef DOCKERFS_BACKEND_H
#define DOCKERFS_BACKEND_H

#include <stddef.h>
#include "container.h"
#include "follow.h"
#include "killaction.h"
#include "settings.h"

/* How an engine is named in messages and told apart from the others. */
struct backend_about {
    const char *display;    /* its address, for messages */
    const char *where;      /* two members must not have the same */
    const char *context;    /* the context it was taken from, or NULL */
    const char *hint;       /* added after a failed first list, or "" */
    const char *things;     /* what it lists: "containers", "pods" */
};

struct backend_ops {
    const char *kind;       /* "docker", "kubernetes" */
    /* Fills a; the strings live as long as impl. */
    void (*about)(const void *impl, struct backend_about *a);
    /* Gives the follower its table side (out is copied) and the options
     * of the mount (--filter, --all, --timeout, --resync; o outlives
     * impl). Called once, before every op below. */
    void (*wire)(void *impl, const struct follow *out, const struct options *o);
    /* Who answers at the address: an identity that is the same whatever
     * address reaches the engine and differs between two engines. 0, a
     * transport errno (EIO, ETIMEDOUT: it does not answer), ENOMEM, or
     * another errno (it answered but gave no usable identity), with a
     * one-line reason in err. */
    int (*identity)(void *impl, char *id, size_t idlen, char *err,
                    size_t errlen);
    /* One full list into the table (follow_replace). 0 or an errno (EIO,
     * ETIMEDOUT, EINVAL: the engine refused the filters, ENOMEM) with a
     * one-line reason in err. */
    int (*list)(void *impl, char *err, size_t errlen);
    /* Starts the follower thread: watches the engine, re-lists after a
     * lost stream (asking out.admit first) and marks the rows down while
     * it does not answer. 0 or an errno. */
    int (*start)(void *impl);
    /* Stops and joins the follower; safe when it never started. */
    void (*stop)(void *impl);
    /* Container c (a row this backend listed: its id, name, ... as
     * listed) as the engine has it now, for the protection re-check
     * before a kill: fills now (container_clear) and image_id (the image
     * id it was made from, "" when not known). 0, ESRCH (it is there,
     * now is filled, but the mount would not show it now: out of
     * --filter's or --all's scope, decided on this view), ENOENT (gone),
     * EIO or ETIMEDOUT (the engine does not answer), or another errno
     * (an answer that decides nothing), reason in err. */
    int (*inspect)(void *impl, const struct container *c,
                   struct container *now, char *image_id,
                   size_t image_id_len, char *err, size_t errlen);
    /* Carries out a on container c (a row this backend listed). 0,
     * ENOENT (gone), EBUSY, EPERM, EIO, ETIMEDOUT, EINVAL (not an id of
     * this kind) or ENOMEM, with a one-line reason in err. */
    int (*kill)(void *impl, const struct container *c, enum kill_action a,
                char *err, size_t errlen);
    /* Frees impl (after stop). */
    void (*destroy)(void *impl);
};

struct backend {
    const struct backend_ops *ops;
    void *impl;
};

/* Frees b's impl (ops->destroy) and clears b; a cleared b is fine. */
void backend_free(struct backend *b);

#endif
