//
// SPDX-License-Identifier: GPL-2.0-or-later
// Copyright(C) 2026 the dockerdoom authors
//
// This program is free software; you can redistribute it and/or
// modify it under the terms of the GNU General Public License
// as published by the Free Software Foundation; either version 2
// of the License, or (at your option) any later version.
//
// This program is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// DESCRIPTION:
//	dockerdoom: entry table and snapshot diffing (pure logic).
//

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd_name.h"
#include "dd_table.h"

void DD_TableFree(dd_table_t *table)
{
    free(table->entries);
    table->entries = NULL;
    table->count = 0;
    table->capacity = 0;
}

dd_entry_t *DD_TableFind(dd_table_t *table, const char *id)
{
    int i;

    for (i = 0; i < table->count; ++i)
    {
        if (strcmp(table->entries[i].id, id) == 0)
        {
            return &table->entries[i];
        }
    }
    return NULL;
}

dd_entry_t *DD_TableFindMobj(dd_table_t *table, const void *mobj)
{
    int i;

    if (mobj == NULL)
    {
        return NULL;
    }
    for (i = 0; i < table->count; ++i)
    {
        if (table->entries[i].mobj == mobj)
        {
            return &table->entries[i];
        }
    }
    return NULL;
}

// Makes room for extra more entries. Returns 0 or -1 (out of memory).
static int DD_TableReserve(dd_table_t *table, int extra)
{
    dd_entry_t *grown;
    int capacity;

    if (table->count + extra <= table->capacity)
    {
        return 0;
    }
    capacity = table->capacity ? table->capacity : 64;
    while (capacity < table->count + extra)
    {
        capacity *= 2;
    }
    grown = realloc(table->entries, (size_t) capacity * sizeof(*grown));
    if (grown == NULL)
    {
        return -1;
    }
    table->entries = grown;
    table->capacity = capacity;
    return 0;
}

// qsort has no context argument: the table being sorted for
// DD_CompareByIndex (the game thread is the only caller).
static const dd_entry_t *dd_sorting;

static int DD_CompareByIndex(const void *a, const void *b)
{
    return strcmp(dd_sorting[*(const int *) a].id,
                  dd_sorting[*(const int *) b].id);
}

// Copies the scanned fields into e; returns the DD_CHANGED_* bits.
static int DD_TableUpdate(dd_entry_t *e, const dd_scanentry_t *s)
{
    int changes = 0;

    if (strcmp(e->name, s->name) != 0)
    {
        snprintf(e->name, sizeof(e->name), "%s", s->name);
        changes |= DD_CHANGED_NAME;
    }
    // A pod keeps its namespace; should one ever differ, what the player
    // reads changed as with a new name.
    if (strcmp(e->ns, s->ns) != 0)
    {
        snprintf(e->ns, sizeof(e->ns), "%s", s->ns);
        changes |= DD_CHANGED_NAME;
    }
    if (strcmp(e->image, s->image) != 0)
    {
        snprintf(e->image, sizeof(e->image), "%s", s->image);
        changes |= DD_CHANGED_IMAGE;
    }
    if (strcmp(e->status, s->status) != 0)
    {
        snprintf(e->status, sizeof(e->status), "%s", s->status);
        changes |= DD_CHANGED_STATUS;
    }
    if (e->protect != s->protect)
    {
        e->protect = s->protect;
        changes |= DD_CHANGED_PROTECT;
    }
    return changes;
}

int DD_TableApply(dd_table_t *table, const dd_snapshot_t *snap,
                  dd_change_fn fn, void *ctx)
{
    const dd_scanentry_t *s;
    dd_entry_t *e;
    int *order = NULL;
    int nadd = 0;
    int i;
    int j;
    int cmp;
    int changes;
    int kept;

    // Sorted positions of the table, merged against the sorted snapshot:
    // one pass instead of a search per scanned entry.
    if (table->count > 0)
    {
        order = malloc((size_t) table->count * sizeof(*order));
        if (order == NULL)
        {
            return -1;
        }
        for (i = 0; i < table->count; ++i)
        {
            order[i] = i;
        }
        dd_sorting = table->entries;
        qsort(order, (size_t) table->count, sizeof(*order),
              DD_CompareByIndex);
    }
    for (i = 0, j = 0; i < snap->count; ++i)
    {
        s = &snap->entries[i];
        while (j < table->count
            && strcmp(table->entries[order[j]].id, s->id) < 0)
        {
            ++j;
        }
        if (j == table->count || strcmp(table->entries[order[j]].id,
                                        s->id) != 0)
        {
            ++nadd;
        }
    }
    if (DD_TableReserve(table, nadd) != 0)
    {
        free(order);
        return -1;
    }

    for (i = 0; i < table->count; ++i)
    {
        table->entries[i].mark = 0;
    }
    kept = table->count;
    for (i = 0, j = 0; i < snap->count; ++i)
    {
        s = &snap->entries[i];
        cmp = 1;
        while (j < kept
            && (cmp = strcmp(table->entries[order[j]].id, s->id)) < 0)
        {
            ++j;
        }
        if (j < kept && cmp == 0)
        {
            e = &table->entries[order[j]];
            e->mark = 1;
            changes = DD_TableUpdate(e, s);
            if (changes != 0)
            {
                e->changes |= changes;
                if (fn != NULL)
                {
                    fn(e, DD_CHANGE_RENAMED, ctx);
                }
            }
            continue;
        }
        // Reserved above, so appending moves no entry.
        e = &table->entries[table->count++];
        memset(e, 0, sizeof(*e));
        snprintf(e->id, sizeof(e->id), "%s", s->id);
        snprintf(e->name, sizeof(e->name), "%s", s->name);
        snprintf(e->image, sizeof(e->image), "%s", s->image);
        snprintf(e->status, sizeof(e->status), "%s", s->status);
        snprintf(e->engine, sizeof(e->engine), "%s", s->engine);
        snprintf(e->ns, sizeof(e->ns), "%s", s->ns);
        e->protect = s->protect;
        e->state = DD_ST_WAITING;
        e->mark = 1;
        if (fn != NULL)
        {
            fn(e, DD_CHANGE_ADDED, ctx);
        }
    }
    free(order);

    // Drop unmarked entries in one pass, keeping the order of the rest so
    // spawn order stays stable.
    for (i = 0, j = 0; i < table->count; ++i)
    {
        e = &table->entries[i];
        if (!e->mark)
        {
            if (fn != NULL)
            {
                fn(e, DD_CHANGE_REMOVED, ctx);
            }
            continue;
        }
        if (i != j)
        {
            table->entries[j] = *e;
        }
        ++j;
    }
    table->count = j;
    return 0;
}

