/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bbody.c - the benchmarks' API calls and their answers (see bbody.h).
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#include "bbody.h"

#include <stdio.h>
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

long bbody_call(CURL *h, const char *method, const char *path,
                const char *json, struct bbody *b)
{
    struct curl_slist *hdr = NULL;
    long status = -1;
    CURLcode rc;

    b->len = 0;
    b->data[0] = '\0';
    if (!h)
        return -1;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bbody_collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
    if (method)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (json) {
        hdr = curl_slist_append(NULL, "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
    }
    rc = curl_easy_perform(h);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    else
        fprintf(stderr, "ddbench: %s %s: %s\n", method ? method : "GET", path,
                curl_easy_strerror(rc));
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return status;
}

long bbody_fetch(CURL *h, struct bwhole *w)
{
    long status = 0;

    if (!h)
        return 0;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bbody_grow);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, w);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    return status;
}
