/* SPDX-License-Identifier: GPL-2.0-or-later */
/* listing.h - the root listing as open directories read it.
 *
 *   $ ls /dockerfs & ls /dockerfs & ls /dockerfs    # one copy, shared
 *   $ ... 1025 directories held open by the --uid user
 *   opendir: Too many open files                    # EMFILE
 *
 * A listing must stay stable while containers come and go, so an open
 * root directory reads a snapshot of the table (its short ids, sorted).
 * Every handle whose first read falls in the same generation of the
 * table (no container added or removed in between) shares one snapshot,
 * reference-counted and freed with its last handle. What callers other
 * than root and the mount's owner (the "limited" ones: the game's
 * account) can make dockerfs hold is capped: LISTING_HANDLES_MAX open
 * root directories (EMFILE beyond), and LISTING_SNAPSHOTS_MAX snapshots
 * held by their handles (ENOMEM at the readdir that would hold one more,
 * whoever made it). Whatever those callers open, they keep at most that
 * many copies of the listing (sizeof(struct table_row), 24 bytes, a
 * container) and their handles alive. */
#ifndef DOCKERFS_LISTING_H
#define DOCKERFS_LISTING_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "table.h"

#define LISTING_HANDLES_MAX 1024
#define LISTING_SNAPSHOTS_MAX 8

/* One snapshot of the root, shared by the handles that read it. */
struct listing {
    struct table_row *rows;     /* sorted by short id */
    size_t n;
    uint64_t gen;               /* the table's generation it shows */
    unsigned refs;
    unsigned limited_refs;      /* of them, limited handles */
};

/* One open root directory. */
struct listing_handle {
    struct listing *l;          /* NULL until its first read */
    int limited;                /* counted against the caps */
    struct listing_handle *prev, *next;
};

struct listings {
    pthread_mutex_t lock;
    struct listing *cur;        /* the newest snapshot, kept for the
                                   next reader (one reference of its own) */
    struct listing_handle *open;    /* every open handle */
    size_t handles_limited;     /* open handles of limited callers */
    size_t pinned_limited;      /* snapshots limited handles hold */
    size_t live;                /* snapshots alive */
    size_t bytes;               /* their rows */
};

void listings_init(struct listings *ls);

/* Frees every handle still open and every snapshot; after the session
 * loop has ended. */
void listings_cleanup(struct listings *ls);

/* A new handle for an opendir of the root; limited for callers other
 * than root and the mount's owner. Returns 0, EMFILE (a limited caller
 * and LISTING_HANDLES_MAX limited handles open) or ENOMEM. */
int listing_open(struct listings *ls, int limited, struct listing_handle **h);

/* Points h at the snapshot of t's current generation, made if there is
 * none yet (the one h held before is let go first). Returns 0, or ENOMEM
 * (out of memory, or a limited handle that would make limited handles
 * hold more than LISTING_SNAPSHOTS_MAX snapshots). */
int listing_take(struct listings *ls, struct table *t, struct listing_handle *h);

/* Lets h and its snapshot go. */
void listing_close(struct listings *ls, struct listing_handle *h);

#endif
