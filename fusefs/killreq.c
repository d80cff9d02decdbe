/* killreq.c - what a write to a kill file means, and what the engine's
 * answer means to the writer. */
#include "killreq.h"

#include <errno.h>
#include <string.h>

static int is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
           ch == '\v' || ch == '\f';
}

/* Judges one write; see killreq.h. A "1" fires again on a handle that
 * already fired (the engine then answers for itself, e.g. ENOENT). Every
 * KILL_BAD poisons the handle. */
enum kill_verdict kill_input_feed(struct kill_input *in,
                                  const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t ones = 0, other = 0;

    in->written = 1;
    if (in->bad || len == 0 || len > KILL_INPUT_MAX || !data)
        goto bad;
    for (size_t i = 0; i < len; i++) {
        if (is_space(p[i]))
            continue;
        if (p[i] == '1' && ones == 0)
            ones = 1;
        else
            other = 1;
    }
    if (other)
        goto bad;
    if (ones)
        return KILL_FIRE;
    if (in->fired)
        return KILL_DONE;
bad:
    in->bad = 1;
    return KILL_BAD;
}

/* Refuses the close of a handle that nothing was written to. */
int kill_input_flush(const struct kill_input *in)
{
    return in->written ? 0 : EINVAL;
}

/* Remembers a successful kill so trailing white space is accepted. */
void kill_input_result(struct kill_input *in, int err)
{
    if (err == 0)
        in->fired = 1;
}

/* Maps a transfer failure or an HTTP status to the writer's errno. */
int kill_errno(int transport, long status)
{
    if (transport)
        return transport == ETIMEDOUT ? ETIMEDOUT : EIO;
    if ((status >= 200 && status < 300) || status == 304)
        return 0;
    switch (status) {
    case 404: return ENOENT;
    case 409: return EBUSY;
    case 403: return EPERM;
    default:  return EIO;
    }
}

/* "rm", "kill", "stop" to the action; -1 for anything else. */
int kill_action_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "rm") == 0)
        return KILL_RM;
    if (strcmp(s, "kill") == 0)
        return KILL_KILL;
    if (strcmp(s, "stop") == 0)
        return KILL_STOP;
    return -1;
}

/* The action's option spelling; "?" for a value outside the enum. */
const char *kill_action_name(enum kill_action a)
{
    switch (a) {
    case KILL_RM:   return "rm";
    case KILL_KILL: return "kill";
    case KILL_STOP: return "stop";
    }
    return "?";
}
