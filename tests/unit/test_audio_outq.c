/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for container/audio/outq.c: a listener's queue. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "outq.h"

static void push_is_all_or_nothing(void **state)
{
    struct outq q;
    (void)state;
    assert_int_equal(outq_init(&q, 10), 0);
    assert_true(outq_push(&q, "abcd", 4));
    assert_true(outq_push(&q, "efgh", 4));
    assert_false(outq_push(&q, "ijkl", 4));  /* 12 > 10: dropped whole */
    assert_int_equal(q.len, 8);
    assert_true(outq_push(&q, "ij", 2));
    assert_memory_equal(q.buf, "abcdefghij", 10);
    outq_free(&q);
    assert_null(q.buf);
}

/* A socket pair whose writing end is non-blocking with a small buffer. */
static void pair(int sv[2])
{
    int small = 4096;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
}

static void flush_keeps_order_when_the_socket_is_full(void **state)
{
    static unsigned char data[200000], got[200000];
    struct outq q;
    size_t have = 0;
    int sv[2];
    (void)state;
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 7 + i / 251);
    pair(sv);
    assert_int_equal(outq_init(&q, sizeof(data)), 0);
    assert_true(outq_push(&q, data, sizeof(data)));
    assert_int_equal(outq_flush(&q, sv[0]), 0);
    assert_true(q.len > 0);                  /* the socket took only part */
    while (have < sizeof(data)) {
        ssize_t n = read(sv[1], got + have, sizeof(got) - have);
        assert_true(n > 0);
        have += (size_t)n;
        assert_int_equal(outq_flush(&q, sv[0]), 0);
    }
    assert_int_equal(q.len, 0);
    assert_memory_equal(got, data, sizeof(data));
    outq_free(&q);
    close(sv[0]);
    close(sv[1]);
}

static void flush_reports_a_listener_gone(void **state)
{
    struct outq q;
    int sv[2];
    (void)state;
    pair(sv);
    close(sv[1]);
    assert_int_equal(outq_init(&q, 16), 0);
    assert_true(outq_push(&q, "samples", 7));
    /* EPIPE, and no SIGPIPE (which would end the test). */
    assert_int_equal(outq_flush(&q, sv[0]), EPIPE);
    assert_int_equal(q.len, 7);
    outq_free(&q);
    close(sv[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(push_is_all_or_nothing),
        cmocka_unit_test(flush_keeps_order_when_the_socket_is_full),
        cmocka_unit_test(flush_reports_a_listener_gone),
    };
    return cmocka_run_group_tests_name("audio_outq", tests, NULL, NULL);
}
