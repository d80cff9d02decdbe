/* log.c - the daemon's log and its audit trail of kills. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

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

/* 1 if v must be quoted to stay one field: empty, or has a space, a
 * quote, a backslash or a control character. */
static int needs_quotes(const char *v)
{
    if (*v == '\0')
        return 1;
    for (; *v; v++) {
        unsigned char ch = (unsigned char)*v;
        if (ch <= ' ' || ch == '"' || ch == '\\' || ch == 0x7f)
            return 1;
    }
    return 0;
}

/* snprintf-like appender: writes what fits, always counts everything. */
struct out {
    char *dst;
    size_t n;
    size_t len;
};

static void put(struct out *o, const char *s, size_t k)
{
    for (size_t i = 0; i < k; i++, o->len++)
        if (o->n && o->len < o->n - 1)
            o->dst[o->len] = s[i];
}

static void put_field(struct out *o, const char *key, const char *v)
{
    if (!v)
        v = "-";
    if (o->len)
        put(o, " ", 1);
    put(o, key, strlen(key));
    put(o, "=", 1);
    if (!needs_quotes(v)) {
        put(o, v, strlen(v));
        return;
    }
    put(o, "\"", 1);
    for (; *v; v++) {
        unsigned char ch = (unsigned char)*v;
        char esc[8];
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = (char)ch;
            put(o, esc, 2);
        } else if (ch < ' ' || ch == 0x7f) {
            /* A newline in a command name must not forge a log line. */
            snprintf(esc, sizeof esc, "\\x%02x", ch);
            put(o, esc, 4);
        } else {
            put(o, (const char *)v, 1);
        }
    }
    put(o, "\"", 1);
}

static void put_num(struct out *o, const char *key, long long v)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", v);
    put_field(o, key, num);
}

/* Formats the audit line; see log.h. Missing strings show as "-". */
int audit_format(const struct audit *a, char *dst, size_t n)
{
    struct out o = { dst, n, 0 };
    put(&o, "kill", 4);
    put_field(&o, "id", a->short_id);
    put_field(&o, "name", a->name);
    put_field(&o, "image", a->image);
    put_num(&o, "pid", (long long)a->pid);
    put_num(&o, "uid", (long long)a->uid);
    put_field(&o, "comm", a->comm);
    put_field(&o, "action", a->action);
    put_field(&o, "result", a->result);
    if (n)
        dst[o.len < n ? o.len : n - 1] = '\0';
    return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

/* Logs the audit line at LOG_NOTICE, however long it is. */
void audit_log(const struct audit *a)
{
    char small[1024];
    int len = audit_format(a, small, sizeof small);
    if ((size_t)len < sizeof small) {
        log_msg(LOG_NOTICE, "%s", small);
        return;
    }
    char *big = malloc((size_t)len + 1);
    if (big) {
        audit_format(a, big, (size_t)len + 1);
        log_msg(LOG_NOTICE, "%s", big);
        free(big);
    } else {
        log_msg(LOG_NOTICE, "%s", small);
    }
}

/* Names for the errnos a kill can end with. */
const char *errno_name(int err)
{
    static __thread char other[16];
    switch (err) {
    case EPERM:     return "EPERM";
    case ENOENT:    return "ENOENT";
    case EIO:       return "EIO";
    case E2BIG:     return "E2BIG";
    case ENOMEM:    return "ENOMEM";
    case EACCES:    return "EACCES";
    case EBUSY:     return "EBUSY";
    case EINVAL:    return "EINVAL";
    case EROFS:     return "EROFS";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ENOTCONN:  return "ENOTCONN";
    case EAGAIN:    return "EAGAIN";
    default:
        snprintf(other, sizeof other, "E%d", err);
        return other;
    }
}
