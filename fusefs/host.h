/* SPDX-License-Identifier: GPL-2.0-or-later */
/* host.h - where the engine is, chosen the way the docker CLI chooses. */
#ifndef DOCKERFS_HOST_H
#define DOCKERFS_HOST_H

#include <stddef.h>

struct host {
    char *unix_path;    /* socket path for unix://, else NULL */
    char *url_base;     /* "http://localhost" for a socket, else
                           "http://HOST:PORT" or "https://HOST:PORT" */
    int tls;            /* verify the engine and present a client cert */
    char *ca;           /* with tls: CERT_PATH/ca.pem, cert.pem, key.pem;
                           from a context each may be NULL (no ca: the
                           system's CAs; no cert/key: no client cert) */
    char *cert;
    char *key;
    int insecure;       /* with tls: do not verify the engine (a context's
                           SkipTLSVerify) */
    char *name;         /* the context's name, or NULL */
    char *display;      /* the address as given, for messages */
};

/* Picks the address: flag (--host) if not NULL, else env_host
 * (DOCKER_HOST) if set and not empty, else unix:///var/run/docker.sock.
 * Accepts unix://PATH, tcp://HOST[:PORT] (port 2376 with TLS, else 2375),
 * and a bare absolute socket path. With env_tls_verify set and not empty
 * ("" or NULL = off) a tcp address uses https and the certificates in
 * env_cert_path, or $HOME/.docker when that is unset (home is passed in).
 * Returns 0, or EINVAL with a one-line reason in err. */
int host_resolve(struct host *h, const char *flag, const char *env_host,
                 const char *env_tls_verify, const char *env_cert_path,
                 const char *home, char *err, size_t errlen);

void host_free(struct host *h);

#endif
