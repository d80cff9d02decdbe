/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for context.c: the docker CLI's order of choice, and the
 * context store read from directories the tests make themselves. */
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

#include "context.h"

struct world {
    char dir[64];       /* a fresh DOCKER_CONFIG */
    struct docker_env env;
};

/* mkdir -p for the directory part of path. */
static void mkparents(const char *path)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0700);
            *p = '/';
        }
    }
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    mkparents(path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Writes a context into the store as `docker context create` does. */
static void make_context(struct world *w, const char *name, const char *host,
                         int skip, const char *tls_files)
{
    char hex[65], rel[256], json[512];
    assert_int_equal(context_dir_name(name, hex), 0);
    snprintf(rel, sizeof rel, "contexts/meta/%s/meta.json", hex);
    snprintf(json, sizeof json, "{\"Name\":\"%s\",\"Metadata\":{},"
             "\"Endpoints\":{\"docker\":{\"Host\":\"%s\",\"SkipTLSVerify\":%s}}}",
             name, host, skip ? "true" : "false");
    write_file(w->dir, rel, json);
    /* tls_files: a string of letters, a = ca.pem, c = cert.pem, k = key.pem */
    for (const char *t = tls_files; t && *t; t++) {
        const char *f = *t == 'a' ? "ca.pem" : *t == 'c' ? "cert.pem" : "key.pem";
        snprintf(rel, sizeof rel, "contexts/tls/%s/docker/%s", hex, f);
        write_file(w->dir, rel, "-----BEGIN TEST-----\n");
    }
}

static void use_context(struct world *w, const char *name)
{
    char json[256];
    snprintf(json, sizeof json, "{\"auths\":{},\"currentContext\":\"%s\"}", name);
    write_file(w->dir, "config.json", json);
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    snprintf(w->dir, sizeof w->dir, "/tmp/ddctx.XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    w->env.config = w->dir;
    w->env.home = "/nonexistent-home";
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", w->dir);
    free(w);
    return 0;
}

/* Resolves with the world's environment; returns the code. */
static int resolve(struct world *w, struct host *h, const char *flag_host,
                   const char *flag_context, const char **source,
                   char *err, size_t errlen)
{
    return context_resolve(h, flag_host, flag_context, &w->env, source,
                           err, errlen);
}

static void store_names_are_sha256(void **state)
{
    (void)state;
    char hex[65];
    /* Names as `docker context create prod` stored them (sha256sum). */
    assert_int_equal(context_dir_name("prod", hex), 0);
    assert_string_equal(hex, "6754af9632a2745e85c293e5aac0863370d9bd3330b9938c00cadfd215227d77");
    assert_int_equal(context_dir_name("", hex), 0);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void nothing_set_is_the_default_socket(void **state)
{
    struct world *w = *state;
    struct host h;
    const char *src = "x";
    char err[256];
    assert_int_equal(resolve(w, &h, NULL, NULL, &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/var/run/docker.sock");
    assert_null(h.name);
    assert_null(src);
    host_free(&h);
    /* An empty currentContext is no context. */
    write_file(w->dir, "config.json", "{\"currentContext\":\"\"}");
    assert_int_equal(resolve(w, &h, NULL, NULL, &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/var/run/docker.sock");
    host_free(&h);
}

static void current_context_is_followed(void **state)
{
    struct world *w = *state;
    struct host h;
    const char *src;
    char err[256];
    make_context(w, "side", "unix:///tmp/side.sock", 0, NULL);
    use_context(w, "side");
    assert_int_equal(resolve(w, &h, NULL, NULL, &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/side.sock");
    assert_string_equal(h.name, "side");
    assert_string_equal(src, "config.json");
    assert_int_equal(h.tls, 0);
    host_free(&h);
}

static void the_order_of_choice(void **state)
{
    struct world *w = *state;
    struct host h;
    const char *src;
    char err[256];
    make_context(w, "cur", "unix:///tmp/cur.sock", 0, NULL);
    make_context(w, "env", "unix:///tmp/env.sock", 0, NULL);
    make_context(w, "flag", "unix:///tmp/flag.sock", 0, NULL);
    use_context(w, "cur");

    /* DOCKER_CONTEXT beats currentContext. */
    w->env.context = "env";
    assert_int_equal(resolve(w, &h, NULL, NULL, &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/env.sock");
    assert_string_equal(src, "DOCKER_CONTEXT");
    host_free(&h);

    /* DOCKER_HOST beats DOCKER_CONTEXT (and currentContext). */
    w->env.host = "unix:///tmp/envhost.sock";
    assert_int_equal(resolve(w, &h, NULL, NULL, &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/envhost.sock");
    assert_null(h.name);
    assert_null(src);
    host_free(&h);

    /* --host beats DOCKER_HOST. */
    assert_int_equal(resolve(w, &h, "unix:///tmp/flaghost.sock", NULL, &src,
                             err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/flaghost.sock");
    host_free(&h);

    /* --context beats DOCKER_HOST and DOCKER_CONTEXT. */
    assert_int_equal(resolve(w, &h, NULL, "flag", &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/flag.sock");
    assert_string_equal(h.name, "flag");
    assert_string_equal(src, "--context");
    host_free(&h);

    /* Both flags: as in the CLI, a usage error. */
    assert_int_equal(resolve(w, &h, "unix:///tmp/a.sock", "flag", &src,
                             err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "--context"));

    /* An empty DOCKER_HOST counts as unset: DOCKER_CONTEXT again. */
    w->env.host = "";
    assert_int_equal(resolve(w, &h, NULL, NULL, &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/env.sock");
    host_free(&h);
}

static void default_means_no_context(void **state)
{
    struct world *w = *state;
    struct host h;
    const char *src;
    char err[256];
    make_context(w, "cur", "unix:///tmp/cur.sock", 0, NULL);
    use_context(w, "cur");
    /* DOCKER_CONTEXT=default skips currentContext. */
    w->env.context = CONTEXT_DEFAULT;
    assert_int_equal(resolve(w, &h, NULL, NULL, &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/var/run/docker.sock");
    assert_null(h.name);
    host_free(&h);
    /* --context default is DOCKER_HOST, when that is set. */
    w->env.context = NULL;
    w->env.host = "unix:///tmp/envhost.sock";
    assert_int_equal(resolve(w, &h, NULL, CONTEXT_DEFAULT, &src, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/envhost.sock");
    host_free(&h);
    /* ... and DOCKER_TLS_VERIFY still applies to it. */
    w->env.host = "tcp://engine";
    w->env.tls_verify = "1";
    w->env.cert_path = "/certs";
    assert_int_equal(resolve(w, &h, NULL, CONTEXT_DEFAULT, &src, err, sizeof err), 0);
    assert_string_equal(h.url_base, "https://engine:2376");
    assert_string_equal(h.ca, "/certs/ca.pem");
    host_free(&h);
}

static void config_dir_from_home(void **state)
{
    struct world *w = *state;
    struct docker_env env = { .home = "/home/u" };
    char *dir = context_config_dir(&env);
    assert_string_equal(dir, "/home/u/.docker");
    free(dir);
    env.config = w->dir;
    dir = context_config_dir(&env);
    assert_string_equal(dir, w->dir);
    free(dir);
    env.config = env.home = NULL;
    assert_null(context_config_dir(&env));

    /* HOME/.docker is where the store is when DOCKER_CONFIG is unset. */
    char home[sizeof w->dir - 16];
    snprintf(home, sizeof home, "%.40s/home", w->dir);
    struct world w2 = { .env = { .home = home } };
    snprintf(w2.dir, sizeof w2.dir, "%.50s/.docker", home);
    make_context(&w2, "mine", "unix:///tmp/mine.sock", 0, NULL);
    struct host h;
    char err[256];
    assert_int_equal(context_resolve(&h, NULL, "mine", &w2.env, NULL, err,
                                     sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/mine.sock");
    host_free(&h);
    /* Neither: a named context cannot be found. */
    w2.env.home = NULL;
    assert_int_equal(context_resolve(&h, NULL, "mine", &w2.env, NULL, err,
                                     sizeof err), EINVAL);
    assert_non_null(strstr(err, "mine"));
}

static void tls_from_the_store(void **state)
{
    struct world *w = *state;
    struct host h;
    char err[256], hex[65], want[512];

    make_context(w, "full", "tcp://10.1.2.3", 0, "ack");
    assert_int_equal(context_load(&h, w->dir, "full", err, sizeof err), 0);
    assert_int_equal(h.tls, 1);
    assert_int_equal(h.insecure, 0);
    assert_string_equal(h.url_base, "https://10.1.2.3:2376");
    assert_null(h.unix_path);
    assert_int_equal(context_dir_name("full", hex), 0);
    snprintf(want, sizeof want, "%s/contexts/tls/%s/docker/ca.pem", w->dir, hex);
    assert_string_equal(h.ca, want);
    snprintf(want, sizeof want, "%s/contexts/tls/%s/docker/cert.pem", w->dir, hex);
    assert_string_equal(h.cert, want);
    snprintf(want, sizeof want, "%s/contexts/tls/%s/docker/key.pem", w->dir, hex);
    assert_string_equal(h.key, want);
    assert_string_equal(h.name, "full");
    host_free(&h);

    /* Only a CA: verify the engine, present no certificate. */
    make_context(w, "caonly", "tcp://10.1.2.3:9999", 0, "a");
    assert_int_equal(context_load(&h, w->dir, "caonly", err, sizeof err), 0);
    assert_int_equal(h.tls, 1);
    assert_string_equal(h.url_base, "https://10.1.2.3:9999");
    assert_non_null(h.ca);
    assert_null(h.cert);
    assert_null(h.key);
    host_free(&h);

    /* SkipTLSVerify alone: https, nothing verified. */
    make_context(w, "skip", "tcp://10.1.2.3:2376", 1, NULL);
    assert_int_equal(context_load(&h, w->dir, "skip", err, sizeof err), 0);
    assert_int_equal(h.tls, 1);
    assert_int_equal(h.insecure, 1);
    assert_null(h.ca);
    host_free(&h);

    /* No TLS material, no skip: plain http. */
    make_context(w, "plain", "tcp://10.1.2.3", 0, NULL);
    assert_int_equal(context_load(&h, w->dir, "plain", err, sizeof err), 0);
    assert_int_equal(h.tls, 0);
    assert_string_equal(h.url_base, "http://10.1.2.3:2375");
    host_free(&h);
}

static void broken_contexts(void **state)
{
    struct world *w = *state;
    struct host h;
    char err[512], hex[65], rel[256];

    /* Not in the store. */
    assert_int_equal(context_load(&h, w->dir, "nope", err, sizeof err), ENOENT);
    assert_non_null(strstr(err, "'nope'"));
    assert_null(strchr(err, '\n'));
    w->env.context = "nope";
    assert_int_equal(resolve(w, &h, NULL, NULL, NULL, err, sizeof err), ENOENT);
    w->env.context = NULL;
    use_context(w, "gone");
    assert_int_equal(resolve(w, &h, NULL, NULL, NULL, err, sizeof err), ENOENT);
    assert_non_null(strstr(err, "'gone'"));

    /* A certificate without its key, and the reverse. */
    make_context(w, "nokey", "tcp://10.1.2.3", 0, "ac");
    assert_int_equal(context_load(&h, w->dir, "nokey", err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "key.pem"));
    assert_non_null(strstr(err, "'nokey'"));
    make_context(w, "nocert", "tcp://10.1.2.3", 0, "k");
    assert_int_equal(context_load(&h, w->dir, "nocert", err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "cert.pem"));

    /* meta.json that is not JSON, has no docker endpoint, or no host. */
    assert_int_equal(context_dir_name("bad", hex), 0);
    snprintf(rel, sizeof rel, "contexts/meta/%s/meta.json", hex);
    write_file(w->dir, rel, "{\"Name\": ");
    assert_int_equal(context_load(&h, w->dir, "bad", err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "'bad'"));
    /* Its text is never echoed (jansson quotes the input near an error;
     * the file may be a link to a secret, read as root). */
    write_file(w->dir, rel, "{\"Name\": SECRETTOKEN}");
    assert_int_equal(context_load(&h, w->dir, "bad", err, sizeof err), EINVAL);
    assert_null(strstr(err, "SECRET"));
    write_file(w->dir, rel, "root:$6$SECRETHASH:19000:0:99999:7:::\n");
    assert_int_equal(context_load(&h, w->dir, "bad", err, sizeof err), EINVAL);
    assert_null(strstr(err, "'root'"));
    assert_non_null(strstr(err, "not JSON (line 1"));
    write_file(w->dir, rel, "{\"Name\":\"bad\",\"Endpoints\":{}}");
    assert_int_equal(context_load(&h, w->dir, "bad", err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "docker endpoint"));
    write_file(w->dir, rel, "{\"Endpoints\":{\"docker\":{\"Host\":\"\"}}}");
    assert_int_equal(context_load(&h, w->dir, "bad", err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "docker host"));

    /* An address dockerfs cannot reach. */
    make_context(w, "ssh", "ssh://me@box", 0, NULL);
    assert_int_equal(context_load(&h, w->dir, "ssh", err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "ssh://"));

    /* config.json broken, or currentContext of the wrong type. */
    write_file(w->dir, "config.json", "not json");
    assert_int_equal(resolve(w, &h, NULL, NULL, NULL, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "config.json"));
    write_file(w->dir, "config.json", "{\"currentContext\": 7}");
    assert_int_equal(resolve(w, &h, NULL, NULL, NULL, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "currentContext"));
    /* ... which DOCKER_HOST never reads. */
    w->env.host = "unix:///tmp/x.sock";
    assert_int_equal(resolve(w, &h, NULL, NULL, NULL, err, sizeof err), 0);
    host_free(&h);

    /* Names that are not context names. */
    assert_int_equal(context_load(&h, w->dir, "", err, sizeof err), EINVAL);
    assert_int_equal(context_load(&h, w->dir, CONTEXT_DEFAULT, err, sizeof err),
                     EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_names_are_sha256),
        cmocka_unit_test_setup_teardown(nothing_set_is_the_default_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(current_context_is_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(the_order_of_choice, setup, teardown),
        cmocka_unit_test_setup_teardown(default_means_no_context, setup, teardown),
        cmocka_unit_test_setup_teardown(config_dir_from_home, setup, teardown),
        cmocka_unit_test_setup_teardown(tls_from_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_contexts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
