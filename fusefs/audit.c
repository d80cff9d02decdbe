/* SPDX-License-Identifier: GPL-2.0-or-later */
/* audit.c - formats and writes the audit line of a kill attempt. */
#include "audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
    if (a->was)
        put_field(&o, "was", a->was);
    if (a->ns)
        put_field(&o, "namespace", a->ns);
    put_field(&o, "image", a->image);
    if (a->engine)
        put_field(&o, "engine", a->engine);
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

int audit_format_more(const struct audit_slot *s, char *dst, size_t n)
{
    struct out o = { dst, n, 0 };
    char more[64];

    put(&o, "kill", 4);
    put_field(&o, "id", s->short_id);
    put_num(&o, "uid", (long long)s->uid);
    put_field(&o, "result", s->result);
    snprintf(more, sizeof more, ": %lu more in %d s", s->more, AUDIT_WINDOW_S);
    put(&o, more, strlen(more));
    if (n)
        dst[o.len < n ? o.len : n - 1] = '\0';
    return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

double audit_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* Slots use 0 for "free": a clock that starts at 0 must not say so. */
    return 1.0 + (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void audit_trail_init(struct audit_trail *t)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
}

/* audit_trail_flush with the lock held. */
static void flush_locked(struct audit_trail *t, double now, int all)
{
    char line[256];

    for (size_t i = 0; i < AUDIT_SLOTS; i++) {
        struct audit_slot *s = &t->slot[i];
        if (!s->start || (!all && now - s->start < AUDIT_WINDOW_S))
            continue;
        if (s->more) {
            audit_format_more(s, line, sizeof line);
            log_msg(LOG_NOTICE, "%s", line);
        }
        memset(s, 0, sizeof *s);
    }
    if (t->other_start && (all || now - t->other_start >= AUDIT_WINDOW_S)) {
        if (t->other_more)
            log_msg(LOG_NOTICE, "kill refusals on other containers: %lu more "
                    "in %d s", t->other_more, AUDIT_WINDOW_S);
        t->other_start = 0;
        t->other_more = 0;
    }
}

void audit_trail_flush(struct audit_trail *t, double now, int all)
{
    pthread_mutex_lock(&t->lock);
    flush_locked(t, now, all);
    pthread_mutex_unlock(&t->lock);
}

void audit_trail_cleanup(struct audit_trail *t)
{
    audit_trail_flush(t, 0, 1);
    pthread_mutex_destroy(&t->lock);
}

/* 0 to log a, 1 when it was counted instead. Lock held. */
static int count_repeat(struct audit_trail *t, const struct audit *a, double now)
{
    const char *id = a->short_id ? a->short_id : "-";
    const char *res = a->result ? a->result : "-";
    struct audit_slot *free_slot = NULL;

    for (size_t i = 0; i < AUDIT_SLOTS; i++) {
        struct audit_slot *s = &t->slot[i];
        if (!s->start) {
            if (!free_slot)
                free_slot = s;
        } else if (s->uid == a->uid && strcmp(s->short_id, id) == 0 &&
                   strcmp(s->result, res) == 0) {
            s->more++;
            return 1;
        }
    }
    if (free_slot) {
        snprintf(free_slot->short_id, sizeof free_slot->short_id, "%s", id);
        snprintf(free_slot->result, sizeof free_slot->result, "%s", res);
        free_slot->uid = a->uid;
        free_slot->start = now;
        free_slot->more = 0;
        return 0;
    }
    if (!t->other_start) {
        t->other_start = now;
        return 0;
    }
    t->other_more++;
    return 1;
}

void audit_trail_log(struct audit_trail *t, const struct audit *a,
                     int refused, double now)
{
    pthread_mutex_lock(&t->lock);
    flush_locked(t, now, 0);
    if (!refused || !count_repeat(t, a, now))
        audit_log(a);
    pthread_mutex_unlock(&t->lock);
}
