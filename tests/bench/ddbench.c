/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ddbench - measuring helper for `make bench` (tests/bench/run.sh).
 *
 *   ddbench create SOCK IMAGE N PAR LABEL
 *        create N containers (not started) with PAR threads; prints the
 *        full ids, one a line. Exit 1 if any create failed.
 *   ddbench rm SOCK PAR < ids
 *        removes (force) the containers named on stdin with PAR threads.
 *   ddbench fresh SOCK IMAGE MNT N
 *        N times: create a container, wait until the mount shows it,
 *        remove it, wait until the mount no longer shows it. CSV on stdout:
 *        i,create_ms,vis_stat_ms,vis_list_ms,rm_ms,gone_stat_ms,gone_list_ms
 *        (vis_* counted from the create reply, gone_* from the remove reply).
 *   ddbench kill SOCK IMAGE MNT N RUNNING
 *        N times: make two twin containers (started if RUNNING is 1), then
 *        remove one by writing 1 to its kill file and the other with a
 *        direct API DELETE, alternating which goes first. CSV on stdout:
 *        i,kill_ms,kill_gone_ms,api_ms,api_gone_ms
 *        (*_ms: until the write / the DELETE returned; *_gone_ms: until
 *        the directory left the mount too).
 *   ddbench renames SOCK IMAGE MNT N
 *        creates one container, then renames it N times in a row through
 *        the API; after each rename polls MNT/<id>/name until it holds the
 *        new name. CSV on stdout: i,rename_ms,visible_ms (visible_ms from
 *        the rename's reply; -1 if not seen within 10 s).
 *   ddbench copy SRC DST   copies the readable files of every entry of SRC
 *        (id name image state created labels) into DST/<entry>/
 *   ddbench tscan DIR      scan (below), timed in-process: prints ms
 *   ddbench tapi SOCK      one API list + JSON decode, timed: prints ms
 *   ddbench tnames DIR     reads every entry's name, then (timed: prints
 *        ms) every NAME/image through the name links
 *   ddbench count DIR      number of entries
 *   ddbench scan DIR       list DIR and read every name and image file
 *   ddbench waitcount DIR N SECONDS
 *        polls until DIR has exactly N entries; exit 1 on timeout.
 *   ddbench kcreate | kfresh | kkill | tkapi | tkscan ...
 *        the same against a Kubernetes cluster (bkcmd.c)
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#include "bapi.h"
#include "bclock.h"
#include "bkcmd.h"
#include "bmount.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define POLL_US 100         /* mount poll period: 0.1 ms resolution */
#define WAIT_MS 10000       /* longest wait for the mount to agree */
#define MAX_THREADS 64

/* Work shared by the create / rm threads. */
struct pool {
    const char *sock, *image, *label;
    long n, next, failed;
    char (*ids)[BAPI_ID_LEN + 1];
    pthread_mutex_t lock;
};

/* Takes the next job number, or -1 when all are taken. */
static long take(struct pool *p)
{
    long i;

    pthread_mutex_lock(&p->lock);
    i = p->next < p->n ? p->next++ : -1;
    pthread_mutex_unlock(&p->lock);
    return i;
}

static void fail(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->failed++;
    pthread_mutex_unlock(&p->lock);
}

static void *create_worker(void *arg)
{
    struct pool *p = arg;
    char id[BAPI_ID_LEN + 1];
    long i;

    while ((i = take(p)) >= 0) {
        if (bapi_create(p->sock, p->image, p->label, id) != 0) {
            fail(p);
            continue;
        }
        pthread_mutex_lock(&p->lock);
        puts(id);
        pthread_mutex_unlock(&p->lock);
    }
    return NULL;
}

static void *rm_worker(void *arg)
{
    struct pool *p = arg;
    long i;

    while ((i = take(p)) >= 0)
        if (bapi_remove(p->sock, p->ids[i]) != 0)
            fail(p);
    return NULL;
}

/* Runs fn on par threads over the pool. Returns the number of failures. */
static long run_pool(struct pool *p, long par, void *(*fn)(void *))
{
    pthread_t t[MAX_THREADS];
    long i, started = 0;

    if (par < 1)
        par = 1;
    if (par > MAX_THREADS)
        par = MAX_THREADS;
    for (i = 0; i < par; i++)
        if (pthread_create(&t[i], NULL, fn, p) == 0)
            started++;
    if (started == 0)
        fn(p);
    for (i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return p->failed;
}

static int cmd_create(char **av)
{
    struct pool p = { .sock = av[0], .image = av[1], .label = av[4],
                      .n = atol(av[2]), .lock = PTHREAD_MUTEX_INITIALIZER };

    return run_pool(&p, atol(av[3]), create_worker) ? 1 : 0;
}

static int cmd_rm(char **av)
{
    struct pool p = { .sock = av[0], .lock = PTHREAD_MUTEX_INITIALIZER };
    char line[256];
    long cap = 0;
    int rc;

    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, " \t\r\n")] = '\0';
        if (strlen(line) < 12 || strlen(line) > BAPI_ID_LEN)
            continue;
        if (p.n == cap) {
            void *grown;

            cap = cap ? cap * 2 : 256;
            grown = realloc(p.ids, (size_t)cap * sizeof(*p.ids));
            if (!grown) {
                free(p.ids);
                return 1;
            }
            p.ids = grown;
        }
        snprintf(p.ids[p.n++], BAPI_ID_LEN + 1, "%s", line);
    }
    rc = run_pool(&p, atol(av[1]), rm_worker) ? 1 : 0;
    free(p.ids);
    return rc;
}

