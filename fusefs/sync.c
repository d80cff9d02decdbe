/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sync.c - the events thread.
 *
 * The stream runs on a curl multi handle so the thread can also wake for
 * the periodic re-list and for shutdown (curl_multi_wakeup). Lines are
 * queued in the write callback (a new container is shown from its create
 * event there too, a table write and no request); the engine is asked
 * about them after curl_multi_perform returns, never from inside a
 * callback. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lines.h"
#include "localfilter.h"
#include "log.h"
#include "parse.h"
#include "sync.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 1000
#define EVENT_LINE_MAX (64u << 10)

/* Events wait in q[head..nq) until they are handled. */
struct stream {
    struct sync *s;
    long long opened_ns;        /* wall clock of the request, Unix ns */
    struct lines lines;
    struct event *q;
    size_t head, nq, capq;
    int nomem;
    int relist;                 /* an image event asked for a re-list */
};

/* How far back a new event looks for one about the same container: a
 * burst (create, start, ...) is adjacent in the stream. */
#define MERGE_WINDOW 64
/* A queue grown past this is given back once it is empty. */
#define QUEUE_KEEP 1024

/* When the next periodic re-list is due; never with --resync 0. */
static double next_due(const struct sync *s, double now)
{
    return s->resync_s > 0 ? now + s->resync_s : 1e300;
}

static pthread_mutex_t trim_lock = PTHREAD_MUTEX_INITIALIZER;

static long long wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int sync_full(struct sync *s, char *err, size_t errlen)
{
    struct container *v;
    size_t n;
    int jerr = 0, rc;
    long long started = (long long)time(NULL);
    char *filters = filters_json(s->filters, NULL, &jerr);

    if (jerr) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    rc = engine_list(s->engine, s->all, filters, &v, &n, err, errlen);
    free(filters);
    if (rc == EFBIG) {
        /* A hostile (or runaway) engine: what one engine may cost is
         * shown, said once until the list fits again. */
        if (!s->cut_logged)
            log_warn("engine %s: %s", follow_engine_name(&s->out), err);
        s->cut_logged = 1;
        rc = 0;
    } else if (rc == 0) {
        s->cut_logged = 0;
    }
    if (rc != 0)
        return rc;
    rc = follow_replace(&s->out, v, n);
    containers_free(v, n);
    /* A big list leaves a big hole in this thread's heap; give it back
     * rather than keep the peak for the daemon's whole life. One thread
     * at a time: glibc's first malloc_trim initialises its arena without
     * a lock, and under ASan (which never uses glibc's malloc) two
     * engines' first lists did that at once (SEGV in mtrim). */
    pthread_mutex_lock(&trim_lock);
    malloc_trim(0);
    pthread_mutex_unlock(&trim_lock);
    if (rc != 0) {
        snprintf(err, errlen, "out of memory");
        return rc;
    }
    s->listed_at = started;
    return 0;
}

int sync_scope(struct sync *s, const struct container *c,
               const struct inspect_info *info, char *err, size_t errlen)
{
    struct container *v = NULL;
    size_t n = 0;
    int jerr = 0, rc, found = 0;

    if (s->all && s->filters->n == 0)
        return 0;
    if (localfilter_supported(s->filters))
        return localfilter_match(s->filters, s->all, c, info) ? 0 : ESRCH;
    /* The engine ORs the values of one key: with an id filter of the
     * user's, ours would widen it, so the whole filtered list is read. */
    char *filters = filters_json(s->filters,
                                 filters_has(s->filters, "id") ? NULL : c->id,
                                 &jerr);
    if (jerr) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    rc = engine_list(s->engine, s->all, filters, &v, &n, err, errlen);
    free(filters);
    if (rc != 0 && rc != EFBIG)
        return rc;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(v[i].id, c->id) == 0;
    containers_free(v, n);
    return found ? 0 : ESRCH;
}

/* Puts c in the table, or takes its id out when it is not to be shown,
 * and tells the kernel. */
