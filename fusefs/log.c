/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.c - the daemon's log: syslog or time-stamped stderr lines. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

/* Set once by log_open before any thread starts, read-only after. */
static int log_syslog;
static int log_debug_on;

/* Chooses the sink; see log.h. */
void log_open(int use_syslog, int debug)
{
    log_syslog = use_syslog;
    log_debug_on = debug;
    if (use_syslog)
        openlog("dockerfs", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static const char *prio_name(int prio)
{
    switch (prio) {
    case LOG_EMERG: case LOG_ALERT: case LOG_CRIT: return "crit";
    case LOG_ERR:     return "error";
    case LOG_WARNING: return "warning";
    case LOG_NOTICE:  return "notice";
    case LOG_INFO:    return "info";
    default:          return "debug";
    }
}

/* Logs one message. On stderr the line is built whole first and written
 * with one call, so lines from different threads do not interleave. */
void log_msg(int prio, const char *fmt, ...)
{
    if (prio == LOG_DEBUG && !log_debug_on)
        return;
    int saved = errno;      /* callers may log between a failure and %m */
    char small[2048], *msg = small, *big = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small) {
        /* Rare (a huge image name): format again on the heap, or keep the
         * truncated text if that fails. */
        va_start(ap, fmt);
        if (vasprintf(&big, fmt, ap) >= 0)
            msg = big;
        else
            big = NULL;
        va_end(ap);
    }

    if (log_syslog) {
        syslog(prio, "%s", msg);
    } else {
        struct timeval tv;
        struct tm tm;
        char stamp[32];
        gettimeofday(&tv, NULL);
        gmtime_r(&tv.tv_sec, &tm);
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
        fprintf(stderr, "%s.%03ldZ dockerfs: %s: %s\n", stamp,
                (long)(tv.tv_usec / 1000), prio_name(prio), msg);
    }
    free(big);
    errno = saved;
}
