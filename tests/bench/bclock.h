/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bclock.h - wall-clock stamps for the benchmarks.
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef DDBENCH_BCLOCK_H
#define DDBENCH_BCLOCK_H

#include <stdint.h>
#include <time.h>

/* Monotonic nanoseconds: only differences are meaningful. */
static inline int64_t bclock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Milliseconds between two stamps, as a double. */
static inline double bclock_ms(int64_t from, int64_t to)
{
    return (double)(to - from) / 1e6;
}

/* Sleeps about us microseconds (a poll period, not a measurement). */
static inline void bclock_sleep_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

    nanosleep(&ts, NULL);
}

#endif
