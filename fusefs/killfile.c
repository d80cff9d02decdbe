/* SPDX-License-Identifier: GPL-2.0-or-later */
/* killfile.c - permission, input, protection, the engine call and the
 * audit line of a write to a kill file. */
#include "killfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit.h"
#include "killinput.h"
#include "log.h"
#include "protect.h"

struct kill_handle {
    struct kill_input in;
    int limited;                /* counted in open_limited */
    struct kill_handle *prev, *next;
};

void killfiles_init(struct killfiles *kf)
{
    pthread_mutex_init(&kf->lock, NULL);
    kf->list = NULL;
    kf->open_limited = 0;
    audit_trail_init(&kf->audit);
}

static void handle_unlink_free(struct killfiles *kf, struct kill_handle *h)
{
    pthread_mutex_lock(&kf->lock);
    if (h->prev)
        h->prev->next = h->next;
    else
        kf->list = h->next;
    if (h->next)
        h->next->prev = h->prev;
    if (h->limited)
        kf->open_limited--;
    pthread_mutex_unlock(&kf->lock);
    free(h);
}

void killfiles_cleanup(struct killfiles *kf)
{
    while (kf->list)
        handle_unlink_free(kf, kf->list);
    pthread_mutex_destroy(&kf->lock);
    audit_trail_cleanup(&kf->audit);
}

/* A new handle, counted against KILLFILE_HANDLES_MAX when limited.
 * Returns 0, EMFILE or ENOMEM. */
static int handle_new(struct killfiles *kf, int limited,
                      struct kill_handle **out)
{
    struct kill_handle *h = calloc(1, sizeof *h);
    int err = 0;

    if (!h)
        return ENOMEM;
    pthread_mutex_lock(&kf->lock);
    if (limited && kf->open_limited >= KILLFILE_HANDLES_MAX) {
        err = EMFILE;
    } else {
        h->limited = limited;
        kf->open_limited += limited;
        h->next = kf->list;
        if (h->next)
            h->next->prev = h;
        kf->list = h;
    }
    pthread_mutex_unlock(&kf->lock);
    if (err)
        free(h);
    else
        *out = h;
    return err;
}

static int groups_matter(const struct options *opt, const struct kill_caller *who)
{
    return who->uid != 0 && who->uid != opt->kill_uid && opt->have_gid &&
           who->gid != opt->kill_gid;
}

void kill_caller_of(fuse_req_t req, const struct options *opt,
                    struct kill_caller *who)
{
    const struct fuse_ctx *ctx = fuse_req_ctx(req);
    int n;

    who->pid = ctx->pid;
    who->uid = ctx->uid;
    who->gid = ctx->gid;
    who->ngroups = 0;
    if (groups_matter(opt, who)) {
        n = fuse_req_getgroups(req, KILL_MAX_GROUPS, who->groups);
        who->ngroups = n < 0 ? 0 : n > KILL_MAX_GROUPS ? KILL_MAX_GROUPS : n;
    }
}

int kill_permitted(const struct options *opt, const struct kill_caller *who)
{
    if (who->uid == 0 || who->uid == opt->kill_uid)
        return 1;
    if (!opt->have_gid)
        return 0;
    if (who->gid == opt->kill_gid)
        return 1;
    for (int i = 0; i < who->ngroups && i < KILL_MAX_GROUPS; i++)
        if (who->groups[i] == opt->kill_gid)
            return 1;
    return 0;
}

int killfile_access(const struct options *opt, const struct kill_caller *who,
                    int mask)
{
    if (mask & (R_OK | X_OK))
        return EACCES;
    if (mask == F_OK)
        return 0;
    return opt->ro ? EROFS : kill_permitted(opt, who) ? 0 : EACCES;
}

/* The caller's command name, for the audit trail; "?" when unknown. */
static void caller_comm(pid_t pid, char *dst, size_t n)
{
    char path[64];
    FILE *f;

    snprintf(dst, n, "?");
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    if (!(f = fopen(path, "r")))
        return;
    if (fgets(dst, (int)n, f))
        dst[strcspn(dst, "\n")] = '\0';
    fclose(f);
}

/* A copy of the container behind serial. Returns 0, ENOENT or ENOMEM. */
static int copy_container(struct table *t, uint64_t serial, struct container *c)
{
    int err;

    memset(c, 0, sizeof *c);
    table_rdlock(t);
    const struct container *found = table_by_serial(t, serial);
    err = found ? container_copy(c, found) : ENOENT;
    table_unlock(t);
    return err;
}

/* Writes the audit line of one attempt on c by who that ended with err;
 * now (NULL: not known) is what the engine said the container is just
 * before: its name then is the one logged, and the listed one as was=
 * when they differ. */
static void audit_attempt_now(const struct kill_env *env,
                              const struct kill_caller *who,
                              const struct container *c,
                              const struct container *now, int err)
{
    char comm[32];
    const char *name = now && now->name ? now->name : c->name;

    caller_comm(who->pid, comm, sizeof comm);
    struct audit a = {
        .short_id = c->short_id, .name = name,
        .was = c->name && strcmp(name, c->name) != 0 ? c->name : NULL,
        .image = c->image, .ns = c->ns,
        .engine = env->fleet ? container_engine(c) : NULL,
        .pid = who->pid, .uid = who->uid, .comm = comm,
        .action = kill_action_name(env->opt->action),
        .result = err ? errno_name(err) : env->opt->dry_run ? "dry-run" : "ok",
    };
    audit_trail_log(&env->files->audit, &a, err, audit_now());
}

