/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container.h - one container as the mount shows it, and its files. */
#ifndef DOCKERFS_CONTAINER_H
#define DOCKERFS_CONTAINER_H

#include <stddef.h>
#include "buf.h"

#define ID_LEN 64
#define SHORT_ID_LEN 12
/* A pod's id: its uid without the dashes (32 hex digits); the id file
 * shows the uid as Kubernetes writes it, 8-4-4-4-12. */
#define POD_ID_LEN 32
#define POD_UID_LEN 36

/* The name of an engine given without one (--host URL, one engine with
 * no context), and of a row no engine stamped. */
#define ENGINE_NAME_DEFAULT "default"

/* The files of a container directory, in the order a listing shows
 * them, declared once: the kind, the file's name, and whether it is a
 * data file (read-only, rendered from the row: container_render, or fs.c
 * for protected) or the kill file. The enum below, the names
 * (file_kind_name), the directory listing and the kernel cache drops
 * (fs.c) all come from this list, so a new file is one line here and its
 * rendering; fs.c asserts that the kinds fit the inode number's bits.
 *   engine     the engine's name in the mount
 *   protected  1 or 0 (protect.h decides)
 *   namespace  a pod's namespace; a container has no such file
 *              (container_has) */
#define CONTAINER_FILES(X)                  \
    X(FILE_ID,          "id",           1)  \
    X(FILE_NAME,        "name",         1)  \
    X(FILE_IMAGE,       "image",        1)  \
    X(FILE_STATE,       "state",        1)  \
    X(FILE_CREATED,     "created",      1)  \
    X(FILE_LABELS,      "labels",       1)  \
    X(FILE_ENGINE,      "engine",       1)  \
    X(FILE_PROTECTED,   "protected",    1)  \
    X(FILE_NAMESPACE,   "namespace",    1)  \
    X(FILE_KILL,        "kill",         0)

/* The inode kinds: a container's directory, its files, and a name or id
 * prefix resolved in the root (a symlink). The values are part of the
 * inode numbers (fs.c). */
enum file_kind {
    FILE_DIR = 0,
#define FILE_KIND_ENUM(kind, name, data) kind,
    CONTAINER_FILES(FILE_KIND_ENUM)
#undef FILE_KIND_ENUM
    FILE_LINK,
    FILE_KINDS
};

/* The first file of a container directory, and how many there are. */
#define FILE_FIRST FILE_ID
#define FILE_COUNT (FILE_LINK - FILE_FIRST)

struct label {
    char *key;
    char *value;
};

struct container {
    char id[ID_LEN + 1];            /* 64 lower-case hex digits (a pod:
                                       POD_ID_LEN) */
    char short_id[SHORT_ID_LEN + 1];
    char *name;                     /* without the leading "/" */
    char *image;
    char *state;
    long long created;              /* Unix seconds */
    struct label *labels;           /* sorted by key */
    size_t nlabels;
    /* Labels left out of a record too big to keep whole (jtrim.h: over
     * LABELS_KEPT_MAX of label text): the labels file says so on a last
     * line, and protection refuses what it cannot decide without them.
     * Copied and compared. */
    size_t labels_cut;
    /* Which engine of the mount the container is on: its index in the
     * fleet and its name (not owned: the fleet's, alive as long as the
     * mount; NULL is ENGINE_NAME_DEFAULT, container_engine). Copied by
     * container_copy. */
    unsigned engine_ix;
    const char *engine;
    /* When what the mount shows of it last changed (Unix ns), set by the
     * table: its directory's mtime, so a reader learns what changed from
     * one stat per container. Not compared, copied by container_copy. */
    long long changed_ns;
    /* A pod's namespace (owned; container_set_ns); NULL for a Docker
     * container, whose directory has no namespace file. */
    char *ns;
    /* 1 for the pod dockerfs runs in, as its backend recognises it
     * (backend_kube.h: the downward API's POD_UID, POD_NAME and
     * POD_NAMESPACE, or the host name): never killed, and its protected
     * file says so. Copied and compared. */
    int own;
};

