/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every row a parser makes must be, whatever went in: a well
 * formed id and short id, sorted labels, every file renderable, and each
 * file's lines as many as its values (nothing raw can split one). */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "buf.h"
#include "container.h"

static inline size_t fuzz_lines(const struct buf *b)
{
    size_t n = 0;
    for (size_t j = 0; j < b->len; j++)
        n += b->data[j] == '\n';
    return n;
}

static inline void fuzz_check_row(const struct container *c)
{
    struct buf b;

    assert(id_valid(c->id));
    assert(strncmp(c->id, c->short_id, SHORT_ID_LEN) == 0);
    for (size_t j = 1; j < c->nlabels; j++)
        assert(strcmp(c->labels[j - 1].key, c->labels[j].key) <= 0);
    buf_init(&b, 0);
    for (int k = FILE_ID; k <= FILE_KILL; k++) {
        buf_reset(&b);
        /* protected is decided by the rules, in fs.c */
        int want = k == FILE_PROTECTED || !container_has(c, (enum file_kind)k)
                   ? EINVAL : 0;
        assert(container_render(c, (enum file_kind)k, &b) == want);
        if (want == 0 && k != FILE_LABELS && k != FILE_KILL)
            assert(fuzz_lines(&b) == 1);
    }
    buf_reset(&b);
    container_render(c, FILE_LABELS, &b);
    assert(fuzz_lines(&b) == c->nlabels);
    buf_free(&b);
}

#endif
