/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bkcmd.h - ddbench's Kubernetes commands (bkcmd.c says which).
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef DDBENCH_BKCMD_H
#define DDBENCH_BKCMD_H

/* Runs command c (argv[1]) with ddbench's argc/argv: its exit status, or
 * -1 when c is no Kubernetes command or its arguments do not fit. */
int bkcmd_run(const char *c, int argc, char **argv);

#endif
