/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fs.h - the FUSE side of dockerfs: low-level handlers answering from the
 * container table, and the notifications the sync thread sends. */
#ifndef DOCKERFS_FS_H
#define DOCKERFS_FS_H

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "fleet.h"
#include "killfile.h"
#include "listing.h"
#include "settings.h"
#include "table.h"

struct fs {
    struct table *table;
    struct fleet *fleet;        /* every engine */
    const struct options *opt;
    const char *self_id;        /* our own container, or "" */
    struct fuse_session *se;    /* set once the session exists */
    struct defer *defer;        /* kill writes run here, if set */
    time_t started;
    uid_t owner;                /* who runs dockerfs: may always look */
    /* --fast-read and the kernel can do without opens (fsop_init): open
     * and flush answer ENOSYS, which the kernel remembers for the mount,
     * and a kill file is written with no handle. */
    int no_open;
    struct killfiles kills;     /* open kill files, audit trail */
    /* When the root listing last changed (Unix ns; 0: not since start):
     * the root's mtime, so the kernel knows its cached listing is old. */
    atomic_llong listing_ns;
    /* Open root directories and the snapshots they read (listing.h),
     * freed at release, or at exit for the ones whose release the kernel
     * had not yet sent when the mount went. */
    struct listings listings;
};

/* Zeroes fs and sets up the parts that are not plain pointers (the kill
 * files, the listings, the start time and owner): set the pointers
 * after it. */
void fs_init(struct fs *fs);

/* Frees what handlers left behind; after the session loop has ended. */
void fs_cleanup(struct fs *fs);

/* The handlers; the session's userdata must be a struct fs. */
extern const struct fuse_lowlevel_ops fs_ops;

/* Tells the kernel a container directory is gone (notify_delete), so
 * cached lookups and inotify watchers see it at once. A follow_hooks
 * callback (fs is the struct fs), called after the table dropped the
 * row, with no lock held (follow.h). Never from a handler: the kernel
 * may hold a lock the handler's own request waits on (libfuse's notify
 * contract), a deadlock. Does nothing before the session exists. */
void fs_notify_gone(void *fs, const struct table_row *g);

/* Drops the kernel's cached attributes and contents of a changed
 * container's files (serial: its row's), and with added the cached root
 * listing. A follow_hooks callback, as fs_notify_gone, and never from a
 * handler for the same reason. */
void fs_notify_changed(void *fs, uint64_t serial, int added);

#endif
