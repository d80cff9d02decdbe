/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fs.c - dockerfs's FUSE handlers (libfuse low-level API).
 *
 *   $ ls /dockerfs
 *   4eeff8a1b2c3  9f0c2d7e6a11
 *   $ cat /dockerfs/4eeff8a1b2c3/name
 *   web
 *   $ echo 1 > /dockerfs/web/kill          # web -> 4eeff8a1b2c3
 *   $ ls /dockerfs
 *   9f0c2d7e6a11
 *
 * Inode numbers: 1 is the root; every other one is (serial << 4 | kind),
 * where serial is the container's number in the table (never reused) and
 * kind a file_kind. Handlers read only the table; only a write to kill
 * waits for the engine. Every handler of a kill file is one call into
 * killfile.c, the one place that decides whether a container dies.
 *
 * The kernel caches what it can: entries, attributes, the contents of the
 * read-only files and both kinds of directory listing, for a day; the
 * sync thread drops each cached thing the moment its container changes
 * (fs_notify_*). Name and prefix links are never cached: a name may point
 * at another container tomorrow, and a prefix become ambiguous. Opens
 * still reach us (no FUSE_CAP_NO_OPEN_SUPPORT), so access checks in open
 * and opendir see every caller; only --fast-read gives opens to the
 * kernel, and with them the access checks (default_permissions).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buf.h"
#include "defer.h"
#include "fs.h"
#include "log.h"
#include "viewers.h"

#define KIND_BITS 4
/* A file_kind must fit the inode number's low bits, and --owner-only
 * keeps one bit per kind in an unsigned (settings.h). */
_Static_assert(FILE_KINDS <= 1u << KIND_BITS,
               "every file_kind must fit in KIND_BITS bits of an inode");
_Static_assert(FILE_KINDS <= sizeof(unsigned) * 8,
               "--owner-only keeps one bit per file_kind");
/* Every change is pushed (fs_notify_*): the timeout only bounds how long
 * the kernel may keep an entry nobody uses. */
#define CACHE_TIMEOUT 86400.0
#define ROOT_INO FUSE_ROOT_ID

static fuse_ino_t make_ino(uint64_t serial, enum file_kind kind)
{
    return (fuse_ino_t)(serial << KIND_BITS | kind);
}

static uint64_t ino_serial(fuse_ino_t ino) { return ino >> KIND_BITS; }
static enum file_kind ino_kind(fuse_ino_t ino)
{
    return (enum file_kind)(ino & ((1u << KIND_BITS) - 1));
}

static struct fs *fs_of(fuse_req_t req) { return fuse_req_userdata(req); }

/* Appends the content of data file kind of c to out, as
 * container_render, and "1" or "0" for protected: the rules a kill is
 * first judged by (protect.h) on the container as listed, so a game can
 * tell which monsters will not die. A rule on the image id is only known
 * at the kill. The table lock is held. */
static int render_file(const struct fs *fs, const struct container *c,
                       enum file_kind kind, struct buf *out)
{
    if (kind == FILE_PROTECTED)
        return buf_printf(out, "%d\n",
                          protect_check(&fs->opt->protect, c, NULL,
                                        fs->self_id) != 0);
    return container_render(c, kind, out);
}

