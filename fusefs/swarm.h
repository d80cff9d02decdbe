/* SPDX-License-Identifier: GPL-2.0-or-later */
/* swarm.h - --swarm: the nodes of a Docker Swarm as members of the fleet.
 *
 *   dockerfs /dockerfs --swarm unix:///run/docker.sock \
 *            --swarm-engine 'tcp://{addr}:2376'
 *
 * One thread asks the manager GET /nodes at start and every --swarm-poll
 * seconds (default SWARM_POLL_S) and turns the answer into the wanted
 * member set: a new node gets a member (fleet_add, fleet_join), a node
 * whose State is "down" is paused (rows unreachable, kills EIO) until it
 * is "ready" again, a node no longer listed (docker node rm) is retired
 * (rows dropped). The pure parts (parse, template, names, difference)
 * are separate so the unit tests reach them without an engine. */
#ifndef DOCKERFS_SWARM_H
#define DOCKERFS_SWARM_H

#include <pthread.h>
#include <stddef.h>
#include "context.h"
#include "engine.h"
#include "fleet.h"
#include "host.h"

#define SWARM_ENGINE_DEFAULT "tcp://{addr}:2376"
/* Members --swarm may add beyond the --host and --context ones; nodes
 * beyond it are logged and skipped. */
#define SWARM_NODES_MAX 64
/* --swarm-poll's default: a node joining or leaving shows within it,
 * at one small GET /nodes per period. */
#define SWARM_POLL_S 10
#define SWARM_NODE_ID_MAX 64
#define SWARM_HOSTNAME_MAX 255
#define SWARM_ADDR_MAX 63
/* The longest GET /nodes answer read (a node's record is a few KiB). */
#define SWARM_NODES_BODY_MAX (4u << 20)

struct swarm_node {
    char id[SWARM_NODE_ID_MAX + 1];             /* ID */
    char hostname[SWARM_HOSTNAME_MAX + 1];      /* Description.Hostname */
    char addr[SWARM_ADDR_MAX + 1];              /* Status.Addr */
    int down;                                   /* Status.State "down" */
};

/* Parses a GET /nodes body into *out (malloc'd, free it) and *n. A node
 * without a usable ID ([A-Za-z0-9], at most 64) is skipped; a hostname
 * or address with bytes outside [A-Za-z0-9_.:-] (or too long) is kept
 * as "". Returns 0, EINVAL (not a JSON array) or ENOMEM. */
int swarm_parse_nodes(const char *json, size_t len, struct swarm_node **out,
                      size_t *n);

/* 0 when tpl is an engine address template: starts with unix:// or
 * tcp://, and every '{' opens {addr}, {hostname} or {id}. Else EINVAL
 * with a one-line reason. */
int swarm_template_check(const char *tpl, char *err, size_t errlen);

/* tpl with node's fields put in. Returns 0, EINVAL (a placeholder whose
 * field is empty, or a bad template) or ENAMETOOLONG (over outlen - 1). */
int swarm_expand(const char *tpl, const struct swarm_node *node, char *out,
                 size_t outlen);

/* The engine name of v[i] among v[0..n): its hostname when that is an
 * engine name (engine_name_valid) that no other node of v has and
 * taken(arg, name) says is free, else HOSTNAME-<first 6 of its ID>
 * (HOSTNAME "node" when it is not an engine name or too long). name
 * gets ENGINE_NAME_MAX + 1 bytes. taken may be NULL. Returns 0, or
 * EEXIST when the fallback is taken too. */
int swarm_node_name(const struct swarm_node *v, size_t n, size_t i,
                    int (*taken)(void *arg, const char *name), void *arg,
                    char *name);

/* What became of a node the thread follows. */
enum swarm_change { SWARM_SAME, SWARM_DOWN, SWARM_UP, SWARM_GONE };

struct swarm_known {
    char id[SWARM_NODE_ID_MAX + 1];
    unsigned ix;            /* its member */
    int down;               /* paused */
};

/* The difference between the followed nodes k[0..nk) and the nodes
 * v[0..nv) the manager lists now: what[i] for each k[i] (GONE: not
 * listed; DOWN: listed down and not paused; UP: paused and not down;
 * else SAME), added[j] = 1 for each v[j] no k has. */
void swarm_diff(const struct swarm_known *k, size_t nk,
                const struct swarm_node *v, size_t nv,
                enum swarm_change *what, int *added);

struct swarm {
    struct host host;           /* the manager's engine */
    struct engine engine;
    const char *tpl;
    double poll_s;              /* seconds between two GET /nodes */
    struct docker_env env;
    struct fleet *fleet;
    struct swarm_known *known;  /* SWARM_NODES_MAX of them */
    size_t nknown;
    /* private */
    pthread_t thread;
    int started;
    int stop;
    int unreachable;            /* logged once while the manager is away */
    /* Nodes whose skip was logged (a ring): they are tried again every
     * poll, but logged once. */
    char warned[SWARM_NODES_MAX][SWARM_NODE_ID_MAX + 1];
    size_t nwarned;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

/* Resolves the manager (o->swarm, TLS as for --host) and adds a member
 * for every node it lists now to f (built, after fleet_wire; listed by
 * fleet_first_list with the others). Returns 0, EINVAL (bad address: a
 * usage error), or the errno of a manager that does not answer (EIO,
 * ETIMEDOUT, EPROTO: it is not a manager) or ENOMEM, with a one-line
 * reason. */
int swarm_init(struct swarm *s, struct fleet *f, const struct options *o,
               const struct docker_env *env, char *err, size_t errlen);

/* Starts the thread that follows nodes joining and leaving (after
 * fleet_start). 0 or an errno. */
int swarm_start(struct swarm *s);

/* Stops and joins it (before fleet_stop); safe when never started. */
void swarm_stop(struct swarm *s);

/* Frees what swarm_init made; safe on a zeroed s. */
void swarm_free(struct swarm *s);

#endif
