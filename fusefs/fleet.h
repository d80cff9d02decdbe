/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fleet.h - the engines of one mount.
 *
 *   dockerfs /dockerfs --host a=unix:///run/a.sock --context prod
 *
 * Each engine (a "member") has a name, its backend (backend.h: for
 * Docker its address and TLS, its own follower thread: list, /events
 * stream, back-off, re-list) and its own kill budget, so one engine that
 * is down or slow never delays the others:
 * listings are answered from the shared table, which each member writes
 * only for its own rows. With one engine nothing changes but the name
 * its containers' engine files show. Nothing here knows which kind of
 * engine a member is: every request goes through its backend's ops. */
#ifndef DOCKERFS_FLEET_H
#define DOCKERFS_FLEET_H

#include <stdatomic.h>
#include <stddef.h>
#include "backend.h"
#include "context.h"
#include "follow.h"
#include "opts.h"
#include "table.h"

#define ENGINE_NAME_MAX 63
#define ENGINE_NAME_DEFAULT "default"
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

/* The name and address of one --host or --context. "--host NAME=URL"
 * names the engine NAME (a URL never has '=' before its scheme's ':');
 * "--host URL" is the engine "default"; "--context NAME" is NAME. name
 * gets ENGINE_NAME_MAX + 1 bytes; *addr points into spec->arg (the URL,
 * or the context's name). Returns 0, or EINVAL with a one-line reason. */
int engine_spec_split(const struct engine_spec *spec, char *name,
                      const char **addr, char *err, size_t errlen);

/* Checks every spec splits and no two engines share a name. Returns 0,
 * or EINVAL with a one-line reason. */
int engine_specs_check(const struct engine_spec *v, size_t n,
                       char *err, size_t errlen);

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
    int from_swarm;             /* made by --swarm for one node */
    atomic_int retired;         /* 1: not followed any more (its node
                                   left, or it is another member's
                                   engine); its slot is never reused */
};

/* Members --swarm may add beyond the --host and --context ones; nodes
 * beyond it are logged and skipped. */
#define FLEET_SWARM_MAX 64

struct fleet {
    struct member *m;           /* cap slots: members never move */
    /* Members fully built and wired: readers (the request loop, kill
     * workers, followers) see only those, while the swarm thread adds
     * more. */
    _Atomic size_t n;
    size_t cap;
    /* What fleet_wire was given, for members added later. */
    struct table *table;
    const struct options *opt;
    struct follow_hooks hooks;
};

/* Resolves every engine of o (none given and no --swarm: the docker
 * CLI's choice, named after its context, else "default") into f; with
 * --swarm f has room for FLEET_SWARM_MAX more (fleet_add). Returns 0, EINVAL (a usage
 * error: bad name, duplicate name, unknown or broken context, bad
 * address, the same address twice) or ENOMEM, with a one-line reason. */
int fleet_build(struct fleet *f, const struct options *o,
                const struct docker_env *env, char *err, size_t errlen);

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
 * EEXIST (not followed). No usable identity: logged, 0 (followed
 * unchecked). Not answering: its errno, reason in err. */
int fleet_admit(void *fleet, unsigned ix, char *err, size_t errlen);

/* The first full list of every member, all at once (one thread each), so
 * a slow engine costs its own timeout only: its identity, then its list
 * (backend ops). Members that failed are left down (down, first_rc,
 * first_err). Returns how many listed;
 * *bad_filter is 1 when an engine refused the filters (EINVAL). */
size_t fleet_first_list(struct fleet *f, int *bad_filter);

/* Gives member ix the engine ID id, unless another member holds it.
 * Returns -1 (ix holds id now), or the index of the member that holds
 * it. Thread-safe: of two members claiming one ID, the first wins. */
int fleet_claim_id(struct fleet *f, unsigned ix, const char *id);

/* After fleet_first_list: claims every member's first_id in order.
 * Returns 0, or EEXIST for the first member whose ID an earlier one
 * holds (one engine under two addresses), with a one-line reason naming
 * both and the ID. A --swarm member whose engine an earlier member holds
 * (the manager given as --host too) is logged, its rows dropped and it
 * is retired instead. */
int fleet_check_ids(struct fleet *f, char *err, size_t errlen);

/* Starts every member's follower but the retired ones. 0 or an errno
 * (none left running). */
int fleet_start(struct fleet *f);

/* Stops and joins every follower. */
void fleet_stop(struct fleet *f);

/* Adds a member named name for the Docker engine at url (TLS as for
 * --host, from env), for swarm node node_id; wired when fleet_wire was
 * called; published (n) only once fully built; not listed or started.
 * One thread at a time. Returns 0 with its index in *ix, ENOSPC (no
 * room), EEXIST (the name is taken), EINVAL (bad address) or ENOMEM,
 * with a one-line reason. */
int fleet_add(struct fleet *f, const char *name, const char *url,
              const struct docker_env *env, unsigned *ix,
              char *err, size_t errlen);

/* A member added while mounted: its identity (claimed: another member's
 * engine is logged and retired, EEXIST), its first list, then its
 * follower (started down when it did not answer, so it keeps retrying).
 * Returns 0 (followed), EEXIST, or the errno of a failed start. */
int fleet_join(struct fleet *f, unsigned ix);

/* Member ix's node is down: its follower stops, its rows read
 * unreachable, kills EIO. fleet_resume restarts the follower, which
 * checks the identity and re-lists before the member is up. No-ops on a
 * retired member. */
void fleet_pause(struct fleet *f, unsigned ix);
int fleet_resume(struct fleet *f, unsigned ix);

/* Member ix's node left: its follower stops, its rows are dropped, it
 * is never followed again. */
void fleet_retire(struct fleet *f, unsigned ix);

/* Frees every member's backend and the members. */
void fleet_free(struct fleet *f);

/* The member with this index, or NULL. */
struct member *fleet_member(struct fleet *f, unsigned ix);

/* m's backend_about; "?" for each string when m has no backend. */
void member_about(const struct member *m, struct backend_about *a);

/* Before a request to ix's engine for a kill: EIO at once when it is
 * down (or ix is unknown). While FLEET_KILLS_IN_FLIGHT are already
 * waiting on it, waits for one to finish; EAGAIN when none has for
 * FLEET_KILL_STALL_MS. Else 0, and fleet_kill_end must follow. */
int fleet_kill_begin(struct fleet *f, unsigned ix);
void fleet_kill_end(struct fleet *f, unsigned ix);

#endif
