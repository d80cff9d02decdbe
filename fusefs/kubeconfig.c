/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kubeconfig.c - kubeconfig files (libyaml) and in-cluster credentials
 * into one cluster's address and credentials. */
#include "kubeconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <yaml.h>
#include "buf.h"
#include "errmsg.h"

/* The most files a $KUBECONFIG list is read from. */
#define KUBECONFIG_FILES_MAX 16
/* A token (file) larger than this is not one. */
#define TOKEN_MAX (64u << 10)

void kube_env_get(struct kube_env *env)
{
    env->kubeconfig = getenv("KUBECONFIG");
    env->home = getenv("HOME");
    env->service_host = getenv("KUBERNETES_SERVICE_HOST");
    env->service_port = getenv("KUBERNETES_SERVICE_PORT");
    env->sa_dir = KUBE_SA_DIR;
    env->pod_uid = getenv("POD_UID");
    env->pod_name = getenv("POD_NAME");
    env->pod_namespace = getenv("POD_NAMESPACE");
}

static int set(const char *s)
{
    return s && *s;
}

void kube_target_free(struct kube_target *t)
{
    free(t->context);
    free(t->source);
    free(t->server);
    free(t->ca.data);
    free(t->cert.data);
    free(t->key.data);
    if (t->token)
        memset(t->token, 0, strlen(t->token));
    free(t->token);
    free(t->token_file);
    free(t->namespace);
    free(t->tls_server_name);
    free(t->proxy_url);
    memset(t, 0, sizeof *t);
}

/* Reads path (at most max bytes) into b. Returns 0, an errno of open or
 * read, EFBIG (over max) or ENOMEM. */
static int read_file(const char *path, size_t max, struct buf *b)
{
    char chunk[8192];
    FILE *f = fopen(path, "rb");
    size_t n;
    int rc = 0;

    buf_init(b, max);
    if (!f)
        return errno;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_add(b, chunk, n);
    if (!rc && ferror(f))
        rc = EIO;
    fclose(f);
    if (rc == E2BIG)
        rc = EFBIG;
    if (rc)
        buf_free(b);
    return rc;
}

int kube_base64(const char *s, size_t len, struct kube_blob *out)
{
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    unsigned char *dst = malloc(len / 4 * 3 + 4);
    int n = 0, m = 0;

    out->data = NULL;
    out->len = 0;
    if (!ctx || !dst) {
        EVP_ENCODE_CTX_free(ctx);
        free(dst);
        return ENOMEM;
    }
    EVP_DecodeInit(ctx);
    if (len > 0x7fffffff ||
        EVP_DecodeUpdate(ctx, dst, &n, (const unsigned char *)s,
                         (int)len) < 0 ||
        EVP_DecodeFinal(ctx, dst + n, &m) < 0 || n + m == 0) {
        EVP_ENCODE_CTX_free(ctx);
        free(dst);
        return EINVAL;
    }
    EVP_ENCODE_CTX_free(ctx);
    out->data = dst;
    out->len = (size_t)(n + m);
    return 0;
}

/* ---------------------------------------------------------------- YAML */

/* One kubeconfig file, loaded. */
struct kfile {
    char *path;
    char *dir;                  /* its folder, for relative paths */
    yaml_document_t doc;
    int loaded;
};

static yaml_node_t *root_of(struct kfile *k)
{
    yaml_node_t *n = k->loaded ? yaml_document_get_root_node(&k->doc) : NULL;
    return n && n->type == YAML_MAPPING_NODE ? n : NULL;
}

/* The value of key in mapping node m, or NULL. */
static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *m,
                            const char *key)
{
    size_t klen = strlen(key);

    if (!m || m->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            k->data.scalar.length == klen &&
            memcmp(k->data.scalar.value, key, klen) == 0)
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

/* The text of scalar node n (NUL-terminated by libyaml), or NULL for
 * any other node, one with a NUL inside, or YAML's null. */
static const char *scalar(yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    const char *s = (const char *)n->data.scalar.value;
    if (strlen(s) != n->data.scalar.length)
        return NULL;
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        (strcmp(s, "null") == 0 || strcmp(s, "~") == 0 || !*s))
        return NULL;
    return s;
}

