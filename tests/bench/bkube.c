/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bkube.c - Kubernetes API calls for the benchmarks (see bkube.h).
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#include "bkube.h"
#include "bbody.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char server[512], ca[1024], cert[1024], key[1024];

int bkube_init(void)
{
    const char *s = getenv("KUBE_SERVER"), *c = getenv("KUBE_CA"),
               *d = getenv("KUBE_DIR");

    if (!s || !c || !d) {
        fprintf(stderr, "ddbench: KUBE_SERVER, KUBE_CA and KUBE_DIR must be set "
                        "(tests/lib/kube.sh)\n");
        return -1;
    }
    snprintf(server, sizeof(server), "%s", s);
    snprintf(ca, sizeof(ca), "%s", c);
    snprintf(cert, sizeof(cert), "%s/pki/admin-cert.pem", d);
    snprintf(key, sizeof(key), "%s/pki/admin-key.pem", d);
    return 0;
}

/* A handle for path with the cluster's TLS settings. */
static CURL *handle(const char *path)
{
    CURL *h = curl_easy_init();
    char url[1024];

    if (!h)
        return NULL;
    snprintf(url, sizeof(url), "%s%s", server, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CAINFO, ca);
    curl_easy_setopt(h, CURLOPT_SSLCERT, cert);
    curl_easy_setopt(h, CURLOPT_SSLKEY, key);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    /* Not curl's: the apiserver pretty-prints for curl/ user agents. */
    curl_easy_setopt(h, CURLOPT_USERAGENT, "ddbench");
    return h;
}

/* One request (bbody_call): its HTTP status, or -1. */
static long call(const char *method, const char *path, const char *json,
                 struct bbody *b)
{
    return bbody_call(handle(path), method, path, json, b);
}

int bkube_create(const char *ns, const char *name, const char *label,
                 char *uid)
{
    struct bbody b;
    char json[512], path[256];
    const char *p;
    long st;

    snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods", ns);
    snprintf(json, sizeof(json),
             "{\"metadata\":{\"name\":\"%s\",\"labels\":{\"bench\":\"%s\"}},"
             "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"ddbench:none\"}],"
             "\"terminationGracePeriodSeconds\":0}}", name, label);
    st = call("POST", path, json, &b);
    if (st != 201) {
        fprintf(stderr, "ddbench: create pod %s/%s: HTTP %ld %.300s\n", ns, name, st, b.data);
        return -1;
    }
    /* The first "uid" of the answer is metadata.uid (metadata comes first). */
    p = strstr(b.data, "\"uid\":\"");
    if (!p || strlen(p + 7) < BKUBE_UID_LEN) {
        fprintf(stderr, "ddbench: create pod: no uid in %.300s\n", b.data);
        return -1;
    }
    memcpy(uid, p + 7, BKUBE_UID_LEN);
    uid[BKUBE_UID_LEN] = '\0';
    return 0;
}

int bkube_delete(const char *ns, const char *name, const char *uid)
{
    struct bbody b;
    char json[256], path[256];
    long st;

    snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s", ns, name);
    snprintf(json, sizeof(json),
             "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
             "\"preconditions\":{\"uid\":\"%s\"}}", uid);
    st = call("DELETE", path, json, &b);
    if (st < 200 || st > 299) {
        fprintf(stderr, "ddbench: delete pod %s/%s: HTTP %ld %.300s\n", ns, name, st, b.data);
        return -1;
    }
    return 0;
}

long bkube_status(const char *ns, const char *name)
{
    struct bbody b;
    char path[256];

    snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s", ns, name);
    return call(NULL, path, NULL, &b);
}

long bkube_list_decode(void)
{
    struct bwhole w = { NULL, 0, 0 };
    long n = -1, status;
    size_t i, bytes = 0;
    json_t *doc, *pod;

    status = bbody_fetch(handle("/api/v1/pods"), &w);
    if (status == 200 && (doc = json_loadb(w.data, w.len, 0, NULL))) {
        n = 0;
        json_array_foreach(json_object_get(doc, "items"), i, pod) {
            json_t *meta = json_object_get(pod, "metadata");
            const char *name = json_string_value(json_object_get(meta, "name"));
            const char *ns = json_string_value(json_object_get(meta, "namespace"));

            bytes += (name ? strlen(name) : 0) + (ns ? strlen(ns) : 0);
            n++;
        }
        json_decref(doc);
        if (bytes == 0 && n > 0)
            n = -1;
    }
    free(w.data);
    return n;
}

void bkube_dir(const char *uid, char *out13)
{
    size_t k = 0;

    for (const char *p = uid; *p && k < 12; p++)
        if (*p != '-')
            out13[k++] = *p;
    out13[k] = '\0';
}