/* Fills st for ino from c (NULL for the root); the table lock is held. */
static int fill_attr(struct fs *fs, fuse_ino_t ino, const struct container *c,
                     struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_ino = ino;
    st->st_nlink = 1;
    st->st_mtime = st->st_ctime = st->st_atime = c ? (time_t)c->created
                                                   : fs->started;
    if (ino == ROOT_INO) {
        long long ns = atomic_load(&fs->listing_ns);
        /* With allow_other the root shows who may enter (viewers.h). */
        st->st_mode = S_IFDIR | (!fs->opt->allow_other ? 0555
                                 : fs->opt->have_gid ? 0550 : 0500);
        st->st_uid = fs->opt->allow_other ? fs->opt->kill_uid : 0;
        st->st_gid = fs->opt->allow_other && fs->opt->have_gid ? fs->opt->kill_gid : 0;
        st->st_nlink = 2;
        if (ns) {
            st->st_mtim.tv_sec = st->st_ctim.tv_sec = (time_t)(ns / 1000000000);
            st->st_mtim.tv_nsec = st->st_ctim.tv_nsec = (long)(ns % 1000000000);
        }
        return 0;
    }
    switch (ino_kind(ino)) {
    case FILE_DIR:
        st->st_mode = S_IFDIR | 0555;
        st->st_nlink = 2;
        /* Newer whenever a file in it changes (fs_notify_changed drops
         * the cached attributes): one stat per container tells a reader
         * which ones to read again. */
        if (c->changed_ns) {
            st->st_mtim.tv_sec = st->st_ctim.tv_sec =
                (time_t)(c->changed_ns / 1000000000);
            st->st_mtim.tv_nsec = st->st_ctim.tv_nsec =
                (long)(c->changed_ns % 1000000000);
        }
        return 0;
    case FILE_KILL:
        st->st_mode = S_IFREG | (fs->opt->have_gid ? 0220 : 0200);
        st->st_uid = fs->opt->kill_uid;
        st->st_gid = fs->opt->have_gid ? fs->opt->kill_gid : 0;
        return 0;
    case FILE_LINK:
        st->st_mode = S_IFLNK | 0777;
        st->st_size = SHORT_ID_LEN;
        return 0;
    default: {
        struct buf b;
        if (!file_kind_is_data(ino_kind(ino)))
            return ENOENT;
        /* A container has no namespace file, a pod has. */
        if (!container_has(c, ino_kind(ino)))
            return ENOENT;
        buf_init(&b, 0);
        int err = render_file(fs, c, ino_kind(ino), &b);
        /* --owner-only files show who may read them: with --fast-read
         * the kernel decides by this mode. */
        if (fs->opt->owner_only & (1u << ino_kind(ino))) {
            st->st_mode = S_IFREG | 0400;
            st->st_uid = fs->owner;
        } else {
            st->st_mode = S_IFREG | 0444;
        }
        st->st_size = (off_t)b.len;
        buf_free(&b);
        return err;
    }
    }
}

/* Looks up ino in the table and fills its attributes. */
static int stat_ino(struct fs *fs, fuse_ino_t ino, struct stat *st)
{
    int err;

    if (ino == ROOT_INO)
        return fill_attr(fs, ino, NULL, st);
    table_rdlock(fs->table);
    const struct container *c = table_by_serial(fs->table, ino_serial(ino));
    err = c ? fill_attr(fs, ino, c, st) : ENOENT;
    table_unlock(fs->table);
    return err;
}

/* With allow_other, only root, the user dockerfs runs as and whoever may
 * kill may see inside the mount (viewers.h); this answers EACCES to
 * anyone else and returns 1.
 *
 * dockerfs checks this itself, like kill permission, instead of leaving
 * it to the kernel with default_permissions and a 0550 root: that would
 * make the kernel refuse kill writes too, before dockerfs sees them, and
 * refused kill attempts belong in the audit trail (killfile.c). So the
 * check sits where the kernel always asks: lookup, opendir, open,
 * readlink, access, and getattr/setattr when they reach us. Cached
 * entries skip lookup, so open and opendir must never be skipped (no
 * FUSE_CAP_NO_OPEN_SUPPORT / NO_OPENDIR_SUPPORT; --fast-read skips open
 * only with default_permissions) nor links cached
 * (FUSE_CAP_CACHE_SYMLINKS), and names and id prefixes keep an entry
 * timeout of 0. What a cache can still give a stranger who already knows
 * a short id: that its directory exists and its files' sizes. */
static int refuse_stranger(fuse_req_t req)
{
    struct fs *fs = fs_of(req);
    struct kill_caller who;

    if (!fs->opt->allow_other)
        return 0;
    kill_caller_of(req, fs->opt, &who);
    if (may_view(fs->opt, fs->owner, &who))
        return 0;
    fuse_reply_err(req, EACCES);
    return 1;
}

/* 1 if the caller may read data file kind (--owner-only, viewers.h).
 * Only the caller's uid decides, so its groups are not asked for:
 * fuse_req_getgroups reads /proc, and this runs at every open. */
static int caller_may_read(fuse_req_t req, enum file_kind kind)
{
    struct fs *fs = fs_of(req);
    struct kill_caller who = { .uid = fuse_req_ctx(req)->uid };

    return may_read(fs->opt, fs->owner, &who, kind);
}

