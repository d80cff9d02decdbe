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
//	dockerdoom: the table of container entries the game knows about, and
//	the pure logic that keeps it in step with scanner snapshots and kill
//	results. No game headers here, so the unit tests can link it alone.
//

#ifndef DD_TABLE_H
#define DD_TABLE_H

#define DD_ID_LEN      64
#define DD_NAME_LEN    128
#define DD_IMAGE_LEN   256
#define DD_STATUS_LEN  15
#define DD_ENGINE_LEN  63
#define DD_NS_LEN      63       // a Kubernetes namespace: a DNS label

// One directory entry as the scanner saw it: name as the container has
// it (first line of the file), image, status ("running", "paused") and
// the engine it runs on (a fleet mount's "engine" file, "" without one)
// likewise, and a pod's namespace ("namespace", which only pod
// directories have: "" for a container); protected when its "protected"
// file says 1 (its kill will be refused); the entry directory's mtime and
// ctime when it was read (ns), which tell the scanner when to read it
// again.
typedef struct
{
    char id[DD_ID_LEN + 1];
    char name[DD_NAME_LEN + 1];
    char image[DD_IMAGE_LEN + 1];
    char status[DD_STATUS_LEN + 1];
    char engine[DD_ENGINE_LEN + 1];
    char ns[DD_NS_LEN + 1];
    int protect;
    long long mtime;
    long long ctime;
} dd_scanentry_t;

// A whole scan, sorted by id.
typedef struct
{
    dd_scanentry_t *entries;
    int count;
} dd_snapshot_t;

typedef enum
{
    DD_ST_WAITING,      // needs a monster (new, or its kill failed)
    DD_ST_ALIVE,        // its monster walks the level
    DD_ST_KILLING,      // killed by the player, kill write in flight
    DD_ST_KILLED,       // kill write succeeded; waits for the entry to go
} dd_state_t;

typedef struct
{
    char id[DD_ID_LEN + 1];
    char name[DD_NAME_LEN + 1];
    char image[DD_IMAGE_LEN + 1];
    char status[DD_STATUS_LEN + 1];
    char engine[DD_ENGINE_LEN + 1];
    char ns[DD_NS_LEN + 1];     // a pod's namespace, "" for a container
    int protect;        // its kill will be refused: marked, never attacks
                        // unprovoked
    int shared;         // an entry of another engine has its name and
                        // namespace (DD_TableMarkShared): its label
                        // names the engine
    dd_state_t state;
    void *mobj;         // the game's monster, or NULL; never touched here
    int announced;      // "waiting" already logged for this entry
    int changes;        // DD_CHANGED_* bits set by DD_TableApply
    int batch;          // its kill is counted in the idrm summary of
                        // player batch - 1 (0: none)
    int killer;         // the player whose attack killed it (KILLING)
    int killtic;        // when its kill was requested (gametic)
    int slow;           // its kill was reported as not answered
    int frozen;         // its monster stands still (container paused)
    int awake;          // its monster has a player to attack ("awake"
                        // logged when it got one)
    int provoked;       // a player hit its monster since it spawned: it
                        // fights on when it turns protected
    int mark;           // scratch for DD_TableApply
} dd_entry_t;

#define DD_CHANGED_NAME  1
#define DD_CHANGED_IMAGE 2
#define DD_CHANGED_STATUS 4
#define DD_CHANGED_PROTECT 8

typedef struct
{
    dd_entry_t *entries;
    int count;
    int capacity;
} dd_table_t;

typedef enum
{
    DD_CHANGE_ADDED,
    DD_CHANGE_REMOVED,  // called before the entry leaves the table
    DD_CHANGE_RENAMED,  // name, image, status or protection changed
} dd_change_t;

typedef void (*dd_change_fn)(dd_entry_t *entry, dd_change_t change,
                             void *ctx);

typedef enum
{
    DD_KILL_UNKNOWN,    // no such entry (it vanished meanwhile)
    DD_KILL_DONE,       // write succeeded: entry now DD_ST_KILLED
    DD_KILL_RETRY,      // write failed: entry back to DD_ST_WAITING
} dd_killaction_t;

// Empties the table and frees its storage.
void DD_TableFree(dd_table_t *table);

// Returns the entry with this id, or NULL.
dd_entry_t *DD_TableFind(dd_table_t *table, const char *id);

// Returns the entry whose mobj is this pointer, or NULL.
dd_entry_t *DD_TableFindMobj(dd_table_t *table, const void *mobj);

// Brings the table in line with a snapshot (sorted by id), calling fn (may
// be NULL) once per added, removed and renamed entry; a renamed entry also
// gets DD_CHANGED_* bits or-ed into its changes. New entries go to the end,
// the others keep their order. Removed entries are dropped after their
// callback, so entry pointers are only valid until the next call. Costs
// O(n log n) for n entries. Returns 0, or -1 when out of memory (then the
// table is unchanged and fn was not called).
int DD_TableApply(dd_table_t *table, const dd_snapshot_t *snap,
                  dd_change_fn fn, void *ctx);

// Returns 1 when the entries of the table run on more than one engine
// (two distinct non-empty engine names), else 0.
int DD_TableManyEngines(const dd_table_t *table);

// Sets shared on every entry whose shown name (DD_ShownNameLen) and
// namespace an entry on another engine has too, and clears it on the
// others. Costs
// O(n log n). Returns 0, or -1 when out of memory (shared unchanged).
int DD_TableMarkShared(dd_table_t *table);

// The player killed this entry's monster: ALIVE becomes KILLING.
// Returns 1 when a kill write must be sent, 0 otherwise.
int DD_TableKillRequest(dd_entry_t *entry);

// Applies the result of a kill write (err 0 or an errno value) and says
// what the game must do; *entry_out gets the entry or NULL. On RETRY the
// entry keeps its mobj (the corpse), which the game raises on the next
// scan if the entry is still there.
dd_killaction_t DD_TableKillResult(dd_table_t *table, const char *id,
                                   int err, dd_entry_t **entry_out);

// Frees a snapshot's entries.
void DD_SnapshotFree(dd_snapshot_t *snap);

#endif
