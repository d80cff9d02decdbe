/* SPDX-License-Identifier: GPL-2.0-or-later */
/* audit.h - the audit trail: one log line per kill attempt. */
#ifndef DOCKERFS_AUDIT_H
#define DOCKERFS_AUDIT_H

#include <stddef.h>
#include <sys/types.h>

/* One kill attempt. */
struct audit {
    const char *short_id;
    const char *name;
    const char *image;
    pid_t pid;
    uid_t uid;
    const char *comm;       /* the caller's command name */
    const char *action;     /* "rm", "kill", "stop" */
    const char *result;     /* "ok", "dry-run", or an errno name */
};

/* Formats the audit line (no newline):
 *   kill id=4eeff8a1b2c3 name=web image=nginx:1 pid=42 uid=0 comm=bash
 *   action=rm result=ok
 * A value that is empty or holds a space, a quote, a backslash or a
 * control character is written in double quotes, with \" and \\ and
 * control characters and DEL as \xNN, so one attempt is always one line;
 * a NULL value shows as "-". Returns the length it needed (as snprintf). */
int audit_format(const struct audit *a, char *dst, size_t n);

/* Writes the audit line to the log (LOG_NOTICE). */
void audit_log(const struct audit *a);

/* "EPERM", "ENOENT", ... for the errnos of the contract, else "E<n>". */
const char *errno_name(int err);

#endif
