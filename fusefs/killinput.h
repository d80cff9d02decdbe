/* SPDX-License-Identifier: GPL-2.0-or-later */
/* killinput.h - what the bytes written to one open kill file mean. */
#ifndef DOCKERFS_KILLINPUT_H
#define DOCKERFS_KILLINPUT_H

#include <stddef.h>

/* More bytes than this in one write are never a valid request. */
#define KILL_INPUT_MAX 64

/* The state of one open kill file. Zero it at open. */
struct kill_input {
    unsigned char fired;    /* a kill succeeded through this handle */
    unsigned char bad;      /* an invalid write came: refuse all later ones */
    unsigned char written;  /* some write reached this handle */
};

enum kill_verdict {
    KILL_FIRE,      /* a "1" with only white space around it: kill now */
    KILL_DONE,      /* white space after a successful kill: accept, do nothing */
    KILL_BAD        /* anything else: EINVAL */
};

/* Judges one write. "1" with surrounding white space (space, tab, CR,
 * LF, VT, FF) fires, also again on a handle that already fired (the
 * engine then answers for itself, e.g. ENOENT). After a successful kill,
 * writes of white space only are accepted (a "1\n" written byte by byte);
 * anything else, an empty write, a write longer than KILL_INPUT_MAX, and
 * every write after a bad one are KILL_BAD. */
enum kill_verdict kill_input_feed(struct kill_input *in,
                                  const void *data, size_t len);

/* The verdict at close (flush) of a handle opened for writing: EINVAL
 * when no write ever reached it, else 0. The kernel never passes on a
 * write of zero bytes, so an empty write can only be refused here. */
int kill_input_flush(const struct kill_input *in);

/* Records the outcome of a fired kill (0 or an errno); only a success
 * makes later white space acceptable. */
void kill_input_result(struct kill_input *in, int err);

#endif
