/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bbody.c - libcurl write callbacks (see bbody.h).
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#include "bbody.h"

#include <stdlib.h>
#include <string.h>

size_t bbody_collect(char *p, size_t size, size_t n, void *arg)
{
    struct bbody *b = arg;
    size_t len = size * n, room = sizeof(b->data) - 1 - b->len;

    if (len < room)
        room = len;
    memcpy(b->data + b->len, p, room);
    b->len += room;
    b->data[b->len] = '\0';
    return len;
}

size_t bbody_grow(char *p, size_t size, size_t n, void *arg)
{
    struct bwhole *w = arg;
    size_t len = size * n;

    if (w->len + len + 1 > w->cap) {
        size_t cap = (w->len + len + 1) * 2;
        char *d = realloc(w->data, cap);

        if (!d)
            return 0;
        w->data = d;
        w->cap = cap;
    }
    memcpy(w->data + w->len, p, len);
    w->len += len;
    w->data[w->len] = '\0';
    return len;
}
