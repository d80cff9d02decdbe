/* SPDX-License-Identifier: GPL-2.0-or-later */
/* opts.c - dockerfs's command line. */
#include "container.h"
#include "errmsg.h"
#include "members.h"
#include "opts.h"
#include "serve.h"
#include "swarm.h"

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
    OPT_KILL_ACTION, OPT_UID, OPT_GID, OPT_TIMEOUT, OPT_RESYNC, OPT_SYSLOG,
    OPT_CONTEXT, OPT_FAST_READ, OPT_SWARM, OPT_SWARM_ENGINE, OPT_SWARM_POLL,
    OPT_SPIN,
    OPT_KUBE, OPT_KUBECONFIG, OPT_KUBE_CONTEXT, OPT_NAMESPACE, OPT_GRACE,
    OPT_NO_DEFAULT_PROTECT,
    OPT_OWNER_ONLY
};

static const struct option long_opts[] = {
    { "foreground",  no_argument,       NULL, 'f' },
    { "debug",       no_argument,       NULL, 'd' },
    { "options",     required_argument, NULL, 'o' },
    { "host",        required_argument, NULL, 'H' },
    { "context",     required_argument, NULL, OPT_CONTEXT },
    { "swarm",       required_argument, NULL, OPT_SWARM },
    { "swarm-engine", required_argument, NULL, OPT_SWARM_ENGINE },
    { "swarm-poll",  required_argument, NULL, OPT_SWARM_POLL },
    { "kube",        required_argument, NULL, OPT_KUBE },
    { "kubeconfig",  required_argument, NULL, OPT_KUBECONFIG },
    { "kube-context", required_argument, NULL, OPT_KUBE_CONTEXT },
    { "namespace",   required_argument, NULL, OPT_NAMESPACE },
    { "grace-period", required_argument, NULL, OPT_GRACE },
    { "no-default-protect", no_argument, NULL, OPT_NO_DEFAULT_PROTECT },
    { "filter",      required_argument, NULL, OPT_FILTER },
    { "all",         no_argument,       NULL, OPT_ALL },
    { "protect",     required_argument, NULL, OPT_PROTECT },
    { "dry-run",     no_argument,       NULL, OPT_DRY_RUN },
    { "fast-read",   no_argument,       NULL, OPT_FAST_READ },
    { "owner-only",  required_argument, NULL, OPT_OWNER_ONLY },
    { "spin",        required_argument, NULL, OPT_SPIN },
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

/* Appends one -o list to o->fuse_opts; tracks ro/rw (last wins) and
 * allow_other. */
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
        else if (n == 11 && strncmp(p, "allow_other", 11) == 0)
            o->allow_other = 1;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* Appends an engine to o->engines. 0 or ENOMEM. */
static int add_engine(struct options *o, int kind, const char *arg)
{
    struct engine_spec *v = realloc(o->engines,
                                    (o->n_engines + 1) * sizeof *v);
    if (!v)
        return ENOMEM;
    o->engines = v;
    v[o->n_engines].kind = kind;
    v[o->n_engines].arg = arg;
    o->n_engines++;
    return 0;
}

/* 1 if s is a namespace name: a DNS label, [a-z0-9]([-a-z0-9]*[a-z0-9])?
 * of at most 63. */
static int namespace_valid(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* Appends a --namespace; 0, 2 (bad or twice) or 1 (ENOMEM). */
static int add_namespace(struct options *o, const char *ns, char *err,
                         size_t errlen)
{
    if (!namespace_valid(ns))
        return errmsg(2, err, errlen, "bad --namespace '%s': a namespace "
                      "name is [a-z0-9-], at most 63, no '-' at its ends",
                      ns);
    for (size_t i = 0; i < o->n_namespaces; i++)
        if (strcmp(o->namespaces[i], ns) == 0)
            return errmsg(2, err, errlen, "--namespace %s is given twice",
                          ns);
    const char **v = realloc(o->namespaces,
                             (o->n_namespaces + 1) * sizeof *v);
    if (!v)
        return errmsg(1, err, errlen, "out of memory");
    o->namespaces = v;
    v[o->n_namespaces++] = ns;
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

/* --uid or --gid: a number, else a user (or group) name. -1 if neither. */
static long long parse_owner(const char *s, int group)
{
    long long v = parse_id(s);

    if (v >= 0 || *s == '\0')
        return v;
    if (group) {
        struct group *gr = getgrnam(s);
        return gr ? (long long)gr->gr_gid : -1;
    }
    struct passwd *pw = getpwnam(s);
    return pw ? (long long)pw->pw_uid : -1;
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

/* --owner-only's list: data file names separated by commas, into one
 * bit per file kind. 0, or -1 with the name that is no data file in bad. */
static int parse_owner_only(const char *s, unsigned *bits, char *bad,
                            size_t badlen)
{
    unsigned v = 0;

    do {
        size_t n = strcspn(s, ",");
        char name[16] = "";
        enum file_kind k = FILE_KINDS;

        if (n < sizeof name) {
            memcpy(name, s, n);
            k = file_kind_from_name(name);
        }
        if (k < FILE_ID || k > FILE_PROTECTED) {
            snprintf(bad, badlen, "%.*s", (int)(n > 32 ? 32 : n), s);
            return -1;
        }
        v |= 1u << k;
        s += n;
    } while (*s++ == ',');
    *bits |= v;
    return 0;
}

/* Longer than a wake-up costs, and short enough that a spinning loop
 * is never mistaken for a busy daemon. */
#define SPIN_US_MAX 10000

/* Whole microseconds from 0 to SPIN_US_MAX. */
static int parse_spin(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > SPIN_US_MAX)
        return -1;
    *out = v;
    return 0;
}

/* The usage error for what getopt_long returned as ':' or '?'. Long
 * options leave optopt useless for a message, so argv is read back. */
static int option_error(int c, int argc, char **argv, char *err, size_t errlen)
{
    const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    const char *what = c == ':' ? "needs a value" : "is unknown";

    if (strncmp(arg, "--", 2) == 0)
        return errmsg(2, err, errlen, "option %.*s %s",
                      (int)strcspn(arg, "="), arg,
                      c == ':' ? what : "is unknown or takes no value");
    return errmsg(2, err, errlen, "option -%c %s",
                  optopt > 0 && optopt < 128 ? optopt : '?', what);
}

/* The usage error for a --filter or --protect spec the rules refused. */
static int spec_error(int rc, const char *why, char *err, size_t errlen)
{
    /* protect_add and filters_add explain EINVAL only. */
    if (rc == ENOMEM)
        return errmsg(1, err, errlen, "out of memory");
    return errmsg(2, err, errlen, "%s", why);
}

/* Applies one option getopt_long returned; 0, or 2 (1 for ENOMEM) with
 * the reason in err. */
static int take_option(struct options *o, int c, const char *arg,
                       int argc, char **argv, char *err, size_t errlen)
{
    char why[256] = "";
    long long id;
    int rc;

    switch (c) {
    case 'f': o->foreground = 1; return 0;
    case 'd': o->debug = 1; return 0;
    case 'h': o->help = 1; return 0;
    case 'V': o->version = 1; return 0;
    case 'H':
        return add_engine(o, SPEC_HOST, arg)
                   ? errmsg(1, err, errlen, "out of memory") : 0;
    case OPT_CONTEXT:
        if (*arg == '\0')
            return errmsg(2, err, errlen, "empty --context name");
        return add_engine(o, SPEC_CONTEXT, arg)
                   ? errmsg(1, err, errlen, "out of memory") : 0;
    case OPT_KUBE:
        return add_engine(o, SPEC_KUBE, arg)
                   ? errmsg(1, err, errlen, "out of memory") : 0;
    case OPT_KUBECONFIG:
    case OPT_KUBE_CONTEXT: {
        const char **slot = c == OPT_KUBECONFIG ? &o->kubeconfig
                                                : &o->kube_context;
        const char *flag = c == OPT_KUBECONFIG ? "--kubeconfig"
                                               : "--kube-context";
        if (*slot)
            return errmsg(2, err, errlen, "%s is given twice (--kube "
                          "NAME=FILE:CONTEXT adds a cluster)", flag);
        if (*arg == '\0')
            return errmsg(2, err, errlen, "empty %s", flag);
        *slot = arg;
        return 0;
    }
    case OPT_NAMESPACE:
        return add_namespace(o, arg, err, errlen);
    case OPT_GRACE:
        if ((id = parse_id(arg)) < 0 || id > 86400LL * 365)
            return errmsg(2, err, errlen, "bad --grace-period '%s': "
                          "expected whole seconds >= 0", arg);
        o->grace_period = (long)id;
        return 0;
    case OPT_NO_DEFAULT_PROTECT: o->no_default_protect = 1; return 0;
    case OPT_SWARM:
        if (o->swarm)
            return errmsg(2, err, errlen, "--swarm is given twice: one "
                          "manager per mount");
        if (strncmp(arg, "unix://", 7) != 0 && strncmp(arg, "tcp://", 6) != 0)
            return errmsg(2, err, errlen, "bad --swarm '%s': a manager's "
                          "engine address, unix:///PATH or tcp://HOST:PORT",
                          arg);
        o->swarm = arg;
        return 0;
    case OPT_SWARM_ENGINE:
        if (swarm_template_check(arg, why, sizeof why) != 0)
            return errmsg(2, err, errlen, "bad --swarm-engine '%s': %s",
                          arg, why);
        o->swarm_engine = arg;
        return 0;
    case OPT_SWARM_POLL:
        if (parse_seconds(arg, 0, &o->swarm_poll) || o->swarm_poll < 0.1)
            return errmsg(2, err, errlen, "bad --swarm-poll '%s': expected "
                          "seconds >= 0.1", arg);
        o->have_swarm_poll = 1;
        return 0;
    case OPT_ALL: o->all = 1; return 0;
    case OPT_DRY_RUN: o->dry_run = 1; return 0;
    case OPT_FAST_READ: o->fast_read = 1; return 0;
    case OPT_OWNER_ONLY:
        if (parse_owner_only(arg, &o->owner_only, why, sizeof why))
            return errmsg(2, err, errlen, "bad --owner-only '%s': '%s' is "
                          "not a data file (id, name, image, state, "
                          "created, labels, engine, protected)", arg, why);
        return 0;
    case OPT_SYSLOG: o->syslog = 1; return 0;
    case 'o':
        return add_fuse_opts(o, arg) ? errmsg(1, err, errlen, "out of memory")
                                     : 0;
    case OPT_FILTER:
        rc = filters_add(&o->filters, arg, why, sizeof why);
        return rc ? spec_error(rc, why, err, errlen) : 0;
    case OPT_PROTECT:
        rc = protect_add(&o->protect, arg, why, sizeof why);
        return rc ? spec_error(rc, why, err, errlen) : 0;
    case OPT_KILL_ACTION:
        if ((rc = kill_action_parse(arg)) < 0)
            return errmsg(2, err, errlen, "bad --kill-action '%s' "
                          "(rm, kill, stop, delete or evict)", arg);
        o->action = (enum kill_action)rc;
        return 0;
    case OPT_UID:
        if ((id = parse_owner(arg, 0)) < 0)
            return errmsg(2, err, errlen, "bad --uid '%s': not a number "
                          "or a known user", arg);
        o->kill_uid = (uid_t)id;
        return 0;
    case OPT_GID:
        if ((id = parse_owner(arg, 1)) < 0)
            return errmsg(2, err, errlen, "bad --gid '%s': not a number "
                          "or a known group", arg);
        o->kill_gid = (gid_t)id;
        o->have_gid = 1;
        return 0;
    case OPT_TIMEOUT:
        if (parse_seconds(arg, 0, &o->timeout))
            return errmsg(2, err, errlen, "bad --timeout '%s': expected "
                          "seconds > 0", arg);
        return 0;
    case OPT_SPIN:
        if (parse_spin(arg, &o->spin_us))
            return errmsg(2, err, errlen, "bad --spin '%s': expected "
                          "microseconds from 0 to %d", arg, SPIN_US_MAX);
        return 0;
    case OPT_RESYNC:
        if (parse_seconds(arg, 1, &o->resync))
            return errmsg(2, err, errlen, "bad --resync '%s': expected "
                          "seconds >= 0", arg);
        return 0;
    default:
        return option_error(c, argc, argv, err, errlen);
    }
}

/* What the cluster options need once all are read: --kubeconfig and
 * --kube-context make one cluster (last among the engines), --namespace
 * and --grace-period need a cluster, a cluster takes label filters only,
 * and kube-system is protected unless --no-default-protect. 0, 2 or 1
 * (ENOMEM) with the reason in err. */
static int take_clusters(struct options *o, char *err, size_t errlen)
{
    int clusters = o->kubeconfig || o->kube_context;
    char why[256];
    int rc;

    for (size_t i = 0; i < o->n_engines; i++)
        clusters |= o->engines[i].kind == SPEC_KUBE;
    if ((o->kubeconfig || o->kube_context) &&
        add_engine(o, SPEC_KUBECONFIG, NULL))
        return errmsg(1, err, errlen, "out of memory");
    if (!clusters) {
        if (o->n_namespaces || o->grace_period >= 0)
            return errmsg(2, err, errlen, "%s needs a cluster (--kubeconfig "
                          "FILE or --kube [NAME=]FILE[:CONTEXT])",
                          o->n_namespaces ? "--namespace" : "--grace-period");
        return 0;
    }
    for (size_t i = 0; i < o->filters.n; i++)
        if (strcmp(o->filters.v[i].key, "label") != 0)
            return errmsg(2, err, errlen, "--filter %s=%s: a cluster's pods "
                          "are filtered by label only (label=KEY[=VALUE])",
                          o->filters.v[i].key, o->filters.v[i].value);
    if (o->no_default_protect)
        return 0;
    rc = protect_add(&o->protect, "namespace=kube-system", why, sizeof why);
    return rc ? spec_error(rc, why, err, errlen) : 0;
}

/* The operands after the options: exactly one mount point, unless
 * --help or --version make it unnecessary. */
static int take_mountpoint(struct options *o, int first, int argc,
                           char **argv, char *err, size_t errlen)
{
    for (int i = first; i < argc; i++) {
        if (o->mountpoint)
            return errmsg(2, err, errlen, "unexpected argument '%s' "
                          "(only one mount point)", argv[i]);
        o->mountpoint = argv[i];
    }
    if (!o->mountpoint && !o->help && !o->version)
        return errmsg(2, err, errlen, "missing mount point");
    if (o->mountpoint && *o->mountpoint == '\0')
        return errmsg(2, err, errlen, "empty mount point");
    return 0;
}

int opts_parse(struct options *o, int argc, char **argv,
               char *err, size_t errlen)
{
    int rc = 0, c;

    memset(o, 0, sizeof *o);
    o->action = KILL_RM;
    o->timeout = 10;
    o->resync = 300;
    o->swarm_poll = SWARM_POLL_S;
    o->spin_us = SERVE_SPIN_US_DEFAULT;
    o->grace_period = -1;
    optind = 0;     /* glibc: 0 forces a full restart of the scanner */
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, ":fdo:hVH:", long_opts,
                                   NULL)) != -1)
        rc = take_option(o, c, optarg, argc, argv, err, errlen);
    if (!rc)
        rc = take_mountpoint(o, optind, argc, argv, err, errlen);
    if (!rc)
        rc = take_clusters(o, err, errlen);
    if (!rc && engine_specs_check(o->engines, o->n_engines, err, errlen))
        rc = 2;
    if (!rc && o->swarm_engine && !o->swarm)
        rc = errmsg(2, err, errlen, "--swarm-engine needs --swarm");
    if (!rc && o->have_swarm_poll && !o->swarm)
        rc = errmsg(2, err, errlen, "--swarm-poll needs --swarm");
    if (rc) {
        /* Everything is freed, so a caller may exit at once. */
        opts_free(o);
        return rc;
    }
    if (o->debug)
        o->foreground = 1;
    o->syslog = o->syslog || !o->foreground;
    return 0;
}

