/* SPDX-License-Identifier: GPL-2.0-or-later */
/* follow.c - what a follower writes into the table, and the kernel
 * notifications that go with it. */
#include "follow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

static void notify_gone(const struct follow *f, const struct table_row *g,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        log_debug("container %s is gone", g[i].short_id);
        if (f->hooks.gone)
            f->hooks.gone(f->hooks.arg, &g[i]);
    }
}

static void notify_changed(const struct follow *f, uint64_t serial, int added)
{
    if (f->hooks.changed)
        f->hooks.changed(f->hooks.arg, serial, added);
}

/* c was refused for its engine's share (table.h, EFBIG): said at the
 * 1st, 2nd, 4th, 8th... refusal, so a flood of them is a few lines. */
static void say_refused(const struct follow *f, const struct container *c)
{
    size_t k = table_engine_refused(f->table, f->engine_ix);

    if (k & (k - 1))
        return;
    log_warn("engine %s has as many containers (%d) or as much of their "
             "text (%u MiB) as one engine may show: container %.12s is "
             "left out (%zu so far)", follow_engine_name(f),
             ENGINE_CONTAINERS_MAX, ENGINE_BYTES_MAX >> 20, c->id, k);
}

const char *follow_engine_name(const struct follow *f)
{
    return f->engine_name ? f->engine_name : ENGINE_NAME_DEFAULT;
}

void follow_stamp(const struct follow *f, struct container *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        v[i].engine_ix = f->engine_ix;
        v[i].engine = f->engine_name;
    }
}

int follow_replace(const struct follow *f, struct container *v, size_t n)
{
    struct table_row *gone;
    uint64_t *changed;
    size_t ngone, nchanged;
    int rc;

    follow_stamp(f, v, n);
    rc = table_replace_engine(f->table, f->engine_ix, v, n, &gone, &ngone,
                              &changed, &nchanged);
    notify_gone(f, gone, ngone);
    free(gone);
    /* Inserted and changed are not told apart here, and other engines'
     * followers write the table too: the root listing is dropped once
     * whenever anything changed. */
    for (size_t i = 0; i < nchanged; i++)
        notify_changed(f, changed[i], i == 0);
    free(changed);
    return rc;
}

void follow_apply(const struct follow *f, const struct container *c, int shown)
{
    struct table_row gone;
    uint64_t serial = 0;
    int changed = 0;

    if (!shown) {
        if (table_remove_engine(f->table, f->engine_ix, c->id, &gone) == 0)
            notify_gone(f, &gone, 1);
        return;
    }
    struct container own = *c;     /* shallow: the table copies it */
    follow_stamp(f, &own, 1);
    int rc = table_upsert(f->table, &own, &changed, &serial);
    if (rc == 0 && changed)
        notify_changed(f, serial, changed == 2);
    else if (rc == EFBIG)
        say_refused(f, c);
}

void follow_add(const struct follow *f, const struct container *c)
{
    struct container own = *c;     /* shallow: the table copies it */
    uint64_t serial = 0;

    follow_stamp(f, &own, 1);
    int rc = table_insert(f->table, &own, &serial);
    if (rc == 0)
        notify_changed(f, serial, 1);
    else if (rc == EFBIG)
        say_refused(f, c);
}

int follow_drop(const struct follow *f)
{
    return follow_replace(f, NULL, 0);
}

void follow_mark_down(const struct follow *f)
{
    uint64_t *serials;
    size_t n;

    if (f->down)
        atomic_store(f->down, 1);
    if (table_mark_engine(f->table, f->engine_ix, STATE_UNREACHABLE,
                          &serials, &n) != 0)
        log_warn("out of memory marking the containers of engine %s "
                 "unreachable", follow_engine_name(f));
    for (size_t i = 0; i < n; i++)
        notify_changed(f, serials[i], 0);
    free(serials);
}