static void fsop_init(void *userdata, struct fuse_conn_info *conn)
{
    struct fs *fs = userdata;

    /* --fast-read: opens stay in the kernel, and with them the release
     * and flush round trips of every read. O_TRUNC then comes as a
     * truncate (fsop_setattr): with atomic_o_trunc the kernel would take
     * an open it never sent for a truncation done, and empty the cached
     * name of a data file root opened with O_TRUNC. */
    fs->no_open = fs->opt->fast_read &&
                  (conn->capable & FUSE_CAP_NO_OPEN_SUPPORT) != 0;
    if (fs->opt->fast_read && !fs->no_open)
        log_warn("--fast-read: the kernel cannot do without opens; "
                 "every open still reaches dockerfs");
    /* O_TRUNC arrives with open instead of as a separate truncate. */
    if (!fs->no_open && (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC))
        conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
    /* Listings are kept by the kernel through cache_readdir at opendir,
     * which needs no capability. FUSE_CAP_AUTO_INVAL_DATA (libfuse's
     * default) stays: it costs a getattr only once fs_notify_* has dropped
     * the attributes, and then a root mtime newer than the cached listing
     * throws away a listing a readdir filled from a table read just before
     * the change. */
}

static void fsop_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
    struct fs *fs = fs_of(req);
    struct fuse_entry_param e;
    uint64_t serial = 0;
    int is_dir = 0, err;
    enum file_kind kind;

    if (refuse_stranger(req))
        return;
    memset(&e, 0, sizeof e);
    table_rdlock(fs->table);
    if (parent == ROOT_INO) {
        err = table_resolve(fs->table, name, &serial, &is_dir);
        kind = is_dir ? FILE_DIR : FILE_LINK;
    } else if (ino_kind(parent) == FILE_DIR &&
               table_by_serial(fs->table, ino_serial(parent))) {
        serial = ino_serial(parent);
        kind = file_kind_from_name(name);
        err = kind == FILE_KINDS ? ENOENT : 0;
    } else {
        err = ENOENT;
        kind = FILE_KINDS;
    }
    if (err == 0) {
        e.ino = make_ino(serial, kind);
        err = fill_attr(fs, e.ino, table_by_serial(fs->table, serial), &e.attr);
    }
    table_unlock(fs->table);
    if (err) {
        fuse_reply_err(req, err == ENOTUNIQ ? ENOENT : err);
        return;
    }
    /* A name may point at another container tomorrow: never cache it. */
    if (kind == FILE_LINK)
        e.entry_timeout = e.attr_timeout = 0;
    else
        e.entry_timeout = e.attr_timeout = CACHE_TIMEOUT;
    fuse_reply_entry(req, &e);
}

static void fsop_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    struct stat st;
    int err;

    (void)fi;
    /* The root answers everyone: stat, df and mount tools need it. */
    if (ino != ROOT_INO && refuse_stranger(req))
        return;
    err = stat_ino(fs_of(req), ino, &st);
    if (err)
        fuse_reply_err(req, err);
    else
        fuse_reply_attr(req, &st, ino != ROOT_INO && ino_kind(ino) == FILE_LINK
                        ? 0 : CACHE_TIMEOUT);
}

/* Only truncating kill to nothing is allowed: the shell's "> kill" may
 * ask for it. Every other change is refused. */
static void fsop_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
                         int to_set, struct fuse_file_info *fi)
{
    struct stat st;
    int err;

    (void)fi;
    if (ino != ROOT_INO && refuse_stranger(req))
        return;
    if (ino == ROOT_INO || ino_kind(ino) != FILE_KILL ||
        (to_set & ~FUSE_SET_ATTR_SIZE) != 0 || attr->st_size != 0) {
        fuse_reply_err(req, EPERM);
        return;
    }
    if ((err = stat_ino(fs_of(req), ino, &st)) != 0)
        fuse_reply_err(req, err);
    else
        fuse_reply_attr(req, &st, CACHE_TIMEOUT);
}

static void fsop_readlink(fuse_req_t req, fuse_ino_t ino)
{
    struct fs *fs = fs_of(req);
    char target[SHORT_ID_LEN + 1] = "";

    if (refuse_stranger(req))
        return;
    if (ino == ROOT_INO || ino_kind(ino) != FILE_LINK) {
        fuse_reply_err(req, EINVAL);
        return;
    }
    table_rdlock(fs->table);
    const struct container *c = table_by_serial(fs->table, ino_serial(ino));
    if (c)
        memcpy(target, c->short_id, sizeof target);
    table_unlock(fs->table);
    if (!target[0])
        fuse_reply_err(req, ENOENT);
    else
        fuse_reply_readlink(req, target);
}

