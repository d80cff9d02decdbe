/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stallproxy - a unix-socket proxy in front of an engine, which a test can
 * make slow or make vanish.
 *
 *   stallproxy LISTEN_SOCKET TARGET_SOCKET [--state FILE]
 *
 * Accepts on LISTEN_SOCKET and forwards every connection, byte for byte,
 * to TARGET_SOCKET. Signals switch its mode:
 *
 *   SIGUSR1  stall: connections are still accepted, but nothing is
 *            forwarded either way. A client that hangs up while stalled is
 *            dropped: its request never reaches the engine.
 *   SIGUSR2  flow: forward again (and listen again after "down").
 *   SIGHUP   down: close every connection and the listening socket, so a
 *            client gets "connection refused" as from a stopped engine.
 *   SIGWINCH hold: the connections open now stall (as in stall), new ones
 *            flow; so a long-lived stream (GET /events) goes quiet while
 *            every new request is answered. SIGUSR2 ends it.
 *   SIGTERM, SIGINT  exit 0.
 *
 * With --state FILE the mode now in force ("flow", "stall" or "down") is
 * written to FILE after each switch, so a test knows when it took effect.
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define BUF_SIZE (64 * 1024)
#define MAX_CONNS 256

enum mode { MODE_FLOW, MODE_STALL, MODE_DOWN, MODE_HOLD };

/* One direction of a connection: bytes read from one side, not yet
 * written to the other. */
struct pipe_buf {
    char data[BUF_SIZE];
    size_t len;
    int eof;
};

struct conn {
    int client, upstream;
    struct pipe_buf up, down;   /* client->engine, engine->client */
    int held;                   /* open when hold began: stalled */
};

static volatile sig_atomic_t want_mode = MODE_FLOW;
static volatile sig_atomic_t want_exit;
static int wake_pipe[2] = { -1, -1 };

static const char *mode_name(int m)
{
    return m == MODE_STALL ? "stall" : m == MODE_DOWN ? "down"
           : m == MODE_HOLD ? "hold" : "flow";
}

/* Records the mode for signals; the self-pipe wakes poll() at once. */
static void on_signal(int sig)
{
    int saved = errno;

    if (sig == SIGUSR1)
        want_mode = MODE_STALL;
    else if (sig == SIGUSR2)
        want_mode = MODE_FLOW;
    else if (sig == SIGHUP)
        want_mode = MODE_DOWN;
    else if (sig == SIGWINCH)
        want_mode = MODE_HOLD;
    else
        want_exit = 1;
    if (write(wake_pipe[1], "x", 1) < 0) {
        /* A full pipe already guarantees a wake-up. */
    }
    errno = saved;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Fills a sockaddr_un; -1 if the path does not fit. */
static int make_addr(const char *path, struct sockaddr_un *a)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a->sun_path)
        return -1;
    strcpy(a->sun_path, path);
    return 0;
}

/* Opens the listening socket at path (replacing a stale one); -1 on
 * error. */
static int listen_on(const char *path)
{
    struct sockaddr_un a;
    int fd;

    if (make_addr(path, &a) != 0)
        return -1;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
        set_nonblock(fd) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Connects to the engine (blocking: a local socket answers at once);
 * -1 on error. */
static int connect_to(const char *path)
{
    struct sockaddr_un a;
    int fd;

    if (make_addr(path, &a) != 0)
        return -1;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || set_nonblock(fd) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void conn_close(struct conn **conns, size_t *n, size_t i)
{
    close(conns[i]->client);
    close(conns[i]->upstream);
    free(conns[i]);
    conns[i] = conns[--*n];
}

/* Reads what fd has into b; 0 while the connection lives, -1 when it
 * failed. EOF is recorded in b->eof. */
static int fill(int fd, struct pipe_buf *b)
{
    ssize_t r;

    if (b->eof || b->len == BUF_SIZE)
        return 0;
    r = read(fd, b->data + b->len, BUF_SIZE - b->len);
    if (r > 0)
        b->len += (size_t)r;
    else if (r == 0)
        b->eof = 1;
    else if (errno != EAGAIN && errno != EINTR)
        return -1;
    return 0;
}

/* Writes what b holds to fd; 0 while the connection lives, -1 when it
 * failed. */
static int drain(int fd, struct pipe_buf *b)
{
    ssize_t w;

    if (b->len == 0)
        return 0;
    w = send(fd, b->data, b->len, MSG_NOSIGNAL);
    if (w > 0) {
        memmove(b->data, b->data + w, b->len - (size_t)w);
        b->len -= (size_t)w;
    } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        return -1;
    }
    return 0;
}

/* Writes the mode to the state file by rename, so a reader never sees a
 * half-written file. */
static void write_state(const char *file, int mode)
{
    char tmp[4096];
    FILE *f;

    if (!file || snprintf(tmp, sizeof tmp, "%s.tmp", file) >= (int)sizeof tmp)
        return;
    f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "%s\n", mode_name(mode));
    if (fclose(f) == 0)
        rename(tmp, file);
}

