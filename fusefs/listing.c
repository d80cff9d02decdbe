/* SPDX-License-Identifier: GPL-2.0-or-later */
/* listing.c - shared, reference-counted snapshots of the root listing,
 * and the caps on what limited callers make dockerfs hold. */
#include "listing.h"

#include <errno.h>
#include <stdlib.h>

void listings_init(struct listings *ls)
{
    pthread_mutex_init(&ls->lock, NULL);
    ls->cur = NULL;
    ls->open = NULL;
    ls->handles_limited = 0;
    ls->pinned_limited = 0;
    ls->live = 0;
    ls->bytes = 0;
}

/* Drops one reference to l (a limited handle's if limited), freeing it
 * with the last; the lock held. */
static void unref_locked(struct listings *ls, struct listing *l, int limited)
{
    if (!l)
        return;
    if (limited && --l->limited_refs == 0)
        ls->pinned_limited--;
    if (--l->refs > 0)
        return;
    ls->live--;
    ls->bytes -= l->n * sizeof *l->rows;
    if (ls->cur == l)
        ls->cur = NULL;
    free(l->rows);
    free(l);
}

/* Unlinks and frees h; the lock held. */
static void close_locked(struct listings *ls, struct listing_handle *h)
{
    unref_locked(ls, h->l, h->limited);
    if (h->prev)
        h->prev->next = h->next;
    else
        ls->open = h->next;
    if (h->next)
        h->next->prev = h->prev;
    if (h->limited)
        ls->handles_limited--;
    free(h);
}

void listings_cleanup(struct listings *ls)
{
    pthread_mutex_lock(&ls->lock);
    while (ls->open)
        close_locked(ls, ls->open);
    unref_locked(ls, ls->cur, 0);
    pthread_mutex_unlock(&ls->lock);
    pthread_mutex_destroy(&ls->lock);
}

int listing_open(struct listings *ls, int limited, struct listing_handle **h)
{
    struct listing_handle *nh;
    int err = 0;

    pthread_mutex_lock(&ls->lock);
    if (limited && ls->handles_limited >= LISTING_HANDLES_MAX) {
        err = EMFILE;
    } else if (!(nh = calloc(1, sizeof *nh))) {
        err = ENOMEM;
    } else {
        nh->limited = limited;
        nh->next = ls->open;
        if (nh->next)
            nh->next->prev = nh;
        ls->open = nh;
        if (limited)
            ls->handles_limited++;
        *h = nh;
    }
    pthread_mutex_unlock(&ls->lock);
    return err;
}

/* Makes the snapshot of t's current generation the current one; the lock
 * held. Returns 0 or ENOMEM. */
static int refresh_locked(struct listings *ls, struct table *t)
{
    struct listing *l;

    if (!(l = calloc(1, sizeof *l)))
        return ENOMEM;
    if (table_snapshot(t, &l->rows, &l->n, &l->gen) != 0) {
        free(l);
        return ENOMEM;
    }
    l->refs = 1;                /* the current one's own */
    ls->live++;
    ls->bytes += l->n * sizeof *l->rows;
    unref_locked(ls, ls->cur, 0);
    ls->cur = l;
    return 0;
}

int listing_take(struct listings *ls, struct table *t, struct listing_handle *h)
{
    int err = 0;

    pthread_mutex_lock(&ls->lock);
    /* A handle read again from the start lets its old snapshot go first:
     * it does not count against itself. */
    unref_locked(ls, h->l, h->limited);
    h->l = NULL;
    int stale = !ls->cur || ls->cur->gen != table_generation(t);
    /* Counted are the snapshots limited handles hold, not the ones they
     * make: root's `ls` makes one that a limited handle may then keep. */
    if (h->limited && (stale || ls->cur->limited_refs == 0) &&
        ls->pinned_limited >= LISTING_SNAPSHOTS_MAX)
        err = ENOMEM;
    else if (stale)
        err = refresh_locked(ls, t);
    if (!err) {
        h->l = ls->cur;
        h->l->refs++;
        if (h->limited && h->l->limited_refs++ == 0)
            ls->pinned_limited++;
    }
    pthread_mutex_unlock(&ls->lock);
    return err;
}

void listing_close(struct listings *ls, struct listing_handle *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&ls->lock);
    close_locked(ls, h);
    pthread_mutex_unlock(&ls->lock);
}
