/* killreq.h - what a write to a kill file means, and what the engine's
 * answer means to the writer. */
#ifndef DOCKERFS_KILLREQ_H
#define DOCKERFS_KILLREQ_H

#include <stddef.h>

/* More bytes than this in one write are never a valid request. */
#define KILL_INPUT_MAX 64

enum kill_action {
    KILL_RM = 0,        /* DELETE /containers/{id}?force=true, as docker rm -f */
    KILL_KILL,          /* POST /containers/{id}/kill */
    KILL_STOP           /* POST /containers/{id}/stop */
};

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
 * LF, VT, FF) fires. After a successful kill, writes of white space only
 * are accepted (a "1\n" written byte by byte); anything else, an empty
 * write, a write longer than KILL_INPUT_MAX, and every write after a bad
 * one are KILL_BAD. */
enum kill_verdict kill_input_feed(struct kill_input *in,
                                  const void *data, size_t len);

/* The verdict at close (flush) of a handle opened for writing: EINVAL
 * when no write ever reached it, else 0. The kernel never passes on a
 * write of zero bytes, so an empty write can only be refused here. */
int kill_input_flush(const struct kill_input *in);

/* Records the outcome of a fired kill (0 or an errno); only a success
 * makes later white space acceptable. */
void kill_input_result(struct kill_input *in, int err);

/* The errno for an engine answer. transport is 0 when the engine answered
 * with HTTP status, else ETIMEDOUT or EIO for a failed transfer.
 * 2xx and 304 -> 0, 404 -> ENOENT, 409 -> EBUSY, 403 -> EPERM,
 * anything else -> EIO. */
int kill_errno(int transport, long status);

/* "rm", "kill", "stop" <-> the action. parse returns -1 for other text. */
int kill_action_parse(const char *s);
const char *kill_action_name(enum kill_action a);

#endif