int DD_TableManyEngines(const dd_table_t *table)
{
    const char *first = NULL;
    int i;

    for (i = 0; i < table->count; ++i)
    {
        const char *engine = table->entries[i].engine;

        if (engine[0] == '\0')
        {
            continue;
        }
        if (first == NULL)
        {
            first = engine;
        }
        else if (strcmp(first, engine) != 0)
        {
            return 1;
        }
    }
    return 0;
}

// Orders entries by what their label says before the engine: shown
// name, then namespace.
static int DD_CompareLabel(const dd_entry_t *x, const dd_entry_t *y)
{
    size_t xl = DD_ShownNameLen(x->name);
    size_t yl = DD_ShownNameLen(y->name);
    int cmp = strncmp(x->name, y->name, xl < yl ? xl : yl);

    if (cmp != 0)
    {
        return cmp;
    }
    if (xl != yl)
    {
        return xl < yl ? -1 : 1;
    }
    return strcmp(x->ns, y->ns);
}

// Orders entries by label, then engine (dd_sorting as above).
static int DD_CompareShown(const void *a, const void *b)
{
    const dd_entry_t *x = &dd_sorting[*(const int *) a];
    const dd_entry_t *y = &dd_sorting[*(const int *) b];
    int cmp = DD_CompareLabel(x, y);

    return cmp != 0 ? cmp : strcmp(x->engine, y->engine);
}

int DD_TableMarkShared(dd_table_t *table)
{
    int *order;
    int i;
    int j;
    int k;

    if (table->count == 0)
    {
        return 0;
    }
    order = malloc((size_t) table->count * sizeof(*order));
    if (order == NULL)
    {
        return -1;
    }
    for (i = 0; i < table->count; ++i)
    {
        order[i] = i;
    }
    dd_sorting = table->entries;
    qsort(order, (size_t) table->count, sizeof(*order), DD_CompareShown);
    // Runs of one label: shared when its first and last entries (sorted
    // by engine) are on two engines.
    for (i = 0; i < table->count; i = j)
    {
        const dd_entry_t *first = &table->entries[order[i]];
        int shared;

        for (j = i + 1; j < table->count; ++j)
        {
            if (DD_CompareLabel(&table->entries[order[j]], first) != 0)
            {
                break;
            }
        }
        shared = strcmp(first->engine,
                        table->entries[order[j - 1]].engine) != 0;
        for (k = i; k < j; ++k)
        {
            table->entries[order[k]].shared = shared;
        }
    }
    free(order);
    return 0;
}

int DD_TableKillRequest(dd_entry_t *entry)
{
    if (entry == NULL || entry->state != DD_ST_ALIVE)
    {
        return 0;
    }
    entry->state = DD_ST_KILLING;
    return 1;
}

dd_killaction_t DD_TableKillResult(dd_table_t *table, const char *id,
                                   int err, dd_entry_t **entry_out)
{
    dd_entry_t *e = DD_TableFind(table, id);

    *entry_out = e;
    if (e == NULL)
    {
        return DD_KILL_UNKNOWN;
    }
    if (err == 0)
    {
        e->state = DD_ST_KILLED;
        return DD_KILL_DONE;
    }
    e->state = DD_ST_WAITING;
    e->announced = 0;
    return DD_KILL_RETRY;
}

void DD_SnapshotFree(dd_snapshot_t *snap)
{
    free(snap->entries);
    snap->entries = NULL;
    snap->count = 0;
}
