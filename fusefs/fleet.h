/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fleet.h - the engines of one mount.
 *
 *   dockerfs /dockerfs --host a=unix:///run/a.sock --context prod
 *
 * Each engine (a "member") has a name, its backend (backend.h: its
 * address and credentials, its own follower thread: list, watch,
 * back-off, re-list) and its own kill budget, so one engine that is
 * down or slow never delays the others: listings are answered from the
 * shared table, which each member writes only for its own rows. With one
 * engine nothing changes but the name its containers' engine files
 * show. Nothing here knows which kind of engine a member is (members.h
 * makes the backends from the options): every request goes through its
 * backend's ops, and the kill path asks the fleet (fleet_inspect,
 * fleet_kill), never a backend. */
#ifndef DOCKERFS_FLEET_H
#define DOCKERFS_FLEET_H

#include <stdatomic.h>
#include <stddef.h>
#include "backend.h"
#include "container.h"
#include "follow.h"
#include "settings.h"
#include "table.h"

#define ENGINE_NAME_MAX 63
/* Kills one engine may have in flight. One more waits for a slot while
 * the engine keeps finishing kills; after FLEET_KILL_STALL_MS with none
 * finished it gets EAGAIN, so a stalled engine cannot take every kill
 * worker thread (defer.h) but a healthy one takes a burst of kills. */
#define FLEET_KILLS_IN_FLIGHT 4
#define FLEET_KILL_STALL_MS 1000
/* The longest engine identity (backend_ops.identity) kept; a longer
 * one is none. */
#define ENGINE_ID_MAX 511

/* 1 if s[0..len) is an engine name: [A-Za-z0-9][A-Za-z0-9_.-]{0,62}. */
int engine_name_valid(const char *s, size_t len);

/* How a member added by fleet_add behaves (flags). */
enum {
    /* Its engine may be another member's (a node discovered later that
     * is also given by address): then it is retired, its rows dropped,
     * rather than refused as a usage error. */
    FLEET_YIELDS = 1
};

struct member {
    char name[ENGINE_NAME_MAX + 1];
    struct backend be;          /* every request to the engine */
    atomic_int down;            /* 1: the engine does not answer, or
                                   is not re-listed since its stream
                                   was lost */
    atomic_int noid_warned;     /* "not checked" was logged */
    atomic_int kills;           /* kills in flight */
    atomic_llong kill_done_ms;  /* CLOCK_MONOTONIC ms of the last one done */
    int first_rc;               /* of the first list: 0 = listed */
    char first_err[256];        /* why it did not */
    char first_id[ENGINE_ID_MAX + 1];   /* its identity then, or "" */
    /* The identity this member holds in the mount ("" none yet): two
     * members never hold one, so one engine is never listed twice. It
     * changes when another engine answers at the address (admit). */
    char engine_id[ENGINE_ID_MAX + 1];
    int yields;                 /* added with FLEET_YIELDS */
    atomic_int retired;         /* 1: not followed any more (its node
                                   left, or it is another member's
                                   engine); its slot is never reused */
};

struct fleet {
    struct member *m;           /* cap slots: members never move */
    /* Members fully built and wired: readers (the request loop, kill
     * workers, followers) see only those, while a discovery thread
     * (swarm.h) adds more. */
    _Atomic size_t n;
    size_t cap;
    /* What fleet_wire was given, for members added later. */
    struct table *table;
    const struct options *opt;
    struct follow_hooks hooks;
};

/* An empty fleet with room for cap members (cap slots that never
 * move, so readers never see a member moved). Returns 0 or ENOMEM with
 * a one-line reason. */
int fleet_init(struct fleet *f, size_t cap, char *err, size_t errlen);

/* Adds a member named name that reaches its engine through *be, which
 * the fleet takes over whatever the result (be is cleared; a failed add
 * frees it). Wired at once when fleet_wire was called; published (n)
 * only once fully built; not listed or started. flags: FLEET_YIELDS.
 * Calls are serialised (the swarm thread adds nodes while mounted), and
 * readers never see a member half built. Returns 0 with its index in
 * *ix (may be NULL), EINVAL (not an engine name, no backend, or the
 * engine at an address another member has: every container would be
 * listed twice), EEXIST (the name is taken), ENOSPC (no room), with a
 * one-line reason. */
int fleet_add(struct fleet *f, const char *name, struct backend *be,
              int flags, unsigned *ix, char *err, size_t errlen);

/* Gives every member's backend its table side (follow.h: its rows, the
 * hooks, its down flag, and the identity check before every re-list
 * after a lost stream) and the options. */
void fleet_wire(struct fleet *f, struct table *t, const struct options *o,
                const struct follow_hooks *hooks);

