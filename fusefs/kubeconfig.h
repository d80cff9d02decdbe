/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kubeconfig.h - which cluster kubectl would talk to, and as whom.
 *
 *   $ dockerfs /dockerfs --kubeconfig ~/.kube/prod.yaml --kube-context ops
 *
 * The order is kubectl's: a file given (--kubeconfig), else the files
 * of $KUBECONFIG (':'-separated, missing ones skipped, merged: the first
 * file to name a cluster, user or context wins, and the first
 * current-context), else ~/.kube/config; with none of them the pod's own
 * service account (in-cluster: KUBERNETES_SERVICE_HOST/_PORT and
 * /var/run/secrets/kubernetes.io/serviceaccount). The context is the one
 * given, else current-context. Files named in a kubeconfig are relative
 * to the kubeconfig's own folder. Nothing here talks to a cluster:
 * resolving is file reading (libyaml), and the credentials are checked
 * to be what they claim (PEM certificates and keys) so that a broken
 * kubeconfig is a one-line usage error before anything is mounted. */
#ifndef DOCKERFS_KUBECONFIG_H
#define DOCKERFS_KUBECONFIG_H

#include <stddef.h>

/* A kubeconfig larger than this is not one. */
#define KUBECONFIG_MAX (4u << 20)

/* The in-cluster credentials' folder. */
#define KUBE_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
/* The context name of in-cluster credentials. */
#define KUBE_IN_CLUSTER "in-cluster"

/* The environment kubectl reads; NULL or "" means unset. */
struct kube_env {
    const char *kubeconfig;     /* KUBECONFIG */
    const char *home;           /* HOME */
    const char *service_host;   /* KUBERNETES_SERVICE_HOST */
    const char *service_port;   /* KUBERNETES_SERVICE_PORT */
    const char *sa_dir;         /* KUBE_SA_DIR, or a test's folder */
    /* Who we are when run as a pod, as its manifest hands the downward
     * API's fields down (README: "dockerfs in a pod"). */
    const char *pod_uid;        /* POD_UID: metadata.uid */
    const char *pod_name;       /* POD_NAME: metadata.name */
    const char *pod_namespace;  /* POD_NAMESPACE: metadata.namespace */
};

/* Fills env from getenv(), sa_dir KUBE_SA_DIR. */
void kube_env_get(struct kube_env *env);

/* Bytes in memory: a CA, a client certificate or key. */
struct kube_blob {
    unsigned char *data;
    size_t len;
};

/* One cluster and the credentials to reach it. */
struct kube_target {
    char *context;              /* its context's name (KUBE_IN_CLUSTER) */
    char *source;               /* where it came from, for messages */
    char *server;               /* https://HOST:PORT[/PATH], no '/' at end */
    struct kube_blob ca;        /* empty: the system's CAs */
    struct kube_blob cert;      /* with key: a client certificate */
    struct kube_blob key;
    char *token;                /* a bearer token, or NULL */
    char *token_file;           /* read at every request, or NULL */
    int insecure;               /* insecure-skip-tls-verify: true */
    /* tls-server-name: the name the server's certificate is checked
     * against (and sent as SNI) instead of the server's host, or NULL. */
    char *tls_server_name;
    /* proxy-url: http://, https:// or socks5:// (NULL: libcurl's
     * https_proxy/no_proxy environment, as kubectl). */
    char *proxy_url;
    char *namespace;            /* the context's namespace, or NULL */
};

/* Resolves file (NULL: kubectl's chain above) and context (NULL:
 * current-context) into t. Returns 0; ENOENT (no such file, no such
 * context, nothing to read at all), EINVAL (not a kubeconfig, a context
 * naming a cluster or user that is not there, no server, bad base64, a
 * certificate or key that is not PEM, a certificate without its key,
 * an auth kubectl would run a program for: exec, auth-provider, or a
 * user and password) or ENOMEM, with a one-line reason in err that
 * names the file and the context. ENOENT also when no context is given
 * and none is current. With no file, no KUBECONFIG, no ~/.kube/config,
 * KUBERNETES_SERVICE_HOST set and context NULL or KUBE_IN_CLUSTER (a pod
 * without a kubeconfig): kubeconfig_in_cluster's answer. On error t is
 * empty. */
int kubeconfig_resolve(struct kube_target *t, const char *file,
                       const char *context, const struct kube_env *env,
                       char *err, size_t errlen);

/* The in-cluster target from env (service_host, service_port and the
 * token, ca.crt and namespace files of sa_dir). Returns 0, ENOENT (not
 * in a pod: no KUBERNETES_SERVICE_HOST), EINVAL (a host or port that
 * cannot be in a URL, a token file missing or empty, a ca.crt missing or
 * not PEM) or ENOMEM, with a one-line reason; t is empty on error. */
int kubeconfig_in_cluster(struct kube_target *t, const struct kube_env *env,
                          char *err, size_t errlen);

/* Frees what t holds (the token wiped first) and zeroes it. */
void kube_target_free(struct kube_target *t);

/* Decodes base64 text s[0..len) (white space ignored) into *out.
 * Returns 0, EINVAL (not base64) or ENOMEM. */
int kube_base64(const char *s, size_t len, struct kube_blob *out);

#endif
