/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bkcmd.c - ddbench's commands against a Kubernetes cluster (the one
 * tests/lib/kube.sh started: see bkube.h for the environment):
 *
 *   ddbench kcreate NS N PAR PREFIX
 *        creates the pods NS/PREFIX-0 ... PREFIX-(N-1) (label
 *        bench=PREFIX) with PAR threads; prints their uids, one a line.
 *        Exit 1 if any create failed.
 *   ddbench kfresh NS MNT N
 *        N times: create a pod, wait until the mount shows its directory,
 *        delete it (direct DELETE), wait until the mount no longer shows
 *        it. CSV on stdout, as ddbench fresh:
 *        i,create_ms,vis_stat_ms,vis_list_ms,rm_ms,gone_stat_ms,gone_list_ms
 *   ddbench kkill NS MNT N
 *        N times: two twin pods, listed in the mount; one killed by
 *        writing 1 to its kill file, the other by a direct DELETE (grace
 *        0, uid precondition), alternating which goes first; each timed
 *        until the apiserver answers 404 for it. CSV on stdout:
 *        i,kill_ms,kill_gone_ms,api_ms,api_gone_ms
 *   ddbench tkapi      one GET /api/v1/pods + decode, timed: prints ms
 *   ddbench tkscan DIR every entry's name and namespace read, timed:
 *        prints ms
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#include "bkcmd.h"
#include "bclock.h"
#include "bkube.h"
#include "bmount.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POLL_US 100         /* poll period: 0.1 ms resolution */
#define WAIT_MS 20000       /* longest wait for the mount or the apiserver */
#define MAX_THREADS 64

struct kpool {
    const char *ns, *prefix;
    long n, next, failed;
    pthread_mutex_t lock;
};

static void *kcreate_worker(void *arg)
{
    struct kpool *p = arg;
    char name[128], uid[BKUBE_UID_LEN + 1];
    long i;

    for (;;) {
        pthread_mutex_lock(&p->lock);
        i = p->next < p->n ? p->next++ : -1;
        pthread_mutex_unlock(&p->lock);
        if (i < 0)
            return NULL;
        snprintf(name, sizeof(name), "%s-%ld", p->prefix, i);
        if (bkube_create(p->ns, name, p->prefix, uid) != 0) {
            pthread_mutex_lock(&p->lock);
            p->failed++;
            pthread_mutex_unlock(&p->lock);
            continue;
        }
        pthread_mutex_lock(&p->lock);
        puts(uid);
        pthread_mutex_unlock(&p->lock);
    }
}

static int cmd_kcreate(char **av)
{
    struct kpool p = { .ns = av[0], .n = atol(av[1]), .prefix = av[3],
                       .lock = PTHREAD_MUTEX_INITIALIZER };
    pthread_t t[MAX_THREADS];
    long par = atol(av[2]), i, started = 0;

    if (par < 1)
        par = 1;
    if (par > MAX_THREADS)
        par = MAX_THREADS;
    for (i = 0; i < par; i++)
        if (pthread_create(&t[i], NULL, kcreate_worker, &p) == 0)
            started++;
    if (started == 0)
        kcreate_worker(&p);
    for (i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return p.failed ? 1 : 0;
}

/* Creates ns/name and waits until the mount lists its directory (dir
 * gets it). Returns 0, or -1. */
static int kpod_listed(const char *ns, const char *name, const char *mnt,
                       char *uid, char *dir)
{
    struct bmount_seen vis;

    if (bkube_create(ns, name, "twin", uid) != 0)
        return -1;
    bkube_dir(uid, dir);
    return bmount_wait(mnt, dir, 1, bclock_ns(), POLL_US, WAIT_MS, &vis);
}

/* Polls the apiserver until ns/name is 404; ms since t0, or -1. */
static double kgone(const char *ns, const char *name, int64_t t0)
{
    while (bclock_ms(t0, bclock_ns()) < WAIT_MS) {
        if (bkube_status(ns, name) == 404)
            return bclock_ms(t0, bclock_ns());
        bclock_sleep_us(POLL_US);
    }
    return -1;
}

static int cmd_kfresh(char **av)
{
    const char *ns = av[0], *mnt = av[1];
    long n = atol(av[2]), i;
    char name[64], uid[BKUBE_UID_LEN + 1], dir[13];
    struct bmount_seen vis, gone;
    int64_t t0, t1, t2, t3;

    puts("i,create_ms,vis_stat_ms,vis_list_ms,rm_ms,gone_stat_ms,gone_list_ms");
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "fresh-%d-%ld", (int)getpid(), i);
        t0 = bclock_ns();
        if (bkube_create(ns, name, "fresh", uid) != 0)
            return 1;
        t1 = bclock_ns();
        bkube_dir(uid, dir);
        bmount_wait(mnt, dir, 1, t1, POLL_US, WAIT_MS, &vis);
        t2 = bclock_ns();
        if (bkube_delete(ns, name, uid) != 0)
            return 1;
        t3 = bclock_ns();
        bmount_wait(mnt, dir, 0, t3, POLL_US, WAIT_MS, &gone);
        printf("%ld,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", i, bclock_ms(t0, t1),
               vis.stat_ms, vis.list_ms, bclock_ms(t2, t3),
               gone.stat_ms, gone.list_ms);
        fflush(stdout);
    }
    return 0;
}

