/* opts.h - dockerfs's command line. */
#ifndef DOCKERFS_OPTS_H
#define DOCKERFS_OPTS_H

#include <stdio.h>
#include <sys/types.h>
#include "engine.h"
#include "filter.h"
#include "protect.h"

struct options {
    const char *mountpoint;
    int foreground;             /* -f */
    int debug;                  /* -d: FUSE debug output, implies -f */
    char *fuse_opts;            /* the -o lists joined by commas, or NULL */
    int ro;                     /* "ro" among them */
    const char *host;           /* --host, or NULL */
    struct filters filters;     /* --filter, repeatable */
    struct protect_rules protect; /* --protect, repeatable */
    int all;                    /* --all */
    int dry_run;                /* --dry-run */
    enum kill_action action;    /* --kill-action, default KILL_RM */
    uid_t kill_uid;             /* --uid, default 0 */
    gid_t kill_gid;             /* --gid */
    int have_gid;
    double timeout;             /* --timeout SECONDS for kill, default 10 */
    double resync;              /* --resync SECONDS, default 60 */
    int syslog;                 /* --syslog, or not foreground */
    int help;                   /* --help / -h */
    int version;                /* --version / -V */
};

/* Parses argv (argv[0] is the program). Returns 0, or 2 with a one-line
 * message in err for a usage error (unknown option, bad value, missing or
 * extra mount point). With --help or --version the mount point may be
 * missing. --uid/--gid take a number or an existing user/group name. */
int opts_parse(struct options *o, int argc, char **argv,
               char *err, size_t errlen);

/* Writes the --help text. */
void opts_usage(FILE *out, const char *prog);

void opts_free(struct options *o);

#endif