/* The same with nothing known of now. */
static void audit_attempt(const struct kill_env *env,
                          const struct kill_caller *who,
                          const struct container *c, int err)
{
    audit_attempt_now(env, who, c, NULL, err);
}

int killfile_open(const struct kill_env *env, const struct kill_caller *who,
                  uint64_t serial, int accmode, uint64_t *fh)
{
    struct kill_handle *h;
    struct container c;

    /* Root passes the kernel's permission check; the contract does not
     * bend for it: kill is write-only. */
    if (accmode != O_WRONLY)
        return EACCES;
    if (env->opt->ro)
        return EROFS;
    if (!kill_permitted(env->opt, who)) {
        if (copy_container(env->table, serial, &c) == 0) {
            audit_attempt(env, who, &c, EACCES);
            container_clear(&c);
        }
        return EACCES;
    }
    /* Root and the user dockerfs runs as are not held to the cap. */
    int err = handle_new(env->files, who->uid != 0 && who->uid != getuid(), &h);
    if (err)
        return err;
    *fh = (uint64_t)(uintptr_t)h;
    return 0;
}

int kill_decide(const struct protect_rules *r, const char *self_id,
                const struct container *listed, int inspect_rc,
                const struct container *now, const char *now_image_id)
{
    if (protect_check(r, listed, NULL, self_id) != 0)
        return EPERM;
    switch (inspect_rc) {
    case 0:
        break;
    case ESRCH:             /* out of the mount's scope now (--filter) */
        return EPERM;
    case ENOENT:            /* gone: nothing left to kill or to protect */
    case EIO:
    case ETIMEDOUT:         /* the kill itself would have failed so */
        return inspect_rc;
    default:                /* an answer that cannot be read decides nothing */
        return EPERM;
    }
    if (strcmp(now->id, listed->id) != 0)
        return EPERM;
    return protect_check(r, now, now_image_id, self_id) != 0 ? EPERM : 0;
}

/* Carries out one fired request on serial; returns 0 or an errno. */
static int fire(const struct kill_env *env, const struct kill_caller *who,
                uint64_t serial)
{
    struct container listed, now;
    char msg[256] = "", image_id[128] = "";
    int err = copy_container(env->table, serial, &listed);
    int budget = 0, have_now = 0;

    memset(&now, 0, sizeof now);
    if (err)
        return err;
    /* Protected as listed: refused without asking the engine, so a flood
     * of refused writes costs the engine nothing. Else the table may be
     * older than the container (a rename, a tag moved since it was
     * listed): ask the engine what it is now, also under --dry-run,
     * which is everything but the kill. The container's own engine is
     * asked, through the fleet: while it is down EIO at once, no
     * request; stalled with too many kills waiting on it EAGAIN, so it
     * cannot hold every kill worker (defer.h). */
    if (protect_check(&env->opt->protect, &listed, NULL, env->self_id) != 0) {
        err = EPERM;
    } else if ((err = fleet_kill_begin(env->fleet, listed.engine_ix)) != 0) {
        snprintf(msg, sizeof msg, "engine %s %s", container_engine(&listed),
                 err == EIO ? "is down" : "has too many kills waiting");
    } else {
        budget = 1;
        err = fleet_inspect(env->fleet, &listed, &now, image_id,
                            sizeof image_id, msg, sizeof msg);
        have_now = err == 0 || err == ESRCH;
        err = kill_decide(&env->opt->protect, env->self_id, &listed, err,
                          &now, image_id);
    }
    if (!err && !env->opt->dry_run)
        err = fleet_kill(env->fleet, &listed, env->opt->action, msg,
                         sizeof msg);
    if (budget)
        fleet_kill_end(env->fleet, listed.engine_ix);
    audit_attempt_now(env, who, &listed, have_now ? &now : NULL, err);
    if (err && msg[0])
        log_debug("kill %s: %s", listed.short_id, msg);
    container_clear(&now);
    container_clear(&listed);
    return err;
}

int killfile_write(const struct kill_env *env, const struct kill_caller *who,
                   uint64_t serial, uint64_t fh, const void *data, size_t size)
{
    struct kill_handle *h = (struct kill_handle *)(uintptr_t)fh;
    int err;

    if (!h)
        return EBADF;
    switch (kill_input_feed(&h->in, data, size)) {
    case KILL_DONE:
        return 0;
    case KILL_BAD:
        log_debug("refused a write of %zu bytes to %llx/kill", size,
                  (unsigned long long)serial);
        return EINVAL;
    case KILL_FIRE:
        break;
    }
    err = fire(env, who, serial);
    kill_input_result(&h->in, err);
    return err;
}

int killfile_flush(uint64_t fh)
{
    struct kill_handle *h = (struct kill_handle *)(uintptr_t)fh;

    return h ? kill_input_flush(&h->in) : 0;
}

void killfile_release(const struct kill_env *env, uint64_t fh)
{
    if (fh)
        handle_unlink_free(env->files, (struct kill_handle *)(uintptr_t)fh);
}