/* 1 if the caller is held to listing.h's caps: anyone but root and the
 * user dockerfs runs as (the game's account is one). */
static int caller_limited(fuse_req_t req)
{
    uid_t uid = fuse_req_ctx(req)->uid;
    return uid != 0 && uid != fs_of(req)->owner;
}

static void fsop_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    struct fs *fs = fs_of(req);
    struct listing_handle *h;
    struct stat st;
    int err;

    if (refuse_stranger(req))
        return;
    if (ino != ROOT_INO) {
        if ((err = stat_ino(fs, ino, &st)) != 0 || !S_ISDIR(st.st_mode)) {
            fuse_reply_err(req, err ? err : ENOTDIR);
            return;
        }
        fi->fh = 0;
        /* A container directory always lists the same files. */
        fi->cache_readdir = 1;
        fi->keep_cache = 1;
        fuse_reply_open(req, fi);
        return;
    }
    /* The listing itself is taken at the first readdir, not here: an
     * open whose listing the kernel has cached never reads it. */
    if ((err = listing_open(&fs->listings, caller_limited(req), &h)) != 0) {
        fuse_reply_err(req, err);
        return;
    }
    fi->fh = (uint64_t)(uintptr_t)h;
    /* Kept until fs_notify_* drops it: a container came or went. */
    fi->cache_readdir = 1;
    fi->keep_cache = 1;
    fuse_reply_open(req, fi);
}

/* Adds one entry; returns 0 when it did not fit. */
static size_t add_entry(fuse_req_t req, char *buf, size_t size, size_t used,
                        const char *name, fuse_ino_t ino, mode_t mode, off_t next)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_ino = ino;
    st.st_mode = mode;
    size_t need = fuse_add_direntry(req, buf + used, size - used, name, &st, next);
    return need > size - used ? 0 : need;
}

static void fsop_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                         struct fuse_file_info *fi)
{
    struct listing_handle *h = (struct listing_handle *)(uintptr_t)fi->fh;
    char *buf = malloc(size);
    size_t used = 0, total, added;

    if (!buf) {
        fuse_reply_err(req, ENOMEM);
        return;
    }
    /* Offsets stay stable while containers come and go: a handle reads
     * the snapshot of its first readdir (the kernel may have answered
     * the ones before from its cache) until it starts again at 0. */
    if (ino == ROOT_INO && h && (off == 0 || !h->l)) {
        int err = listing_take(&fs_of(req)->listings, fs_of(req)->table, h);
        if (err) {
            free(buf);
            fuse_reply_err(req, err);
            return;
        }
    }
    const struct listing *snap = ino == ROOT_INO && h ? h->l : NULL;
    total = 2 + (ino == ROOT_INO ? (snap ? snap->n : 0) : FILE_COUNT);
    struct container row = { .ns = NULL };
    if (ino != ROOT_INO) {
        /* Only which files it has is read: a pod has a namespace. */
        struct fs *fs = fs_of(req);
        table_rdlock(fs->table);
        const struct container *c = table_by_serial(fs->table,
                                                    ino_serial(ino));
        row.ns = c && c->ns ? "" : NULL;
        table_unlock(fs->table);
    }
    for (size_t i = (size_t)off; i < total; i++) {
        const char *name;
        fuse_ino_t child;
        mode_t mode;

        if (i < 2) {
            name = i == 0 ? "." : "..";
            child = i == 0 ? ino : ROOT_INO;
            mode = S_IFDIR;
        } else if (ino == ROOT_INO) {
            name = snap->rows[i - 2].short_id;
            child = make_ino(snap->rows[i - 2].serial, FILE_DIR);
            mode = S_IFDIR;
        } else {
            enum file_kind k = (enum file_kind)(FILE_FIRST + (i - 2));
            if (!container_has(&row, k))
                continue;
            name = file_kind_name(k);
            child = make_ino(ino_serial(ino), k);
            mode = S_IFREG;
        }
        added = add_entry(req, buf, size, used, name, child, mode, (off_t)i + 1);
        if (!added)
            break;
        used += added;
    }
    fuse_reply_buf(req, buf, used);
    free(buf);
}

static void fsop_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    struct listing_handle *h = (struct listing_handle *)(uintptr_t)fi->fh;

    (void)ino;
    listing_close(&fs_of(req)->listings, h);
    fuse_reply_err(req, 0);
}

