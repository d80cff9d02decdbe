/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for kubeconfig.c: kubeconfig files as kubectl reads them
 * (paths relative to the file, -data fields, tokens, current-context,
 * $KUBECONFIG merged, ~/.kube/config), in-cluster credentials, and every
 * broken kubeconfig as a one-line usage error. Files are written to a
 * temporary folder; nothing talks to a cluster. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "kubeconfig.h"
#include "testcert.h"

static char dir[64];

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    /* Its folders first. */
    for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(path, 0700);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *path_of(const char *name)
{
    static char p[8][256];
    static int i;
    char *s = p[i++ % 8];
    snprintf(s, 256, "%s/%s", dir, name);
    return s;
}

static char *b64(const char *s)
{
    static char out[8][4096];
    static int i;
    char *o = out[i++ % 8];
    EVP_EncodeBlock((unsigned char *)o, (const unsigned char *)s,
                    (int)strlen(s));
    return o;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_kubeconfig.XXXXXX");
    assert_non_null(mkdtemp(dir));
    put("pki/ca.pem", TEST_CERT);
    put("pki/cert.pem", TEST_CERT);
    put("pki/key.pem", TEST_KEY);
    put("pki/other-key.pem", TEST_OTHER_KEY);
    put("pki/token", "s3cret-token\n");
    put("pki/empty", "");
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static struct kube_env no_env(void)
{
    struct kube_env e = { .home = "/nonexistent", .sa_dir = "/nonexistent" };
    return e;
}

static int resolve(struct kube_target *t, const char *file, const char *ctx,
                   const struct kube_env *env, char *err)
{
    err[0] = '\0';
    int rc = kubeconfig_resolve(t, file, ctx, env, err, 512);
    if (rc)
        assert_null(strchr(err, '\n'));
    return rc;
}

/* Paths relative to the kubeconfig's own folder, a client certificate
 * and key from files, the current context, a server's trailing '/'. */
static void files_relative(void **state)
{
    (void)state;
    struct kube_env env = no_env();
    struct kube_target t;
    char err[512];

    put("a/config",
        "apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
        "clusters:\n- name: c1\n  cluster:\n    server: https://10.0.0.1:6443/\n"
        "    certificate-authority: ../pki/ca.pem\n"
        "contexts:\n- name: prod\n  context: {cluster: c1, user: u1, "
        "namespace: shop}\n"
        "- name: other\n  context: {cluster: c1}\n"
        "users:\n- name: u1\n  user:\n    client-certificate: ../pki/cert.pem\n"
        "    client-key: ../pki/key.pem\n");
    assert_int_equal(resolve(&t, path_of("a/config"), NULL, &env, err), 0);
    assert_string_equal(t.context, "prod");
    assert_string_equal(t.server, "https://10.0.0.1:6443");
    assert_int_equal(t.ca.len, strlen(TEST_CERT));
    assert_memory_equal(t.ca.data, TEST_CERT, t.ca.len);
    assert_int_equal(t.cert.len, strlen(TEST_CERT));
    assert_int_equal(t.key.len, strlen(TEST_KEY));
    assert_null(t.token);
    assert_null(t.token_file);
    assert_int_equal(t.insecure, 0);
    assert_string_equal(t.namespace, "shop");
    assert_non_null(strstr(t.source, "a/config"));
    kube_target_free(&t);

    /* Another context of the file, with no user: no credentials. */
    assert_int_equal(resolve(&t, path_of("a/config"), "other", &env, err), 0);
    assert_string_equal(t.context, "other");
    assert_int_equal(t.cert.len, 0);
    assert_null(t.namespace);
    kube_target_free(&t);

    assert_int_equal(resolve(&t, path_of("a/config"), "nope", &env, err),
                     ENOENT);
    assert_non_null(strstr(err, "context 'nope' not found"));
    assert_non_null(strstr(err, "a/config"));
}

/* Everything inline (-data, base64), a bearer token, a token file
 * (relative), and insecure-skip-tls-verify only when said. */
static void inline_and_tokens(void **state)
{
    (void)state;
    struct kube_env env = no_env();
    struct kube_target t;
    char err[512], text[8192];

    snprintf(text, sizeof text,
             "current-context: d\n"
             "clusters:\n- name: c\n  cluster:\n    server: https://h:1\n"
             "    certificate-authority-data: %s\n"
             "- name: i\n  cluster:\n    server: https://h:2\n"
             "    insecure-skip-tls-verify: true\n"
             "contexts:\n- name: d\n  context: {cluster: c, user: d}\n"
             "- name: tok\n  context: {cluster: i, user: tok}\n"
             "- name: tf\n  context: {cluster: c, user: tf}\n"
             "users:\n- name: d\n  user:\n    client-certificate-data: %s\n"
             "    client-key-data: %s\n"
             "- name: tok\n  user: {token: abc.def}\n"
             "- name: tf\n  user: {tokenFile: pki/token}\n",
             b64(TEST_CERT), b64(TEST_CERT), b64(TEST_KEY));
    put("inline", text);
    assert_int_equal(resolve(&t, path_of("inline"), NULL, &env, err), 0);
    assert_memory_equal(t.ca.data, TEST_CERT, strlen(TEST_CERT));
    assert_memory_equal(t.key.data, TEST_KEY, strlen(TEST_KEY));
    assert_int_equal(t.insecure, 0);
    kube_target_free(&t);
    assert_int_equal(resolve(&t, path_of("inline"), "tok", &env, err), 0);
    assert_string_equal(t.token, "abc.def");
    assert_int_equal(t.insecure, 1);
    assert_int_equal(t.ca.len, 0);
    kube_target_free(&t);
    assert_int_equal(resolve(&t, path_of("inline"), "tf", &env, err), 0);
    assert_null(t.token);
    assert_string_equal(t.token_file, path_of("pki/token"));
    kube_target_free(&t);
}

/* What kubectl would do but dockerfs does not, and what is broken: one
 * line each, naming the file and the context. */
static void refused(void **state)
{
    (void)state;
    struct kube_env env = no_env();
    struct kube_target t;
    char err[512], text[4096];
    static const struct { const char *user, *code_word; int rc; } users[] = {
        { "{exec: {command: aws}}", "exec", EINVAL },
        { "{auth-provider: {name: gcp}}", "auth-provider", EINVAL },
        { "{username: a, password: b}", "username", EINVAL },
        { "{client-certificate: pki/cert.pem}", "without its key", EINVAL },
        { "{client-key: pki/key.pem}", "without its certificate", EINVAL },
        { "{client-certificate: pki/cert.pem, client-key: pki/other-key.pem}",
          "PEM certificate and its key", EINVAL },
        { "{client-certificate: pki/nope.pem, client-key: pki/key.pem}",
          "No such file", EINVAL },
        { "{client-certificate-data: '!!notbase64', client-key: pki/key.pem}",
          "not base64", EINVAL },
        { "{tokenFile: pki/empty}", "is empty", EINVAL },
        { "{tokenFile: pki/none}", "tokenFile", EINVAL },
    };

    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        snprintf(text, sizeof text, "current-context: x\n"
                 "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                 "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
                 "users: [{name: u, user: %s}]\n", users[i].user);
        put("bad", text);
        assert_int_equal(resolve(&t, path_of("bad"), NULL, &env, err),
                         users[i].rc);
        if (!strstr(err, users[i].code_word))
            fail_msg("%s: '%s' lacks '%s'", users[i].user, err,
                     users[i].code_word);
        assert_non_null(strstr(err, "context x"));
    }
    static const struct { const char *text, *word; int rc; } files[] = {
        { "clusters: [}", "not YAML", EINVAL },
        { "- a\n- b\n", "not a kubeconfig", EINVAL },
        { "contexts: [{name: x, context: {cluster: c}}]\n", "no current",
          ENOENT },
        { "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n",
          "cluster 'c' not found", EINVAL },
        { "current-context: x\ncontexts: [{name: x, context: {user: u}}]\n",
          "names no cluster", EINVAL },
        { "current-context: x\ncontexts: [{name: x, context: {cluster: c, "
          "user: u}}]\nclusters: [{name: c, cluster: {server: 'https://h'}}]\n",
          "user 'u' not found", EINVAL },
        { "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n"
          "clusters: [{name: c, cluster: {}}]\n", "no server", EINVAL },
        { "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n"
          "clusters: [{name: c, cluster: {server: 'ftp://h'}}]\n",
          "not an https://", EINVAL },
        { "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n"
          "clusters: [{name: c, cluster: {server: 'https://h', "
          "certificate-authority: pki/key.pem}}]\n",
          "not a PEM certificate", EINVAL },
        { "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n"
          "clusters: [{name: c, cluster: {server: 'https://h', "
          "certificate-authority-data: aGVsbG8=}}]\n",
          "not a PEM certificate", EINVAL },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        put("bad", files[i].text);
        assert_int_equal(resolve(&t, path_of("bad"), NULL, &env, err),
                         files[i].rc);
        if (!strstr(err, files[i].word))
            fail_msg("%s: '%s' lacks '%s'", files[i].text, err,
                     files[i].word);
    }
    assert_int_equal(resolve(&t, path_of("missing"), NULL, &env, err),
                     ENOENT);
    assert_non_null(strstr(err, "No such file"));
}

