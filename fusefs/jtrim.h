/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jtrim.h - a container's JSON record cut down to what dockerfs reads,
 * as it streams in, in bounded memory.
 *
 *   in:  {"Id":"4eef…","Names":["/web"],"Command":"…","Labels":{"a":"1",
 *         … 5 MiB of labels …},"State":"running","Mounts":[…]}
 *   out: {"Id":"4eef…","Names":["/web"],"Labels":{"a":"1",…},
 *         "State":"running"}        cut = 81234 labels left out
 *
 * An engine sends far more than the mount shows, and a big label set
 * (inherited from an image) made records over 1 MiB that the list left
 * out whole: the container could be neither seen nor killed. The trimmer
 * copies only the top-level members named in keep (an object named in
 * descend only with its members named in inner), drops white space, and
 * keeps the label members of every "Labels" object while the label text
 * kept stays within labels_max; the rest are left out and counted. Labels
 * whose key starts with "dockerfs." (the protect label) are always kept,
 * so protection never loses them. */
#ifndef DOCKERFS_JTRIM_H
#define DOCKERFS_JTRIM_H

#include <stddef.h>
#include "buf.h"
#include "container.h"

#define JTRIM_KEY_MAX 64        /* longer keys are never kept (but labels') */
#define JTRIM_PRIORITY LABELS_ALWAYS_KEPT

struct jtrim_frame {
    int kind;                   /* top, descended, labels */
    int st;                     /* where in the object */
    int first;                  /* no member written yet */
    int keep;                   /* the member being read is written */
    int priority;               /* a label member always kept */
    int full;                   /* a label member outgrew out */
    char key[JTRIM_KEY_MAX];
    size_t klen;
    int key_long, key_esc;
    int escaped;                /* the key holds a backslash escape */
    size_t mark;                /* out->len before a label member */
};

struct jtrim {
    struct buf *out;            /* the trimmed record; its max bounds it */
    const char *const *keep;    /* top-level members written (NULL ends) */
    const char *const *descend; /* of them, objects trimmed by inner */
    const char *const *inner;
    size_t labels_max;          /* label text kept per record */
    size_t cut;                 /* labels left out */
    int full;                   /* out filled up outside a label: the
                                   record cannot be kept */
    int err;                    /* ENOMEM */
    /* private */
    struct jtrim_frame fr[3];
    int nfr;
    int broken;                 /* not an object as expected: the rest is
                                   copied as it is, for the decoder to
                                   refuse */
    int raw, raw_copy, raw_depth, raw_str, raw_esc, raw_scalar;
    size_t labels_kept;
};

/* Starts trimming one record into out (emptied). The lists are
 * NULL-terminated and must outlive t; descend and inner may be NULL. */
void jtrim_init(struct jtrim *t, struct buf *out, const char *const *keep,
                const char *const *descend, const char *const *inner,
                size_t labels_max);

/* Feeds n bytes of the record. */
void jtrim_feed(struct jtrim *t, const char *data, size_t n);

#endif
