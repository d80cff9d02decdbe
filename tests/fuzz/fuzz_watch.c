/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: one line of a pod watch. An event about a pod
 * carries a well formed row; an ERROR its code and an escaped message. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "pod.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pod_event ev;
    int rc = pod_parse_event((const char *)data, size, &ev);

    assert(strlen(ev.rv) <= POD_RV_MAX);
    for (const char *s = ev.message; *s; s++)
        assert((unsigned char)*s >= ' ' && *s != 0x7f);
    if (rc == 0 && ev.type != POD_ERROR && ev.type != POD_BOOKMARK) {
        assert(strlen(ev.c.id) == POD_ID_LEN && ev.c.ns);
        fuzz_check_row(&ev.c);
    } else {
        assert(ev.c.name == NULL);
    }
    assert(ev.code >= 0 && ev.code < 1000);
    container_clear(&ev.c);
    return 0;
}
