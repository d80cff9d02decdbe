/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the /events stream, split into lines at chunk
 * boundaries chosen by the input, each line parsed as an event. The first
 * byte picks the chunk size, so splits are explored too. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "lines.h"
#include "parse.h"

static int on_line(const char *line, size_t len, void *arg)
{
    size_t *count = arg;
    assert(len > 0 && len <= 4096);
    assert(memchr(line, '\n', len) == NULL);
    struct event ev;
    int rc = parse_event(line, len, &ev);
    assert(rc == 0 || ev.kind == EVENT_IGNORE);
    if (ev.kind == EVENT_RELIST)
        assert(ev.id[0] == '\0');      /* about no container */
    else if (ev.kind != EVENT_IGNORE)
        assert(strlen(ev.id) == ID_LEN && id_is_hex(ev.id, ID_LEN));
    (*count)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = (size_t)data[0] % 64 + 1;
    data++;
    size--;

    struct lines l;
    size_t count = 0;
    lines_init(&l, 4096);
    for (size_t off = 0; off < size; off += chunk) {
        size_t k = size - off < chunk ? size - off : chunk;
        assert(lines_feed(&l, (const char *)data + off, k, on_line, &count) == 0);
    }
    /* The same stream in one piece gives the same number of lines. */
    struct lines whole;
    size_t count2 = 0;
    lines_init(&whole, 4096);
    assert(lines_feed(&whole, (const char *)data, size, on_line, &count2) == 0);
    assert(count == count2);
    lines_free(&l);
    lines_free(&whole);

    /* And the raw input as one event line. */
    struct event ev;
    parse_event((const char *)data, size, &ev);
    return 0;
}
