/* fs.h - the FUSE side of dockerfs: low-level handlers answering from the
 * container table, and the notifications the sync thread sends. */
#ifndef DOCKERFS_FS_H
#define DOCKERFS_FS_H

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <time.h>
#include "engine.h"
#include "fleet.h"
#include "killfile.h"
#include "opts.h"
#include "table.h"

struct fs {
    struct table *table;
    const struct engine *engine;    /* the first engine's */
    struct fleet *fleet;        /* every engine; NULL: engine only */
    const struct options *opt;
    const char *self_id;        /* our own container, or "" */
    struct fuse_session *se;    /* set once the session exists */
    time_t started;
    uid_t owner;                /* who runs dockerfs: may always look */
    struct kill_handles kills;  /* the open kill files */
};

/* Sets up the parts of fs that are not plain pointers. */
void fs_init(struct fs *fs);

/* Frees what handlers left behind; after the session loop has ended. */
void fs_cleanup(struct fs *fs);

/* The handlers; the session's userdata must be a struct fs. */
extern const struct fuse_lowlevel_ops fs_ops;

/* Tells the kernel a container directory is gone (notify_delete), so
 * cached lookups and inotify watchers see it at once. Never call it from
 * a handler. */
void fs_notify_gone(void *fs, const struct table_gone *g);

/* Drops the kernel's cached attributes of a changed container's files. */
void fs_notify_changed(void *fs, uint64_t serial);

#endif
