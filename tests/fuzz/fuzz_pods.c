/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: a page of GET /api/v1/pods. Every pod that comes
 * out is a well formed row, whatever went in, and however the page is
 * cut into pieces. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "pod.h"

/* d[0..size) fed as d[0..cut) and then step bytes at a time. A page
 * arrives in whatever pieces the network makes. */
static int parse_pieces(const char *d, size_t size, size_t cut, size_t step,
                        struct pod_page *p)
{
    struct pod_list_parser lp;
    int rc;

    pod_list_init(&lp, NULL);
    rc = pod_list_feed(&lp, d, cut);
    for (size_t i = cut; rc == 0 && i < size; i += step)
        rc = pod_list_feed(&lp, d + i, size - i < step ? size - i : step);
    if (rc == 0)
        rc = pod_list_finish(&lp, p);
    else
        memset(p, 0, sizeof *p);
    pod_list_free(&lp);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    struct pod_page p, q;
    /* Whole, and cut where its first byte says then 7 bytes at a time:
     * the same answer. */
    int rc = parse_pieces(d, size, size, 1, &p);

    assert(parse_pieces(d, size, size ? data[0] % (size + 1) : 0, 7, &q) ==
           rc);
    assert(q.n == p.n && strcmp(q.rv, p.rv) == 0 &&
           strcmp(q.cont, p.cont) == 0);
    for (size_t i = 0; i < q.n; i++)
        assert(strcmp(q.v[i].id, p.v[i].id) == 0);
    pod_page_free(&q);
    if (rc != 0) {
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