static const char *str_at(yaml_document_t *d, yaml_node_t *m, const char *key)
{
    return scalar(map_get(d, m, key));
}

/* YAML 1.1's true, as kubectl reads it. */
static int truthy(const char *s)
{
    static const char *const yes[] = { "true", "yes", "on", "y" };

    for (size_t i = 0; s && i < sizeof yes / sizeof yes[0]; i++)
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
    return 0;
}

/* In the list under key (clusters, users, contexts) of k, the entry
 * named name: its inner mapping (the value of inner), or NULL. *found
 * is set when the entry is there at all. */
static yaml_node_t *named(struct kfile *k, const char *key, const char *name,
                          const char *inner, int *found)
{
    yaml_node_t *seq = map_get(&k->doc, root_of(k), key);

    *found = 0;
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return NULL;
    for (yaml_node_item_t *i = seq->data.sequence.items.start;
         i < seq->data.sequence.items.top; i++) {
        yaml_node_t *e = yaml_document_get_node(&k->doc, *i);
        const char *n = str_at(&k->doc, e, "name");
        if (n && strcmp(n, name) == 0) {
            *found = 1;
            return map_get(&k->doc, e, inner);
        }
    }
    return NULL;
}

static void kfile_free(struct kfile *k)
{
    if (k->loaded)
        yaml_document_delete(&k->doc);
    free(k->path);
    free(k->dir);
    memset(k, 0, sizeof *k);
}

/* Loads path into k. Returns 0, ENOENT, EINVAL (not a YAML mapping) or
 * ENOMEM, with a reason. */
static int kfile_load(struct kfile *k, const char *path, char *err,
                      size_t errlen)
{
    yaml_parser_t p;
    struct buf b;
    int rc;

    memset(k, 0, sizeof *k);
    if ((rc = read_file(path, KUBECONFIG_MAX, &b)) != 0)
        return errmsg(rc == ENOMEM ? ENOMEM : rc == ENOENT ? ENOENT : EINVAL,
                      err, errlen, "kubeconfig %s: %s", path,
                      rc == EFBIG ? "over 4 MiB" : strerror(rc));
    k->path = strdup(path);
    const char *slash = strrchr(path, '/');
    k->dir = slash ? strndup(path, (size_t)(slash - path + 1)) : strdup("");
    if (!k->path || !k->dir || !yaml_parser_initialize(&p)) {
        buf_free(&b);
        kfile_free(k);
        return errmsg(ENOMEM, err, errlen, "out of memory");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)buf_str(&b),
                                 b.len);
    if (!yaml_parser_load(&p, &k->doc)) {
        rc = errmsg(EINVAL, err, errlen, "kubeconfig %s: not YAML (%s, "
                    "line %zu)", path, p.problem ? p.problem : "?",
                    p.problem_mark.line + 1);
        yaml_parser_delete(&p);
        buf_free(&b);
        kfile_free(k);
        return rc;
    }
    k->loaded = 1;
    yaml_parser_delete(&p);
    buf_free(&b);
    /* An empty file is an empty kubeconfig, as kubectl has it. */
    yaml_node_t *root = yaml_document_get_root_node(&k->doc);
    if (root && root->type != YAML_MAPPING_NODE) {
        kfile_free(k);
        return errmsg(EINVAL, err, errlen, "kubeconfig %s: not a "
                      "kubeconfig (no mapping at its top)", path);
    }
    return 0;
}

/* ------------------------------------------------------- credentials */

/* 1 if b holds at least one PEM certificate (and, with key, a PEM
 * private key that matches it: key_of is the key). */
static int pem_cert_ok(const struct kube_blob *b, const struct kube_blob *key)
{
    BIO *bio = BIO_new_mem_buf(b->data, (int)b->len);
    X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    int ok = x != NULL;

    BIO_free(bio);
    if (ok && key) {
        BIO *kb = BIO_new_mem_buf(key->data, (int)key->len);
        EVP_PKEY *k = kb ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL)
                         : NULL;
        ok = k && X509_check_private_key(x, k) == 1;
        EVP_PKEY_free(k);
        BIO_free(kb);
    }
    X509_free(x);
    return ok;
}