/* The parts of fs the kill path needs. */
static struct kill_env kill_env_of(struct fs *fs)
{
    struct kill_env env = { fs->table, fs->opt, fs->self_id, &fs->kills,
                            fs->fleet };
    return env;
}

static void fsop_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    struct fs *fs = fs_of(req);
    struct stat st;
    int acc = fi->flags & O_ACCMODE, err;

    if (fs->no_open) {
        /* The kernel remembers this and opens by itself from now on. */
        fuse_reply_err(req, ENOSYS);
        return;
    }
    /* A stranger's kill attempt goes on to killfile_open: audited. */
    if ((ino == ROOT_INO || ino_kind(ino) != FILE_KILL) && refuse_stranger(req))
        return;
    if ((err = stat_ino(fs, ino, &st)) != 0) {
        fuse_reply_err(req, err);
        return;
    }
    if (ino == ROOT_INO || S_ISDIR(st.st_mode)) {
        fuse_reply_err(req, EISDIR);
        return;
    }
    if (ino_kind(ino) == FILE_KILL) {
        struct kill_env env = kill_env_of(fs);
        struct kill_caller who;
        uint64_t fh = 0;

        kill_caller_of(req, fs->opt, &who);
        err = killfile_open(&env, &who, ino_serial(ino), acc, &fh);
        if (err) {
            fuse_reply_err(req, err);
            return;
        }
        fi->fh = fh;
    } else if (acc != O_RDONLY) {
        /* Root passes the kernel's permission check; the contract does
         * not bend for it: the data files are read-only. */
        fuse_reply_err(req, fs->opt->ro ? EROFS : EACCES);
        return;
    } else if (!caller_may_read(req, ino_kind(ino))) {
        fuse_reply_err(req, EACCES);
        return;
    }
    if (ino_kind(ino) == FILE_KILL) {
        /* Every write must reach us: no page cache. */
        fi->direct_io = 1;
        fi->keep_cache = 0;
    } else {
        /* The page cache keeps the content until fs_notify_changed drops
         * it together with the size; nothing to flush at close. */
        fi->direct_io = 0;
        fi->keep_cache = 1;
        fi->noflush = 1;
    }
    fuse_reply_open(req, fi);
}

static void fsop_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                      struct fuse_file_info *fi)
{
    struct fs *fs = fs_of(req);
    struct buf b;
    int err;

    (void)fi;
    buf_init(&b, 0);
    table_rdlock(fs->table);
    const struct container *c = table_by_serial(fs->table, ino_serial(ino));
    err = c ? render_file(fs, c, ino_kind(ino), &b) : ENOENT;
    table_unlock(fs->table);
    if (err) {
        fuse_reply_err(req, err);
    } else if ((size_t)off >= b.len) {
        fuse_reply_buf(req, NULL, 0);
    } else {
        size_t n = b.len - (size_t)off;
        fuse_reply_buf(req, b.data + off, n < size ? n : size);
    }
    buf_free(&b);
}

/* A write to a kill file whose open never reached us (--fast-read): the
 * kernel has checked the mode, killfile_open checks again and audits,
 * and the write is judged alone, as if opened, written and closed. */
static int write_unopened(const struct kill_env *env,
                          const struct kill_caller *who, uint64_t serial,
                          const char *data, size_t size)
{
    uint64_t fh = 0;
    int err = killfile_open(env, who, serial, O_WRONLY, &fh);

    if (err)
        return err;
    err = killfile_write(env, who, serial, fh, data, size);
    killfile_release(env, fh);
    return err;
}

/* A kill write as it arrived, to be judged off the request loop. */
struct kill_job {
    fuse_req_t req;
    struct fs *fs;
    struct kill_caller who;
    uint64_t serial, fh;
    size_t size;
    char data[];                /* a copy: the loop's buffer is reused */
};

/* Judges the write, asks the engine and answers; frees the job. */
static void kill_job_run(void *arg)
{
    struct kill_job *j = arg;
    struct kill_env env = kill_env_of(j->fs);
    int err;

    if (j->fh)
        err = killfile_write(&env, &j->who, j->serial, j->fh, j->data,
                             j->size);
    else if (j->fs->no_open)
        err = write_unopened(&env, &j->who, j->serial, j->data, j->size);
    else
        err = EBADF;
    if (err)
        fuse_reply_err(j->req, err);
    else
        fuse_reply_write(j->req, j->size);
    free(j);
}

