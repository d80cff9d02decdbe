/* SPDX-License-Identifier: GPL-2.0-or-later */
/* settings.h - what the command line decided, as plain data: the bottom
 * layer every module may read. opts.c (beside main.c) fills it; nothing
 * else parses options, so nothing below main.c includes opts.h. */
#ifndef DOCKERFS_SETTINGS_H
#define DOCKERFS_SETTINGS_H

#include <sys/types.h>
#include "killaction.h"
#include "filter.h"
#include "protect.h"

/* One engine as given on the command line, in order (members.h makes
 * each one a member of the fleet). */
struct engine_spec {
    enum {
        SPEC_HOST,          /* --host [NAME=]URL */
        SPEC_CONTEXT,       /* --context [NAME=]CTX */
        SPEC_KUBE,          /* --kube [NAME=][KUBECONFIG][:CONTEXT] */
        SPEC_KUBECONFIG     /* --kubeconfig / --kube-context (arg NULL) */
    } kind;
    const char *arg;
};

struct options {
    const char *mountpoint;
    int foreground;             /* -f */
    int debug;                  /* -d: FUSE debug output, implies -f */
    char *fuse_opts;            /* the -o lists joined by commas, or NULL */
    int ro;                     /* "ro" among them */
    int allow_other;            /* "allow_other" among them */
    struct engine_spec *engines;    /* every --host, --context, --kube;
                                       --kubeconfig last */
    size_t n_engines;
    const char *kubeconfig;     /* --kubeconfig FILE, or NULL */
    const char *kube_context;   /* --kube-context NAME, or NULL */
    const char **namespaces;    /* --namespace, repeatable */
    size_t n_namespaces;
    long grace_period;          /* --grace-period SECONDS, -1 if not given */
    int no_default_protect;     /* --no-default-protect */
    const char *swarm;          /* --swarm URL: a manager's engine */
    const char *swarm_engine;   /* --swarm-engine TEMPLATE, or NULL */
    double swarm_poll;          /* --swarm-poll SECONDS, default SWARM_POLL_S */
    int have_swarm_poll;        /* --swarm-poll was given */
    struct filters filters;     /* --filter, repeatable */
    struct protect_rules protect; /* --protect, repeatable */
    int all;                    /* --all */
    int dry_run;                /* --dry-run */
    int fast_read;              /* --fast-read */
    /* --owner-only: one bit (1u << file_kind) per data file served only
     * to root and the user dockerfs runs as (viewers.h) */
    unsigned owner_only;
    long spin_us;               /* --spin USEC, default SERVE_SPIN_US_DEFAULT */
    enum kill_action action;    /* --kill-action, default KILL_RM */
    uid_t kill_uid;             /* --uid, default 0 */
    gid_t kill_gid;             /* --gid */
    int have_gid;
    /* --timeout SECONDS, default 10: bounds every request to an engine
     * (list, re-list, identity, inspect, kill; connecting at most 5 s of
     * it), not its events or watch stream, which only connects within 5 s */
    double timeout;
    double resync;              /* --resync SECONDS, default 300 */
    int syslog;                 /* --syslog, or not foreground */
    int help;                   /* --help / -h */
    int version;                /* --version / -V */
};

#endif