/* The path p of a file named in k: as is when absolute, else under k's
 * folder. NULL on ENOMEM. */
static char *path_in(const struct kfile *k, const char *p)
{
    char *s = NULL;

    if (p[0] == '/' || !k)
        return strdup(p);
    return asprintf(&s, "%s%s", k->dir, p) < 0 ? NULL : s;
}

/* Fills blob from the -data field (base64) or the file field of map m
 * in k (field names: base, base + "-data"). Neither: blob stays empty,
 * 0. Returns 0, EINVAL or ENOMEM with a reason naming what. */
static int take_blob(struct kfile *k, yaml_node_t *m, const char *base,
                     const char *what, struct kube_blob *blob, char *err,
                     size_t errlen)
{
    char data_key[64];
    const char *data, *file;
    struct buf b;
    int rc;

    snprintf(data_key, sizeof data_key, "%s-data", base);
    data = str_at(&k->doc, m, data_key);
    file = str_at(&k->doc, m, base);
    if (data) {
        rc = kube_base64(data, strlen(data), blob);
        if (rc == EINVAL)
            return errmsg(EINVAL, err, errlen, "%s: %s is not base64",
                          what, data_key);
        return rc ? errmsg(rc, err, errlen, "out of memory") : 0;
    }
    if (!file)
        return 0;
    char *path = path_in(k, file);
    if (!path)
        return errmsg(ENOMEM, err, errlen, "out of memory");
    rc = read_file(path, KUBECONFIG_MAX, &b);
    if (rc) {
        rc = errmsg(rc == ENOMEM ? ENOMEM : EINVAL, err, errlen,
                    "%s: %s %s: %s", what, base, path,
                    rc == EFBIG ? "over 4 MiB" : strerror(rc));
        free(path);
        return rc;
    }
    free(path);
    blob->data = (unsigned char *)b.data;
    blob->len = b.len;
    return 0;
}

/* The first line of a token file's text, or "" (s is changed). */
static char *token_line(char *s)
{
    s[strcspn(s, "\r\n")] = '\0';
    return s;
}

/* Reads a token file once, to know it is there and not empty. */
static int check_token_file(const char *path, const char *what, char *err,
                            size_t errlen)
{
    struct buf b;
    int rc = read_file(path, TOKEN_MAX, &b);

    if (rc)
        return errmsg(rc == ENOMEM ? ENOMEM : EINVAL, err, errlen,
                      "%s: tokenFile %s: %s", what, path,
                      rc == EFBIG ? "over 64 KiB" : strerror(rc));
    rc = b.len && *token_line(b.data) ? 0
         : errmsg(EINVAL, err, errlen, "%s: tokenFile %s is empty", what,
                  path);
    if (b.data)
        memset(b.data, 0, b.len);
    buf_free(&b);
    return rc;
}

/* The user entry u of k into t. */
static int take_user(struct kfile *k, yaml_node_t *u, const char *what,
                     struct kube_target *t, char *err, size_t errlen)
{
    static const char *const unsupported[] = {
        "exec", "auth-provider", "username", "password",
    };
    const char *token, *token_file;
    int rc;

    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
        if (map_get(&k->doc, u, unsupported[i]))
            return errmsg(EINVAL, err, errlen, "%s: authenticates with %s, "
                          "which dockerfs does not do: give it a token, "
                          "tokenFile or client certificate", what,
                          unsupported[i]);
    if ((rc = take_blob(k, u, "client-certificate", what, &t->cert, err,
                        errlen)) != 0 ||
        (rc = take_blob(k, u, "client-key", what, &t->key, err,
                        errlen)) != 0)
        return rc;
    if (!t->cert.len != !t->key.len)
        return errmsg(EINVAL, err, errlen, "%s: a client %s without its %s",
                      what, t->cert.len ? "certificate" : "key",
                      t->cert.len ? "key" : "certificate");
    if (t->cert.len && !pem_cert_ok(&t->cert, &t->key))
        return errmsg(EINVAL, err, errlen, "%s: the client certificate and "
                      "key are not a PEM certificate and its key", what);
    token = str_at(&k->doc, u, "token");
    token_file = str_at(&k->doc, u, "tokenFile");
    if (token && !(t->token = strdup(token)))
        return errmsg(ENOMEM, err, errlen, "out of memory");
    if (!token && token_file) {
        if (!(t->token_file = path_in(k, token_file)))
            return errmsg(ENOMEM, err, errlen, "out of memory");
        return check_token_file(t->token_file, what, err, errlen);
    }
    return 0;
}