/* $KUBECONFIG: missing files skipped, the first file to name a context,
 * cluster or user wins, and so does the first current-context. Without
 * it ~/.kube/config; with neither, nothing. */
static void chain(void **state)
{
    (void)state;
    struct kube_env env = no_env();
    struct kube_target t;
    char err[512], list[1024];

    put("m1", "current-context: one\n"
        "contexts: [{name: one, context: {cluster: c}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://first'}}]\n");
    put("m2", "current-context: two\n"
        "contexts: [{name: two, context: {cluster: c}}, "
        "{name: one, context: {cluster: d}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://second'}}, "
        "{name: d, cluster: {server: 'https://d'}}]\n");
    snprintf(list, sizeof list, "%s:%s:%s", path_of("none"), path_of("m1"),
             path_of("m2"));
    env.kubeconfig = list;
    assert_int_equal(resolve(&t, NULL, NULL, &env, err), 0);
    assert_string_equal(t.context, "one");
    assert_string_equal(t.server, "https://first");
    kube_target_free(&t);
    /* m2's context, m1's cluster c. */
    assert_int_equal(resolve(&t, NULL, "two", &env, err), 0);
    assert_string_equal(t.server, "https://first");
    kube_target_free(&t);
    snprintf(list, sizeof list, "%s:%s", path_of("none"), path_of("none2"));
    assert_int_equal(resolve(&t, NULL, NULL, &env, err), ENOENT);
    assert_non_null(strstr(err, "KUBECONFIG"));

    put("home/.kube/config", "current-context: h\n"
        "contexts: [{name: h, context: {cluster: c}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://home'}}]\n");
    env.kubeconfig = NULL;
    env.home = path_of("home");
    assert_int_equal(resolve(&t, NULL, NULL, &env, err), 0);
    assert_string_equal(t.server, "https://home");
    kube_target_free(&t);
    env.home = NULL;
    assert_int_equal(resolve(&t, NULL, NULL, &env, err), ENOENT);
}

