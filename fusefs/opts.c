/* opts.c - dockerfs's command line. */
#include "errmsg.h"
#include "opts.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_HOST = 256, OPT_FILTER, OPT_ALL, OPT_PROTECT, OPT_DRY_RUN,
    OPT_KILL_ACTION, OPT_UID, OPT_GID, OPT_TIMEOUT, OPT_RESYNC, OPT_SYSLOG
};

static const struct option long_opts[] = {
    { "foreground",  no_argument,       NULL, 'f' },
    { "debug",       no_argument,       NULL, 'd' },
    { "options",     required_argument, NULL, 'o' },
    { "host",        required_argument, NULL, 'H' },
    { "filter",      required_argument, NULL, OPT_FILTER },
    { "all",         no_argument,       NULL, OPT_ALL },
    { "protect",     required_argument, NULL, OPT_PROTECT },
    { "dry-run",     no_argument,       NULL, OPT_DRY_RUN },
    { "kill-action", required_argument, NULL, OPT_KILL_ACTION },
    { "uid",         required_argument, NULL, OPT_UID },
    { "gid",         required_argument, NULL, OPT_GID },
    { "timeout",     required_argument, NULL, OPT_TIMEOUT },
    { "resync",      required_argument, NULL, OPT_RESYNC },
    { "syslog",      no_argument,       NULL, OPT_SYSLOG },
    { "help",        no_argument,       NULL, 'h' },
    { "version",     no_argument,       NULL, 'V' },
    { NULL, 0, NULL, 0 }
};

/* Appends one -o list to o->fuse_opts and tracks ro/rw (last wins). */
static int add_fuse_opts(struct options *o, const char *list)
{
    if (*list == '\0')
        return 0;
    size_t old = o->fuse_opts ? strlen(o->fuse_opts) : 0;
    char *s = realloc(o->fuse_opts, old + strlen(list) + 2);
    if (!s)
        return ENOMEM;
    if (old)
        s[old++] = ',';
    strcpy(s + old, list);
    o->fuse_opts = s;

    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n == 2 && strncmp(p, "ro", 2) == 0)
            o->ro = 1;
        else if (n == 2 && strncmp(p, "rw", 2) == 0)
            o->ro = 0;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* A uid/gid given as a decimal number; -1 if s is not one. */
static long long parse_id(const char *s)
{
    if (*s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    /* (uid_t)-1 means "no change" to chown, never a real id. */
    if (errno || *end || v >= 0xffffffffULL)
        return -1;
    return (long long)v;
}

/* Seconds as a positive finite number (zero allowed with allow_zero). */
static int parse_seconds(const char *s, int allow_zero, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 ||
        (v == 0 && !allow_zero) || v > 86400.0 * 365)
        return -1;
    *out = v;
    return 0;
}

/* Parses argv; see opts.h. On a usage error everything is freed, so a
 * caller may exit at once; opts_free stays safe to call. */