/* Accepts every pending client and pairs it with an engine connection. */
static void accept_all(int lfd, const char *target, struct conn **conns, size_t *n)
{
    for (;;) {
        int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        struct conn *k;
        int u;

        if (c < 0)
            return;
        if (*n == MAX_CONNS || (u = connect_to(target)) < 0) {
            close(c);
            continue;
        }
        if (!(k = calloc(1, sizeof *k))) {
            close(c);
            close(u);
            continue;
        }
        k->client = c;
        k->upstream = u;
        conns[(*n)++] = k;
    }
}

/* Moves bytes for connection k after poll; returns -1 when it is over. */
static int service(struct conn *k, const struct pollfd *pc,
                   const struct pollfd *pu, int mode)
{
    if (mode == MODE_STALL) {
        /* Read the client only to notice it hang up. */
        if ((pc->revents & (POLLIN | POLLHUP | POLLERR | POLLRDHUP)) &&
            fill(k->client, &k->up) != 0)
            return -1;
        if (k->up.eof || (pc->revents & (POLLERR | POLLRDHUP)) ||
            (pu->revents & (POLLERR | POLLHUP)))
            return -1;
        return 0;
    }
    if ((pc->revents & (POLLIN | POLLHUP | POLLERR)) && fill(k->client, &k->up) != 0)
        return -1;
    if ((pu->revents & (POLLIN | POLLHUP | POLLERR)) && fill(k->upstream, &k->down) != 0)
        return -1;
    if (drain(k->upstream, &k->up) != 0 || drain(k->client, &k->down) != 0)
        return -1;
    /* One side ended and all it sent is delivered: the pair is done. */
    if ((k->up.eof && k->up.len == 0) || (k->down.eof && k->down.len == 0))
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    static struct conn *conns[MAX_CONNS];
    static struct pollfd pfd[2 + 2 * MAX_CONNS];
    const char *listen_path, *target, *state_file = NULL;
    struct sigaction sa;
    size_t n = 0;
    int lfd, mode = MODE_FLOW;

    if (argc == 5 && strcmp(argv[3], "--state") == 0)
        state_file = argv[4];
    else if (argc != 3) {
        fprintf(stderr, "usage: stallproxy LISTEN_SOCKET TARGET_SOCKET [--state FILE]\n");
        return 2;
    }
    listen_path = argv[1];
    target = argv[2];
    if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGWINCH, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if ((lfd = listen_on(listen_path)) < 0) {
        fprintf(stderr, "stallproxy: cannot listen on %s: %s\n", listen_path, strerror(errno));
        return 1;
    }
    write_state(state_file, mode);
    while (!want_exit) {
        size_t np = 0, i;
        char junk[64];

        if (want_mode != mode) {
            mode = want_mode;
            for (i = 0; i < n; i++)
                conns[i]->held = mode == MODE_HOLD;
            if (mode == MODE_DOWN) {
                while (n)
                    conn_close(conns, &n, 0);
                if (lfd >= 0)
                    close(lfd);
                lfd = -1;
                unlink(listen_path);
            } else if (lfd < 0 && (lfd = listen_on(listen_path)) < 0) {
                fprintf(stderr, "stallproxy: cannot listen again: %s\n", strerror(errno));
                return 1;
            }
            write_state(state_file, mode);
        }
        pfd[np++] = (struct pollfd){ .fd = wake_pipe[0], .events = POLLIN };
        pfd[np++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
        for (i = 0; i < n; i++) {
            struct conn *k = conns[i];
            short ce = 0, ue = 0;

            if (mode == MODE_STALL || k->held) {
                ce = (k->up.len < BUF_SIZE ? POLLIN : 0) | POLLRDHUP;
            } else {
                ce = (k->up.len < BUF_SIZE && !k->up.eof ? POLLIN : 0) |
                     (k->down.len ? POLLOUT : 0);
                ue = (k->down.len < BUF_SIZE && !k->down.eof ? POLLIN : 0) |
                     (k->up.len ? POLLOUT : 0);
            }
            pfd[np++] = (struct pollfd){ .fd = k->client, .events = ce };
            pfd[np++] = (struct pollfd){ .fd = k->upstream, .events = ue };
        }
        if (poll(pfd, np, -1) < 0 && errno != EINTR)
            return 1;
        while (read(wake_pipe[0], junk, sizeof junk) > 0)
            ;
        if (want_mode != mode)
            continue;           /* the mode switch comes first */
        /* Serve connections from the back so conn_close's swap-with-last
         * never skips one whose poll results are still unread. */
        for (i = n; i-- > 0;) {
            int m = conns[i]->held ? MODE_STALL : mode;
            if (service(conns[i], &pfd[2 + 2 * i], &pfd[3 + 2 * i], m) != 0)
                conn_close(conns, &n, i);
        }
        if (lfd >= 0 && (pfd[1].revents & POLLIN))
            accept_all(lfd, target, conns, &n);
    }
    while (n)
        conn_close(conns, &n, 0);
    if (lfd >= 0) {
        close(lfd);
        unlink(listen_path);
    }
    return 0;
}