/* The mount's name for a container: the 12-hex short id. */
static void short_id(const char *id, char *out)
{
    memcpy(out, id, 12);
    out[12] = '\0';
}

static int cmd_fresh(char **av)
{
    const char *sock = av[0], *image = av[1], *mnt = av[2];
    long n = atol(av[3]), i;
    char id[BAPI_ID_LEN + 1], sid[13];
    struct bmount_seen vis, gone;
    int64_t t0, t1, t2, t3;

    puts("i,create_ms,vis_stat_ms,vis_list_ms,rm_ms,gone_stat_ms,gone_list_ms");
    for (i = 0; i < n; i++) {
        t0 = bclock_ns();
        if (bapi_create(sock, image, "fresh", id) != 0)
            return 1;
        t1 = bclock_ns();
        short_id(id, sid);
        bmount_wait(mnt, sid, 1, t1, POLL_US, WAIT_MS, &vis);
        t2 = bclock_ns();
        if (bapi_remove(sock, id) != 0)
            return 1;
        t3 = bclock_ns();
        bmount_wait(mnt, sid, 0, t3, POLL_US, WAIT_MS, &gone);
        printf("%ld,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", i, bclock_ms(t0, t1),
               vis.stat_ms, vis.list_ms, bclock_ms(t2, t3),
               gone.stat_ms, gone.list_ms);
        fflush(stdout);
    }
    return 0;
}

/* Makes one twin: created, started if running, and listed in the mount. */
static int make_twin(const char *sock, const char *image, const char *mnt,
                     int running, char *id)
{
    struct bmount_seen vis;
    char sid[13];

    if (bapi_create(sock, image, "kill", id) != 0)
        return -1;
    if (running && bapi_start(sock, id) != 0)
        return -1;
    short_id(id, sid);
    return bmount_wait(mnt, sid, 1, bclock_ns(), POLL_US, WAIT_MS, &vis);
}

static int cmd_kill(char **av)
{
    const char *sock = av[0], *image = av[1], *mnt = av[2];
    long n = atol(av[3]), i;
    int running = atoi(av[4]), k, err;
    char a[BAPI_ID_LEN + 1], b[BAPI_ID_LEN + 1], sa[13], sb[13];
    struct bmount_seen gone;
    double kill_ms = 0, kill_gone = 0, api_ms = 0, api_gone = 0;
    int64_t t0;

    puts("i,kill_ms,kill_gone_ms,api_ms,api_gone_ms");
    for (i = 0; i < n; i++) {
        if (make_twin(sock, image, mnt, running, a) != 0 ||
            make_twin(sock, image, mnt, running, b) != 0) {
            fprintf(stderr, "ddbench: kill: twins not ready\n");
            return 1;
        }
        short_id(a, sa);
        short_id(b, sb);
        /* Alternate the order so neither side always runs on a warmer
         * engine. */
        for (k = 0; k < 2; k++) {
            if ((k == 0) == (i % 2 == 0)) {
                t0 = bclock_ns();
                err = bmount_kill(mnt, sa);
                kill_ms = bclock_ms(t0, bclock_ns());
                if (err) {
                    fprintf(stderr, "ddbench: kill: write: %s\n", strerror(err));
                    return 1;
                }
                bmount_wait(mnt, sa, 0, t0, POLL_US, WAIT_MS, &gone);
                kill_gone = gone.stat_ms > gone.list_ms ? gone.stat_ms : gone.list_ms;
            } else {
                t0 = bclock_ns();
                if (bapi_remove(sock, b) != 0)
                    return 1;
                api_ms = bclock_ms(t0, bclock_ns());
                bmount_wait(mnt, sb, 0, t0, POLL_US, WAIT_MS, &gone);
                api_gone = gone.stat_ms > gone.list_ms ? gone.stat_ms : gone.list_ms;
            }
        }
        printf("%ld,%.3f,%.3f,%.3f,%.3f\n", i, kill_ms, kill_gone, api_ms, api_gone);
        fflush(stdout);
    }
    return 0;
}

/* Reads path into buf (terminated); returns the length or -1. */
static long read_small(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    ssize_t r;
    size_t n = 0;

    if (fd < 0)
        return -1;
    while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    buf[n] = '\0';
    return (long)n;
}

