/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main.c - dockerfs: every Docker container as a directory.
 *
 *   # dockerfs /dockerfs
 *   # ls /dockerfs
 *   4eeff8a1b2c3
 *   # cat /dockerfs/4eeff8a1b2c3/image
 *   nginx:1.25
 *   # echo 1 > /dockerfs/4eeff8a1b2c3/kill      # docker rm -f 4eeff8a1b2c3
 *
 * Order matters here: the engine is asked before anything is mounted, so
 * an unreachable engine leaves no mount behind; threads start only after
 * fuse_daemonize() has forked.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <curl/curl.h>
#include "buf.h"
#include "context.h"
#include "fleet.h"
#include "defer.h"
#include "fs.h"
#include "host.h"
#include "log.h"
#include "members.h"
#include "serve.h"
#include "opts.h"
#include "self.h"
#include "swarm.h"
#include "follow.h"

/* 1 while mnt is a mount whose daemon is gone. statfs, unlike stat, is
 * never answered from the kernel's attribute cache. */
static int is_stale(const char *mnt)
{
    struct statfs sf;
    return statfs(mnt, &sf) != 0 && errno == ENOTCONN;
}

/* A mount point whose daemon died answers ENOTCONN; detach it so a new
 * mount can take its place. */
static void clear_stale_mount(const char *mnt)
{
    /* Stale mounts can be stacked (several crashes in a row). */
    for (int tries = 0; tries < 8 && is_stale(mnt); tries++) {
        if (umount2(mnt, MNT_DETACH) != 0) {
            pid_t pid = fork();
            if (pid == 0) {
                execlp("fusermount3", "fusermount3", "-u", "-z", mnt, (char *)NULL);
                _exit(127);
            }
            if (pid > 0)
                waitpid(pid, NULL, 0);
        }
        log_warn("cleared a stale mount at %s", mnt);
    }
}

/* mnt as an absolute path (malloc'ed), or NULL. Not realpath(): a stale
 * mount point cannot be resolved, and it must still be found to be
 * cleared. The daemon changes directory, so a relative path would not
 * unmount later. */
static char *absolute_path(const char *mnt)
{
    char *cwd, *abs = NULL;

    if (mnt[0] == '/')
        return strdup(mnt);
    if (!(cwd = getcwd(NULL, 0)))
        return NULL;
    if (asprintf(&abs, "%s/%s", cwd, mnt) < 0)
        abs = NULL;
    free(cwd);
    return abs;
}

/* The options handed to libfuse: ours first, then the user's -o. No
 * default_permissions: fs.c checks who may write kill itself, so that a
 * refused attempt reaches the audit trail; but with --fast-read opens
 * never reach fs.c, so the kernel checks the modes fill_attr shows. */
static int fuse_argv(const struct options *o, struct fuse_args *args)
{
    struct buf b;
    int err;

    buf_init(&b, 0);
    err = buf_printf(&b, "fsname=dockerfs,subtype=dockerfs%s%s%s",
                     o->fast_read ? ",default_permissions" : "",
                     o->fuse_opts ? "," : "", o->fuse_opts ? o->fuse_opts : "");
    if (!err)
        err = fuse_opt_add_arg(args, "dockerfs") || fuse_opt_add_arg(args, "-o") ||
              fuse_opt_add_arg(args, buf_str(&b)) ||
              (o->debug && fuse_opt_add_arg(args, "-d")) ? ENOMEM : 0;
    buf_free(&b);
    return err;
}

/* Everything the daemon holds, so that one function can free it. */
struct daemon {
    struct options opt;
    struct fleet fleet;         /* the engines, each with its sync thread */
    struct swarm swarm;         /* --swarm: the thread that adds nodes */
    struct fs fs;
    struct fuse_args args;
    char *mnt;                  /* the mount point, absolute */
    int curl_ready;
    char self_id[ID_LEN + 1];
};

/* The command line. Returns -1 to go on, else the exit status (--help,
 * --version, a usage error). */
static int read_options(struct daemon *d, int argc, char **argv)
{
    char err[512];
    int rc = opts_parse(&d->opt, argc, argv, err, sizeof err);

    if (rc != 0) {
        fprintf(stderr, "dockerfs: %s\n%s", err,
                rc == 2 ? "Try 'dockerfs --help'.\n" : "");
        return rc;
    }
    if (d->opt.help) {
        opts_usage(stdout, "dockerfs");
        return 0;
    }
    if (d->opt.version) {
        printf("dockerfs %s\n", DOCKERFS_VERSION);
        return 0;
    }
    if (!(d->mnt = absolute_path(d->opt.mountpoint))) {
        fprintf(stderr, "dockerfs: %s: %s\n", d->opt.mountpoint, strerror(errno));
        return 1;
    }
    d->opt.mountpoint = d->mnt;
    return -1;
}

/* Finds the engines, starts libcurl and ties the parts together.
 * Returns -1 to go on, else the exit status. */
