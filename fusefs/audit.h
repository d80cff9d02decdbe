/* SPDX-License-Identifier: GPL-2.0-or-later */
/* audit.h - the audit trail: one log line per kill attempt. */
#ifndef DOCKERFS_AUDIT_H
#define DOCKERFS_AUDIT_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

/* One kill attempt. */
struct audit {
    const char *short_id;
    const char *name;       /* its name now, when the engine said */
    const char *image;
    pid_t pid;
    uid_t uid;
    const char *comm;       /* the caller's command name */
    const char *action;     /* kill_action_name: "rm", "kill", "stop",
                               "delete", "evict" */
    const char *result;     /* "ok", "dry-run", or an errno name */
    const char *engine;     /* the container's engine; NULL: left out */
    const char *was;        /* the name it was listed under, when that
                               differs from name; NULL: left out */
    const char *ns;         /* a pod's namespace; NULL: left out */
};

/* Formats the audit line (no newline):
 *   kill id=4eeff8a1b2c3 name=web image=nginx:1 engine=prod pid=42 uid=0
 *   comm=bash action=rm result=ok
 * (engine= only when a->engine is not NULL; was=OLD after name= only
 * when a->was is not NULL; a pod's namespace=NS after them).
 * A value that is empty or holds a space, a quote, a backslash or a
 * control character is written in double quotes, with \" and \\ and
 * control characters and DEL as \xNN, so one attempt is always one line;
 * a NULL value shows as "-". Returns the length it needed (as snprintf). */
int audit_format(const struct audit *a, char *dst, size_t n);

/* Writes the audit line to the log (LOG_NOTICE). */
void audit_log(const struct audit *a);

/* A refusal repeated within this many seconds of the one logged is
 * counted, not logged. */
#define AUDIT_WINDOW_S 10

/* Repeating refusals followed at once (by uid, container and result);
 * refusals beyond them are counted together. */
#define AUDIT_SLOTS 128

struct audit_slot {
    char short_id[16];
    uid_t uid;
    char result[16];
    double start;           /* when the logged one came; 0: slot free */
    unsigned long more;     /* refusals counted since */
};

/* The audit trail of one mount: audit_log with repeated refusals
 * coalesced, in bounded memory. */
struct audit_trail {
    pthread_mutex_t lock;
    struct audit_slot slot[AUDIT_SLOTS];
    double other_start;     /* the same for refusals that found no slot */
    unsigned long other_more;
};

void audit_trail_init(struct audit_trail *t);

/* Logs the counts still open (audit_trail_flush of everything) and frees
 * the lock. */
void audit_trail_cleanup(struct audit_trail *t);

/* Logs a (audit_log), unless it is a refusal (refused != 0) by the same
 * uid on the same container with the same result as one logged less
 * than AUDIT_WINDOW_S seconds before: that one is only counted. A count
 * is logged as one line once its window has passed, at the next call or
 * at audit_trail_flush:
 *   kill id=4eeff8a1b2c3 uid=1000 result=EACCES: 37 more in 10 s
 * With AUDIT_SLOTS windows open, a refusal of another key is logged when
 * it is the first such in a window and counted after that:
 *   kill refusals on other containers: 37 more in 10 s
 * now is seconds on a clock that never goes back (audit_now). Successes
 * are always logged. Thread-safe. */
void audit_trail_log(struct audit_trail *t, const struct audit *a,
                     int refused, double now);

/* Logs the counts of windows ended by now, or of every window with all,
 * and frees their slots. */
void audit_trail_flush(struct audit_trail *t, double now, int all);

/* Seconds on CLOCK_MONOTONIC, never 0. */
double audit_now(void);

/* The count line above for slot s (no newline); as audit_format. */
int audit_format_more(const struct audit_slot *s, char *dst, size_t n);

/* An errno's symbolic name as the C library has it ("EPERM", "ESRCH",
 * ...), else "E<n>" (in a buffer of the calling thread's own). */
const char *errno_name(int err);

#endif
