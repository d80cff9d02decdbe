/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: a page of GET /api/v1/pods. Every pod that comes
 * out is a well formed row, whatever went in. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "pod.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pod_page p;

    if (pod_parse_list((const char *)data, size, &p, NULL, NULL) != 0) {
        assert(p.v == NULL && p.n == 0);
        return 0;
    }
    /* Printable, no space: they go into a query, escaped (add_param). */
    assert(strlen(p.rv) <= POD_RV_MAX && strlen(p.cont) <= POD_CONTINUE_MAX);
    for (const char *s = p.rv; *s; s++)
        assert(*s > ' ' && *s <= '~');
    for (const char *s = p.cont; *s; s++)
        assert(*s > ' ' && *s <= '~');
    for (size_t i = 0; i < p.n; i++) {
        assert(strlen(p.v[i].id) == POD_ID_LEN && p.v[i].ns);
        fuzz_check_row(&p.v[i]);
    }
    pod_page_free(&p);
    return 0;
}