/* What one engine may cost (a hostile one lists 250 000 containers, or
 * big records): at most this many containers of it are shown, and at
 * most this much of their text (container_bytes) kept; the rest are left
 * out, and the log says so. */
#define ENGINE_CONTAINERS_MAX 100000
#define ENGINE_BYTES_MAX (64u << 20)

/* Label text kept of one container; beyond it the labels are cut, but
 * those whose key starts with LABELS_ALWAYS_KEPT (dockerfs.protect). */
#define LABELS_KEPT_MAX (960u << 10)
#define LABELS_ALWAYS_KEPT "dockerfs."

/* 1 if s[0..len) is non-empty and all lower-case hex digits. */
int id_is_hex(const char *s, size_t len);

/* 1 if s is an id of the table: ID_LEN or POD_ID_LEN lower-case hex
 * digits. */
int id_valid(const char *s);

/* A uid 8-4-4-4-12 (POD_UID_LEN, lower-case hex) as its POD_ID_LEN hex
 * digits into id (POD_ID_LEN + 1 bytes). Returns 0, or EINVAL for
 * anything else. */
int pod_id_from_uid(const char *uid, size_t len, char *id);

/* Fills c from its parts (copies every string, sorts the labels); c's old
 * contents are not freed. id must be id_valid. Returns 0, EINVAL for a
 * bad id, ENOMEM (c is then empty). */
int container_set(struct container *c, const char *id, const char *name,
                  const char *image, const char *state, long long created,
                  const struct label *labels, size_t nlabels);

/* Gives c (filled) the namespace ns (copied; NULL: none). Returns 0 or
 * ENOMEM (c keeps its old one). */
int container_set_ns(struct container *c, const char *ns);

/* 1 if c's directory has a file of kind k (every kind but
 * FILE_NAMESPACE, which only a pod has). */
int container_has(const struct container *c, enum file_kind k);

/* Deep copy; dst's old contents are not freed. Returns 0 or ENOMEM (dst
 * is then empty). */
int container_copy(struct container *dst, const struct container *src);

/* The text c holds (name, image, state, labels): what ENGINE_BYTES_MAX
 * counts. */
size_t container_bytes(const struct container *c);

/* Frees what c owns and zeroes it. */
void container_clear(struct container *c);

/* The name of c's engine: c->engine, or ENGINE_NAME_DEFAULT. */
const char *container_engine(const struct container *c);

/* Value of a label, or NULL. */
const char *container_label(const struct container *c, const char *key);

/* Appends the content of data file kind (FILE_ID..FILE_NAMESPACE) to
 * out: the value and a newline (the id of a pod as its uid, with its
 * dashes); labels one "key=value" line each, sorted. Name,
 * image, state, label keys and values are escaped with escape_text (a
 * newline inside as \n, a backslash as \\, other control characters as
 * \xNN), so every line is one value and nothing reaches a terminal raw;
 * an "=" inside a label key is \x3d, so a line's first "=" ends the key.
 * FILE_KILL renders as nothing. Returns 0, EINVAL for a kind that is not
 * a data file, that needs more than the container (FILE_PROTECTED), or
 * that c has not (FILE_NAMESPACE of a Docker container), or E2BIG (past
 * out's limit) / ENOMEM (out is then emptied, as after any failed
 * append: buf.h). */
int container_render(const struct container *c, enum file_kind kind,
                     struct buf *out);

/* The file name of a kind ("id", "name", ... "kill"); NULL for DIR/LINK. */
const char *file_kind_name(enum file_kind kind);

/* 1 for a data file of CONTAINER_FILES (read-only, rendered), else 0. */
int file_kind_is_data(enum file_kind kind);

/* The kind called name inside a container directory, or FILE_KINDS. */
enum file_kind file_kind_from_name(const char *name);

/* Frees an array of n containers. */
void containers_free(struct container *v, size_t n);

/* Moves *c to the end of the growing array *v (*n used of *cap), which
 * doubles from 64 as needed. 0, or ENOMEM with *c cleared and the array
 * as it was. */
int containers_push(struct container **v, size_t *n, size_t *cap,
                    struct container *c);

#endif