static void fsop_write(fuse_req_t req, fuse_ino_t ino, const char *data,
                       size_t size, off_t off, struct fuse_file_info *fi)
{
    struct fs *fs = fs_of(req);
    struct kill_job *j;

    (void)off;
    if (ino == ROOT_INO || ino_kind(ino) != FILE_KILL) {
        /* Only root gets past the kernel's mode check to a data file. */
        fuse_reply_err(req, fs->no_open ? EACCES : EBADF);
        return;
    }
    if (!(j = malloc(sizeof *j + size))) {
        fuse_reply_err(req, ENOMEM);
        return;
    }
    j->req = req;
    j->fs = fs;
    kill_caller_of(req, fs->opt, &j->who);
    j->serial = ino_serial(ino);
    j->fh = fi->fh;
    j->size = size;
    memcpy(j->data, data, size);
    /* The engine's answer may take seconds: a worker waits for it. With
     * no worker to be had, this request waits and the others with it. */
    if (!fs->defer || defer_run(fs->defer, kill_job_run, j) != 0)
        kill_job_run(j);
}

/* Every close(2) flushes, also a shell's close of the descriptor it has
 * just dup2()ed before any write; refusing that close is harmless, as
 * shells ignore it, and it is the one way to answer an empty write. */
static void fsop_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    if (fs_of(req)->no_open)
        fuse_reply_err(req, ENOSYS);    /* remembered: no flush from now on */
    else if (ino == ROOT_INO || ino_kind(ino) != FILE_KILL)
        fuse_reply_err(req, 0);
    else
        fuse_reply_err(req, killfile_flush(fi->fh));
}

static void fsop_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    if (ino != ROOT_INO && ino_kind(ino) == FILE_KILL) {
        struct kill_env env = kill_env_of(fs_of(req));
        killfile_release(&env, fi->fh);
    }
    fuse_reply_err(req, 0);
}

/* access(2) answers what open would: the kernel does not check modes
 * for us (no default_permissions). A stranger may learn that the root
 * exists (F_OK), nothing else; cd into the mount asks here too. */
static void fsop_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
    struct fs *fs = fs_of(req);
    struct stat st;
    int err;

    if (!(ino == ROOT_INO && mask == F_OK) && refuse_stranger(req))
        return;
    err = stat_ino(fs, ino, &st);

    if (!err && mask != F_OK) {
        if (S_ISDIR(st.st_mode))
            err = mask & W_OK ? EACCES : 0;
        else if (ino_kind(ino) == FILE_KILL) {
            struct kill_caller who;
            kill_caller_of(req, fs->opt, &who);
            err = killfile_access(fs->opt, &who, mask);
        }
        else if (ino_kind(ino) != FILE_LINK)
            err = mask & (W_OK | X_OK) ? EACCES
                  : (mask & R_OK) && !caller_may_read(req, ino_kind(ino))
                  ? EACCES : 0;
    }
    fuse_reply_err(req, err);
}

static void fsop_statfs(fuse_req_t req, fuse_ino_t ino)
{
    struct statvfs sv;

    (void)ino;
    memset(&sv, 0, sizeof sv);
    sv.f_bsize = sv.f_frsize = 4096;
    sv.f_namemax = 255;
    fuse_reply_statfs(req, &sv);
}

/* rm -rf /dockerfs must never remove a container: every change to the
 * tree's shape is refused. */
static void fsop_mknod(fuse_req_t req, fuse_ino_t p, const char *n, mode_t m, dev_t d)
{ (void)p; (void)n; (void)m; (void)d; fuse_reply_err(req, EPERM); }
static void fsop_mkdir(fuse_req_t req, fuse_ino_t p, const char *n, mode_t m)
{ (void)p; (void)n; (void)m; fuse_reply_err(req, EPERM); }
static void fsop_unlink(fuse_req_t req, fuse_ino_t p, const char *n)
{ (void)p; (void)n; fuse_reply_err(req, EPERM); }
static void fsop_rmdir(fuse_req_t req, fuse_ino_t p, const char *n)
{ (void)p; (void)n; fuse_reply_err(req, EPERM); }
static void fsop_symlink(fuse_req_t req, const char *l, fuse_ino_t p, const char *n)
{ (void)l; (void)p; (void)n; fuse_reply_err(req, EPERM); }
static void fsop_rename(fuse_req_t req, fuse_ino_t p, const char *n,
                        fuse_ino_t np, const char *nn, unsigned int flags)
{ (void)p; (void)n; (void)np; (void)nn; (void)flags; fuse_reply_err(req, EPERM); }
static void fsop_link(fuse_req_t req, fuse_ino_t i, fuse_ino_t np, const char *nn)
{ (void)i; (void)np; (void)nn; fuse_reply_err(req, EPERM); }
static void fsop_create(fuse_req_t req, fuse_ino_t p, const char *n, mode_t m,
                        struct fuse_file_info *fi)
{ (void)p; (void)n; (void)m; (void)fi; fuse_reply_err(req, EPERM); }
static void fsop_setxattr(fuse_req_t req, fuse_ino_t i, const char *n,
                          const char *v, size_t s, int f)
{ (void)i; (void)n; (void)v; (void)s; (void)f; fuse_reply_err(req, EPERM); }
static void fsop_removexattr(fuse_req_t req, fuse_ino_t i, const char *n)
{ (void)i; (void)n; fuse_reply_err(req, EPERM); }

