/* SPDX-License-Identifier: GPL-2.0-or-later */
/* outq.c - what ddaudio still has to send one listener (see outq.h). */
#include "outq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int outq_init(struct outq *q, size_t cap)
{
    q->buf = malloc(cap);
    q->cap = q->buf ? cap : 0;
    q->len = 0;
    return q->buf ? 0 : ENOMEM;
}

void outq_free(struct outq *q)
{
    free(q->buf);
    q->buf = NULL;
    q->cap = q->len = 0;
}

bool outq_push(struct outq *q, const void *data, size_t n)
{
    if (n > q->cap - q->len)
        return false;
    memcpy(q->buf + q->len, data, n);
    q->len += n;
    return true;
}

int outq_flush(struct outq *q, int fd)
{
    size_t sent = 0;
    int rc = 0;

    while (sent < q->len) {
        /* send, not write: MSG_NOSIGNAL keeps a listener who left from
           killing ddaudio with SIGPIPE. */
        ssize_t n = send(fd, q->buf + sent, q->len - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                rc = errno;
            break;
        }
        sent += (size_t)n;
    }
    memmove(q->buf, q->buf + sent, q->len - sent);
    q->len -= sent;
    return rc;
}