static void apply(struct sync *s, const struct container *c, int shown)
{
    follow_apply(&s->out, c, shown);
}

/* The old way, for filters only the engine can decide: the engine's list
 * of this one container. The list may still show a renamed container
 * under its old name (Docker frees the old name after sending the event),
 * so a rename's own new name wins. Returns 0 or an errno. */
static int refresh_by_list(struct sync *s, const struct event *ev)
{
    char err[256];
    struct container *v = NULL;
    size_t n = 0;
    int jerr = 0, found = -1, rc;

    /* The engine ORs the values of one filter key, so a user's own id
     * filter cannot take ours as well: re-list everything instead. */
    if (filters_has(s->filters, "id")) {
        if ((rc = sync_full(s, err, sizeof err)) != 0)
            log_warn("re-list after an event failed: %s", err);
        return rc;
    }
    char *filters = filters_json(s->filters, ev->id, &jerr);
    rc = filters ? engine_list(s->engine, s->all, filters, &v, &n, err,
                               sizeof err) : ENOMEM;
    free(filters);
    if (rc != 0) {
        containers_free(v, n);
        log_warn("could not re-read container %.12s: %s", ev->id,
                 rc == ENOMEM ? "out of memory" : err);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, ev->id) == 0)
            found = (int)i;
    if (found >= 0 && ev->rename_to[0] &&
        strcmp(v[found].name, ev->rename_to) != 0) {
        char *name = strdup(ev->rename_to);
        if (name) {
            free(v[found].name);
            v[found].name = name;
        }
    }
    if (found >= 0) {
        apply(s, &v[found], 1);
    } else {
        struct container gone_c;
        memset(&gone_c, 0, sizeof gone_c);
        memcpy(gone_c.id, ev->id, sizeof gone_c.id);
        apply(s, &gone_c, 0);
    }
    containers_free(v, n);
    return 0;
}

/* Re-reads one container after an event about it: GET /containers/{id}/json
 * costs the engine the same with 10 or 10000 containers, and shows the
 * container as it is after the event (the engine changes the container
 * before it sends the event). Returns 0 or an errno. */
static int refresh(struct sync *s, const struct event *ev)
{
    char err[256];
    struct container c;
    struct inspect_info info;
    int rc;

    if (ev->kind == EVENT_GONE) {
        memset(&c, 0, sizeof c);
        memcpy(c.id, ev->id, sizeof c.id);
        apply(s, &c, 0);
        return 0;
    }
    if (!localfilter_supported(s->filters))
        return refresh_by_list(s, ev);
    rc = engine_inspect(s->engine, ev->id, &c, &info, err, sizeof err);
    /* Gone, or a record the list would leave out too (EBADMSG, logged by
     * engine_inspect): not shown. */
    if (rc == ENOENT || rc == EBADMSG) {
        memcpy(c.id, ev->id, sizeof c.id);
        apply(s, &c, 0);
        return 0;
    }
    if (rc != 0) {
        log_warn("could not re-read container %.12s: %s", ev->id, err);
        return rc;
    }
    apply(s, &c, localfilter_match(s->filters, s->all, &c, &info));
    container_clear(&c);
    return 0;
}

/* A new container is shown from its create event at once, before the
 * re-read that the queue asks for (about a millisecond with 10000
 * containers): only with --all and no --filter, which the event alone
 * cannot decide, and not for the replay of what happened before the
 * stream was opened (it may be long gone). */
static void show_created(struct stream *st, const char *line, size_t len)
{
    struct container c;
    long long when_ns;

    if (!st->s->all || st->s->filters->n > 0)
        return;
    if (parse_event_container(line, len, &c, &when_ns) != 0)
        return;
    if (when_ns >= st->opened_ns)
        follow_add(&st->s->out, &c);
    container_clear(&c);
}

