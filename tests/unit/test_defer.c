/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for defer.c: every job runs once, a job that blocks (a kill
 * on a stalled engine) does not hold back the next one while the limit
 * allows another worker, the limit is kept, and stop finishes what is
 * queued. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "defer.h"

/* A gate jobs wait at until it is opened, and counters of what ran. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int open;
    int waiting;            /* jobs at the gate now */
    int ran;                /* jobs finished */
    int running, most;      /* at once now, and the most ever */
};

static void gate_init(struct gate *g)
{
    memset(g, 0, sizeof *g);
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
}

static void gate_destroy(struct gate *g)
{
    pthread_cond_destroy(&g->cond);
    pthread_mutex_destroy(&g->lock);
}

static void gate_open(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->open = 1;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

/* Waits at the gate (at once through an open one), then counts itself
 * done. */
static void job_gated(void *arg)
{
    struct gate *g = arg;

    pthread_mutex_lock(&g->lock);
    g->running++;
    if (g->running > g->most)
        g->most = g->running;
    g->waiting++;
    pthread_cond_broadcast(&g->cond);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    g->waiting--;
    g->running--;
    g->ran++;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

/* Waits up to 5 s until *field (under g's lock) reaches want. */
static int wait_for(struct gate *g, const int *field, int want)
{
    struct timespec until;
    int ok;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&g->lock);
    while (*field < want &&
           pthread_cond_timedwait(&g->cond, &g->lock, &until) == 0)
        ;
    ok = *field >= want;
    pthread_mutex_unlock(&g->lock);
    return ok;
}

static void every_job_runs_once(void **state)
{
    (void)state;
    struct defer d;
    struct gate g;

    gate_init(&g);
    g.open = 1;
    assert_int_equal(defer_init(&d, 4), 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(defer_run(&d, job_gated, &g), 0);
    defer_stop(&d);
    assert_int_equal(g.ran, 100);
    assert_true(d.threads == NULL);
    gate_destroy(&g);
}

static void a_blocked_job_does_not_hold_back_the_next(void **state)
{
    (void)state;
    struct defer d;
    struct gate stuck, quick;

    gate_init(&stuck);
    gate_init(&quick);
    quick.open = 1;
    assert_int_equal(defer_init(&d, 4), 0);
    assert_int_equal(defer_run(&d, job_gated, &stuck), 0);
    assert_true(wait_for(&stuck, &stuck.waiting, 1));
    /* One worker is stuck: the next job gets another and finishes. */
    assert_int_equal(defer_run(&d, job_gated, &quick), 0);
    assert_true(wait_for(&quick, &quick.ran, 1));
    assert_int_equal(stuck.ran, 0);
    gate_open(&stuck);
    defer_stop(&d);
    assert_int_equal(stuck.ran, 1);
    gate_destroy(&stuck);
    gate_destroy(&quick);
}

static void the_limit_is_kept(void **state)
{
    (void)state;
    struct defer d;
    struct gate g;

    gate_init(&g);
    assert_int_equal(defer_init(&d, 3), 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(defer_run(&d, job_gated, &g), 0);
    assert_true(wait_for(&g, &g.waiting, 3));
    assert_int_equal(d.nthreads, 3);
    /* The other seven wait their turn, and run once the gate opens. */
    gate_open(&g);
    defer_stop(&d);
    assert_int_equal(g.ran, 10);
    assert_int_equal(g.most, 3);
    gate_destroy(&g);
}

static void stopped_or_unset_pool_refuses(void **state)
{
    (void)state;
    struct defer d;
    struct gate g;

    gate_init(&g);
    g.open = 1;
    assert_int_equal(defer_init(&d, 0), 0);    /* 0 means one worker */
    assert_int_equal(d.max_threads, 1);
    assert_int_equal(defer_run(&d, job_gated, &g), 0);
    defer_stop(&d);
    assert_int_equal(g.ran, 1);
    /* After stop the caller runs the job itself. */
    assert_int_equal(defer_run(&d, job_gated, &g), EAGAIN);
    defer_stop(&d);                             /* twice is safe */
    assert_int_equal(g.ran, 1);
    gate_destroy(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_job_runs_once),
        cmocka_unit_test(a_blocked_job_does_not_hold_back_the_next),
        cmocka_unit_test(the_limit_is_kept),
        cmocka_unit_test(stopped_or_unset_pool_refuses),
    };
    return cmocka_run_group_tests_name("defer", tests, NULL, NULL);
}