static int cmd_renames(char **av)
{
    const char *sock = av[0], *image = av[1], *mnt = av[2];
    long n = atol(av[3]), i;
    char id[BAPI_ID_LEN + 1], sid[13], name[64], want[80], got[256], path[4096];
    int64_t t0, t1;
    double vis;

    if (bapi_create(sock, image, "renames", id) != 0)
        return 1;
    short_id(id, sid);
    snprintf(path, sizeof(path), "%s/%s/name", mnt, sid);
    puts("i,rename_ms,visible_ms");
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "ddbench-rename-%ld-%d", i, (int)getpid());
        snprintf(want, sizeof(want), "%s\n", name);
        /* The old name read once, so the kernel has it cached. */
        read_small(path, got, sizeof(got));
        t0 = bclock_ns();
        if (bapi_rename(sock, id, name) != 0)
            break;
        t1 = bclock_ns();
        vis = -1;
        while (bclock_ms(t1, bclock_ns()) < WAIT_MS) {
            if (read_small(path, got, sizeof(got)) > 0 && strcmp(got, want) == 0) {
                vis = bclock_ms(t1, bclock_ns());
                break;
            }
            bclock_sleep_us(200);
        }
        printf("%ld,%.3f,%.3f\n", i, bclock_ms(t0, t1), vis);
        fflush(stdout);
    }
    bapi_remove(sock, id);
    return i == n ? 0 : 1;
}

/* Copies one small file; a missing one is skipped. */
static void copy_file(const char *src, const char *dst)
{
    char buf[65536];
    long n = read_small(src, buf, sizeof(buf));
    int fd;

    if (n < 0 || (fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0444)) < 0)
        return;
    if (write(fd, buf, (size_t)n) != n)
        perror(dst);
    close(fd);
}

static int cmd_copy(char **av)
{
    static const char *const files[] = { "id", "name", "image", "state",
                                         "created", "labels", NULL };
    DIR *d = opendir(av[0]);
    struct dirent *e;
    char src[4096], dst[4096];

    if (!d)
        return 1;
    mkdir(av[1], 0755);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(dst, sizeof(dst), "%s/%s", av[1], e->d_name);
        if (mkdir(dst, 0555) != 0)
            continue;
        for (int k = 0; files[k]; k++) {
            snprintf(src, sizeof(src), "%s/%s/%s", av[0], e->d_name, files[k]);
            snprintf(dst, sizeof(dst), "%s/%s/%s", av[1], e->d_name, files[k]);
            copy_file(src, dst);
        }
    }
    closedir(d);
    return 0;
}

static int cmd_waitcount(char **av)
{
    long want = atol(av[1]), limit_ms = atol(av[2]) * 1000;
    int64_t t0 = bclock_ns();

    while (bmount_count(av[0]) != want) {
        if (bclock_ms(t0, bclock_ns()) > limit_ms) {
            fprintf(stderr, "ddbench: %s has %ld entries, want %ld\n", av[0],
                    bmount_count(av[0]), want);
            return 1;
        }
        bclock_sleep_us(20000);
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: ddbench create SOCK IMAGE N PAR LABEL | rm SOCK PAR\n"
            "       ddbench fresh SOCK IMAGE MNT N | kill SOCK IMAGE MNT N RUNNING\n"
            "       ddbench count DIR | scan DIR | waitcount DIR N SECONDS\n"
            "       ddbench renames SOCK IMAGE MNT N | copy SRC DST\n"
            "       ddbench tscan DIR | tapi SOCK | tnames DIR\n"
            "       ddbench kcreate NS N PAR PREFIX | kfresh NS MNT N | kkill NS MNT N\n"
            "       ddbench tkapi | tkscan DIR\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *c = argc > 1 ? argv[1] : "";
    int rc;
    long n;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        return 1;
    if ((rc = bkcmd_run(c, argc, argv)) >= 0)
        ;
    else if (!strcmp(c, "create") && argc == 7)
        rc = cmd_create(argv + 2);
    else if (!strcmp(c, "rm") && argc == 4)
        rc = cmd_rm(argv + 2);
    else if (!strcmp(c, "fresh") && argc == 6)
        rc = cmd_fresh(argv + 2);
    else if (!strcmp(c, "kill") && argc == 7)
        rc = cmd_kill(argv + 2);
    else if (!strcmp(c, "waitcount") && argc == 5)
        rc = cmd_waitcount(argv + 2);
    else if (!strcmp(c, "renames") && argc == 6)
        rc = cmd_renames(argv + 2);
    else if (!strcmp(c, "copy") && argc == 4)
        rc = cmd_copy(argv + 2);
    else if ((!strcmp(c, "tscan") || !strcmp(c, "tapi")) && argc == 3) {
        int64_t t0 = bclock_ns();
        n = !strcmp(c, "tscan") ? bmount_scan(argv[2]) : bapi_list_decode(argv[2]);
        printf("%.3f\n", bclock_ms(t0, bclock_ns()));
        rc = n < 0;
    }
    else if (!strcmp(c, "tnames") && argc == 3) {
        double ms = 0;
        n = bmount_names(argv[2], &ms);
        printf("%.3f\n", ms);
        rc = n <= 0;
    }
    else if ((!strcmp(c, "count") || !strcmp(c, "scan")) && argc == 3) {
        n = !strcmp(c, "count") ? bmount_count(argv[2]) : bmount_scan(argv[2]);
        printf("%ld\n", n);
        rc = n < 0;
    } else
        rc = usage();
    curl_global_cleanup();
    return rc;
}
