/* SPDX-License-Identifier: GPL-2.0-or-later */
/* killinput.c - judging the bytes written to a kill file. */
#include "killinput.h"

#include <errno.h>

static int is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
           ch == '\v' || ch == '\f';
}

/* Every KILL_BAD poisons the handle. */
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

int kill_input_flush(const struct kill_input *in)
{
    return in->written ? 0 : EINVAL;
}

void kill_input_result(struct kill_input *in, int err)
{
    if (err == 0)
        in->fired = 1;
}
