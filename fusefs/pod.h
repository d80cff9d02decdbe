/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pod.h - the API server's JSON: pods, pod lists, watch events, Status.
 *
 *   {"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"web-1",
 *    "namespace":"shop","uid":"5f1c0a2b-...","labels":{...},...},
 *    "spec":{"containers":[{"image":"nginx:1.25",...}]},
 *    "status":{"phase":"Running","conditions":[...]}}}
 *
 * A pod becomes a row of the table (container.h): id = its uid without
 * dashes, name, namespace, the first container's image, a state made of
 * its phase and conditions, created, labels. Nothing else of it is kept:
 * 10000 pods must fit in a few MB. Whatever the server sends, a pod
 * that cannot be read is left out (and said), never the list. */
#ifndef DOCKERFS_POD_H
#define DOCKERFS_POD_H

#include <stddef.h>
#include <jansson.h>
#include "container.h"
#include "parse.h"

/* The longest resourceVersion and continue token kept. */
#define POD_RV_MAX 127
#define POD_CONTINUE_MAX 4095
/* One pod's JSON over this size is not read. */
#define POD_JSON_MAX (1u << 20)

/* The states of a pod (besides STATE_UNREACHABLE): pending, running,
 * unready (running, its Ready condition False), succeeded, failed,
 * unknown, terminating (being deleted). */
const char *pod_state(const char *phase, int ready_false, int deleting);

/* Fills c from pod object o (a row: container_clear it). Returns 0,
 * ENOENT (not a pod: no object, no uid of the 8-4-4-4-12 lower-case hex
 * shape, no name or namespace string; *why says which) or ENOMEM. */
int pod_from_json(json_t *o, struct container *c, const char **why);

/* What of a list one engine may show (ENGINE_CONTAINERS_MAX rows and
 * ENGINE_BYTES_MAX of their text, as the table allows), counted as the
 * pods come, so that a server that lists without end cannot fill the
 * memory. */
struct pod_share {
    size_t rows_max, bytes_max;
    size_t rows, bytes;         /* taken so far; start at 0 */
};

/* Counts c into s: 1 if it fits in the share, 0 (not counted) if not. */
int pod_share_take(struct pod_share *s, const struct container *c);

/* A page of GET .../pods?limit=N. */
struct pod_page {
    struct container *v;        /* n rows, containers_free */
    size_t n;
    char rv[POD_RV_MAX + 1];    /* metadata.resourceVersion */
    char cont[POD_CONTINUE_MAX + 1];    /* metadata.continue, "" last */
    size_t skipped;             /* items that were not pods */
    int full;                   /* the share was full: items left out */
};

/* A PodList read as it arrives: only the item being read is held as
 * text (at most POD_JSON_MAX), and each is decoded on its own, so a page
 * never becomes one JSON tree in memory; the list's metadata is read
 * whole (at most 64 KiB). Its keys may come in any order. */
struct pod_list_parser {
    /* set after pod_list_init; may stay NULL */
    list_skip_fn on_skip;       /* told about each item left out */
    void *skip_arg;
    /* private */
    int state, depth, in_str, esc, in_key, keys;
    int value, in_value, scalar_value, have_items;
    int in_elem, elem_scalar, oversize, full;
    struct buf key, meta, elem;
    struct pod_share *share;
    struct container *v;
    size_t n, cap, skipped;
    char rv[POD_RV_MAX + 1];
    char cont[POD_CONTINUE_MAX + 1];
    int err;
};

/* Starts a parser; share (may be NULL: no limit) counts the rows kept,
 * and past it items are left out (page.full). */
void pod_list_init(struct pod_list_parser *p, struct pod_share *share);

/* Feeds a chunk. Returns 0, or the first error (EINVAL: not a JSON
 * object with an items array and an object as metadata, a
 * resourceVersion or continue that is not a short string of printable
 * ASCII; ENOMEM); after an error every call returns it again. */
int pod_list_feed(struct pod_list_parser *p, const char *data, size_t len);

/* Ends the input: hands the page over (pod_page_free it) and returns 0;
 * EINVAL if the list was not whole (no items array, or not closed), or
 * the first error of a broken input; *out is then empty. The parser must
 * still be freed. */
int pod_list_finish(struct pod_list_parser *p, struct pod_page *out);

/* Frees the parser's buffers and the rows not handed over. */
void pod_list_free(struct pod_list_parser *p);

/* Frees the page's rows and zeroes it. */
void pod_page_free(struct pod_page *p);

enum pod_event_type {
    POD_ADDED, POD_MODIFIED, POD_DELETED, POD_BOOKMARK, POD_ERROR
};

/* One line of a watch. */
struct pod_event {
    enum pod_event_type type;
    struct container c;         /* ADDED, MODIFIED, DELETED: the pod */
    char rv[POD_RV_MAX + 1];    /* the object's resourceVersion, or "" */
    int code;                   /* ERROR: the Status code (410: Gone) */
    char message[256];          /* ERROR: its message, escaped */
};

/* Parses one watch line into ev (container_clear ev->c after). Returns
 * 0; ENOENT for an event about a pod that is not readable (its rv is
 * still given when the object has one, so the watch can go on from
 * it); EINVAL (not a watch event: no type of the five, or no object);
 * ENOMEM. */
int pod_parse_event(const char *line, size_t len, struct pod_event *ev);

/* The code and message of a Status body (an error answer), or code 0
 * and "" when it is not one. The message is escaped (escape.h). */
void pod_parse_status(const char *json, size_t len, int *code, char *msg,
                      size_t msglen);

/* The uid of the kube-system namespace body: metadata.uid into id
 * (idlen bytes). Returns 0, or EINVAL when there is none of the uid's
 * shape. */
int pod_parse_namespace_uid(const char *json, size_t len, char *id,
                            size_t idlen);

#endif
