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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "buf.h"
#include "context.h"
#include "fs.h"
#include "host.h"
#include "log.h"
#include "opts.h"
#include "self.h"
#include "sync.h"

/* A mount point whose daemon died answers ENOTCONN; detach it so a new
 * mount can take its place. */
/* 1 while mnt is a mount whose daemon is gone. statfs, unlike stat, is
 * never answered from the kernel's attribute cache. */
static int is_stale(const char *mnt)
{
    struct statfs sf;
    return statfs(mnt, &sf) != 0 && errno == ENOTCONN;
}

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
 * refused attempt reaches the audit trail. */
static int fuse_argv(const struct options *o, struct fuse_args *args)
{
    struct buf b;
    int err;

    buf_init(&b, 0);
    err = buf_printf(&b, "fsname=dockerfs,subtype=dockerfs%s%s",
                     o->fuse_opts ? "," : "", o->fuse_opts ? o->fuse_opts : "");
    if (!err)
        err = fuse_opt_add_arg(args, "dockerfs") || fuse_opt_add_arg(args, "-o") ||
              fuse_opt_add_arg(args, buf_str(&b)) ||
              (o->debug && fuse_opt_add_arg(args, "-d")) ? ENOMEM : 0;
    buf_free(&b);
    return err;
}

static int serve(struct fuse_session *se, struct fs *fs, struct sync *sync)
{
    struct fuse_loop_config *cfg;
    int rc;

    fs->se = se;
    if ((rc = sync_start(sync)) != 0) {
        log_err("cannot start the events thread: %s", strerror(rc));
        return 1;
    }
    if (!(cfg = fuse_loop_cfg_create())) {
        sync_stop(sync);
        return 1;
    }
    fuse_loop_cfg_set_max_threads(cfg, 16);
    rc = fuse_session_loop_mt(se, cfg);
    fuse_loop_cfg_destroy(cfg);
    sync_stop(sync);
    fs->se = NULL;
    return rc < 0 ? 1 : 0;
}

/* The one engine of this mount: --host or --context (one of them, once),
 * else the docker CLI's own choice. */
static int pick_engine(const struct options *o, struct host *h,
                       char *err, size_t errlen)
{
    struct docker_env env;
    const char *flag_host = NULL, *flag_context = NULL, *source;

    if (o->n_engines > 1) {
        snprintf(err, errlen, "one engine per mount: give --host or "
                 "--context once");
        return EINVAL;
    }
    if (o->n_engines == 1 && o->engines[0].kind == SPEC_CONTEXT)
        flag_context = o->engines[0].arg;
    else if (o->n_engines == 1)
        flag_host = o->engines[0].arg;
    docker_env_get(&env);
    return context_resolve(h, flag_host, flag_context, &env, &source,
                           err, errlen);
}

int main(int argc, char **argv)
{
    struct options opt;
    struct host host;
    struct engine engine;
    struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
    struct fuse_session *se;
    struct fs fs;
    struct sync sync;
    char err[512], self_id[ID_LEN + 1] = "";
    int rc = 1;

    if (opts_parse(&opt, argc, argv, err, sizeof err) != 0) {
        fprintf(stderr, "dockerfs: %s\nTry 'dockerfs --help'.\n", err);
        opts_free(&opt);
        return 2;
    }
    if (opt.help || opt.version) {
        if (opt.help)
            opts_usage(stdout, "dockerfs");
        else
            printf("dockerfs %s\n", DOCKERFS_VERSION);
        opts_free(&opt);
        return 0;
    }
    log_open(0, opt.debug);
    char *mnt = absolute_path(opt.mountpoint);
    if (!mnt) {
        fprintf(stderr, "dockerfs: %s: %s\n", opt.mountpoint, strerror(errno));
        opts_free(&opt);
        return 1;
    }
    opt.mountpoint = mnt;
    if ((rc = pick_engine(&opt, &host, err, sizeof err)) != 0) {
        fprintf(stderr, "dockerfs: %s\n", err);
        opts_free(&opt);
        free(mnt);
        return rc == ENOMEM ? 1 : 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    engine_init(&engine, &host, opt.timeout);
    fs_init(&fs);
    memset(&sync, 0, sizeof sync);
    fs.engine = &engine;
    fs.opt = &opt;
    fs.self_id = self_container_id(self_id) ? self_id : "";
    sync.engine = &engine;
    sync.filters = &opt.filters;
    sync.all = opt.all;
    sync.resync_s = opt.resync;
    sync.hooks.gone = fs_notify_gone;
    sync.hooks.changed = fs_notify_changed;
    sync.hooks.arg = &fs;
    if (!(fs.table = sync.table = table_new())) {
        fprintf(stderr, "dockerfs: out of memory\n");
    } else if ((rc = sync_full(&sync, err, sizeof err)) != 0) {
        fprintf(stderr, "dockerfs: cannot list containers at %s%s%s%s: %s%s\n",
                host.display, host.name ? " (context " : "",
                host.name ? host.name : "", host.name ? ")" : "", err,
                host.tls && !host.name ? " (certificates: ca.pem, cert.pem, "
                "key.pem in DOCKER_CERT_PATH)" : "");
        rc = rc == EINVAL ? 2 : 1;
    } else if (fuse_argv(&opt, &args) != 0) {
        fprintf(stderr, "dockerfs: out of memory\n");
        rc = 1;
    } else if (!(se = fuse_session_new(&args, &fs_ops, sizeof fs_ops, &fs))) {
        fprintf(stderr, "dockerfs: bad FUSE options: %s\n",
                opt.fuse_opts ? opt.fuse_opts : "(none)");
        rc = 2;
    } else {
        clear_stale_mount(opt.mountpoint);
        if (fuse_set_signal_handlers(se) != 0) {
            rc = 1;
        } else if (fuse_session_mount(se, opt.mountpoint) != 0) {
            fprintf(stderr, "dockerfs: cannot mount at %s\n", opt.mountpoint);
            fuse_remove_signal_handlers(se);
            rc = 1;
        } else {
            fuse_daemonize(opt.foreground);
            log_open(opt.syslog, opt.debug);
            if (fs.self_id[0])
                log_info("running in container %.12s: it is protected", fs.self_id);
            log_info("mounted %zu containers at %s from %s%s%s%s (%s%s%s)",
                     table_count(fs.table), opt.mountpoint, host.display,
                     host.name ? " (context " : "", host.name ? host.name : "",
                     host.name ? ")" : "",
                     opt.all ? "all" : "running only",
                     opt.dry_run ? ", dry run" : "", opt.ro ? ", read-only" : "");
            rc = serve(se, &fs, &sync);
            fuse_session_unmount(se);
            fuse_remove_signal_handlers(se);
            log_info("unmounted %s", opt.mountpoint);
        }
        fuse_session_destroy(se);
    }
    fuse_opt_free_args(&args);
    fs_cleanup(&fs);
    table_free(fs.table);
    host_free(&host);
    curl_global_cleanup();
    opts_free(&opt);
    free(mnt);
    return rc;
}