void opts_usage(FILE *out, const char *prog)
{
    fprintf(out,
"Usage: %s MOUNTPOINT [options]\n"
"Show every Docker container (and Kubernetes pod) as a directory; write 1\n"
"to <id>/kill to remove it.\n"
"\n"
"  -f, --foreground        stay in the foreground, log to stderr\n"
"  -d, --debug             FUSE debug output (implies -f)\n"
"  -o, --options OPT[,OPT...]  mount options (allow_other, ro, ...);\n"
"                          repeatable\n"
"  -H, --host [NAME=]URL   engine address: unix:///PATH or tcp://HOST[:PORT]\n"
"                          (default: $DOCKER_HOST, else the context); NAME\n"
"                          is its name in the mount (default: \"default\")\n"
"      --context [NAME=]CTX  engine of a docker context (docker context ls),\n"
"                          named CTX unless NAME is given; default:\n"
"                          $DOCKER_CONTEXT, else the CLI's current context,\n"
"                          else unix:///var/run/docker.sock\n"
"                          --host and --context are repeatable and mix: one\n"
"                          mount over a fleet of engines; <id>/engine names\n"
"                          a container's engine, NAME@ENGINE picks by engine\n"
"                          (and NAME.NAMESPACE a pod by its namespace)\n"
"      --kubeconfig FILE   a Kubernetes cluster: its pods as directories\n"
"                          (named after the context, else \"default\")\n"
"      --kube-context CTX  the context of --kubeconfig (default: its\n"
"                          current-context; alone: kubectl's kubeconfig)\n"
"      --kube [NAME=][FILE][:CTX]  a cluster as an engine of the mount\n"
"                          (repeatable, mixes with --host): FILE empty =\n"
"                          $KUBECONFIG, else ~/.kube/config, else the pod's\n"
"                          service account; NAME default: the context's\n"
"      --namespace NS      list the pods of NS only (repeatable)\n"
"      --grace-period S    pods: delete with S seconds of grace (default:\n"
"                          0 for rm and kill, the pod's own for stop,\n"
"                          delete and evict)\n"
"      --no-default-protect  kill pods in kube-system too (protected by\n"
"                          default)\n"
"      --swarm URL         a swarm manager's engine (unix:// or tcp://, TLS\n"
"                          as for --host): one engine per node (GET /nodes,\n"
"                          asked again every --swarm-poll seconds), named\n"
"                          after its host name, else HOSTNAME-<first 6 of\n"
"                          the node ID>\n"
"      --swarm-engine TPL  a node's engine address (default %s);\n"
"                          {addr} node address, {hostname}, {id} node ID\n"
"      --swarm-poll SECONDS  how often the manager is asked for its nodes\n"
"                          (default %d, at least 0.1)\n"
"      --filter KEY=VALUE  show only matching containers (docker ps syntax;\n"
"                          pods: label=KEY[=VALUE] only); repeatable\n"
"      --all               include containers that are not running (and\n"
"                          pods that have succeeded or failed)\n"
"      --protect SPEC      never kill matching containers: label=KEY[=VALUE],\n"
"                          name=GLOB, image=GLOB, engine=GLOB or\n"
"                          namespace=GLOB; repeatable\n"
"      --dry-run           log kill requests, touch nothing\n"
"      --fast-read         the kernel opens files and checks access itself\n"
"                          (by the modes shown): no round trip to dockerfs\n"
"                          per open; a kill must be one write, a write of\n"
"                          nothing is not refused, and attempts the kernel\n"
"                          refuses are not in the audit log\n"
"      --owner-only FILE[,FILE...]  serve these data files (e.g. labels)\n"
"                          only to root and the user dockerfs runs as, not\n"
"                          to the --uid user or --gid group; repeatable\n"
"      --spin USEC         after answering, keep asking for the next FUSE\n"
"                          request this long before sleeping (default %d,\n"
"                          0 = sleep at once): a reader's next request\n"
"                          finds dockerfs awake; costs CPU only while files\n"
"                          are being read\n"
"      --kill-action ACT   rm (default, like docker rm -f), kill or stop;\n"
"                          delete (a pod with its own grace; a container:\n"
"                          rm) or evict (the Eviction API, honours\n"
"                          PodDisruptionBudgets; a container: stop)\n"
"      --uid USER          who may write kill files besides root (default 0)\n"
"      --gid GROUP         group that may write kill files too\n"
"      --timeout SECONDS   how long one request to an engine may take: a\n"
"                          list, an inspect, a kill (default 10)\n"
"      --resync SECONDS    Docker: full re-list period, 0 = never (default\n"
"                          300); a cluster lists again only when its\n"
"                          watch cannot go on\n"
"      --syslog            log to syslog (default unless -f)\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version\n"
"\n"
"Containers and pods labelled dockerfs.protect=true, pods in kube-system\n"
"(unless --no-default-protect) and dockerfs's own container or pod are\n"
"never killed.\n",
            prog ? prog : "dockerfs", SWARM_ENGINE_DEFAULT, SWARM_POLL_S,
            SERVE_SPIN_US_DEFAULT);
}

void opts_free(struct options *o)
{
    free(o->fuse_opts);
    o->fuse_opts = NULL;
    free(o->engines);
    o->engines = NULL;
    o->n_engines = 0;
    free(o->namespaces);
    o->namespaces = NULL;
    o->n_namespaces = 0;
    filters_free(&o->filters);
    protect_free(&o->protect);
}
