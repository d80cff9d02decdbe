/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.h - the engine's JSON: container lists, event lines, errors. */
#ifndef DOCKERFS_PARSE_H
#define DOCKERFS_PARSE_H

#include <stddef.h>
#include <jansson.h>
#include "buf.h"
#include "container.h"
#include "jtrim.h"

/* Every JSON string may hold a NUL (\u0000, JSON_ALLOW_NUL) and a C
 * string cannot: such a string is copied with each NUL as ESCAPE_NUL,
 * which the files show as \x00 (see escape.h). The copies live here
 * until the container is built. */
struct parse_texts {
    char **v;
    size_t n, cap;
    int nomem;
};

/* The text of string v, or NULL if v is not a string (or on ENOMEM,
 * with t->nomem set). */
const char *parse_text(json_t *v, struct parse_texts *t);

/* The string members of a labels object as labels[0..*n) (calloc'ed,
 * pointing into lj and t); anything but a string is skipped. Keys hold
 * no NUL: jansson refuses one in a key. Returns 0 or ENOMEM; free *out
 * (not the strings) either way. */
int parse_labels(json_t *lj, struct parse_texts *t, struct label **out,
                 size_t *n);

/* Frees the copies and zeroes t. */
void parse_texts_free(struct parse_texts *t);

/* Parses the body of GET /containers/json (Docker or Podman). On success
 * *out holds *n containers (free with containers_free). Each record is
 * read as jtrim.h cuts it down (the members dockerfs shows; labels beyond
 * LABELS_KEPT_MAX left out and counted in labels_cut). Entries without a
 * 64-hex Id are skipped, and so is a record still over 1 MiB so cut (a
 * name that long) or one that is not JSON (a NUL in a label key, say); a
 * missing name, image or state becomes "", a missing Created 0, Labels
 * null no labels. A NUL inside a string (\u0000) is kept as ESCAPE_NUL
 * (escape.h). Returns 0, EINVAL when the body is not a JSON array,
 * ENOMEM, or EFBIG with the first ENGINE_CONTAINERS_MAX containers (or
 * ENGINE_BYTES_MAX of them) in *out when there are more. */
int parse_container_list(const char *json, size_t len,
                         struct container **out, size_t *n);

/* Told about each record a list leaves out as unreadable (too large, not
 * JSON): id is the 64-hex Id its text names, or "" when it names none;
 * why is a short reason. */
typedef void (*list_skip_fn)(void *arg, const char *id, const char *why);

/* The same, fed in chunks as they arrive: only the element being read is
 * held as text (cut down by jtrim, at most 1 MiB), and each is decoded on
 * its own, so a list of 10000 containers never becomes one JSON tree in
 * memory. */
struct list_parser {
    struct buf elem;        /* text of the element being collected */
    struct jtrim trim;      /* what cuts it down into elem */
    int state;              /* before '[', in the array, after ']', broken */
    int in_elem, depth, in_str, esc;
    struct container *v;
    size_t n, cap;
    int err;                /* first error: EINVAL, ENOMEM or EFBIG */
    size_t bytes;           /* container_bytes of those kept */
    int capped;             /* ENGINE_CONTAINERS_MAX or ENGINE_BYTES_MAX
                               reached: the rest is not read */
    size_t skipped;         /* records left out as unreadable */
    list_skip_fn on_skip;   /* set after list_parser_init; may stay NULL */
    void *skip_arg;
};

/* Starts an empty parser (no on_skip). */
void list_parser_init(struct list_parser *p);

/* Feeds a chunk. Returns 0, or the first error (EINVAL: not a JSON array
 * of objects; ENOMEM; EFBIG: one engine's share is full, ENGINE_CONTAINERS_MAX
 * containers or ENGINE_BYTES_MAX of their text, and the rest is not
 * read); after an error every call returns it again. */
int list_parser_feed(struct list_parser *p, const char *data, size_t len);

/* Ends the input: on success hands over the containers as
 * parse_container_list does and returns 0; EINVAL if the array was not
 * closed; the first error of a broken input (*out empty); EFBIG after a
 * list cut at one engine's share, with the containers kept handed over
 * as on success. The parser must still be freed. */
int list_parser_finish(struct list_parser *p, struct container **out, size_t *n);

/* Frees the element's text and the containers not handed over. */
void list_parser_free(struct list_parser *p);

enum event_kind {
    EVENT_IGNORE,       /* not a container event, or one that changes nothing shown */
    EVENT_CHANGED,      /* re-read this container */
    EVENT_GONE,         /* destroy (Docker) or remove (Podman) */
    EVENT_RELIST        /* an image's tags moved: re-list the engine */
};

