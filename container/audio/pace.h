/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pace.h - the clock ddaudio reads the game's sound by. */
#ifndef DDAUDIO_PACE_H
#define DDAUDIO_PACE_H

#include <stdint.h>

/*
 * The game's audio thread (SDL's disk driver, told not to sleep) writes
 * into a FIFO as fast as the FIFO takes it. ddaudio takes frames out at
 * the sample rate by this clock, so the game plays in real time and the
 * FIFO (one page) is all the buffer there is. When ddaudio is late (a
 * loaded machine), it takes what is due all the same: the game's mixer
 * catches up. Frames the FIFO did not have when due (the game starting
 * or stopped) stay owed up to max_owed; beyond that they are forgiven,
 * so a game that comes back is not read in a burst.
 */
struct pace {
    uint64_t t0_ns;     /* when the clock started (CLOCK_MONOTONIC) */
    uint64_t taken;     /* frames taken since t0, forgiven ones included */
    uint32_t rate;      /* frames a second */
    uint32_t max_owed;  /* frames that may be owed before they are forgiven */
};

/* Starts the clock at now_ns. */
void pace_init(struct pace *p, uint32_t rate, uint32_t max_owed,
               uint64_t now_ns);

/* Frames that are due at now_ns and not taken yet; 0 when now_ns is
   before the clock's start. */
uint64_t pace_due(const struct pace *p, uint64_t now_ns);

/* Records that n frames were taken (n may be less than pace_due said:
   the rest stays owed). */
void pace_took(struct pace *p, uint64_t n);

/* Records that the FIFO had no more at now_ns: what is owed beyond
   max_owed is forgiven. */
void pace_dry(struct pace *p, uint64_t now_ns);

#endif
