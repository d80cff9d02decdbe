/* SPDX-License-Identifier: GPL-2.0-or-later */
/* table.h - the in-memory container table every FUSE handler answers from.
 *
 * Writers: the events threads, one per engine. Readers: the request loop
 * (serve.h) and the kill workers (defer.h).
 * Each container gets a serial number when it first appears; serials are
 * never reused, so an inode built from one can never point at another
 * container after a removal. */
#ifndef DOCKERFS_TABLE_H
#define DOCKERFS_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "container.h"

struct table;

/* Rows carry the index of their engine (container.engine_ix); this one
 * stands for every engine. */
#define TABLE_ANY_ENGINE ((unsigned)-1)

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
 * does (*is_dir = 0), first as a full id (a pod's uid with or without
 * its dashes), then as an exact name or a pod's NAME.NAMESPACE (split
 * at the last dot), then as a unique id prefix; a name never shadows a
 * full id (a container named with another's 64-digit id does not win
 * that id). REF@ENGINE resolves REF (short id, full id, name, prefix)
 * among the rows of that engine only (its name, container.engine).
 * Returns 0, ENOENT, or ENOTUNIQ for a prefix that more than one
 * container shares, or a name that could mean two rows (the same name
 * on two engines or in two namespaces, or a name that is also another
 * pod's NAME.NAMESPACE). Call with the reader lock held. */
int table_resolve(struct table *t, const char *name, uint64_t *serial,
                  int *is_dir);

/* Inserts c (copied) unless a row with its short id is there already:
 * for what is only known to be new, so it never overwrites what a fuller
 * source wrote. Returns 0 (*serial, may be NULL, is the new row's),
 * EEXIST, or ENOMEM. Takes the writer lock. */
int table_insert(struct table *t, const struct container *c, uint64_t *serial);

/* Inserts c (copied), or replaces the container with the same id on the
 * same engine (c->engine_ix), keeping its serial; a container whose short
 * id another row (of another engine) holds waits until that row is gone.
 * *changed (may be NULL) says whether anything shown differs: 0 no, 1
 * changed, 2 inserted (the root listing grew).
 * Returns 0, ENOMEM, or EFBIG when the engine's rows would hold more
 * than ENGINE_CONTAINERS_MAX rows or ENGINE_BYTES_MAX (container_bytes):
 * the table is unchanged and the refusal counted. The same holds for
 * table_insert; table_replace_engine leaves out what does not fit. Takes
 * the writer lock. */
int table_upsert(struct table *t, const struct container *c, int *changed,
                 uint64_t *serial);

/* Removes the container with this full id (on engine, or on any with
 * TABLE_ANY_ENGINE). Returns 0 and fills *gone, or ENOENT. Takes the
 * writer lock. */
int table_remove_engine(struct table *t, unsigned engine, const char *id,
                        struct table_row *gone);

/* Makes the rows of engine (TABLE_ANY_ENGINE: the whole table) exactly
 * v[0..n) (each with engine_ix == engine); other engines' rows stay as
 * they are: inserts and replaces as upsert, removes the rest. The removed ones are returned in *gone (malloc'ed,
 * free() it; *ngone of them); when changed is not NULL, the serials of the
 * inserted and changed ones in *changed (malloc'ed, *nchanged of them), so
 * the kernel's caches of them can be dropped. Returns 0 or ENOMEM. An
 * ENOMEM before the writer lock leaves the table unchanged; one while
 * inserting leaves it part way: the removals and the inserts before the
 * failure have happened and are reported as above, and the next call (the
 * next re-list) completes it. The writer lock is held only for the
 * in-memory swap. */
int table_replace_engine(struct table *t, unsigned engine,
                         const struct container *v, size_t n,
                         struct table_row **gone, size_t *ngone,
                         uint64_t **changed, size_t *nchanged);

/* Sets the state of every row of engine to state (an engine that is
 * down: "unreachable"); the serials of the rows that changed are
 * returned in *serials (malloc'ed, *n of them). Returns 0 or ENOMEM.
 * Takes the writer lock. */
int table_mark_engine(struct table *t, unsigned engine, const char *state,
                      uint64_t **serials, size_t *n);

/* A copy of the current rows, sorted by short id, for a directory listing
 * that must stay stable while containers come and go. *rows is malloc'ed
 * (NULL when empty); *gen (may be NULL) is the generation it shows.
 * Returns 0 or ENOMEM. */
int table_snapshot(struct table *t, struct table_row **rows, size_t *n,
                   uint64_t *gen);

/* One engine's share, ENGINE_CONTAINERS_MAX rows and ENGINE_BYTES_MAX
 * unless set here (tests use small ones). Takes the writer lock. */
void table_set_engine_share(struct table *t, size_t rows, size_t bytes);

/* How many rows of engine were refused for its share (EFBIG). Takes the
 * reader lock. */
size_t table_engine_refused(struct table *t, unsigned engine);

/* The table's generation: it grows whenever a row is added or removed
 * (the root listing changed), never otherwise. Takes the reader lock. */
uint64_t table_generation(struct table *t);

#endif