/* The identity check a member's follower makes before it trusts a
 * re-list (follow.admit): asks the backend who answers at the address.
 * The same identity as recorded, or the first one: 0. Another one than
 * recorded: logs "engine NAME: identity changed (was X, now Y)" and
 * returns ESTALE (the rows of the old engine are dropped, the new one is
 * listed as this member). An identity another member holds: logged,
 * EEXIST (not followed). No usable identity: logged once, 0 (followed
 * unchecked). Not answering: its errno, reason in err. EINVAL for an ix
 * that is no member. */
int fleet_admit(void *fleet, unsigned ix, char *err, size_t errlen);

/* The first full list of every member, all at once (one thread each), so
 * a slow engine costs its own timeout only: its identity, then its list
 * (backend ops). Members that failed are left down (down, first_rc,
 * first_err). Returns how many listed; *bad_config is 1 when an engine
 * refused the filters (EINVAL) or its TLS certificates (EKEYREJECTED):
 * a usage error. */
size_t fleet_first_list(struct fleet *f, int *bad_config);

/* Gives member ix the engine ID id, unless another member holds it.
 * Returns -1 (ix holds id now; or nothing to claim: id empty or NULL, ix
 * no member), or the index of the member that holds it. Thread-safe: of
 * two members claiming one ID, the first wins. */
int fleet_claim_id(struct fleet *f, unsigned ix, const char *id);

/* After fleet_first_list: claims every member's first_id in order. A
 * member whose ID an earlier one holds (one engine under two addresses,
 * a swarm node whose manager is given as --host too, or an engine that
 * claims another's identity) is logged naming both and the ID, its rows
 * dropped (the holder listed again) and it is retired: one member never
 * keeps the others from being mounted, so nothing here fails. */
void fleet_check_ids(struct fleet *f);

/* Starts every member's follower but the retired ones. 0 or an errno
 * (none left running). */
int fleet_start(struct fleet *f);

/* Stops and joins every follower. */
void fleet_stop(struct fleet *f);

/* fleet_join, fleet_pause, fleet_resume and fleet_retire are the swarm
 * thread's (swarm.c), one call at a time, while the request loop, the
 * kill workers and the followers keep reading the members.
 *
 * A member added while mounted: its identity (claimed first: when
 * another member holds it, this one is retired, EEXIST, with a one-line
 * reason naming both), its first list, then its follower (started down
 * when it did not answer, so it keeps retrying). Returns 0 (followed,
 * listed or not), EEXIST, EINVAL (ix is no member), or the errno of a
 * failed start. */
int fleet_join(struct fleet *f, unsigned ix, char *err, size_t errlen);

/* Member ix's node is down: its follower stops, its rows read
 * unreachable, kills EIO. fleet_resume restarts the follower, which
 * checks the identity and re-lists before the member is up; it returns
 * 0 or the errno of the start. Both do nothing (0) for a retired member
 * or an ix that is none. */
void fleet_pause(struct fleet *f, unsigned ix);
int fleet_resume(struct fleet *f, unsigned ix);

/* Member ix's node left: its follower stops, its rows are dropped, it
 * is never followed again. */
void fleet_retire(struct fleet *f, unsigned ix);

/* Frees every member's backend and the members; after fleet_stop (a
 * follower still running would use its backend). */
void fleet_free(struct fleet *f);

/* The member with this index, or NULL. */
struct member *fleet_member(struct fleet *f, unsigned ix);

/* m's backend_about; when m is NULL or has no backend, display and
 * where "?", no context, hint "", things "containers". */
void member_about(const struct member *m, struct backend_about *a);

/* Before a request to ix's engine for a kill: EIO at once when it is
 * down (or ix is unknown). While FLEET_KILLS_IN_FLIGHT are already in
 * flight on it, waits for one to finish (EIO if it goes down meanwhile);
 * EAGAIN when none has for FLEET_KILL_STALL_MS. Else 0, and
 * fleet_kill_end must follow. */
int fleet_kill_begin(struct fleet *f, unsigned ix);
void fleet_kill_end(struct fleet *f, unsigned ix);

/* The container c (a row of the table) as its own engine
 * (c->engine_ix) has it now, through the member's backend inspect:
 * fills now (stamped with c's engine index and name) and image_id.
 * Returns the backend's answer (0, ENOENT, EIO, ETIMEDOUT, ...), or EIO
 * when c's engine is not a member; reason in err. Call between
 * fleet_kill_begin and fleet_kill_end. */
int fleet_inspect(struct fleet *f, const struct container *c,
                  struct container *now, char *image_id, size_t image_id_len,
                  char *err, size_t errlen);

/* Carries out a on container c (a row of the table) through its own
 * engine's backend kill. Returns its answer, or EIO when c's engine is
 * not a member; reason in err. Call between fleet_kill_begin and
 * fleet_kill_end. */
int fleet_kill(struct fleet *f, const struct container *c,
               enum kill_action a, char *err, size_t errlen);

#endif
