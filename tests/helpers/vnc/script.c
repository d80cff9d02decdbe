/* script.c - parse the step language (see script.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "script.h"

#include "keys.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Appends one word of length n. Returns 0 or -1 (out of memory). */
static int add_word(struct script *s, const char *w, size_t n)
{
    char *copy;

    if (s->nwords == s->capwords) {
        size_t cap = s->capwords ? s->capwords * 2 : 16;
        char **nw = realloc(s->words, cap * sizeof *nw);

        if (nw == NULL)
            return -1;
        s->words = nw;
        s->capwords = cap;
    }
    copy = strndup(w, n);
    if (copy == NULL)
        return -1;
    s->words[s->nwords++] = copy;
    return 0;
}

/* ';' separates steps on a command line where a newline is awkward. */
static int is_sep(char c)
{
    return isspace((unsigned char)c) || c == ';';
}

int script_add_text(struct script *s, const char *text)
{
    const char *p = text;

    while (*p != '\0' && *p != '#') {
        const char *start;

        while (*p != '\0' && is_sep(*p))
            p++;
        if (*p == '\0' || *p == '#')
            break;
        start = p;
        while (*p != '\0' && !is_sep(*p))
            p++;
        if (add_word(s, start, (size_t)(p - start)) != 0)
            return -1;
    }
    return 0;
}

int script_add_stream(struct script *s, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;

    while (getline(&line, &cap, f) >= 0) {
        if (script_add_text(s, line) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = -1;
    free(line);
    return rc;
}

/* Parses a non-negative millisecond count of at most a day. */
static int parse_ms(const char *w, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(w, &end, 10);
    if (errno != 0 || end == w || *end != '\0' || v < 0 || v > 86400000L)
        return -1;
    *out = v;
    return 0;
}

/* Appends a step. Returns 0 or -1 (out of memory). */
static int add_step(struct script *s, const struct step *st)
{
    if (s->nsteps == s->capsteps) {
        size_t cap = s->capsteps ? s->capsteps * 2 : 16;
        struct step *ns = realloc(s->steps, cap * sizeof *ns);

        if (ns == NULL)
            return -1;
        s->steps = ns;
        s->capsteps = cap;
    }
    s->steps[s->nsteps++] = *st;
    return 0;
}

struct command {
    const char *name;
    enum step_op op;
    size_t nargs;
};

static const struct command commands[] = {
    { "wait", OP_WAIT, 1 }, { "waitfb", OP_WAITFB, 0 },        { "key", OP_KEY, 2 },
    { "hold", OP_HOLD, 2 }, { "tap", OP_TAP, 1 },              { "type", OP_TYPE, 1 },
    { "shot", OP_SHOT, 1 }, { "typedelay", OP_TYPEDELAY, 1 },
};

/* Reports a bad millisecond argument. Returns -1 for the caller. */
static int bad_ms(const char *cmd, const char *word, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: '%s' is not a number of milliseconds", cmd, word);
    return -1;
}

/* Resolves a key name into st->sym. Returns 0 or -1 with err set. */
static int want_key(const char *cmd, const char *name, struct step *st, char *err, size_t errlen)
{
    st->sym = key_by_name(name);
    if (st->sym == 0) {
        snprintf(err, errlen, "%s: unknown key name '%s'", cmd, name);
        return -1;
    }
    return 0;
}

/* Keeps a copy of the word (type's text, shot's file). Returns 0 or -1. */
static int want_text(const char *word, struct step *st, char *err, size_t errlen)
{
    st->text = strdup(word);
    if (st->text == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Fills st from a command and its argument words. Returns 0 or -1 with a
 * message in err; st owns nothing on failure. */
static int build_step(const struct command *c, char **args, struct step *st, char *err,
                      size_t errlen)
{
    size_t i;

    memset(st, 0, sizeof *st);
    st->op = c->op;
    switch (c->op) {
    case OP_WAIT:
    case OP_TYPEDELAY:
        return parse_ms(args[0], &st->ms) == 0 ? 0 : bad_ms(c->name, args[0], err, errlen);
    case OP_WAITFB:
        return 0;
    case OP_KEY:
        if (strcmp(args[1], "down") == 0) {
            st->down = 1;
        } else if (strcmp(args[1], "up") != 0) {
            snprintf(err, errlen, "key %s: want 'down' or 'up', got '%s'", args[0], args[1]);
            return -1;
        }
        return want_key(c->name, args[0], st, err, errlen);
    case OP_HOLD:
        if (want_key(c->name, args[0], st, err, errlen) != 0)
            return -1;
        return parse_ms(args[1], &st->ms) == 0 ? 0 : bad_ms(c->name, args[1], err, errlen);
    case OP_TAP:
        return want_key(c->name, args[0], st, err, errlen);
    case OP_TYPE:
        for (i = 0; args[0][i] != '\0'; i++) {
            if (key_for_char(args[0][i]) == 0) {
                snprintf(err, errlen, "type: character %zu of '%s' is not printable ASCII", i + 1,
                         args[0]);
                return -1;
            }
        }
        return want_text(args[0], st, err, errlen);
    case OP_SHOT:
        return want_text(args[0], st, err, errlen);
    }
    snprintf(err, errlen, "internal error: unhandled command %s", c->name);
    return -1;
}

int script_compile(struct script *s, char *err, size_t errlen)
{
    size_t i = 0, k;

    while (i < s->nwords) {
        const struct command *c = NULL;
        struct step st;

        for (k = 0; k < sizeof commands / sizeof commands[0]; k++)
            if (strcmp(commands[k].name, s->words[i]) == 0)
                c = &commands[k];
        if (c == NULL) {
            snprintf(err, errlen, "unknown step '%s' (word %zu)", s->words[i], i + 1);
            return -1;
        }
        if (s->nwords - i - 1 < c->nargs) {
            snprintf(err, errlen, "%s: needs %zu argument%s", c->name, c->nargs,
                     c->nargs == 1 ? "" : "s");
            return -1;
        }
        if (build_step(c, s->words + i + 1, &st, err, errlen) != 0)
            return -1;
        if (add_step(s, &st) != 0) {
            free(st.text);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        i += 1 + c->nargs;
    }
    return 0;
}

void script_free(struct script *s)
{
    size_t i;

    for (i = 0; i < s->nwords; i++)
        free(s->words[i]);
    for (i = 0; i < s->nsteps; i++)
        free(s->steps[i].text);
    free(s->words);
    free(s->steps);
    memset(s, 0, sizeof *s);
}
