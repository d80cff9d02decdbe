/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ddaudio.c - the game's sound, to whoever knows the VNC password.
 *
 * The game writes raw samples into a FIFO (SDL's "disk" audio driver);
 * ddaudio reads them at the sample rate and sends them to every listener
 * on a unix socket that answered VNC's password challenge. In the game
 * container websockify carries that socket to the noVNC page
 * (websockify?token=audio), which plays it.
 *
 *   $ ddaudio --fifo /tmp/audio/1/pcm --socket /tmp/audio/1/audio.sock \
 *             --password-file /run/vncpass &
 *   ddaudio: reading /tmp/audio/1/pcm (44100 Hz, 2 channels), listening on /tmp/audio/1/audio.sock
 *   $ SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE=/tmp/audio/1/pcm \
 *     SDL_DISKAUDIODELAY=0 chocolate-doom ...
 *   ddaudio: listener 1: password right, sending sound
 *   ddaudio: listener 2: wrong password, closed
 *
 * On the socket:
 *   ddaudio -> "DDA1" and a 16-byte challenge (vncauth.h)
 *   client  -> 16 bytes: the challenge DES-encrypted with the password
 *   ddaudio -> if right: rate (u32, little-endian), channels (u8), bits
 *              (u8, 16), two zero bytes, then the samples as they come
 *              (s16le, interleaved); if wrong, or no answer within 10 s:
 *              nothing more, the socket is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "outq.h"
#include "pace.h"
#include "vncauth.h"

#define MAX_LISTENERS 64
#define AUTH_TIMEOUT_NS (10ull * 1000000000ull)
#define HELLO "DDA1"

struct settings {
    const char *fifo;
    const char *socket;
    const char *password_file;
    uint32_t rate;
    unsigned channels;
    unsigned tick_ms;
    unsigned max_listeners;
    unsigned queue_ms;
};

enum listener_state { L_FREE, L_CHALLENGED, L_STREAMING };

struct listener {
    enum listener_state state;
    int fd;
    unsigned id;
    uint64_t deadline_ns;              /* for the answer */
    unsigned char challenge[VNCAUTH_LEN];
    unsigned char answer[VNCAUTH_LEN];
    size_t answered;                   /* answer bytes in so far */
    struct outq q;
    unsigned long dropped;             /* chunks it did not take */
};

static volatile sig_atomic_t stop_signal;
static char password[VNCAUTH_KEY + 1];

static void on_stop(int sig)
{
    stop_signal = sig;
}

static uint64_t now_ns(clockid_t clk)
{
    struct timespec ts;

    clock_gettime(clk, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
    fputs("usage: ddaudio --fifo FILE --socket FILE --password-file FILE [OPTION...]\n"
          "Sends the raw samples a game writes into FIFO FILE (made if missing)\n"
          "to each listener on unix socket FILE that answers the VNC password\n"
          "challenge (the password is the first line of --password-file).\n"
          "\n"
          "  --rate HZ          sample rate of the FIFO's samples (44100)\n"
          "  --channels N       interleaved channels, 1 or 2 (2)\n"
          "  --tick-ms MS       how often the FIFO is read (10)\n"
          "  --max-listeners N  listeners at once, 1..64 (8)\n"
          "  --queue-ms MS      sound queued for a slow listener before it\n"
          "                     loses chunks (250)\n"
          "  --help             this text\n", f);
}

/* Parses a number in [lo, hi] into *out; false if it is not one. */
static bool parse_num(const char *s, unsigned long lo, unsigned long hi,
                      unsigned long *out)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Fills *st from the command line; exits 2 on a bad one. */
static void parse_args(int argc, char **argv, struct settings *st)
{
    static const struct option opts[] = {
        { "fifo", required_argument, NULL, 'f' },
        { "socket", required_argument, NULL, 's' },
        { "password-file", required_argument, NULL, 'p' },
        { "rate", required_argument, NULL, 'r' },
        { "channels", required_argument, NULL, 'c' },
        { "tick-ms", required_argument, NULL, 't' },
        { "max-listeners", required_argument, NULL, 'm' },
        { "queue-ms", required_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    unsigned long v;
    int c, li = 0;

    *st = (struct settings){ .rate = 44100, .channels = 2, .tick_ms = 10,
                             .max_listeners = 8, .queue_ms = 250 };
    while ((c = getopt_long(argc, argv, "", opts, &li)) != -1) {
        bool ok = true;
        switch (c) {
        case 'f': st->fifo = optarg; break;
        case 's': st->socket = optarg; break;
        case 'p': st->password_file = optarg; break;
        case 'r': ok = parse_num(optarg, 8000, 192000, &v); st->rate = (uint32_t)v; break;
        case 'c': ok = parse_num(optarg, 1, 2, &v); st->channels = (unsigned)v; break;
        case 't': ok = parse_num(optarg, 1, 100, &v); st->tick_ms = (unsigned)v; break;
        case 'm': ok = parse_num(optarg, 1, MAX_LISTENERS, &v); st->max_listeners = (unsigned)v; break;
        case 'q': ok = parse_num(optarg, 20, 5000, &v); st->queue_ms = (unsigned)v; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); exit(2);
        }
        if (!ok) {
            fprintf(stderr, "ddaudio: bad value '%s' for --%s\n", optarg, opts[li].name);
            usage(stderr);
            exit(2);
        }
    }
    if (optind < argc || !st->fifo || !st->socket || !st->password_file) {
        fprintf(stderr, "ddaudio: --fifo, --socket and --password-file are needed\n");
        usage(stderr);
        exit(2);
    }
}

/* Reads the password (the first line of path, as x11vnc's -passwdfile
   does) into the global password; only its first 8 characters count.
   0, or an errno (EINVAL: no password on the first line). */
static int read_password(const char *path)
{
    char line[256];
    FILE *f = fopen(path, "re");
    size_t n;
    int rc = 0;

    if (!f)
        return errno;
    if (!fgets(line, sizeof(line), f))
        rc = ferror(f) ? EIO : EINVAL;
    fclose(f);
    if (rc == 0) {
        n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n == 0)
            rc = EINVAL;
        if (n > VNCAUTH_KEY)
            n = VNCAUTH_KEY;
        memcpy(password, line, n);
        password[n] = '\0';
    }
    memset(line, 0, sizeof(line));
    return rc;
}

/* Opens the FIFO at path (made, mode 0600, if missing) for reading,
   non-blocking. It is opened read-write: the game's open for writing
   never waits, and its writes never fail for want of a reader, even
   between two of ddaudio's reads. Its buffer is cut to one page: that
   buffer is latency. Returns the descriptor, or -1 (logged). */
static int open_fifo(const char *path)
{
    struct stat sb;
    int fd;

    if (mkfifo(path, 0600) < 0 && errno != EEXIST) {
        fprintf(stderr, "ddaudio: cannot make the FIFO %s: %s\n", path, strerror(errno));
        return -1;
    }
    fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "ddaudio: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) < 0 || !S_ISFIFO(sb.st_mode)) {
        fprintf(stderr, "ddaudio: %s is not a FIFO\n", path);
        close(fd);
        return -1;
    }
    if (fcntl(fd, F_SETPIPE_SZ, 4096) < 0)
        fprintf(stderr, "ddaudio: note: FIFO buffer left as it is: %s\n", strerror(errno));
    return fd;
}

/* Listens on the unix socket path (a stale socket there is replaced;
   any other file is not). Returns the descriptor, or -1 (logged). */
static int listen_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct stat sb;
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "ddaudio: socket path too long: %s\n", path);
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    if (lstat(path, &sb) == 0) {
        if (!S_ISSOCK(sb.st_mode)) {
            fprintf(stderr, "ddaudio: %s exists and is not a socket\n", path);
            return -1;
        }
        unlink(path);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(fd, 16) < 0) {
        fprintf(stderr, "ddaudio: cannot listen on %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void drop_listener(struct listener *l, const char *why)
{
    if (why)
        fprintf(stderr, "ddaudio: listener %u: %s\n", l->id, why);
    close(l->fd);
    outq_free(&l->q);
    l->state = L_FREE;
    l->fd = -1;
}

/* Takes a new connection: sends it the challenge. */
static void accept_listener(int lfd, struct listener *ls, const struct settings *st,
                            unsigned *next_id, uint64_t now)
{
    unsigned char hello[4 + VNCAUTH_LEN];
    struct listener *l = NULL;
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (fd < 0)
        return;
    for (unsigned i = 0; i < st->max_listeners && !l; i++)
        if (ls[i].state == L_FREE)
            l = &ls[i];
    if (!l) {
        fprintf(stderr, "ddaudio: %u listeners already: one more refused\n", st->max_listeners);
        close(fd);
        return;
    }
    size_t cap = (size_t)st->rate * st->channels * 2 * st->queue_ms / 1000;
    *l = (struct listener){ .state = L_CHALLENGED, .fd = fd, .id = ++*next_id,
                            .deadline_ns = now + AUTH_TIMEOUT_NS };
    if (outq_init(&l->q, cap + sizeof(hello)) != 0) {
        drop_listener(l, "out of memory");
        return;
    }
    if (vncauth_challenge(l->challenge) != 0) {
        drop_listener(l, "no random bytes for a challenge");
        return;
    }
    memcpy(hello, HELLO, 4);
    memcpy(hello + 4, l->challenge, VNCAUTH_LEN);
    outq_push(&l->q, hello, sizeof(hello));
    if (outq_flush(&l->q, l->fd) != 0)
        drop_listener(l, "left before the challenge");
}

/* Reads what a listener sent: its answer, then nothing that matters. */
static void read_listener(struct listener *l, const struct settings *st)
{
    unsigned char buf[512];
    ssize_t n = recv(l->fd, buf, sizeof(buf), 0);

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        drop_listener(l, l->state == L_CHALLENGED ? "left without an answer" : "left");
        return;
    }
    if (l->state != L_CHALLENGED)
        return;
    size_t take = (size_t)n < VNCAUTH_LEN - l->answered ? (size_t)n : VNCAUTH_LEN - l->answered;
    memcpy(l->answer + l->answered, buf, take);
    l->answered += take;
    if (l->answered < VNCAUTH_LEN)
        return;
    if (!vncauth_check(password, l->challenge, l->answer)) {
        drop_listener(l, "wrong password, closed");
        return;
    }
    unsigned char head[8] = {
        (unsigned char)(st->rate & 0xff), (unsigned char)((st->rate >> 8) & 0xff),
        (unsigned char)((st->rate >> 16) & 0xff), (unsigned char)(st->rate >> 24),
        (unsigned char)st->channels, 16, 0, 0,
    };
    outq_push(&l->q, head, sizeof(head));
    l->state = L_STREAMING;
    fprintf(stderr, "ddaudio: listener %u: password right, sending sound\n", l->id);
}

/* The game's side: its FIFO, the clock it is read by, the bytes read. */
struct reader {
    int fd;
    struct pace pc;
    int16_t buf[192000 * 2 / 10 + 2];  /* 100 ms at the highest rate */
    size_t carry;                      /* bytes of a partial frame left in buf */
};

/* Takes what is due from the FIFO (at most 100 ms at once) and queues it
   for every listener that streams. */
static void read_game(struct reader *r, struct listener *ls,
                      const struct settings *st, uint64_t now)
{
    unsigned char *buf = (unsigned char *)r->buf;
    size_t frame = st->channels * 2;
    size_t room = (sizeof(r->buf) - r->carry) / frame * frame;
    uint64_t due = pace_due(&r->pc, now);
    size_t want = due < room / frame ? (size_t)due * frame : room;
    size_t got = r->carry;

    while (got < r->carry + want) {
        ssize_t n = read(r->fd, buf + got, r->carry + want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    size_t frames = got / frame;
    pace_took(&r->pc, frames);
    if (got < r->carry + want)
        pace_dry(&r->pc, now);
    if (frames > 0) {
        for (unsigned i = 0; i < st->max_listeners; i++) {
            struct listener *l = &ls[i];
            if (l->state == L_STREAMING && !outq_push(&l->q, buf, frames * frame) &&
                l->dropped++ % 100 == 0)
                fprintf(stderr, "ddaudio: listener %u does not keep up: %lu chunks dropped\n",
                        l->id, l->dropped);
        }
    }
    r->carry = got - frames * frame;
    memmove(buf, buf + frames * frame, r->carry);
}

/* The loop: the tick reads the game, the socket takes listeners, each
   listener is read and written as it is ready. Returns the exit status. */
static int serve(struct reader *r, int lfd, int tfd, const struct settings *st)
{
    struct listener ls[MAX_LISTENERS];
    struct pollfd pfd[2 + MAX_LISTENERS];
    unsigned idx[MAX_LISTENERS];
    unsigned next_id = 0;

    for (unsigned i = 0; i < MAX_LISTENERS; i++)
        ls[i] = (struct listener){ .state = L_FREE, .fd = -1 };
    /* Up to 50 ms owed: more than one slice of the game's mixer. */
    pace_init(&r->pc, st->rate, st->rate / 20, now_ns(CLOCK_MONOTONIC));
    while (!stop_signal) {
        nfds_t n = 2;
        pfd[0] = (struct pollfd){ .fd = tfd, .events = POLLIN };
        pfd[1] = (struct pollfd){ .fd = lfd, .events = POLLIN };
        for (unsigned i = 0; i < st->max_listeners; i++) {
            if (ls[i].state == L_FREE)
                continue;
            pfd[n] = (struct pollfd){ .fd = ls[i].fd, .events = POLLIN };
            if (ls[i].q.len)
                pfd[n].events |= POLLOUT;
            idx[n - 2] = i;
            n++;
        }
        if (poll(pfd, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "ddaudio: poll: %s\n", strerror(errno));
            return 1;
        }
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        if (pfd[0].revents & POLLIN) {
            uint64_t ticks;
            if (read(tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
                return 1;
            read_game(r, ls, st, now);
            for (unsigned i = 0; i < st->max_listeners; i++)
                if (ls[i].state == L_CHALLENGED && now > ls[i].deadline_ns)
                    drop_listener(&ls[i], "no answer in 10 s, closed");
        }
        for (nfds_t k = 2; k < n; k++) {
            struct listener *l = &ls[idx[k - 2]];
            if (l->state == L_FREE)
                continue;
            if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
                read_listener(l, st);
            if (l->state != L_FREE && l->q.len) {
                int err = outq_flush(&l->q, l->fd);
                if (err)
                    drop_listener(l, err == EPIPE || err == ECONNRESET ? "left" : strerror(err));
            }
        }
        if (pfd[1].revents & POLLIN)
            accept_listener(lfd, ls, st, &next_id, now);
    }
    for (unsigned i = 0; i < MAX_LISTENERS; i++)
        if (ls[i].state != L_FREE)
            drop_listener(&ls[i], NULL);
    return 0;
}

int main(int argc, char **argv)
{
    struct settings st;
    struct sigaction sa = { .sa_handler = on_stop };
    static struct reader r;
    int lfd, tfd, rc;

    parse_args(argc, argv, &st);
    rc = read_password(st.password_file);
    if (rc) {
        fprintf(stderr, "ddaudio: no password from %s: %s\n", st.password_file,
                rc == EINVAL ? "its first line is empty" : strerror(rc));
        return 1;
    }
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    umask(077);
    r.fd = open_fifo(st.fifo);
    if (r.fd < 0)
        return 1;
    lfd = listen_unix(st.socket);
    if (lfd < 0)
        return 1;
    tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    struct itimerspec its = {
        .it_interval = { .tv_nsec = (long)st.tick_ms * 1000000L },
        .it_value = { .tv_nsec = (long)st.tick_ms * 1000000L },
    };
    if (tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0) {
        fprintf(stderr, "ddaudio: timerfd: %s\n", strerror(errno));
        return 1;
    }
    fprintf(stderr, "ddaudio: reading %s (%u Hz, %u channels), listening on %s\n",
            st.fifo, st.rate, st.channels, st.socket);
    rc = serve(&r, lfd, tfd, &st);
    unlink(st.socket);
    memset(password, 0, sizeof(password));
    fprintf(stderr, "ddaudio: stopped\n");
    return rc;
}
