/* SPDX-License-Identifier: GPL-2.0-or-later */
/* host.c - where the engine is, chosen the way the docker CLI chooses. */
#include "errmsg.h"
#include "host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_HOST "unix:///var/run/docker.sock"

/* malloc'd printf, NULL on failure. */
static char *str_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* Fills h for a socket path. 0 or ENOMEM. */
static int set_unix(struct host *h, const char *path)
{
    h->unix_path = strdup(path);
    h->url_base = strdup("http://localhost");
    return h->unix_path && h->url_base ? 0 : ENOMEM;
}

/* Fills h for tcp://HOST[:PORT][/], HOST possibly a [v6] literal. */
static int set_tcp(struct host *h, const char *rest, int tls,
                   const char *certdir, char *err, size_t errlen)
{
    const char *addr = h->display;
    size_t len = strlen(rest);
    if (len && rest[len - 1] == '/')
        len--;
    if (memchr(rest, '/', len) || memchr(rest, '?', len) ||
        memchr(rest, '@', len))
        return errmsg(EINVAL, err, errlen, "bad engine address '%s': a path, "
                    "query or user is not allowed", addr);

    const char *host = rest, *port = NULL;
    size_t hlen;
    if (len && rest[0] == '[') {
        const char *close = memchr(rest, ']', len);
        if (!close)
            return errmsg(EINVAL, err, errlen, "bad engine address '%s': "
                        "unclosed '['", addr);
        hlen = (size_t)(close - rest) + 1;
        if (hlen < len) {
            if (rest[hlen] != ':')
                return errmsg(EINVAL, err, errlen, "bad engine address '%s'", addr);
            port = rest + hlen + 1;
        }
    } else {
        const char *colon = memchr(rest, ':', len);
        hlen = colon ? (size_t)(colon - rest) : len;
        port = colon ? colon + 1 : NULL;
    }

    long pnum = tls ? 2376 : 2375;
    if (port) {
        size_t plen = len - (size_t)(port - rest);
        pnum = 0;
        if (plen == 0 || plen > 5)
            return errmsg(EINVAL, err, errlen, "bad port in engine address '%s'", addr);
        for (size_t i = 0; i < plen; i++) {
            if (port[i] < '0' || port[i] > '9')
                return errmsg(EINVAL, err, errlen, "bad port in engine address '%s'",
                            addr);
            pnum = pnum * 10 + (port[i] - '0');
        }
        if (pnum < 1 || pnum > 65535)
            return errmsg(EINVAL, err, errlen, "bad port in engine address '%s'", addr);
    }
    /* As the docker CLI does, "tcp://:2375" means this machine. */
    if (hlen == 0) {
        host = "127.0.0.1";
        hlen = strlen(host);
    }
    h->url_base = str_printf("%s://%.*s:%ld", tls ? "https" : "http",
                             (int)hlen, host, pnum);
    if (!h->url_base)
        return ENOMEM;
    if (tls) {
        h->tls = 1;
        h->ca = str_printf("%s/ca.pem", certdir);
        h->cert = str_printf("%s/cert.pem", certdir);
        h->key = str_printf("%s/key.pem", certdir);
        if (!h->ca || !h->cert || !h->key)
            return ENOMEM;
    }
    return 0;
}

/* Picks and parses the engine address; see host.h. */
int host_resolve(struct host *h, const char *flag, const char *env_host,
                 const char *env_tls_verify, const char *env_cert_path,
                 const char *home, char *err, size_t errlen)
{
    memset(h, 0, sizeof *h);
    const char *addr = flag ? flag
                     : (env_host && *env_host) ? env_host : DEFAULT_HOST;
    int tls = env_tls_verify && *env_tls_verify;
    int rc;

    if (!(h->display = strdup(addr)))
        return ENOMEM;
    if (*addr == '\0') {
        rc = errmsg(EINVAL, err, errlen, "empty engine address");
    } else if (strncmp(addr, "unix://", 7) == 0) {
        if (addr[7] != '/')
            rc = errmsg(EINVAL, err, errlen, "bad engine address '%s': the socket "
                      "path must be absolute", addr);
        else
            rc = set_unix(h, addr + 7);
    } else if (addr[0] == '/') {
        rc = set_unix(h, addr);
    } else if (strncmp(addr, "tcp://", 6) == 0) {
        char *certdir = NULL;
        if (tls) {
            if (env_cert_path && *env_cert_path)
                certdir = strdup(env_cert_path);
            else if (home && *home)
                certdir = str_printf("%s/.docker", home);
            else {
                rc = errmsg(EINVAL, err, errlen, "DOCKER_TLS_VERIFY is set but "
                          "neither DOCKER_CERT_PATH nor HOME is");
                goto out;
            }
            if (!certdir) {
                rc = ENOMEM;
                goto out;
            }
        }
        rc = set_tcp(h, addr + 6, tls, certdir, err, errlen);
        free(certdir);
    } else {
        const char *sep = strstr(addr, "://");
        if (sep)
            rc = errmsg(EINVAL, err, errlen, "unsupported engine address scheme "
                      "'%.*s://' (use unix:// or tcp://)",
                      (int)(sep - addr), addr);
        else
            rc = errmsg(EINVAL, err, errlen, "bad engine address '%s' (use "
                      "unix:///PATH or tcp://HOST[:PORT])", addr);
    }
out:
    if (rc == ENOMEM && err && errlen)
        snprintf(err, errlen, "out of memory");
    if (rc)
        host_free(h);
    return rc;
}

void host_free(struct host *h)
{
    free(h->unix_path);
    free(h->url_base);
    free(h->ca);
    free(h->cert);
    free(h->key);
    free(h->name);
    free(h->display);
    memset(h, 0, sizeof *h);
}