int opts_parse(struct options *o, int argc, char **argv,
               char *err, size_t errlen)
{
    char why[256];
    int rc = 0;

    memset(o, 0, sizeof *o);
    o->action = KILL_RM;
    o->timeout = 10;
    o->resync = 300;
    int want_syslog = 0;

    optind = 0;     /* glibc: 0 forces a full restart of the scanner */
    opterr = 0;
    int c;
    while (!rc && (c = getopt_long(argc, argv, ":fdo:hVH:", long_opts,
                                   NULL)) != -1) {
        switch (c) {
        case 'f': o->foreground = 1; break;
        case 'd': o->debug = 1; break;
        case 'h': o->help = 1; break;
        case 'V': o->version = 1; break;
        case 'o':
            if (add_fuse_opts(o, optarg))
                rc = errmsg(2, err, errlen, "out of memory");
            break;
        case 'H': o->host = optarg; break;
        case OPT_ALL: o->all = 1; break;
        case OPT_DRY_RUN: o->dry_run = 1; break;
        case OPT_SYSLOG: want_syslog = 1; break;
        case OPT_FILTER:
            if (filters_add(&o->filters, optarg, why, sizeof why))
                rc = errmsg(2, err, errlen, "%s", why);
            break;
        case OPT_PROTECT:
            if (protect_add(&o->protect, optarg, why, sizeof why))
                rc = errmsg(2, err, errlen, "%s", why);
            break;
        case OPT_KILL_ACTION: {
            int a = kill_action_parse(optarg);
            if (a < 0)
                rc = errmsg(2, err, errlen, "bad --kill-action '%s' "
                               "(rm, kill or stop)", optarg);
            else
                o->action = (enum kill_action)a;
            break;
        }
        case OPT_UID: {
            long long v = parse_id(optarg);
            if (v < 0) {
                struct passwd *pw = *optarg ? getpwnam(optarg) : NULL;
                v = pw ? (long long)pw->pw_uid : -1;
            }
            if (v < 0)
                rc = errmsg(2, err, errlen, "bad --uid '%s': not a number "
                               "or a known user", optarg);
            else
                o->kill_uid = (uid_t)v;
            break;
        }
        case OPT_GID: {
            long long v = parse_id(optarg);
            if (v < 0) {
                struct group *gr = *optarg ? getgrnam(optarg) : NULL;
                v = gr ? (long long)gr->gr_gid : -1;
            }
            if (v < 0)
                rc = errmsg(2, err, errlen, "bad --gid '%s': not a number "
                               "or a known group", optarg);
            else {
                o->kill_gid = (gid_t)v;
                o->have_gid = 1;
            }
            break;
        }
        case OPT_TIMEOUT:
            if (parse_seconds(optarg, 0, &o->timeout))
                rc = errmsg(2, err, errlen, "bad --timeout '%s': expected "
                               "seconds > 0", optarg);
            break;
        case OPT_RESYNC:
            if (parse_seconds(optarg, 1, &o->resync))
                rc = errmsg(2, err, errlen, "bad --resync '%s': expected "
                               "seconds >= 0", optarg);
            break;
        case ':':
        default: {
            /* Long options leave optopt useless for a message. */
            const char *arg = optind > 0 && optind <= argc
                                  ? argv[optind - 1] : "";
            int is_long = strncmp(arg, "--", 2) == 0;
            const char *what = c == ':' ? "needs a value" : "is unknown";
            if (is_long)
                rc = errmsg(2, err, errlen, "option %.*s %s",
                               (int)strcspn(arg, "="), arg,
                               c == ':' ? what : "is unknown or takes no value");
            else
                rc = errmsg(2, err, errlen, "option -%c %s",
                               optopt > 0 && optopt < 128 ? optopt : '?', what);
            break;
        }
        }
    }

    if (!rc) {
        for (int i = optind; i < argc && !rc; i++) {
            if (!o->mountpoint)
                o->mountpoint = argv[i];
            else
                rc = errmsg(2, err, errlen, "unexpected argument '%s' "
                               "(only one mount point)", argv[i]);
        }
    }
    if (!rc && !o->mountpoint && !o->help && !o->version)
        rc = errmsg(2, err, errlen, "missing mount point");
    if (!rc && o->mountpoint && *o->mountpoint == '\0')
        rc = errmsg(2, err, errlen, "empty mount point");
    if (rc) {
        opts_free(o);
        return rc;
    }
    if (o->debug)
        o->foreground = 1;
    o->syslog = want_syslog || !o->foreground;
    return 0;
}

/* The --help text. */
void opts_usage(FILE *out, const char *prog)
{
    fprintf(out,
"Usage: %s MOUNTPOINT [options]\n"
"Show every Docker container as a directory; write 1 to <id>/kill to remove it.\n"
"\n"
"  -f, --foreground        stay in the foreground, log to stderr\n"
"  -d, --debug             FUSE debug output (implies -f)\n"
"  -o OPT[,OPT...]         mount options (allow_other, ro, ...); repeatable\n"
"  -H, --host URL          engine address: unix:///PATH or tcp://HOST[:PORT]\n"
"                          (default: $DOCKER_HOST, else unix:///var/run/docker.sock)\n"
"      --filter KEY=VALUE  show only matching containers (docker ps syntax);\n"
"                          repeatable\n"
"      --all               include containers that are not running\n"
"      --protect SPEC      never kill matching containers: label=KEY[=VALUE],\n"
"                          name=GLOB or image=GLOB; repeatable\n"
"      --dry-run           log kill requests, touch nothing\n"
"      --kill-action ACT   rm (default, like docker rm -f), kill or stop\n"
"      --uid USER          who may write kill files besides root (default 0)\n"
"      --gid GROUP         group that may write kill files too\n"
"      --timeout SECONDS   how long a kill may take (default 10)\n"
"      --resync SECONDS    full re-list period, 0 = never (default 300)\n"
"      --syslog            log to syslog (default unless -f)\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version\n"
"\n"
"Containers labelled dockerfs.protect=true are never killed.\n",
            prog ? prog : "dockerfs");
}

/* Frees what opts_parse allocated; safe to call twice. */
void opts_free(struct options *o)
{
    free(o->fuse_opts);
    o->fuse_opts = NULL;
    filters_free(&o->filters);
    protect_free(&o->protect);
}
