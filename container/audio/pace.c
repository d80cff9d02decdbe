/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pace.c - the clock ddaudio reads the game's sound by (see pace.h). */
#include "pace.h"

#define NS_PER_S 1000000000ull

void pace_init(struct pace *p, uint32_t rate, uint32_t max_owed,
               uint64_t now_ns)
{
    p->t0_ns = now_ns;
    p->taken = 0;
    p->rate = rate;
    p->max_owed = max_owed;
}

/* Frames due since t0, without overflow for years of play: rate times
   whole seconds, plus rate times the rest over a second. */
static uint64_t frames_since(const struct pace *p, uint64_t now_ns)
{
    uint64_t ns;

    if (now_ns <= p->t0_ns)
        return 0;
    ns = now_ns - p->t0_ns;
    return (ns / NS_PER_S) * p->rate + (ns % NS_PER_S) * p->rate / NS_PER_S;
}

uint64_t pace_due(const struct pace *p, uint64_t now_ns)
{
    uint64_t due = frames_since(p, now_ns);

    return due > p->taken ? due - p->taken : 0;
}

void pace_took(struct pace *p, uint64_t n)
{
    p->taken += n;
}

void pace_dry(struct pace *p, uint64_t now_ns)
{
    uint64_t due = frames_since(p, now_ns);

    if (due > p->taken && due - p->taken > p->max_owed)
        p->taken = due - p->max_owed;
}