/* In a pod: the service account's token (a file, read at every
 * request), its CA and namespace; chosen when no kubeconfig is there. */
static void in_cluster(void **state)
{
    (void)state;
    struct kube_env env = no_env();
    struct kube_target t;
    char err[512];

    put("sa/token", "eyJhbGciOi.sa.token\n");
    put("sa/ca.crt", TEST_CERT);
    put("sa/namespace", "dockerfs");
    env.sa_dir = path_of("sa");
    assert_int_equal(kubeconfig_in_cluster(&t, &env, err, sizeof err),
                     ENOENT);
    env.service_host = "10.96.0.1";
    env.service_port = "443";
    assert_int_equal(resolve(&t, NULL, NULL, &env, err), 0);
    assert_string_equal(t.context, KUBE_IN_CLUSTER);
    assert_string_equal(t.server, "https://10.96.0.1:443");
    assert_string_equal(t.token_file, path_of("sa/token"));
    assert_string_equal(t.namespace, "dockerfs");
    assert_int_equal(t.ca.len, strlen(TEST_CERT));
    kube_target_free(&t);
    env.service_host = "fd00::1";
    env.service_port = NULL;
    assert_int_equal(kubeconfig_in_cluster(&t, &env, err, sizeof err), 0);
    assert_string_equal(t.server, "https://[fd00::1]:443");
    kube_target_free(&t);
    env.service_host = "evil/host";
    assert_int_equal(kubeconfig_in_cluster(&t, &env, err, sizeof err),
                     EINVAL);
    env.service_host = "10.96.0.1";
    env.sa_dir = path_of("nosa");
    assert_int_equal(kubeconfig_in_cluster(&t, &env, err, sizeof err),
                     EINVAL);
    assert_non_null(strstr(err, "token"));
    /* A kubeconfig wins over the pod's own credentials. */
    env.sa_dir = path_of("sa");
    env.home = path_of("home");
    assert_int_equal(resolve(&t, NULL, NULL, &env, err), 0);
    assert_string_equal(t.server, "https://home");
    kube_target_free(&t);
}