/* 1 if s is a host name (letters, digits, '-', '.'; at most 253). */
static int host_name_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 253 &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789-.") == n;
}

/* tls-server-name and proxy-url of cluster entry c into t. */
static int take_name_and_proxy(struct kfile *k, yaml_node_t *c,
                               const char *what, struct kube_target *t,
                               char *err, size_t errlen)
{
    const char *name = str_at(&k->doc, c, "tls-server-name");
    const char *proxy = str_at(&k->doc, c, "proxy-url");

    if (name && *name) {
        if (!host_name_ok(name))
            return errmsg(EINVAL, err, errlen, "%s: tls-server-name '%.64s' "
                          "is not a host name", what, name);
        if (!(t->tls_server_name = strdup(name)))
            return errmsg(ENOMEM, err, errlen, "out of memory");
    }
    if (proxy && *proxy) {
        if (strncmp(proxy, "http://", 7) != 0 &&
            strncmp(proxy, "https://", 8) != 0 &&
            strncmp(proxy, "socks5://", 9) != 0)
            return errmsg(EINVAL, err, errlen, "%s: proxy-url is not an "
                          "http://, https:// or socks5:// address", what);
        if (!(t->proxy_url = strdup(proxy)))
            return errmsg(ENOMEM, err, errlen, "out of memory");
    }
    return 0;
}

/* The cluster entry c of k into t. */
static int take_cluster(struct kfile *k, yaml_node_t *c, const char *what,
                        struct kube_target *t, char *err, size_t errlen)
{
    const char *server = str_at(&k->doc, c, "server");
    int rc;

    if (!server)
        return errmsg(EINVAL, err, errlen, "%s: its cluster has no server",
                      what);
    if (strncmp(server, "https://", 8) != 0 &&
        strncmp(server, "http://", 7) != 0)
        return errmsg(EINVAL, err, errlen, "%s: server '%s' is not an "
                      "https:// or http:// address", what, server);
    if (!(t->server = strdup(server)))
        return errmsg(ENOMEM, err, errlen, "out of memory");
    t->server[strcspn(t->server, "?#")] = '\0';
    for (size_t n = strlen(t->server); n > 8 && t->server[n - 1] == '/'; )
        t->server[--n] = '\0';
    t->insecure = truthy(str_at(&k->doc, c, "insecure-skip-tls-verify"));
    if ((rc = take_name_and_proxy(k, c, what, t, err, errlen)) != 0)
        return rc;
    if ((rc = take_blob(k, c, "certificate-authority", what, &t->ca, err,
                        errlen)) != 0)
        return rc;
    if (t->ca.len && !pem_cert_ok(&t->ca, NULL))
        return errmsg(EINVAL, err, errlen, "%s: its certificate-authority is "
                      "not a PEM certificate", what);
    return 0;
}

/* The files to read: file, else $KUBECONFIG's, else ~/.kube/config;
 * missing ones of a list are skipped. *n loaded into v. */