static int queue_line(const char *line, size_t len, void *arg)
{
    struct stream *st = arg;
    struct event ev;

    if (parse_event(line, len, &ev) != 0 || ev.kind == EVENT_IGNORE)
        return 0;
    /* A tag moved: the images containers list may have changed, and only
     * the list says which. One re-list after the burst (a pull or a build
     * tags several at once). */
    if (ev.kind == EVENT_RELIST) {
        st->relist = 1;
        return 0;
    }
    /* Only a create is read a second time, for what parse_event skips. */
    if (ev.create)
        show_created(st, line, len);
    /* A burst (create, start, ...) for one container needs one re-read;
     * only events not yet handled can take a later one in. */
    size_t from = st->nq - st->head > MERGE_WINDOW ? st->nq - MERGE_WINDOW
                                                   : st->head;
    for (size_t i = from; i < st->nq; i++) {
        if (strcmp(st->q[i].id, ev.id) == 0) {
            if (ev.kind == EVENT_GONE)
                st->q[i].kind = EVENT_GONE;
            if (ev.rename_to[0])
                memcpy(st->q[i].rename_to, ev.rename_to, sizeof ev.rename_to);
            return 0;
        }
    }
    if (st->nq == st->capq) {
        size_t cap = st->capq ? st->capq * 2 : 16;
        struct event *q = realloc(st->q, cap * sizeof *q);
        if (!q) {
            st->nomem = 1;
            return 0;
        }
        st->q = q;
        st->capq = cap;
    }
    st->q[st->nq++] = ev;
    return 0;
}

static size_t on_stream(char *data, size_t size, size_t n, void *arg)
{
    struct stream *st = arg;
    return lines_feed(&st->lines, data, size * n, queue_line, st) == 0
           ? size * n : 0;
}

/* Opens GET /events for container events since the last full list. */
static CURL *open_stream(struct sync *s, struct stream *st)
{
    /* "since" replays what happened between the list and this request;
     * replays only cause harmless re-reads. */
    CURL *h = engine_events_handle(s->engine, s->listed_at - 1);

    if (!h)
        return NULL;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_stream);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, st);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    return h;
}

/* Follows one events connection until it ends or the thread must stop.
 * Returns how long the stream lived, in seconds. */
static double follow(struct sync *s, struct stream *st, double *next_resync)
{
    double opened = now_mono();
    CURL *h = open_stream(s, st);
    int running = 1;
    char err[256];
    CURLMcode mc;

    if (!h) {
        log_warn("cannot open the events stream: out of memory");
        return 0;
    }
    lines_reset(&st->lines);
    st->opened_ns = wall_ns();
    /* Not followed means not fresh: say so; run() retries with backoff. */
    if ((mc = curl_multi_add_handle(s->multi, h)) != CURLM_OK) {
        log_warn("cannot follow the events stream: %s", curl_multi_strerror(mc));
        curl_easy_cleanup(h);
        return 0;
    }
    while (!s->stop && running) {
        CURLMsg *msg;
        int left;

        curl_multi_perform(s->multi, &running);
        while (st->head < st->nq && !s->stop) {
            struct event ev = st->q[st->head++];
            /* A re-read that failed leaves the table behind the engine:
             * re-list now rather than at the next periodic one. */
            if (refresh(s, &ev) != 0)
                *next_resync = 0;
            /* Keep reading the stream through a burst: the engine drops
             * events for a subscriber that falls too far behind (a 1024
             * event buffer, 100 ms to take each), and nothing would tell
             * us until the next re-list. */
            curl_multi_perform(s->multi, &running);
        }
        st->head = st->nq = 0;
        if (st->capq > QUEUE_KEEP) {
            free(st->q);
            st->q = NULL;
            st->capq = 0;
        }
        if (st->nomem) {
            st->nomem = 0;
            log_warn("out of memory queueing events; re-listing");
            *next_resync = 0;
        }
        if (st->relist) {
            st->relist = 0;
            *next_resync = 0;
        }
        while ((msg = curl_multi_info_read(s->multi, &left))) {
            if (msg->msg == CURLMSG_DONE) {
                long status = 0;
                curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
                if (msg->data.result != CURLE_OK)
                    log_warn("events stream from %s ended: %s",
                             s->engine->host->display,
                             curl_easy_strerror(msg->data.result));
                else
                    log_warn("events stream from %s ended (HTTP %ld)",
                             s->engine->host->display, status);
                running = 0;
            }
        }
        if (running && now_mono() >= *next_resync) {
            if (sync_full(s, err, sizeof err) != 0)
                log_warn("periodic re-list failed: %s", err);
            *next_resync = next_due(s, now_mono());
        }
        if (running)
            curl_multi_poll(s->multi, NULL, 0, 1000, NULL);
    }
    curl_multi_remove_handle(s->multi, h);
    curl_easy_cleanup(h);
    return now_mono() - opened;
}

