/* SPDX-License-Identifier: GPL-2.0-or-later */
/* table.h - the in-memory container table every FUSE handler answers from.
 *
 * One writer (the sync thread) and many readers (FUSE worker threads).
 * Each container gets a serial number when it first appears; serials are
 * never reused, so an inode built from one can never point at another
 * container after a removal. */
#ifndef DOCKERFS_TABLE_H
#define DOCKERFS_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "container.h"

struct table;

/* A container as the kernel knows it: a row of a directory snapshot, or
 * one a change removed (the kernel's cache must be told about it). */
struct table_row {
    char short_id[SHORT_ID_LEN + 1];
    uint64_t serial;
};

/* A new empty table, or NULL (ENOMEM). */
struct table *table_new(void);
void table_free(struct table *t);

/* Reader lock around the accessors below; the pointers they return are
 * valid until the unlock. */
void table_rdlock(struct table *t);
void table_unlock(struct table *t);
size_t table_count(struct table *t);
const struct container *table_by_serial(struct table *t, uint64_t serial);
const struct container *table_by_short_id(struct table *t, const char *short_id,
                                          uint64_t *serial);

/* Resolves a name in the root: a short id is a container's directory
 * (*is_dir = 1); anything else is a reference resolved as the docker CLI
 * does (*is_dir = 0), first as a full id, then as an exact container
 * name, then as a unique id prefix; a name never shadows a full id (a
 * container named with another's 64-digit id does not win that id).
 * Returns 0, ENOENT, or ENOTUNIQ for a prefix that more than one
 * container shares. Call with the reader lock held. */
int table_resolve(struct table *t, const char *name, uint64_t *serial,
                  int *is_dir);

/* Inserts c (copied), or replaces the container with the same id, keeping
 * its serial. *changed (may be NULL) says whether anything shown differs:
 * 0 no, 1 changed, 2 inserted (the root listing grew).
 * Returns 0 or ENOMEM. Takes the writer lock. */
int table_upsert(struct table *t, const struct container *c, int *changed,
                 uint64_t *serial);

/* Removes the container with this full id. Returns 0 and fills *gone, or
 * ENOENT. Takes the writer lock. */
int table_remove(struct table *t, const char *id, struct table_row *gone);

/* Makes the table hold exactly v[0..n): inserts and replaces as upsert,
 * removes the rest. The removed ones are returned in *gone (malloc'ed,
 * free() it; *ngone of them); when changed is not NULL, the serials of the
 * inserted and changed ones in *changed (malloc'ed, *nchanged of them), so
 * the kernel's caches of them can be dropped. Returns 0 or ENOMEM. An
 * ENOMEM before the writer lock leaves the table unchanged; one while
 * inserting leaves it part way: the removals and the inserts before the
 * failure have happened and are reported as above, and the next call (the
 * next re-list) completes it. */
int table_replace_all(struct table *t, const struct container *v, size_t n,
                      struct table_row **gone, size_t *ngone,
                      uint64_t **changed, size_t *nchanged);

/* A copy of the current rows, sorted by short id, for a directory listing
 * that must stay stable while containers come and go. *rows is malloc'ed
 * (NULL when empty). Returns 0 or ENOMEM. */
int table_snapshot(struct table *t, struct table_row **rows, size_t *n);

#endif