static int load_chain(struct kfile *v, size_t *n, const char *file,
                      const struct kube_env *env, char *source,
                      size_t source_len, char *err, size_t errlen)
{
    char *list = NULL, *save = NULL;
    int rc = 0;

    *n = 0;
    if (file) {
        snprintf(source, source_len, "kubeconfig %s", file);
        if ((rc = kfile_load(&v[0], file, err, errlen)) == 0)
            *n = 1;
        return rc;
    }
    if (!set(env->kubeconfig)) {
        if (!set(env->home))
            return errmsg(ENOENT, err, errlen, "no kubeconfig: neither "
                          "KUBECONFIG nor HOME is set");
        char path[4096];
        snprintf(path, sizeof path, "%s/.kube/config", env->home);
        snprintf(source, source_len, "kubeconfig %s", path);
        if ((rc = kfile_load(&v[0], path, err, errlen)) == 0)
            *n = 1;
        return rc;
    }
    snprintf(source, source_len, "KUBECONFIG %s", env->kubeconfig);
    if (!(list = strdup(env->kubeconfig)))
        return errmsg(ENOMEM, err, errlen, "out of memory");
    for (char *p = strtok_r(list, ":", &save); p && !rc;
         p = strtok_r(NULL, ":", &save)) {
        if (*n == KUBECONFIG_FILES_MAX) {
            rc = errmsg(EINVAL, err, errlen, "KUBECONFIG names more than %d "
                        "files", KUBECONFIG_FILES_MAX);
            break;
        }
        rc = kfile_load(&v[*n], p, err, errlen);
        if (rc == 0)
            (*n)++;
        else if (rc == ENOENT)
            rc = 0;
    }
    free(list);
    if (!rc && *n == 0)
        rc = errmsg(ENOENT, err, errlen, "no file of KUBECONFIG=%s is there",
                    env->kubeconfig);
    return rc;
}

/* Looks up name in list key of the merged files: the first file that
 * has it. Returns its inner node and sets *in to that file. */
static yaml_node_t *merged(struct kfile *v, size_t n, const char *key,
                           const char *name, const char *inner,
                           struct kfile **in)
{
    int found;

    for (size_t i = 0; i < n; i++) {
        yaml_node_t *node = named(&v[i], key, name, inner, &found);
        if (found) {
            *in = &v[i];
            return node;
        }
    }
    *in = NULL;
    return NULL;
}

/* Fills t from the context ctx of the merged files v[0..n). */
static int take_context(struct kfile *v, size_t n, const char *ctx,
                        struct kube_target *t, char *err, size_t errlen)
{
    struct kfile *kc, *kcl, *ku;
    char what[512];
    yaml_node_t *c = merged(v, n, "contexts", ctx, "context", &kc);
    int rc;

    snprintf(what, sizeof what, "%s, context %s", t->source, ctx);
    if (!kc)
        return errmsg(ENOENT, err, errlen, "%s: context '%s' not found",
                      t->source, ctx);
    const char *cl = str_at(&kc->doc, c, "cluster");
    const char *user = str_at(&kc->doc, c, "user");
    const char *ns = str_at(&kc->doc, c, "namespace");
    if (!cl)
        return errmsg(EINVAL, err, errlen, "%s: names no cluster", what);
    if (ns && !(t->namespace = strdup(ns)))
        return errmsg(ENOMEM, err, errlen, "out of memory");
    yaml_node_t *cn = merged(v, n, "clusters", cl, "cluster", &kcl);
    if (!kcl)
        return errmsg(EINVAL, err, errlen, "%s: cluster '%s' not found",
                      what, cl);
    if ((rc = take_cluster(kcl, cn, what, t, err, errlen)) != 0)
        return rc;
    if (!user)
        return 0;
    yaml_node_t *un = merged(v, n, "users", user, "user", &ku);
    if (!ku)
        return errmsg(EINVAL, err, errlen, "%s: user '%s' not found", what,
                      user);
    return take_user(ku, un, what, t, err, errlen);
}

