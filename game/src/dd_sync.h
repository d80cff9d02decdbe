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
//	dockerdoom: the container list every peer holds alike. One peer (the
//	reader) turns each scan of the mount into the events that bring the
//	shared list to it (DD_SyncDiff); every peer applies them to its copy
//	on the same tic (DD_SyncApply), and the game's table follows that
//	copy as it once followed the scans. No game headers here.
//

#ifndef DD_SYNC_H
#define DD_SYNC_H

#include <stddef.h>

#include "dd_table.h"
#include "dd_wire.h"

typedef int (*dd_event_fn)(const dd_event_t *ev, void *ctx);

// Calls fn with the events (DEL, SET, ADD) that turn from into to, both
// sorted by id, in the order of their ids: a SET carries only the fields
// that differ (name, image, status, protect, engine; a scanner's mtime
// and ctime are its own business, never sent). Stops at the first non-zero
// return of fn and returns it; returns 0 when all went.
int DD_SyncDiff(const dd_snapshot_t *from, const dd_snapshot_t *to,
                dd_event_fn fn, void *ctx);

// Applies the ADD, DEL and SET events among ev[0..n) to list (sorted by
// id, kept sorted), in their order: an ADD of an id already there sets
// all its fields, a DEL or SET of an id not there does nothing. Other
// events are skipped. Costs O(len + n log n). Returns 0 or ENOMEM (then
// list is unchanged).
int DD_SyncApply(dd_snapshot_t *list, const dd_event_t *ev, int n);

// Encodes events into messages of about maxlen bytes each (one event
// may go beyond), through dict; each finished message is handed to
// emit, which copies what it keeps.
typedef int (*dd_emit_fn)(const unsigned char *msg, size_t len, void *ctx);

typedef struct
{
    dd_wbuf_t buf;
    dd_dict_t *dict;
    size_t maxlen;
    dd_emit_fn emit;
    void *ctx;
    int events;         // encoded so far
} dd_packer_t;

void DD_PackerInit(dd_packer_t *p, dd_dict_t *dict, size_t maxlen,
                   dd_emit_fn emit, void *ctx);

// Adds one event (a dd_event_fn, for DD_SyncDiff's ctx a packer).
// Returns 0, or an error of DD_WireEncode or emit.
int DD_PackerAdd(const dd_event_t *ev, void *packer);

// Emits what is left. Returns 0 or emit's error.
int DD_PackerFlush(dd_packer_t *p);

void DD_PackerFree(dd_packer_t *p);

#endif