static int set_up(struct daemon *d)
{
    char err[512];
    struct backend_env env;
    CURLcode cc;

    backend_env_get(&env);
    int rc = fleet_init(&d->fleet, members_room(&d->opt), err, sizeof err);
    if (rc == 0)
        rc = members_add(&d->fleet, &d->opt, &env, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "dockerfs: %s\n", err);
        return rc == ENOMEM ? 1 : 2;
    }
    if ((cc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
        fprintf(stderr, "dockerfs: cannot start libcurl: %s\n",
                curl_easy_strerror(cc));
        return 1;
    }
    d->curl_ready = 1;
    if (!(d->fs.table = table_new())) {
        fprintf(stderr, "dockerfs: out of memory\n");
        return 1;
    }
    struct follow_hooks hooks = {
        .gone = fs_notify_gone, .changed = fs_notify_changed, .arg = &d->fs,
    };
    fleet_wire(&d->fleet, d->fs.table, &d->opt, &hooks);
    /* The nodes the manager lists now are members before the first list,
     * as if given by --host; a manager that does not answer is exit 1,
     * as an engine that does not answer. */
    if (d->opt.swarm &&
        (rc = swarm_init(&d->swarm, &d->fleet, &d->opt, &env.docker, err,
                         sizeof err)) != 0) {
        fprintf(stderr, "dockerfs: %s\n", err);
        return rc == EINVAL ? 2 : 1;
    }
    d->fs.fleet = &d->fleet;
    d->fs.opt = &d->opt;
    d->fs.self_id = self_container_id(d->self_id) ? d->self_id : "";
    return -1;
}

/* Why member m could not list, on stderr. */
static void say_unlisted(const struct member *m, int several)
{
    struct backend_about a;

    member_about(m, &a);
    const char *ctx = a.context;
    fprintf(stderr, "dockerfs: %s%s%scannot list %s at %s%s%s%s: "
            "%s%s\n", several ? "engine " : "", several ? m->name : "",
            several ? ": " : "", a.things, a.display, ctx ? " (context " : "",
            ctx ? ctx : "", ctx ? ")" : "", m->first_err, a.hint);
}

/* The first full list of every engine, before anything is mounted: a
 * member with the same GET /info ID as an earlier one is not followed
 * (logged); none answering is exit 1, nothing mounted; some answering is
 * a mount whose other engines start down and keep being retried. Returns
 * -1 to go on, else the exit status. */
static int first_list(struct daemon *d)
{
    int bad_config;
    size_t ok = fleet_first_list(&d->fleet, &bad_config);
    int several = d->fleet.n > 1;

    /* One engine under two addresses, or one claiming another's
     * identity: the later member is refused (logged), the others go on. */
    fleet_check_ids(&d->fleet);

    if (ok == d->fleet.n)
        return -1;
    if (bad_config || ok == 0) {
        for (size_t i = 0; i < d->fleet.n; i++)
            if (d->fleet.m[i].first_rc != 0)
                say_unlisted(&d->fleet.m[i], several);
        return bad_config ? 2 : 1;
    }
    for (size_t i = 0; i < d->fleet.n; i++) {
        struct backend_about a;
        member_about(&d->fleet.m[i], &a);
        if (d->fleet.m[i].first_rc != 0)
            log_warn("engine %s at %s does not answer (%s); mounting the "
                     "others, retrying it", d->fleet.m[i].name, a.display,
                     d->fleet.m[i].first_err);
    }
    return -1;
}

/* Starts the events and swarm threads with the termination signals
 * blocked, so that they wake the request loop instead. */