static int cmd_kkill(char **av)
{
    const char *ns = av[0], *mnt = av[1];
    long n = atol(av[2]), i;
    char na[64], nb[64], ua[BKUBE_UID_LEN + 1], ub[BKUBE_UID_LEN + 1], da[13], db[13];
    double kill_ms = 0, kill_gone = 0, api_ms = 0, api_gone = 0;
    int64_t t0;
    int k, err;

    puts("i,kill_ms,kill_gone_ms,api_ms,api_gone_ms");
    for (i = 0; i < n; i++) {
        snprintf(na, sizeof(na), "kill-a-%d-%ld", (int)getpid(), i);
        snprintf(nb, sizeof(nb), "kill-b-%d-%ld", (int)getpid(), i);
        if (kpod_listed(ns, na, mnt, ua, da) != 0 || kpod_listed(ns, nb, mnt, ub, db) != 0) {
            fprintf(stderr, "ddbench: kkill: twins not listed\n");
            return 1;
        }
        /* Alternate the order so neither side always meets a warmer
         * apiserver. */
        for (k = 0; k < 2; k++) {
            if ((k == 0) == (i % 2 == 0)) {
                t0 = bclock_ns();
                err = bmount_kill(mnt, da);
                kill_ms = bclock_ms(t0, bclock_ns());
                if (err) {
                    fprintf(stderr, "ddbench: kkill: write: %s\n", strerror(err));
                    return 1;
                }
                kill_gone = kgone(ns, na, t0);
            } else {
                t0 = bclock_ns();
                if (bkube_delete(ns, nb, ub) != 0)
                    return 1;
                api_ms = bclock_ms(t0, bclock_ns());
                api_gone = kgone(ns, nb, t0);
            }
        }
        printf("%ld,%.3f,%.3f,%.3f,%.3f\n", i, kill_ms, kill_gone, api_ms, api_gone);
        fflush(stdout);
    }
    return 0;
}

int bkcmd_run(const char *c, int argc, char **argv)
{
    int64_t t0;
    long n;

    if (strcmp(c, "kcreate") && strcmp(c, "kfresh") && strcmp(c, "kkill") &&
        strcmp(c, "tkapi") && strcmp(c, "tkscan"))
        return -1;
    if (!strcmp(c, "tkscan") && argc == 3) {
        t0 = bclock_ns();
        n = bmount_scan2(argv[2], "name", "namespace");
        printf("%.3f\n", bclock_ms(t0, bclock_ns()));
        return n < 0;
    }
    if (bkube_init() != 0)
        return 1;
    if (!strcmp(c, "kcreate") && argc == 6)
        return cmd_kcreate(argv + 2);
    if (!strcmp(c, "kfresh") && argc == 5)
        return cmd_kfresh(argv + 2);
    if (!strcmp(c, "kkill") && argc == 5)
        return cmd_kkill(argv + 2);
    if (!strcmp(c, "tkapi") && argc == 2) {
        t0 = bclock_ns();
        n = bkube_list_decode();
        printf("%.3f\n", bclock_ms(t0, bclock_ns()));
        return n < 0;
    }
    return -1;
}
