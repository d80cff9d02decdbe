/* log.h - the daemon's log and its audit trail of kills. */
#ifndef DOCKERFS_LOG_H
#define DOCKERFS_LOG_H

#include <stddef.h>
#include <syslog.h>
#include <sys/types.h>
#include <time.h>

/* Chooses the sink: syslog (identity "dockerfs") or stderr with a time
 * stamp. debug also lets LOG_DEBUG through. */
void log_open(int use_syslog, int debug);

void log_msg(int prio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

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
 * Values with spaces or quotes are written in double quotes with \" and
 * \\ escaped. Returns the length it needed (as snprintf). */
int audit_format(const struct audit *a, char *dst, size_t n);

/* Writes the audit line to the log (LOG_NOTICE). */
void audit_log(const struct audit *a);

/* "EPERM", "ENOENT", ... for the errnos of the contract, else "E<n>". */
const char *errno_name(int err);

#endif