static int start_followers(struct fleet *fleet, struct swarm *swarm)
{
    sigset_t stop_sigs, old;
    int rc;

    sigemptyset(&stop_sigs);
    sigaddset(&stop_sigs, SIGINT);
    sigaddset(&stop_sigs, SIGTERM);
    sigaddset(&stop_sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop_sigs, &old);
    if ((rc = fleet_start(fleet)) != 0) {
        log_err("cannot start the events threads: %s", strerror(rc));
    } else if (swarm->fleet && (rc = swarm_start(swarm)) != 0) {
        log_err("cannot start the swarm thread: %s", strerror(rc));
        fleet_stop(fleet);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int serve(struct fuse_session *se, struct fs *fs, struct fleet *fleet,
                 struct swarm *swarm)
{
    struct defer kills;
    int rc;

    fs->se = se;
    if (start_followers(fleet, swarm) != 0)
        return 1;
    /* Every engine may hold FLEET_KILLS_IN_FLIGHT workers in a kill and
     * as many waiting for a slot. With --swarm members come later: the
     * room for them counts. */
    if (defer_init(&kills, 16 + FLEET_KILLS_IN_FLIGHT * fleet->cap) != 0) {
        log_err("cannot start the kill workers: out of memory");
        swarm_stop(swarm);
        fleet_stop(fleet);
        return 1;
    }
    fs->defer = &kills;
    if ((rc = serve_loop(se, fs->opt->spin_us)) < 0)
        log_err("reading FUSE requests failed: %s", strerror(-rc));
    /* The kills under way are answered before their engines go. */
    defer_stop(&kills);
    fs->defer = NULL;
    swarm_stop(swarm);
    fleet_stop(fleet);
    fs->se = NULL;
    return rc < 0 ? 1 : 0;
}

/* Mounted: detaches from the terminal and serves until unmounted or a
 * signal. Returns the exit status. */
static int run_mounted(struct daemon *d, struct fuse_session *se)
{
    int rc;

    fuse_daemonize(d->opt.foreground);
    log_open(d->opt.syslog, d->opt.debug);
    if (d->fs.self_id[0])
        log_info("running in container %.12s: it is protected", d->fs.self_id);
    struct backend_about a, a0;
    for (size_t i = 0; i < d->fleet.n; i++) {
        const struct member *m = &d->fleet.m[i];
        member_about(m, &a);
        log_info("engine %s: %s%s%s%s%s", m->name, a.display,
                 a.context ? " (context " : "", a.context ? a.context : "",
                 a.context ? ")" : "", atomic_load(&m->down) ? ", down" : "");
    }
    member_about(&d->fleet.m[0], &a0);
    /* What the mount lists: containers, pods, or both. */
    int pods = 0, containers = 0;
    for (size_t i = 0; i < d->fleet.n; i++) {
        member_about(&d->fleet.m[i], &a);
        *(strcmp(a.things, "pods") == 0 ? &pods : &containers) = 1;
    }
    const char *shown = d->opt.all ? "all"
                        : !pods ? "running only"
                        : !containers ? "unfinished pods only"
                        : "running containers and unfinished pods only";
    char from[64];
    snprintf(from, sizeof from, "%zu engines", d->fleet.n);
    log_info("mounted %zu %s at %s from %s%s%s%s (%s%s%s)",
             table_count(d->fs.table),
             pods && containers ? "containers and pods" : a0.things,
             d->opt.mountpoint,
             d->fleet.n > 1 ? from : a0.display,
             d->fleet.n == 1 && a0.context ? " (context " : "",
             d->fleet.n == 1 && a0.context ? a0.context : "",
             d->fleet.n == 1 && a0.context ? ")" : "",
             shown, d->opt.dry_run ? ", dry run" : "",
             d->opt.ro ? ", read-only" : "");
    rc = serve(se, &d->fs, &d->fleet, &d->swarm);
    fuse_session_unmount(se);
    log_info("unmounted %s", d->opt.mountpoint);
    return rc;
}

/* Creates the FUSE session, mounts it and serves. Returns the exit
 * status. */
static int mount_and_serve(struct daemon *d)
{
    struct fuse_session *se;
    int rc;

    if (fuse_argv(&d->opt, &d->args) != 0) {
        fprintf(stderr, "dockerfs: out of memory\n");
        return 1;
    }
    if (!(se = fuse_session_new(&d->args, &fs_ops, sizeof fs_ops, &d->fs))) {
        fprintf(stderr, "dockerfs: bad FUSE options: %s\n",
                d->opt.fuse_opts ? d->opt.fuse_opts : "(none)");
        return 2;
    }
    clear_stale_mount(d->opt.mountpoint);
    /* Without them SIGTERM would kill the daemon and leave a dead mount. */
    if (fuse_set_signal_handlers(se) != 0) {
        fprintf(stderr, "dockerfs: cannot install signal handlers: %s\n",
                strerror(errno));
        rc = 1;
    } else {
        if (fuse_session_mount(se, d->opt.mountpoint) != 0) {
            fprintf(stderr, "dockerfs: cannot mount at %s\n", d->opt.mountpoint);
            rc = 1;
        } else {
            rc = run_mounted(d, se);
        }
        fuse_remove_signal_handlers(se);
    }
    fuse_session_destroy(se);
    return rc;
}

static void tear_down(struct daemon *d)
{
    fuse_opt_free_args(&d->args);
    fs_cleanup(&d->fs);
    table_free(d->fs.table);
    swarm_free(&d->swarm);
    fleet_free(&d->fleet);
    if (d->curl_ready)
        curl_global_cleanup();
    opts_free(&d->opt);
    free(d->mnt);
}

int main(int argc, char **argv)
{
    static struct daemon d;
    int rc;

    d.args = (struct fuse_args)FUSE_ARGS_INIT(0, NULL);
    fs_init(&d.fs);
    if ((rc = read_options(&d, argc, argv)) < 0) {
        log_open(0, d.opt.debug);
        if ((rc = set_up(&d)) < 0 && (rc = first_list(&d)) < 0)
            rc = mount_and_serve(&d);
    }
    tear_down(&d);
    return rc;
}
