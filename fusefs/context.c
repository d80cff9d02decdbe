/* SPDX-License-Identifier: GPL-2.0-or-later */
/* context.c - Docker contexts: the docker CLI's choice of engine, and
 * its context store, read the way the CLI writes it. */
#include "context.h"
#include "errmsg.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int set(const char *s)
{
    return s && *s;
}

void docker_env_get(struct docker_env *env)
{
    env->host = getenv("DOCKER_HOST");
    env->tls_verify = getenv("DOCKER_TLS_VERIFY");
    env->cert_path = getenv("DOCKER_CERT_PATH");
    env->context = getenv("DOCKER_CONTEXT");
    env->config = getenv("DOCKER_CONFIG");
    env->home = getenv("HOME");
}

char *context_config_dir(const struct docker_env *env)
{
    char *dir = NULL;

    if (set(env->config))
        return strdup(env->config);
    if (set(env->home) && asprintf(&dir, "%s/.docker", env->home) < 0)
        dir = NULL;
    return dir;
}

int context_dir_name(const char *name, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;

    if (!EVP_Digest(name, strlen(name), md, &len, EVP_sha256(), NULL) ||
        len != 32)
        return EIO;
    for (unsigned int i = 0; i < len; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
    return 0;
}

/* A JSON file: 0 with *out, ENOENT if it does not exist, else EINVAL
 * with the reason in err (the file named, where it went wrong; never its
 * text: jansson's message quotes the input near the error, and the file
 * may be a link to one that is nobody's business, read as root). */
static int load_json(const char *path, json_t **out, char *err, size_t errlen)
{
    json_error_t jerr;

    *out = NULL;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return ENOENT;
    if (access(path, R_OK) != 0)
        return errmsg(EINVAL, err, errlen, "%s: %s", path, strerror(errno));
    if (!(*out = json_load_file(path, 0, &jerr)))
        return errmsg(EINVAL, err, errlen, "%s: not JSON (line %d, column %d)",
                      path, jerr.line, jerr.column);
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return errmsg(EINVAL, err, errlen, "%s: not a JSON object", path);
    }
    return 0;
}

int context_current(const char *config_dir, char **name,
                    char *err, size_t errlen)
{
    char *path = NULL;
    json_t *root;
    int rc;

    *name = NULL;
    if (asprintf(&path, "%s/config.json", config_dir) < 0)
        return errmsg(ENOMEM, err, errlen, "out of memory");
    rc = load_json(path, &root, err, errlen);
    if (rc == ENOENT) {
        rc = 0;
    } else if (rc == 0) {
        json_t *cur = json_object_get(root, "currentContext");
        if (cur && !json_is_string(cur))
            rc = errmsg(EINVAL, err, errlen, "%s: currentContext is not a "
                        "string", path);
        else if (cur && *json_string_value(cur) &&
                 !(*name = strdup(json_string_value(cur))))
            rc = errmsg(ENOMEM, err, errlen, "out of memory");
        json_decref(root);
    }
    free(path);
    return rc;
}

/* Keeps *path if the file exists (0), drops it if it does not (0), or
 * says why it cannot be read (EINVAL). */
static int keep_if_present(char **path, const char *name, char *err,
                           size_t errlen)
{
    if (access(*path, F_OK) != 0 && errno == ENOENT) {
        free(*path);
        *path = NULL;
        return 0;
    }
    if (access(*path, R_OK) != 0)
        return errmsg(EINVAL, err, errlen, "context '%s': cannot read %s: %s",
                      name, *path, strerror(errno));
    return 0;
}

/* The TLS part of a loaded tcp context: which files exist decides. */
static int apply_tls(struct host *h, const char *name, int skip_verify,
                     char *err, size_t errlen)
{
    int rc = keep_if_present(&h->ca, name, err, errlen);
    if (!rc)
        rc = keep_if_present(&h->cert, name, err, errlen);
    if (!rc)
        rc = keep_if_present(&h->key, name, err, errlen);
    if (rc)
        return rc;
    if (!h->cert != !h->key)
        return errmsg(EINVAL, err, errlen, "context '%s': %s is missing "
                      "(cert.pem and key.pem go together)", name,
                      h->cert ? "key.pem" : "cert.pem");
    h->insecure = skip_verify;
    return 0;
}

