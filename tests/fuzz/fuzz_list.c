/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the body of GET /containers/json. Every container
 * that comes out must be well formed, whatever went in. */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "container.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct container *v;
    size_t n;
    if (parse_container_list((const char *)data, size, &v, &n) != 0) {
        assert(v == NULL && n == 0);
        return 0;
    }
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        assert(strlen(v[i].id) == ID_LEN && id_is_hex(v[i].id, ID_LEN));
        assert(strncmp(v[i].id, v[i].short_id, SHORT_ID_LEN) == 0);
        for (size_t j = 1; j < v[i].nlabels; j++)
            assert(strcmp(v[i].labels[j - 1].key, v[i].labels[j].key) <= 0);
        for (int k = FILE_ID; k <= FILE_KILL; k++) {
            buf_reset(&b);
            /* protected is decided by the rules, in fs.c; a container
             * has no namespace file */
            assert(container_render(&v[i], (enum file_kind)k, &b) ==
                   (k == FILE_PROTECTED || k == FILE_NAMESPACE ? EINVAL : 0));
        }
        /* labels stay one line per label */
        buf_reset(&b);
        container_render(&v[i], FILE_LABELS, &b);
        size_t lines = 0;
        for (size_t j = 0; j < b.len; j++)
            lines += b.data[j] == '\n';
        assert(lines == v[i].nlabels);
    }
    buf_free(&b);
    containers_free(v, n);
    return 0;
}
