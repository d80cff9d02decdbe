/* SPDX-License-Identifier: GPL-2.0-or-later */
/* opts.h - dockerfs's command line into struct options (settings.h):
 * for main.c only. */
#ifndef DOCKERFS_OPTS_H
#define DOCKERFS_OPTS_H

#include <stdio.h>
#include "settings.h"


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
