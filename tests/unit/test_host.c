/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for host.c: picking the engine address. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host.h"

static void defaults_to_docker_sock(void **state)
{
    (void)state;
    struct host h;
    char err[128];
    assert_int_equal(host_resolve(&h, NULL, NULL, NULL, NULL, "/root", err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/var/run/docker.sock");
    assert_string_equal(h.url_base, "http://localhost");
    assert_string_equal(h.display, "unix:///var/run/docker.sock");
    assert_int_equal(h.tls, 0);
    assert_null(h.ca);
    host_free(&h);
    /* Empty DOCKER_HOST counts as unset. */
    assert_int_equal(host_resolve(&h, NULL, "", NULL, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/var/run/docker.sock");
    host_free(&h);
    host_free(&h);
}

static void flag_beats_env(void **state)
{
    (void)state;
    struct host h;
    char err[128];
    assert_int_equal(host_resolve(&h, "unix:///tmp/a.sock", "unix:///tmp/b.sock",
                                  NULL, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/a.sock");
    host_free(&h);
    assert_int_equal(host_resolve(&h, NULL, "unix:///tmp/b.sock",
                                  NULL, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/tmp/b.sock");
    host_free(&h);
    /* A bare absolute path is a socket. */
    assert_int_equal(host_resolve(&h, "/run/podman/podman.sock", NULL,
                                  NULL, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(h.unix_path, "/run/podman/podman.sock");
    host_free(&h);
}

static void tcp_ports(void **state)
{
    (void)state;
    struct host h;
    char err[128];
    assert_int_equal(host_resolve(&h, "tcp://engine", NULL, NULL, NULL, NULL, err, sizeof err), 0);
    assert_null(h.unix_path);
    assert_string_equal(h.url_base, "http://engine:2375");
    assert_int_equal(h.tls, 0);
    host_free(&h);
    assert_int_equal(host_resolve(&h, "tcp://engine:1234/", NULL, "", NULL, NULL, err, sizeof err), 0);
    assert_string_equal(h.url_base, "http://engine:1234");
    host_free(&h);
    assert_int_equal(host_resolve(&h, NULL, "tcp://[::1]", NULL, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(h.url_base, "http://[::1]:2375");
    host_free(&h);
    assert_int_equal(host_resolve(&h, "tcp://[::1]:99", NULL, NULL, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(h.url_base, "http://[::1]:99");
    host_free(&h);
    assert_int_equal(host_resolve(&h, "tcp://:2375", NULL, NULL, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(h.url_base, "http://127.0.0.1:2375");
    host_free(&h);
}

static void tls_paths(void **state)
{
    (void)state;
    struct host h;
    char err[128];
    assert_int_equal(host_resolve(&h, NULL, "tcp://engine", "1", "/certs",
                                  "/home/u", err, sizeof err), 0);
    assert_string_equal(h.url_base, "https://engine:2376");
    assert_int_equal(h.tls, 1);
    assert_string_equal(h.ca, "/certs/ca.pem");
    assert_string_equal(h.cert, "/certs/cert.pem");
    assert_string_equal(h.key, "/certs/key.pem");
    host_free(&h);
    assert_int_equal(host_resolve(&h, "tcp://engine:3000", NULL, "yes", "",
                                  "/home/u", err, sizeof err), 0);
    assert_string_equal(h.url_base, "https://engine:3000");
    assert_string_equal(h.ca, "/home/u/.docker/ca.pem");
    host_free(&h);
    /* TLS does not apply to a socket. */
    assert_int_equal(host_resolve(&h, "unix:///x.sock", NULL, "1", "/certs",
                                  NULL, err, sizeof err), 0);
    assert_int_equal(h.tls, 0);
    assert_null(h.ca);
    host_free(&h);
    err[0] = '\0';
    assert_int_equal(host_resolve(&h, "tcp://engine", NULL, "1", NULL, NULL,
                                  err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "DOCKER_CERT_PATH"));
}

static void bad_addresses(void **state)
{
    (void)state;
    const char *bad[] = { "", "http://engine:2375", "https://x", "ssh://u@h",
                          "npipe:////./pipe/docker_engine", "fd://",
                          "unix://", "unix://relative.sock", "engine:2375",
                          "tcp://engine:", "tcp://engine:0", "tcp://engine:65536",
                          "tcp://engine:12x", "tcp://engine:123456",
                          "tcp://engine/path", "tcp://u@engine", "tcp://[::1",
                          "tcp://[::1]x", "relative/path" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct host h;
        char err[128] = "";
        assert_int_equal(host_resolve(&h, bad[i], "unix:///ok.sock", NULL, NULL,
                                      NULL, err, sizeof err), EINVAL);
        assert_true(strlen(err) > 0);
        assert_null(h.url_base);
        assert_null(h.display);
        host_free(&h);
    }
    struct host h;
    assert_int_equal(host_resolve(&h, "ssh://x", NULL, NULL, NULL, NULL, NULL, 0), EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_to_docker_sock),
        cmocka_unit_test(flag_beats_env),
        cmocka_unit_test(tcp_ports),
        cmocka_unit_test(tls_paths),
        cmocka_unit_test(bad_addresses),
    };
    return cmocka_run_group_tests_name("host", tests, NULL, NULL);
}
