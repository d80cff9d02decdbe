/* SPDX-License-Identifier: GPL-2.0-or-later */
/* killfile.h - the one destructive path: the kill file of a container.
 *
 *   open(kill, O_WRONLY)  root, the --uid user or a --gid member, else
 *                         EACCES (audited); -o ro: EROFS
 *   write("1\n")          input judged (killinput.h); protection checked
 *                         (protect.h) on the table's copy and again on
 *                         the engine's current view (fleet_inspect); the
 *                         engine called (fleet_kill); one audit line
 *                         (audit.h) with the result
 *   close                 EINVAL if no write ever reached the handle
 *
 * fs.c's handlers for kill files are one call each into this file. */
#ifndef DOCKERFS_KILLFILE_H
#define DOCKERFS_KILLFILE_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 312
#endif
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include "audit.h"
#include "fleet.h"
#include "opts.h"
#include "protect.h"
#include "table.h"

/* Supplementary groups looked at for --gid; a member beyond this many
 * groups must use its primary group. */
#define KILL_MAX_GROUPS 64

/* Who is asking. */
struct kill_caller {
    pid_t pid;
    uid_t uid;
    gid_t gid;
    int ngroups;                    /* of groups[] that are valid */
    gid_t groups[KILL_MAX_GROUPS];
};

/* The open kill files, so the ones a writer still holds at exit can be
 * freed, and the audit trail of the attempts on them. */
struct killfiles {
    pthread_mutex_t lock;
    struct kill_handle *list;
    size_t open_limited;        /* of them, callers' other than root and
                                   the user dockerfs runs as */
    struct audit_trail audit;
};

/* Open kill files a caller other than root and the user dockerfs runs as
 * (the game's account) may hold at once: beyond, EMFILE. Each costs
 * dockerfs memory, and its own limits do not apply to that. */
#define KILLFILE_HANDLES_MAX 1024

void killfiles_init(struct killfiles *kf);

/* Frees every handle still open and logs the refusals still counted;
 * after the session loop has ended. */
void killfiles_cleanup(struct killfiles *kf);

/* What a kill needs: where to find the container, whom to ask to kill
 * it, the options that say whether and how, and where handles and the
 * audit trail live. */
struct kill_env {
    struct table *table;
    const struct options *opt;
    const char *self_id;            /* our own container, or "" */
    struct killfiles *files;
    struct fleet *fleet;            /* a container's own engine
                                       (engine_ix) is asked, through the
                                       fleet; EIO at once while it is
                                       down, EAGAIN when it is stalled
                                       with kills waiting */
};

/* Fills who from req; the supplementary groups only when opt's --gid
 * needs them (reading them costs a /proc read). */
void kill_caller_of(fuse_req_t req, const struct options *opt,
                    struct kill_caller *who);

/* 1 if who may write kill files: root, the --uid user, or a member of
 * the --gid group (primary or supplementary). dockerfs checks this
 * itself rather than leaving it to the kernel (default_permissions), so
 * that a refused attempt is in the audit trail too. */
int kill_permitted(const struct options *opt, const struct kill_caller *who);

/* The answer of access(2) on a kill file for mask (F_OK, R_OK, W_OK,
 * X_OK bits): 0, EACCES for reading or executing or a caller that is not
 * kill_permitted, EROFS under -o ro. */
int killfile_access(const struct options *opt, const struct kill_caller *who,
                    int mask);

/* Opens serial's kill file with access mode accmode (O_RDONLY, ...).
 * Returns 0 with *fh set, EACCES for anything but O_WRONLY or for a
 * caller that is not kill_permitted (audited as a refusal, when serial
 * is still in the table), EROFS under -o ro, EMFILE for a caller other
 * than root and the user dockerfs runs as who holds KILLFILE_HANDLES_MAX
 * open already, ENOMEM. */
int killfile_open(const struct kill_env *env, const struct kill_caller *who,
                  uint64_t serial, int accmode, uint64_t *fh);

/* One write of size bytes to an open kill file. Returns 0 when the
 * write is accepted (a kill that succeeded, or was only audited under
 * --dry-run, or white space after one), EINVAL for input that is not a
 * request, EBADF for no handle, EIO at once when the container's engine
 * is down, EAGAIN when its engine is stalled with FLEET_KILLS_IN_FLIGHT
 * kills waiting (fleet_kill_begin), else kill_decide's or fleet_kill's
 * errno. Every fired
 * request is audited (audit_trail_log: a refusal repeated within
 * AUDIT_WINDOW_S is counted, not logged again). */
int killfile_write(const struct kill_env *env, const struct kill_caller *who,
                   uint64_t serial, uint64_t fh, const void *data, size_t size);

/* The decision for a fired request: 0 to kill, else the errno. listed
 * is the table's copy; inspect_rc, now and now_image_id are what
 * fleet_inspect answered about listed->id just before (now is only read
 * when inspect_rc is 0). EPERM when either view is protected
 * (protect_check, also its ENOMEM), when the container is out of the
 * mount's scope now (ESRCH: renamed out of a --filter since it was
 * listed), when the engine's answer was not a container (EPROTO,
 * ENOMEM, ...) or names another id: what cannot be decided is refused. ENOENT, EIO and ETIMEDOUT from the inspect are
 * passed on: the container is gone, or the engine cannot be reached, and
 * the kill would end the same way. */
int kill_decide(const struct protect_rules *r, const char *self_id,
                const struct container *listed, int inspect_rc,
                const struct container *now, const char *now_image_id);

/* The answer at close of fh (kill_input_flush). */
int killfile_flush(uint64_t fh);

/* Frees fh. */
void killfile_release(const struct kill_env *env, uint64_t fh);

#endif