static void base64(void **state)
{
    (void)state;
    struct kube_blob b;

    assert_int_equal(kube_base64("aGVs\nbG8=", 9, &b), 0);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "hello", 5);
    free(b.data);
    assert_int_equal(kube_base64("!!!", 3, &b), EINVAL);
    assert_null(b.data);
    assert_int_equal(kube_base64("", 0, &b), EINVAL);
}

/* A cluster's tls-server-name and proxy-url are taken; a name that is
 * no host name and a proxy of another scheme are one-line errors that
 * do not repeat the proxy (it may hold a password). */
static void name_and_proxy(void **state)
{
    (void)state;
    struct kube_env env = no_env();
    struct kube_target t;
    char err[512], text[1024];

    put("np", "current-context: x\n"
        "clusters: [{name: c, cluster: {server: 'https://10.0.0.1:6443', "
        "tls-server-name: kubernetes.default, "
        "proxy-url: 'socks5://127.0.0.1:1080'}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
        "users: [{name: u, user: {token: t}}]\n");
    assert_int_equal(resolve(&t, path_of("np"), NULL, &env, err), 0);
    assert_string_equal(t.tls_server_name, "kubernetes.default");
    assert_string_equal(t.proxy_url, "socks5://127.0.0.1:1080");
    kube_target_free(&t);
    static const struct { const char *cluster, *word; } bad[] = {
        { "tls-server-name: 'a/b'", "tls-server-name 'a/b' is not a host" },
        { "tls-server-name: 'h:443'", "is not a host name" },
        { "proxy-url: 'ftp://user:pw@p'", "proxy-url is not an http://" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "current-context: x\n"
                 "clusters: [{name: c, cluster: {server: 'https://h', %s}}]\n"
                 "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
                 "users: [{name: u, user: {token: t}}]\n", bad[i].cluster);
        put("np", text);
        assert_int_equal(resolve(&t, path_of("np"), NULL, &env, err), EINVAL);
        if (!strstr(err, bad[i].word))
            fail_msg("%s: '%s' lacks '%s'", bad[i].cluster, err, bad[i].word);
        assert_null(strstr(err, "pw@"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(files_relative),
        cmocka_unit_test(inline_and_tokens),
        cmocka_unit_test(refused),
        cmocka_unit_test(chain),
        cmocka_unit_test(in_cluster),
        cmocka_unit_test(base64),
        cmocka_unit_test(name_and_proxy),
    };
    return cmocka_run_group_tests_name("kubeconfig", tests, setup, teardown);
}
