/* SPDX-License-Identifier: GPL-2.0-or-later */
/* audit.c - formats and writes the audit line of a kill attempt. */
#include "audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

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
