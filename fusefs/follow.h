/* SPDX-License-Identifier: GPL-2.0-or-later */
/* follow.h - the table side of one engine's follower, the same for
 * every backend: what it lists and watches goes into the shared table
 * only through these calls, stamped with the engine's index and name, so
 * a follower writes its own rows and no other engine's. The kernel is
 * told (hooks) after the table changed, with no lock held. */
#ifndef DOCKERFS_FOLLOW_H
#define DOCKERFS_FOLLOW_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "container.h"
#include "table.h"

/* The state every row of an engine that does not answer reads. */
#define STATE_UNREACHABLE "unreachable"

/* Called after the table changed, with no lock held, so they may call
 * into the kernel (FUSE notifications). */
struct follow_hooks {
    void (*gone)(void *arg, const struct table_row *g);
    /* What container serial shows has changed; added: the root listing
     * has changed too (a container is new). */
    void (*changed)(void *arg, uint64_t serial, int added);
    void *arg;
};

struct follow {
    struct table *table;
    /* Which engine of the mount this is: every container it lists gets
     * this index and name, and it writes only the rows that have them. */
    unsigned engine_ix;
    const char *engine_name;
    struct follow_hooks hooks;
    /* The member's flag (may be NULL): 1 while the engine does not
     * answer (its rows read "unreachable") and from a lost stream until
     * the re-list after it; kills get EIO meanwhile. */
    atomic_int *down;
    /* Asked before every re-list after the engine's stream was lost
     * (and before the first list of an engine that was down at start),
     * so that nothing of it is trusted before it is known who answers
     * at its address: 0 lists it; ESTALE: another engine answers there,
     * the rows of the old one are dropped (follow_drop) first; EEXIST:
     * it is another member's engine: its rows are marked unreachable and
     * it is never followed again; another errno: it still does not
     * answer (the reason in err). NULL: always 0. */
    int (*admit)(void *arg, unsigned engine_ix, char *err, size_t errlen);
    void *admit_arg;
};

/* The engine's name (ENGINE_NAME_DEFAULT when it has none). */
const char *follow_engine_name(const struct follow *f);

/* Gives v[0..n) the engine's index and name (not copied: the name must
 * outlive the table). */
void follow_stamp(const struct follow *f, struct container *v, size_t n);

/* Makes the engine's rows exactly v[0..n) (stamped here), tells the
 * kernel what went and what changed. Returns 0 or ENOMEM (the table is
 * then part way, see table_replace_engine; the next call completes it). */
int follow_replace(const struct follow *f, struct container *v, size_t n);

/* Puts c (copied, stamped) in the table when shown, else removes the row
 * of the engine with c's id; tells the kernel. */
void follow_apply(const struct follow *f, const struct container *c,
                  int shown);

/* Puts c (copied, stamped) in the table if no row has its id yet, and
 * tells the kernel; a row that is there is left as it is. */
void follow_add(const struct follow *f, const struct container *c);

/* Removes every row of the engine (another engine answers at its address
 * now: none of its ids may reach that one). Returns 0 or ENOMEM. */
int follow_drop(const struct follow *f);

/* The engine does not answer: sets *down, its rows stay from the last
 * listing but read STATE_UNREACHABLE. */
void follow_mark_down(const struct follow *f);

#endif
