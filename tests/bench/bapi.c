/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bapi.c - Docker Engine API calls for the benchmarks (see bapi.h).
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#include "bapi.h"
#include "bbody.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API "http://localhost/v1.41"

/* A handle for path on the engine at sock. NULL when out of memory. */
static CURL *handle(const char *sock, const char *path)
{
    CURL *h = curl_easy_init();
    char url[512];

    if (!h)
        return NULL;
    snprintf(url, sizeof(url), API "%s", path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, sock);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    return h;
}

/* One request (bbody_call): its HTTP status, or -1. */
static long call(const char *sock, const char *method, const char *path,
                 const char *json, struct bbody *b)
{
    return bbody_call(handle(sock, path), method, path, json, b);
}

int bapi_create(const char *sock, const char *image, const char *label,
                char *id)
{
    struct bbody b;
    char json[512];
    const char *p;
    long st;

    snprintf(json, sizeof(json),
             "{\"Image\":\"%s\",\"Labels\":{\"ddbench\":\"%s\"},"
             "\"HostConfig\":{\"NetworkMode\":\"none\"}}", image, label);
    st = call(sock, "POST", "/containers/create", json, &b);
    if (st != 201) {
        fprintf(stderr, "ddbench: create: HTTP %ld %s\n", st, b.data);
        return -1;
    }
    /* {"Id":"<64 hex>","Warnings":[]} */
    p = strstr(b.data, "\"Id\":\"");
    if (!p || strlen(p + 6) < BAPI_ID_LEN) {
        fprintf(stderr, "ddbench: create: no id in %s\n", b.data);
        return -1;
    }
    memcpy(id, p + 6, BAPI_ID_LEN);
    id[BAPI_ID_LEN] = '\0';
    return 0;
}

int bapi_start(const char *sock, const char *id)
{
    struct bbody b;
    char path[128];
    long st;

    snprintf(path, sizeof(path), "/containers/%s/start", id);
    st = call(sock, "POST", path, "", &b);
    if (st != 204 && st != 304) {
        fprintf(stderr, "ddbench: start: HTTP %ld %s\n", st, b.data);
        return -1;
    }
    return 0;
}

int bapi_remove(const char *sock, const char *id)
{
    struct bbody b;
    char path[128];
    long st;

    snprintf(path, sizeof(path), "/containers/%s?force=true", id);
    st = call(sock, "DELETE", path, NULL, &b);
    if (st < 200 || st > 299) {
        fprintf(stderr, "ddbench: remove: HTTP %ld %s\n", st, b.data);
        return -1;
    }
    return 0;
}

int bapi_rename(const char *sock, const char *id, const char *name)
{
    struct bbody b;
    char path[512];
    long st;

    snprintf(path, sizeof(path), "/containers/%s/rename?name=%s", id, name);
    st = call(sock, "POST", path, "", &b);
    if (st != 204) {
        fprintf(stderr, "ddbench: rename: HTTP %ld %s\n", st, b.data);
        return -1;
    }
    return 0;
}

long bapi_list_decode(const char *sock)
{
    struct bwhole w = { NULL, 0, 0 };
    long n = -1, status;
    size_t i;
    json_t *arr, *c;

    status = bbody_fetch(handle(sock, "/containers/json?all=1"), &w);
    if (status == 200 && (arr = json_loadb(w.data, w.len, 0, NULL))) {
        size_t bytes = 0;
        n = 0;
        json_array_foreach(arr, i, c) {
            const char *name = json_string_value(json_array_get(json_object_get(c, "Names"), 0));
            const char *image = json_string_value(json_object_get(c, "Image"));
            bytes += (name ? strlen(name) : 0) + (image ? strlen(image) : 0);
            n++;
        }
        json_decref(arr);
        if (bytes == 0 && n > 0)
            n = -1;
    }
    free(w.data);
    return n;
}
