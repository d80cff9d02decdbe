/* SPDX-License-Identifier: GPL-2.0-or-later */
/* killfile.h - the one destructive path: the kill file of a container.
 *
 *   open(kill, O_WRONLY)  root, the --uid user or a --gid member, else
 *                         EACCES (audited); -o ro: EROFS
 *   write("1\n")          input judged (killinput.h), protection checked
 *                         (protect.h), the engine called (engine_kill),
 *                         one audit line (audit.h) with the result
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
#include "engine.h"
#include "fleet.h"
#include "opts.h"
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

/* What a kill needs: where to find the container, whom to ask to kill
 * it, and the options that say whether and how. */
struct kill_env {
    struct table *table;
    const struct engine *engine;
    const struct options *opt;
    const char *self_id;            /* our own container, or "" */
    struct fleet *fleet;            /* when not NULL: a container's own
                                       engine (engine_ix) is asked, EIO at
                                       once while it is down, EAGAIN when
                                       it has too many kills waiting */
};

/* The open kill files, so the ones a writer still holds at exit can be
 * freed. */
struct kill_handles {
    pthread_mutex_t lock;
    struct kill_handle *list;
};

void kill_handles_init(struct kill_handles *hs);

/* Frees every handle still open; after the session loop has ended. */
void kill_handles_cleanup(struct kill_handles *hs);

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
 * caller that is not kill_permitted (audited, when serial is still in
 * the table), EROFS under -o ro, ENOMEM. */
int killfile_open(const struct kill_env *env, struct kill_handles *hs,
                  const struct kill_caller *who, uint64_t serial,
                  int accmode, uint64_t *fh);

/* One write of size bytes to an open kill file. Returns 0 when the
 * write is accepted (a kill that succeeded, or was only audited under
 * --dry-run, or white space after one), EINVAL for input that is not a
 * request, EPERM for a protected container, ENOENT when it is gone, EIO
 * at once when its engine is down, EAGAIN when its engine already has
 * FLEET_KILLS_IN_FLIGHT kills waiting, or the engine's errno. Every fired request leaves one audit line. */
int killfile_write(const struct kill_env *env, const struct kill_caller *who,
                   uint64_t serial, uint64_t fh, const void *data, size_t size);

/* The answer at close of fh (kill_input_flush). */
int killfile_flush(uint64_t fh);

/* Frees fh. */
void killfile_release(struct kill_handles *hs, uint64_t fh);

#endif