/* The engine stopped answering: its rows stay, from the last listing,
 * but say so; a re-list when it is back gives them their states again. */
static void mark_down(struct sync *s)
{
    follow_mark_down(&s->out);
}

static void *run(void *arg)
{
    struct sync *s = arg;
    struct stream st;
    long backoff = BACKOFF_MIN_MS;
    double next_resync = next_due(s, now_mono());
    char err[256];
    int lost = s->out.down && atomic_load(s->out.down);

    if (lost)
        mark_down(s);
    memset(&st, 0, sizeof st);
    st.s = s;
    lines_init(&st.lines, EVENT_LINE_MAX);
    while (!s->stop) {
        /* While the engine is away only the re-list is retried: it is the
         * one call whose success means the stream can follow. */
        if (!lost && follow(s, &st, &next_resync) >= 2.0)
            backoff = BACKOFF_MIN_MS;
        if (s->stop)
            break;
        /* The stream is lost: until the engine at the address is known
         * again (admit) and re-listed, no kill is sent on a row of the
         * old listing; it may reach another engine now. The rows keep
         * their states unless the engine does not answer. */
        if (s->out.down)
            atomic_store(s->out.down, 1);
        /* Wait, interruptibly: a multi handle with no transfers sleeps
         * until the timeout or curl_multi_wakeup. */
        curl_multi_poll(s->multi, NULL, 0, (int)backoff, NULL);
        backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
        if (s->stop)
            break;
        /* Whoever answers at the address now is asked who it is before
         * its list is trusted: it may be another engine. */
        int arc = s->out.admit ? s->out.admit(s->out.admit_arg,
                                              s->out.engine_ix, err,
                                              sizeof err) : 0;
        if (arc == EEXIST) {
            mark_down(s);
            break;
        }
        if (arc == ESTALE && follow_drop(&s->out) != 0)
            log_warn("out of memory dropping the containers of engine %s",
                     follow_engine_name(&s->out));
        if ((arc != 0 && arc != ESTALE) ||
            sync_full(s, err, sizeof err) != 0) {
            if (!lost) {
                log_err("engine %s at %s is unreachable: %s; the mount keeps "
                        "the last listing and retries", follow_engine_name(&s->out),
                        s->engine->host->display, err);
                mark_down(s);
            }
            lost = 1;
            continue;
        }
        if (lost)
            log_info("engine %s at %s is back; listing re-read",
                     follow_engine_name(&s->out), s->engine->host->display);
        lost = 0;
        if (s->out.down)
            atomic_store(s->out.down, 0);
        next_resync = next_due(s, now_mono());
    }
    lines_free(&st.lines);
    free(st.q);
    return NULL;
}

int sync_start(struct sync *s)
{
    if (!(s->multi = curl_multi_init()))
        return ENOMEM;
    s->stop = 0;
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        curl_multi_cleanup(s->multi);
        s->multi = NULL;
        return EAGAIN;
    }
    s->started = 1;
    return 0;
}

void sync_stop(struct sync *s)
{
    if (!s->started)
        return;
    s->stop = 1;
    curl_multi_wakeup(s->multi);
    pthread_join(s->thread, NULL);
    curl_multi_cleanup(s->multi);
    s->multi = NULL;
    s->started = 0;
}
