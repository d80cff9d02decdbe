/* vncplay.c - a scripted VNC client for tests: connect with a password,
 * send key events, save the framebuffer as PNG. See usage() and script.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "keys.h"
#include "pngout.h"
#include "script.h"

#include <errno.h>
#include <getopt.h>
#include <rfb/rfbclient.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Exit codes: distinct so a test can tell "no server" from "wrong
 * password" from "server went away". */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 1,    /* bad option or script */
    EXIT_CONNECT = 2,  /* TCP connection failed */
    EXIT_AUTH = 3,     /* authentication failed or password missing */
    EXIT_PROTO = 4,    /* handshake failed or connection lost */
    EXIT_TIMEOUT = 5,  /* no framebuffer update in time */
    EXIT_WRITE = 6,    /* could not write the PNG */
};

/* Everything one session needs; reached from libvncclient callbacks
 * through the client-data slot. */
struct play {
    const char *password;   /* NULL when none was given */
    int asked_password;     /* the server asked for one */
    unsigned long updates;  /* finished framebuffer updates so far */
    unsigned long asked;    /* updates count when we last asked for more */
    long typedelay_ms;
    long timeout_ms;
};

static int verbose;
static char lib_error[512];
static const char play_tag[] = "vncplay";

/* libvncclient's informational log: only shown with -v. */
static void lib_log(const char *fmt, ...)
{
    va_list ap;

    if (!verbose)
        return;
    va_start(ap, fmt);
    fputs("vncplay: libvncclient: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

/* libvncclient's errors: kept so our own message can quote the last one. */
static void lib_err(const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    vsnprintf(lib_error, sizeof lib_error, fmt, ap);
    va_end(ap);
    n = strlen(lib_error);
    while (n > 0 && (lib_error[n - 1] == '\n' || lib_error[n - 1] == '\r'))
        lib_error[--n] = '\0';
    if (verbose)
        fprintf(stderr, "vncplay: libvncclient error: %s\n", lib_error);
}

/* The session a library callback belongs to. */
static struct play *play_of(rfbClient *cl)
{
    return rfbClientGetClientData(cl, (void *)play_tag);
}

/* Called by the library for VNC authentication; it frees the result.
 * NULL (no password) makes it give up; an empty string would leak. */
static char *get_password(rfbClient *cl)
{
    struct play *p = play_of(cl);

    p->asked_password = 1;
    return p->password != NULL ? strdup(p->password) : NULL;
}

/* Our own allocation so that we, not the library version, decide who
 * frees it: vncplay frees it before rfbClientCleanup. */
static rfbBool alloc_framebuffer(rfbClient *cl)
{
    size_t bytes;

    free(cl->frameBuffer);
    cl->frameBuffer = NULL;
    if (cl->width <= 0 || cl->height <= 0 || cl->width > 16384 || cl->height > 16384)
        return FALSE;
    bytes = (size_t)cl->width * (size_t)cl->height * (size_t)(cl->format.bitsPerPixel / 8);
    cl->frameBuffer = calloc(1, bytes);
    return cl->frameBuffer != NULL;
}

/* With -v -v, each updated rectangle: shows what the server sends. */
static void got_rect(rfbClient *cl, int x, int y, int w, int h)
{
    (void)cl;
    if (verbose > 1)
        fprintf(stderr, "vncplay: rect %d,%d %dx%d\n", x, y, w, h);
}

/* Counts whole updates: waitfb and shot wait on this counter. */
static void update_finished(rfbClient *cl)
{
    play_of(cl)->updates++;
}

/* Milliseconds on the monotonic clock, for deadlines. */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Services server messages until the deadline, or, when want is nonzero,
 * until that many updates have finished. Returns EXIT_OK, EXIT_TIMEOUT
 * (only when waiting for updates) or EXIT_PROTO (connection lost). */
static int pump(rfbClient *cl, long long deadline, unsigned long want)
{
    struct play *p = play_of(cl);

    for (;;) {
        long long left;
        int n;

        /* libvncclient does not ask for the next update by itself: ask
         * after each one, so the framebuffer follows the screen. */
        if (p->updates != p->asked) {
            p->asked = p->updates;
            if (!SendIncrementalFramebufferUpdateRequest(cl)) {
                fprintf(stderr, "vncplay: update request failed: connection lost\n");
                return EXIT_PROTO;
            }
        }
        if (want != 0 && p->updates >= want)
            return EXIT_OK;
        left = deadline - now_ms();
        if (left <= 0)
            return want != 0 ? EXIT_TIMEOUT : EXIT_OK;
        if (left > 100)
            left = 100;
        /* Bytes already read into the library's buffer do not wake
         * select(), so handle them first. */
        n = cl->buffered > 0 ? 1 : WaitForMessage(cl, (unsigned int)left * 1000);
        if (n < 0 || (n > 0 && !HandleRFBServerMessage(cl))) {
            fprintf(stderr, "vncplay: connection lost%s%s\n", lib_error[0] ? ": " : "",
                    lib_error);
            return EXIT_PROTO;
        }
    }
}

/* Keeps the connection alive for ms milliseconds. */
static int do_wait(rfbClient *cl, long ms)
{
    return pump(cl, now_ms() + ms, 0);
}

/* Waits for one more finished update than we have seen. */
static int do_waitfb(rfbClient *cl)
{
    struct play *p = play_of(cl);
    int rc = pump(cl, now_ms() + p->timeout_ms, p->updates + 1);

    if (rc == EXIT_TIMEOUT)
        fprintf(stderr, "vncplay: no framebuffer update within %ld ms\n", p->timeout_ms);
    return rc;
}

/* One key event. Returns EXIT_OK or EXIT_PROTO. */
static int send_key(rfbClient *cl, uint32_t sym, int down)
{
    if (verbose)
        fprintf(stderr, "vncplay: key 0x%04x %s\n", (unsigned)sym, down ? "down" : "up");
    if (!SendKeyEvent(cl, sym, down ? TRUE : FALSE)) {
        fprintf(stderr, "vncplay: sending a key event failed: connection lost\n");
        return EXIT_PROTO;
    }
    return EXIT_OK;
}

/* Press, keep serviced for ms, release. */
static int do_hold(rfbClient *cl, uint32_t sym, long ms)
{
    int rc = send_key(cl, sym, 1);

    if (rc == EXIT_OK)
        rc = do_wait(cl, ms);
    if (rc == EXIT_OK)
        rc = send_key(cl, sym, 0);
    return rc;
}

/* A tap is a hold of the typing delay followed by a gap of the same
 * length: games sample input once a tic (DOOM: 1/35 s), so a press and
 * release in the same instant could be missed. */
static int do_tap(rfbClient *cl, uint32_t sym)
{
    long d = play_of(cl)->typedelay_ms;
    int rc = do_hold(cl, sym, d);

    return rc == EXIT_OK ? do_wait(cl, d) : rc;
}

/* Taps each character in turn; the script checked they are printable. */
static int do_type(rfbClient *cl, const char *text)
{
    int rc = EXIT_OK;

    for (; *text != '\0' && rc == EXIT_OK; text++)
        rc = do_tap(cl, key_for_char(*text));
    return rc;
}

/* Extracts one channel of a pixel and scales it to 0..255. */
static unsigned char channel(uint32_t px, int shift, int max)
{
    uint32_t v = (px >> shift) & (uint32_t)max;

    return max == 255 ? (unsigned char)v : (unsigned char)(v * 255u / (uint32_t)max);
}

/* Converts the client's framebuffer (any true-colour 8/16/32 bpp format)
 * to packed RGB and writes it. */
static int save_png(rfbClient *cl, const char *path)
{
    const rfbPixelFormat *f = &cl->format;
    int bpp = f->bitsPerPixel / 8, x, y;
    unsigned char *rgb;
    char err[512];

    rgb = malloc((size_t)cl->width * (size_t)cl->height * 3);
    if (rgb == NULL) {
        fprintf(stderr, "vncplay: out of memory\n");
        return EXIT_WRITE;
    }
    for (y = 0; y < cl->height; y++) {
        for (x = 0; x < cl->width; x++) {
            const uint8_t *src = cl->frameBuffer + ((size_t)y * cl->width + x) * bpp;
            unsigned char *dst = rgb + ((size_t)y * cl->width + x) * 3;
            uint32_t px;

            /* The client asked for host byte order (rfbGetClient's format). */
            if (bpp == 4) {
                memcpy(&px, src, 4);
            } else if (bpp == 2) {
                uint16_t v;

                memcpy(&v, src, 2);
                px = v;
            } else {
                px = src[0];
            }
            dst[0] = channel(px, f->redShift, f->redMax);
            dst[1] = channel(px, f->greenShift, f->greenMax);
            dst[2] = channel(px, f->blueShift, f->blueMax);
        }
    }
    if (png_write_rgb(path, rgb, cl->width, cl->height, err, sizeof err) != 0) {
        fprintf(stderr, "vncplay: cannot write %s: %s\n", path, err);
        free(rgb);
        return EXIT_WRITE;
    }
    free(rgb);
    if (verbose)
        fprintf(stderr, "vncplay: wrote %s (%dx%d)\n", path, cl->width, cl->height);
    return EXIT_OK;
}

/* Asks for the whole screen, waits until an update has finished after
 * the request, then saves: the picture is at least as new as the request. */
static int do_shot(rfbClient *cl, const char *path)
{
    int rc;

    if (!SendFramebufferUpdateRequest(cl, 0, 0, cl->width, cl->height, FALSE)) {
        fprintf(stderr, "vncplay: update request failed: connection lost\n");
        return EXIT_PROTO;
    }
    rc = do_waitfb(cl);
    return rc == EXIT_OK ? save_png(cl, path) : rc;
}

/* Runs one step; returns its exit code (EXIT_OK to go on). */
static int run_step(rfbClient *cl, const struct step *st)
{
    switch (st->op) {
    case OP_WAIT:
        return do_wait(cl, st->ms);
    case OP_WAITFB:
        return do_waitfb(cl);
    case OP_KEY:
        return send_key(cl, st->sym, st->down);
    case OP_HOLD:
        return do_hold(cl, st->sym, st->ms);
    case OP_TAP:
        return do_tap(cl, st->sym);
    case OP_TYPE:
        return do_type(cl, st->text);
    case OP_TYPEDELAY:
        play_of(cl)->typedelay_ms = st->ms;
        return EXIT_OK;
    case OP_SHOT:
        return do_shot(cl, st->text);
    }
    return EXIT_USAGE;
}

/* Splits "host:port", "host::port", ":display", "host:display" (a number
 * below 100 is a display, port 5900+N, as in vncviewer) or "host".
 * Returns 0 or -1; *host is allocated. */
static int parse_server(const char *arg, char **host, int *port)
{
    const char *colon = strrchr(arg, ':');
    const char *num;
    char *end;
    long v;
    size_t hlen;
    int is_port = 0;

    if (colon == NULL) {
        *host = strdup(arg[0] ? arg : "127.0.0.1");
        *port = 5900;
        return *host != NULL ? 0 : -1;
    }
    num = colon + 1;
    hlen = (size_t)(colon - arg);
    if (hlen > 0 && arg[hlen - 1] == ':') {
        hlen--;
        is_port = 1;
    }
    errno = 0;
    v = strtol(num, &end, 10);
    if (errno != 0 || end == num || *end != '\0' || v < 0 || v > 65535)
        return -1;
    *port = (int)(!is_port && v < 100 ? 5900 + v : v);
    /* [::1]:5900 */
    if (hlen >= 2 && arg[0] == '[' && arg[hlen - 1] == ']')
        *host = strndup(arg + 1, hlen - 2);
    else
        *host = hlen > 0 ? strndup(arg, hlen) : strdup("127.0.0.1");
    return *host != NULL ? 0 : -1;
}

/* Reads the first line of a password file into a new string. */
static char *read_password_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (f == NULL) {
        fprintf(stderr, "vncplay: cannot read password file %s: %s\n", path, strerror(errno));
        return NULL;
    }
    n = getline(&line, &cap, f);
    fclose(f);
    if (n < 0) {
        free(line);
        line = strdup("");
        return line;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

/* The steps rfbInitClient takes, one by one, so each failure gets its
 * own message and exit code. On success the first full update has been
 * requested. */
static int open_session(rfbClient *cl, const char *host, int port)
{
    struct play *p = play_of(cl);

    if (!ConnectToRFBServer(cl, host, port)) {
        fprintf(stderr, "vncplay: cannot connect to %s port %d%s%s\n", host, port,
                lib_error[0] ? ": " : "", lib_error);
        return EXIT_CONNECT;
    }
    lib_error[0] = '\0';
    if (!InitialiseRFBConnection(cl)) {
        if (p->asked_password && p->password == NULL) {
            fprintf(stderr, "vncplay: %s:%d wants a password; set VNC_PASSWORD or use -p FILE\n",
                    host, port);
            return EXIT_AUTH;
        }
        if (p->asked_password || strstr(lib_error, "uthentication") != NULL) {
            fprintf(stderr, "vncplay: authentication failed at %s:%d (wrong password?)%s%s\n",
                    host, port, lib_error[0] ? ": " : "", lib_error);
            return EXIT_AUTH;
        }
        fprintf(stderr, "vncplay: VNC handshake with %s:%d failed%s%s\n", host, port,
                lib_error[0] ? ": " : "", lib_error);
        return EXIT_PROTO;
    }
    cl->width = cl->si.framebufferWidth;
    cl->height = cl->si.framebufferHeight;
    /* Incremental requests cover updateRect; rfbInitClient would set it. */
    cl->updateRect.x = 0;
    cl->updateRect.y = 0;
    cl->updateRect.w = cl->width;
    cl->updateRect.h = cl->height;
    if (!cl->MallocFrameBuffer(cl)) {
        fprintf(stderr, "vncplay: cannot allocate a %dx%d framebuffer\n", cl->width, cl->height);
        return EXIT_PROTO;
    }
    if (!SetFormatAndEncodings(cl) ||
        !SendFramebufferUpdateRequest(cl, 0, 0, cl->width, cl->height, FALSE)) {
        fprintf(stderr, "vncplay: connection lost after the handshake%s%s\n",
                lib_error[0] ? ": " : "", lib_error);
        return EXIT_PROTO;
    }
    if (verbose)
        fprintf(stderr, "vncplay: connected to %s:%d, %dx%d \"%s\"\n", host, port, cl->width,
                cl->height, cl->desktopName ? cl->desktopName : "");
    return EXIT_OK;
}

/* The help text, also printed on a usage error. */
static void usage(FILE *out)
{
    fputs("usage: vncplay [-v [-v]] [-p PASSWORD_FILE] [-t TIMEOUT_MS] SERVER [STEP...]\n"
          "  SERVER   host:port, host::port, :display or host:display (5900+display)\n"
          "  password from -p FILE (first line) or the VNC_PASSWORD environment variable\n"
          "  steps from the arguments, or from standard input when there are none:\n"
          "    wait MS | waitfb | key NAME down|up | hold NAME MS | tap NAME\n"
          "    type TEXT | typedelay MS | shot FILE.png\n"
          "  key NAMEs are X keysym names: a-z 0-9 Up Down Left Right space Return\n"
          "    Escape Tab Control_L Shift_L Alt_L F1..F12 ..., or 0xHEX\n"
          "  exit: 0 ok, 1 usage, 2 connect failed, 3 auth failed, 4 protocol error or\n"
          "    connection lost, 5 no framebuffer update in time, 6 cannot write PNG\n"
          "  -t: how long waitfb and shot wait for an update (default 10000)\n",
          out);
}

/* Runs every step; returns the first failure's exit code. */
static int run_script(rfbClient *cl, const struct script *s)
{
    struct play *p = play_of(cl);
    size_t i;
    int rc;

    /* The first full update tells us the screen is there at all. */
    rc = pump(cl, now_ms() + p->timeout_ms, 1);
    if (rc == EXIT_TIMEOUT)
        fprintf(stderr, "vncplay: no first framebuffer update within %ld ms\n", p->timeout_ms);
    for (i = 0; i < s->nsteps && rc == EXIT_OK; i++)
        rc = run_step(cl, &s->steps[i]);
    return rc;
}

int main(int argc, char **argv)
{
    struct play p = { .typedelay_ms = 60, .timeout_ms = 10000 };
    struct script s = { 0 };
    char err[512], *host = NULL, *pwfile_pw = NULL, *end;
    const char *pwfile = NULL;
    rfbClient *cl;
    int opt, port, rc, i;

    /* '+': options end at SERVER, so a step word such as "-1" or a
     * typed "-x" is never taken for an option. */
    while ((opt = getopt(argc, argv, "+vp:t:h")) != -1) {
        switch (opt) {
        case 'v':
            verbose++;
            break;
        case 'p':
            pwfile = optarg;
            break;
        case 't':
            errno = 0;
            p.timeout_ms = strtol(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || p.timeout_ms <= 0) {
                fprintf(stderr, "vncplay: -t wants a positive number of milliseconds\n");
                return EXIT_USAGE;
            }
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (parse_server(argv[optind], &host, &port) != 0) {
        fprintf(stderr, "vncplay: bad server address '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    for (i = optind + 1; i < argc; i++)
        if (script_add_text(&s, argv[i]) != 0)
            goto oom;
    if (optind + 1 >= argc && script_add_stream(&s, stdin) != 0) {
        fprintf(stderr, "vncplay: reading the script from standard input: %s\n", strerror(errno));
        rc = EXIT_USAGE;
        goto out;
    }
    if (script_compile(&s, err, sizeof err) != 0) {
        fprintf(stderr, "vncplay: script: %s\n", err);
        rc = EXIT_USAGE;
        goto out;
    }
    if (pwfile != NULL) {
        pwfile_pw = read_password_file(pwfile);
        if (pwfile_pw == NULL) {
            rc = EXIT_USAGE;
            goto out;
        }
        p.password = pwfile_pw;
    } else {
        p.password = getenv("VNC_PASSWORD");
    }
    /* VNC has no empty password, and libvncclient leaks one. */
    if (p.password != NULL && p.password[0] == '\0')
        p.password = NULL;

    /* A server that drops us must give an error code, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    rfbClientLog = lib_log;
    rfbClientErr = lib_err;
    cl = rfbGetClient(8, 3, 4);
    if (cl == NULL)
        goto oom;
    rfbClientSetClientData(cl, (void *)play_tag, &p);
    cl->GetPassword = get_password;
    cl->MallocFrameBuffer = alloc_framebuffer;
    cl->FinishedFrameBufferUpdate = update_finished;
    cl->GotFrameBufferUpdate = got_rect;
    cl->canHandleNewFBSize = TRUE;
    cl->connectTimeout = 10;
    /* Lossless encodings only: tests compare pixels. */
    cl->appData.encodingsString = "zrle hextile copyrect raw";
    cl->appData.useRemoteCursor = FALSE;

    rc = open_session(cl, host, port);
    if (rc == EXIT_OK)
        rc = run_script(cl, &s);
    free(cl->frameBuffer);
    cl->frameBuffer = NULL;
    rfbClientCleanup(cl);
out:
    script_free(&s);
    free(host);
    free(pwfile_pw);
    return rc;
oom:
    fprintf(stderr, "vncplay: out of memory\n");
    rc = EXIT_PROTO;
    goto out;
}
