//
// dockerdoom: entry table and snapshot diffing (pure logic).
//

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

// Makes room for one more entry. Returns 0 or -1 (out of memory).
static int DD_TableReserve(dd_table_t *table)
{
    dd_entry_t *grown;
    int capacity;

    if (table->count < table->capacity)
    {
        return 0;
    }
    capacity = table->capacity ? table->capacity * 2 : 64;
    grown = realloc(table->entries, (size_t) capacity * sizeof(*grown));
    if (grown == NULL)
    {
        return -1;
    }
    table->entries = grown;
    table->capacity = capacity;
    return 0;
}

int DD_TableApply(dd_table_t *table, const dd_snapshot_t *snap,
                  dd_change_fn fn, void *ctx)
{
    const dd_scanentry_t *s;
    dd_entry_t *e;
    int i;
    int result = 0;

    for (i = 0; i < table->count; ++i)
    {
        table->entries[i].mark = 0;
    }

    for (i = 0; i < snap->count; ++i)
    {
        s = &snap->entries[i];
        e = DD_TableFind(table, s->id);
        if (e != NULL)
        {
            e->mark = 1;
            if (strcmp(e->name, s->name) != 0
             || strcmp(e->image, s->image) != 0)
            {
                snprintf(e->name, sizeof(e->name), "%s", s->name);
                snprintf(e->image, sizeof(e->image), "%s", s->image);
                if (fn != NULL)
                {
                    fn(e, DD_CHANGE_RENAMED, ctx);
                }
            }
            continue;
        }
        if (DD_TableReserve(table) != 0)
        {
            // Keep going so removals still happen; the entry is added
            // by a later snapshot.
            result = -1;
            continue;
        }
        e = &table->entries[table->count++];
        memset(e, 0, sizeof(*e));
        snprintf(e->id, sizeof(e->id), "%s", s->id);
        snprintf(e->name, sizeof(e->name), "%s", s->name);
        snprintf(e->image, sizeof(e->image), "%s", s->image);
        e->state = DD_ST_WAITING;
        e->mark = 1;
        if (fn != NULL)
        {
            fn(e, DD_CHANGE_ADDED, ctx);
        }
    }

    // Drop unmarked entries, keeping the order of the rest so spawn order
    // stays stable.
    i = 0;
    while (i < table->count)
    {
        e = &table->entries[i];
        if (e->mark)
        {
            ++i;
            continue;
        }
        if (fn != NULL)
        {
            fn(e, DD_CHANGE_REMOVED, ctx);
        }
        memmove(e, e + 1,
                (size_t) (table->count - i - 1) * sizeof(*e));
        --table->count;
    }
    return result;
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