int kubeconfig_resolve(struct kube_target *t, const char *file,
                       const char *context, const struct kube_env *env,
                       char *err, size_t errlen)
{
    struct kfile v[KUBECONFIG_FILES_MAX];
    char source[4200];
    size_t n = 0;
    int rc;

    memset(t, 0, sizeof *t);
    /* kubectl's last resort: no kubeconfig at all, in a pod. */
    if (!file && !set(env->kubeconfig) && set(env->service_host) &&
        (!context || strcmp(context, KUBE_IN_CLUSTER) == 0)) {
        char path[4096];
        snprintf(path, sizeof path, "%s/.kube/config",
                 set(env->home) ? env->home : "/nonexistent");
        FILE *f = fopen(path, "r");
        if (!f)
            return kubeconfig_in_cluster(t, env, err, errlen);
        fclose(f);
    }
    rc = load_chain(v, &n, file, env, source, sizeof source, err, errlen);
    if (rc == 0 && !(t->source = strdup(source)))
        rc = errmsg(ENOMEM, err, errlen, "out of memory");
    if (rc == 0 && !context) {
        for (size_t i = 0; i < n && !context; i++)
            context = str_at(&v[i].doc, root_of(&v[i]), "current-context");
        if (!context)
            rc = errmsg(ENOENT, err, errlen, "%s: no current-context; give "
                        "one (--kube-context, or --kube FILE:CONTEXT)",
                        source);
    }
    if (rc == 0 && !(t->context = strdup(context)))
        rc = errmsg(ENOMEM, err, errlen, "out of memory");
    if (rc == 0)
        rc = take_context(v, n, context, t, err, errlen);
    for (size_t i = 0; i < n; i++)
        kfile_free(&v[i]);
    if (rc)
        kube_target_free(t);
    return rc;
}

int kubeconfig_in_cluster(struct kube_target *t, const struct kube_env *env,
                          char *err, size_t errlen)
{
    const char *dir = env->sa_dir ? env->sa_dir : KUBE_SA_DIR;
    const char *host = env->service_host, *port = env->service_port;
    char path[4096];
    struct buf b;
    int rc;

    memset(t, 0, sizeof *t);
    if (!set(host))
        return errmsg(ENOENT, err, errlen, "not in a pod: "
                      "KUBERNETES_SERVICE_HOST is not set");
    if (strpbrk(host, "/@?#[] ") || (set(port) && strspn(port, "0123456789")
                                                  != strlen(port)))
        return errmsg(EINVAL, err, errlen, "in-cluster: bad "
                      "KUBERNETES_SERVICE_HOST/PORT '%s' '%s'", host,
                      set(port) ? port : "");
    int v6 = strchr(host, ':') != NULL;
    if (asprintf(&t->server, "https://%s%s%s:%s", v6 ? "[" : "", host,
                 v6 ? "]" : "", set(port) ? port : "443") < 0) {
        t->server = NULL;
        return errmsg(ENOMEM, err, errlen, "out of memory");
    }
    snprintf(path, sizeof path, "%s/token", dir);
    if (!(t->context = strdup(KUBE_IN_CLUSTER)) ||
        !(t->source = strdup("in-cluster")) ||
        !(t->token_file = strdup(path))) {
        kube_target_free(t);
        return errmsg(ENOMEM, err, errlen, "out of memory");
    }
    if ((rc = check_token_file(path, "in-cluster", err, errlen)) != 0) {
        kube_target_free(t);
        return rc;
    }
    snprintf(path, sizeof path, "%s/ca.crt", dir);
    if ((rc = read_file(path, KUBECONFIG_MAX, &b)) != 0) {
        kube_target_free(t);
        return errmsg(rc == ENOMEM ? ENOMEM : EINVAL, err, errlen,
                      "in-cluster: %s: %s", path, strerror(rc));
    }
    t->ca.data = (unsigned char *)b.data;
    t->ca.len = b.len;
    if (!t->ca.len || !pem_cert_ok(&t->ca, NULL)) {
        kube_target_free(t);
        return errmsg(EINVAL, err, errlen, "in-cluster: %s is not a PEM "
                      "certificate", path);
    }
    snprintf(path, sizeof path, "%s/namespace", dir);
    if (read_file(path, 256, &b) == 0) {
        t->namespace = b.len ? strdup(token_line(b.data)) : NULL;
        buf_free(&b);
    }
    return 0;
}