/* Loads the context whose store directory is hex; see context_load. */
static int load_named(struct host *h, const char *config_dir,
                      const char *name, const char *hex,
                      char *err, size_t errlen)
{
    char *meta = NULL, *tlsdir = NULL, why[400];
    json_t *root = NULL;
    int rc;

    if (asprintf(&meta, "%s/contexts/meta/%s/meta.json", config_dir, hex) < 0)
        meta = NULL;
    if (asprintf(&tlsdir, "%s/contexts/tls/%s/docker", config_dir, hex) < 0)
        tlsdir = NULL;
    if (!meta || !tlsdir) {
        rc = errmsg(ENOMEM, err, errlen, "out of memory");
        goto out;
    }
    rc = load_json(meta, &root, why, sizeof why);
    if (rc == ENOENT) {
        rc = errmsg(ENOENT, err, errlen, "context '%s' not found (no %s; "
                    "see docker context ls)", name, meta);
        goto out;
    }
    if (rc) {
        rc = errmsg(rc, err, errlen, "context '%s': %s", name, why);
        goto out;
    }
    json_t *ep = json_object_get(json_object_get(root, "Endpoints"), "docker");
    json_t *jhost = json_object_get(ep, "Host");
    json_t *jskip = json_object_get(ep, "SkipTLSVerify");
    if (!json_is_object(ep)) {
        rc = errmsg(EINVAL, err, errlen, "context '%s' has no docker "
                    "endpoint (%s)", name, meta);
        goto out;
    }
    if (!json_is_string(jhost) || !*json_string_value(jhost)) {
        rc = errmsg(EINVAL, err, errlen, "context '%s' has no docker host "
                    "(%s)", name, meta);
        goto out;
    }
    int skip = json_is_true(jskip);
    int tls = skip || access(tlsdir, F_OK) == 0;
    rc = host_resolve(h, json_string_value(jhost), NULL, tls ? "1" : NULL,
                      tlsdir, NULL, why, sizeof why);
    if (rc) {
        if (rc == ENOMEM)
            errmsg(ENOMEM, err, errlen, "out of memory");
        else
            errmsg(rc, err, errlen, "context '%s': %s", name, why);
        goto out;
    }
    if (h->tls && (rc = apply_tls(h, name, skip, err, errlen)) != 0) {
        host_free(h);
        goto out;
    }
    if (!(h->name = strdup(name))) {
        host_free(h);
        rc = errmsg(ENOMEM, err, errlen, "out of memory");
    }
out:
    json_decref(root);
    free(meta);
    free(tlsdir);
    return rc;
}

int context_load(struct host *h, const char *config_dir, const char *name,
                 char *err, size_t errlen)
{
    char hex[65];

    memset(h, 0, sizeof *h);
    if (!name || !*name)
        return errmsg(EINVAL, err, errlen, "empty context name");
    if (strcmp(name, CONTEXT_DEFAULT) == 0)
        return errmsg(EINVAL, err, errlen, "context 'default' is not in "
                      "the store");
    if (context_dir_name(name, hex) != 0)
        return errmsg(EIO, err, errlen, "cannot compute SHA-256");
    return load_named(h, config_dir, name, hex, err, errlen);
}

int context_resolve(struct host *h, const char *flag_host,
                    const char *flag_context, const struct docker_env *env,
                    const char **source, char *err, size_t errlen)
{
    const char *name = NULL, *from = NULL;
    char *current = NULL, *dir = NULL;
    int rc = 0;

    memset(h, 0, sizeof *h);
    if (source)
        *source = NULL;
    if (flag_host && flag_context)
        return errmsg(EINVAL, err, errlen, "--host and --context name two "
                      "engines; give one of them");
    if (flag_context) {
        name = flag_context;
        from = "--context";
    } else if (!flag_host && !set(env->host)) {
        if (set(env->context)) {
            name = env->context;
            from = "DOCKER_CONTEXT";
        } else if ((dir = context_config_dir(env)) != NULL) {
            rc = context_current(dir, &current, err, errlen);
            name = current;
            from = "config.json";
        }
    }
    if (!rc && name && strcmp(name, CONTEXT_DEFAULT) != 0) {
        if (!dir && !(dir = context_config_dir(env)))
            rc = errmsg(EINVAL, err, errlen, "context '%s' (%s): neither "
                        "DOCKER_CONFIG nor HOME is set", name, from);
        else
            rc = context_load(h, dir, name, err, errlen);
        if (!rc && source)
            *source = from;
    } else if (!rc) {
        /* "default": the chain without contexts, DOCKER_HOST included. */
        rc = host_resolve(h, flag_host, env->host, env->tls_verify,
                          env->cert_path, env->home, err, errlen);
    }
    free(current);
    free(dir);
    return rc;
}
