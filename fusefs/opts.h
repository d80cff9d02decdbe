/* SPDX-License-Identifier: GPL-2.0-or-later */
/* opts.h - dockerfs's command line. */
#ifndef DOCKERFS_OPTS_H
#define DOCKERFS_OPTS_H

#include <stdio.h>
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
    double timeout;             /* --timeout SECONDS for kill, default 10 */
    double resync;              /* --resync SECONDS, default 300 */
    int syslog;                 /* --syslog, or not foreground */
    int help;                   /* --help / -h */
    int version;                /* --version / -V */
};

/* Parses argv (argv[0] is the program). Returns 0, or 2 with a one-line
 * message in err for a usage error (unknown option, bad value, missing or
 * extra mount point), or 1 with "out of memory"; after an error o holds
 * nothing to free (opts_free stays safe). With --help or --version the
 * mount point may be missing. --uid/--gid take a number or an existing
 * user/group name. */
int opts_parse(struct options *o, int argc, char **argv,
               char *err, size_t errlen);

/* Writes the --help text. */
void opts_usage(FILE *out, const char *prog);

/* Frees what opts_parse allocated; safe to call twice. */
void opts_free(struct options *o);

#endif
