/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: writes to one kill file handle. The input is a
 * sequence of writes, each a length byte then that many bytes; a write's
 * outcome (kill succeeded or not) comes from the length byte's top bit. */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "killinput.h"

/* The verdict computed the slow, obvious way. */
static enum kill_verdict model(int fired, int bad, const uint8_t *p, size_t n)
{
    if (bad || n == 0 || n > KILL_INPUT_MAX)
        return KILL_BAD;
    size_t ones = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        if (strchr(" \t\r\n\v\f", p[i]) && p[i])
            continue;
        if (p[i] == '1')
            ones++;
        else
            other++;
    }
    if (other || ones > 1)
        return KILL_BAD;
    if (ones == 1)
        return KILL_FIRE;
    return fired ? KILL_DONE : KILL_BAD;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kill_input in = { 0 };
    int fired = 0, bad = 0;
    while (size) {
        uint8_t hdr = data[0];
        size_t n = hdr & 0x7f;
        data++;
        size--;
        if (n > size)
            n = size;
        enum kill_verdict want = model(fired, bad, data, n);
        enum kill_verdict got = kill_input_feed(&in, n ? data : (const void *)"", n);
        assert(got == want);
        if (got == KILL_BAD)
            bad = 1;
        if (got == KILL_FIRE) {
            int err = (hdr & 0x80) ? 0 : EBUSY;
            kill_input_result(&in, err);
            if (!err)
                fired = 1;
        }
        data += n;
        size -= n;
    }
    return 0;
}