/* Longest rename target an event carries over; a longer one is left to
 * the re-read. */
#define EVENT_NAME_MAX 255

struct event {
    enum event_kind kind;
    char id[ID_LEN + 1];
    char rename_to[EVENT_NAME_MAX + 1];     /* rename: the new name, or "" */
    int create;                             /* the action is create */
};

/* Parses one line of the /events stream. Container events whose id is 64
 * hex digits become CHANGED or GONE; exec_*, health_status, attach,
 * detach, resize, top, commit, copy, export, archive-path and
 * extract-to-dir are IGNORE. Image events that may move a tag (tag,
 * untag, delete, remove, pull, load, import) are RELIST, with no id: a
 * container's listed image is the name it was created from only while
 * that name still points at its image (else the image id), and no
 * container event says so. Any other Type is IGNORE. A rename's new name
 * (Actor.Attributes.name) is kept in rename_to. A line that is not JSON
 * but holds "Type":"container" and an "id" or "ID" of 64 hex digits (the
 * head of a line cut at the length limit) is CHANGED for that id.
 * Returns 0 or EINVAL (malformed; ev->kind is then IGNORE). */
int parse_event(const char *line, size_t len, struct event *ev);

/* What a create event line says of its container, so that it can be
 * shown before the engine is asked (the re-read that follows puts right
 * what an event cannot say): id; name and image from Actor.Attributes;
 * state "created"; created, the event's second (the engine's own time
 * is a few milliseconds older, so at most a second off); labels, the
 * other attributes. Docker writes the labels into
 * the attributes and name and image over them, so a label called name or
 * image is missing here. *when_ns is the event's timeNano (0 without
 * one). Returns 0; ENOENT for any other event, one without name or image,
 * or Podman's (its attributes mix in podId and containerExitCode); EINVAL
 * (not a JSON object with Actor.Attributes); ENOMEM. c is empty unless 0. */
int parse_event_container(const char *line, size_t len, struct container *c,
                          long long *when_ns);

/* What GET /containers/{id}/json says beyond the table's fields: what
 * --all and the --filter keys status, exited and health need, and what
 * protection needs. */
struct inspect_info {
    int running;            /* State.Running: listed without --all */
    int exit_code;          /* State.ExitCode */
    char health[16];        /* State.Health.Status, "none" without one */
    char image_id[80];      /* Image, the id the container was created
                               from ("sha256:..."), "" without one */
};

/* The members of an inspect body parse_inspect reads: a body cut down
 * with these (jtrim_init(t, out, INSPECT_KEEP, INSPECT_DESCEND,
 * INSPECT_INNER, LABELS_KEPT_MAX)) parses as the whole would, but for
 * the labels cut. */
extern const char *const INSPECT_KEEP[], *const INSPECT_DESCEND[],
    *const INSPECT_INNER[];

/* Parses the body of GET /containers/{id}/json (Docker or Podman) into c
 * with the same values the list gives: Name without its "/",
 * Config.Image, State.Status, Created (RFC 3339) in Unix seconds,
 * Config.Labels. info may be NULL. Returns 0, EINVAL (not an object with
 * a 64-hex Id, or an Image id too long for info), ENOMEM; on error c is
 * empty. */
int parse_inspect(const char *json, size_t len, struct container *c,
                  struct inspect_info *info);

/* "2026-11-22T05:43:59.067123456Z" or with a "+01:00" offset, in Unix
 * seconds; 0 for anything else (NULL too: as the list's missing
 * Created). */
long long parse_rfc3339(const char *s);

/* Copies the "message" of an engine error body into dst (truncated,
 * always terminated); when there is none, the body itself up to its first
 * newline. Returns dst. */
const char *parse_error_message(const char *body, size_t len,
                                char *dst, size_t dstlen);

/* The identity of the engine that sent a GET /info body, the same
 * whatever address reaches it: "ID NAME:ROOT" from its "ID", "Name" (the
 * host name) and "DockerRootDir". The ID alone does not do: Docker 20.10
 * derives it from /etc/docker/key.json, so every dockerd of one machine
 * has the same; two of them never share a data root. Podman (its
 * answer has "BuildahVersion") makes up a new ID per request: its
 * identity is "podman NAME:ROOT". Returns 0, or
 * EINVAL when the body is not a JSON object with a non-empty string ID
 * without a space, a part holds a control character, or it does not fit
 * in idlen - 1 bytes (id is then ""). */
int parse_info_id(const char *json, size_t len, char *id, size_t idlen);

#endif
