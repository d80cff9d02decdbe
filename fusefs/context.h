/* SPDX-License-Identifier: GPL-2.0-or-later */
/* context.h - Docker contexts: which engine the docker CLI would talk to.
 *
 * The order is the CLI's: --context, --host, DOCKER_HOST, DOCKER_CONTEXT,
 * currentContext in $DOCKER_CONFIG/config.json, the default socket. A
 * context named "default" is that chain without the two context steps.
 * Named contexts are read from the store `docker context create` writes:
 *   $DOCKER_CONFIG/contexts/meta/<sha256 hex of name>/meta.json
 *   $DOCKER_CONFIG/contexts/tls/<sha256 hex of name>/docker/{ca,cert,key}.pem
 * Nothing here talks to an engine: resolving is pure file reading. */
#ifndef DOCKERFS_CONTEXT_H
#define DOCKERFS_CONTEXT_H

#include <stddef.h>
#include "host.h"

#define CONTEXT_DEFAULT "default"

/* The environment the docker CLI reads; NULL or "" means unset. */
struct docker_env {
    const char *host;           /* DOCKER_HOST */
    const char *tls_verify;     /* DOCKER_TLS_VERIFY */
    const char *cert_path;      /* DOCKER_CERT_PATH */
    const char *context;        /* DOCKER_CONTEXT */
    const char *config;         /* DOCKER_CONFIG */
    const char *home;           /* HOME */
};

/* Fills env from getenv(); the strings belong to the environment. */
void docker_env_get(struct docker_env *env);

/* The CLI's configuration directory: DOCKER_CONFIG, else $HOME/.docker.
 * Returns a malloc'd path, or NULL when neither is set (or on ENOMEM). */
char *context_config_dir(const struct docker_env *env);

/* The context directory name for a context: its SHA-256 in lower-case
 * hex, as the CLI's store names it. hex must hold 65 bytes. Returns 0,
 * or EIO if the digest cannot be computed. */
int context_dir_name(const char *name, char hex[65]);

/* currentContext of config_dir/config.json into *name (malloc'd), or
 * NULL when the file or the key is absent or empty. Returns 0, or EINVAL
 * (unreadable or not JSON, or currentContext not a string) / ENOMEM with
 * a one-line reason in err. */
int context_current(const char *config_dir, char **name,
                    char *err, size_t errlen);

/* Fills h for the named context from the store under config_dir (the
 * name must not be "default"). h->name is set to the name. TLS follows
 * the store: a tcp endpoint uses https when the context has TLS
 * material or SkipTLSVerify; ca.pem absent means the system's CAs;
 * cert.pem and key.pem come together. Returns 0, ENOENT (no such
 * context), EINVAL (a broken context: bad meta.json, no docker
 * endpoint, a bad address, cert.pem without key.pem or the reverse, an
 * unreadable certificate) or ENOMEM, with a one-line reason in err that
 * names the context. */
int context_load(struct host *h, const char *config_dir, const char *name,
                 char *err, size_t errlen);

/* One engine, chosen as the docker CLI chooses (see above). flag_host is
 * --host, flag_context --context (NULL when not given; both at once is
 * EINVAL, as in the CLI). Returns 0, or the code of host_resolve or
 * context_load with a one-line reason in err; every failure but ENOMEM
 * is a usage error. When a context was used, h->name is its name and
 * *source (when source is not NULL) says where the name came from
 * ("--context", "DOCKER_CONTEXT", "config.json"), else *source is NULL. */
int context_resolve(struct host *h, const char *flag_host,
                    const char *flag_context, const struct docker_env *env,
                    const char **source, char *err, size_t errlen);

#endif