/* The root listing has changed: a newer mtime, and the cached listing
 * and attributes dropped. */
static void listing_changed(struct fs *fs)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    atomic_store(&fs->listing_ns, ts.tv_sec * 1000000000LL + ts.tv_nsec);
    fuse_lowlevel_notify_inval_inode(fs->se, ROOT_INO, 0, 0);
}

void fs_notify_gone(void *arg, const struct table_row *g)
{
    struct fs *fs = arg;
    int rc;

    if (!fs->se)
        return;
    /* The kernel refuses to delete a directory with live children, and
     * the kill file is usually still open by the writer whose kill caused
     * this removal: unhash the children first. */
    for (int k = FILE_FIRST; k < FILE_FIRST + FILE_COUNT; k++) {
        const char *name = file_kind_name((enum file_kind)k);
        fuse_lowlevel_notify_inval_entry(fs->se, make_ino(g->serial, FILE_DIR),
                                         name, strlen(name));
    }
    /* The cached listing first: the kernel resets it on a delete only if
     * the entry's dentry happens to be cached (ls alone leaves none). */
    listing_changed(fs);
    rc = fuse_lowlevel_notify_delete(fs->se, ROOT_INO,
                                     make_ino(g->serial, FILE_DIR),
                                     g->short_id, SHORT_ID_LEN);
    /* Older kernels lack delete; ENOENT only means nothing was cached. */
    if (rc == -ENOSYS)
        fuse_lowlevel_notify_inval_entry(fs->se, ROOT_INO, g->short_id,
                                         SHORT_ID_LEN);
}

void fs_notify_changed(void *arg, uint64_t serial, int added)
{
    struct fs *fs = arg;

    if (!fs->se)
        return;
    /* Offset 0, length 0: the attributes (the size) and every cached page
     * together, so a new content is never cut to an old size; the
     * directory's too, whose mtime says it changed. */
    for (int k = FILE_DIR; k < FILE_KINDS; k++)
        if (k == FILE_DIR || file_kind_is_data((enum file_kind)k))
            fuse_lowlevel_notify_inval_inode(fs->se, make_ino(serial, k), 0, 0);
    if (added)
        listing_changed(fs);
}

void fs_init(struct fs *fs)
{
    memset(fs, 0, sizeof *fs);
    killfiles_init(&fs->kills);
    listings_init(&fs->listings);
    fs->started = time(NULL);
    fs->owner = getuid();
}

void fs_cleanup(struct fs *fs)
{
    killfiles_cleanup(&fs->kills);
    listings_cleanup(&fs->listings);
}

const struct fuse_lowlevel_ops fs_ops = {
    .init = fsop_init,
    .lookup = fsop_lookup,
    .getattr = fsop_getattr,
    .setattr = fsop_setattr,
    .readlink = fsop_readlink,
    .mknod = fsop_mknod,
    .mkdir = fsop_mkdir,
    .unlink = fsop_unlink,
    .rmdir = fsop_rmdir,
    .symlink = fsop_symlink,
    .rename = fsop_rename,
    .link = fsop_link,
    .open = fsop_open,
    .read = fsop_read,
    .write = fsop_write,
    .flush = fsop_flush,
    .release = fsop_release,
    .opendir = fsop_opendir,
    .readdir = fsop_readdir,
    .releasedir = fsop_releasedir,
    .statfs = fsop_statfs,
    .access = fsop_access,
    .setxattr = fsop_setxattr,
    .removexattr = fsop_removexattr,
    .create = fsop_create,
};
