/* SPDX-License-Identifier: GPL-2.0-or-later */
/* serve.h - the FUSE request loop: one thread that stays awake a moment.
 *
 *   $ strace -f -e trace=read,poll dockerfs /dockerfs -f   # while cat runs
 *   read(3, ...OPEN..., 1052672) = 48          request, answered at once
 *   read(3, ...) = -1 EAGAIN                   none yet: yield, ask again
 *   read(3, ...IOCTL..., 1052672) = 72         ... the next one comes in
 *   read(3, ...) = -1 EAGAIN                   --spin USEC of nothing:
 *   poll([{fd=3, events=POLLIN}], 1, 1000      sleep until the next one
 *
 * Every answer is a table lookup and a copy, microseconds, so one thread
 * keeps up with any reader; what a round trip costs on a small machine
 * is mostly the wake-up of a sleeping daemon thread. A program that
 * reads file after file sends its next request within a few dozen
 * microseconds and finds the loop still asking. The requests that wait
 * on an engine (a kill write) are handed to defer.h's workers by their
 * handlers. */
#ifndef DOCKERFS_SERVE_H
#define DOCKERFS_SERVE_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 312
#endif
#include <fuse_lowlevel.h>

/* How long the loop keeps asking after its last request before it
 * sleeps, unless --spin says otherwise. */
#define SERVE_SPIN_US_DEFAULT 200

/* Answers se's requests until the session exits (unmounted, or a signal
 * while the handlers of fuse_set_signal_handlers are installed). The
 * caller must block those signals in every other thread, so that they
 * wake this one. spin_us 0: sleep as soon as the device is empty.
 * Returns 0, or a negative errno when the device failed. */
int serve_loop(struct fuse_session *se, long spin_us);

#endif
