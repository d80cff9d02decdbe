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
//	dockerdoom: the scanner. A thread lists the dockerfs directory about
//	twice a second and leaves the newest listing for the game loop, which
//	takes it without ever waiting on the filesystem. The listing is
//	incremental: name, image and state are read for new entries only, and
//	for a few known ones per scan in turn, so renames still show while a
//	scan of 10000 entries costs one readdir and not 30000 file reads.
//

#ifndef DD_SCAN_H
#define DD_SCAN_H

#include "dd_table.h"

// Known entries whose files one scan of the thread re-reads at
// least: with up to this many containers, every scan re-reads all of them.
#define DD_SCAN_REFRESH 64

// Beyond those, the thread goes on re-reading while a scan has taken less
// than this (so a fast filesystem gets every rename within a few scans,
// and a slow one costs no more than this per scan).
#define DD_SCAN_REFRESH_MS 20

// What a scanner knows between scans.
typedef struct
{
    dd_snapshot_t known;    // the last complete listing, sorted by id
    int cursor;             // the next known entry to re-read
    int reads;              // files the last scan read
} dd_scanstate_t;

// Returns 1 when name looks like a container directory (12 to 64 lower
// case hex digits), else 0.
int DD_IsEntryName(const char *name);

// Lists dir into st->known (sorted by id; name is the first line of the
// name file, or the short id when there is none; image, status (from the
// state file) and engine likewise, or ""). The four files are read for
// entries not in st->known, and all but engine re-read for
// refresh known ones, taken in turn from st->cursor on, then for more
// while the scan has taken less than budget_ms (0: no more). *changed is
// set to 1 when the listing differs from the previous one, else 0.
// Returns 0, or an errno value when dir cannot be read (st is then
// unchanged).
int DD_ScanUpdate(const char *dir, dd_scanstate_t *st, int refresh,
                  int budget_ms, int *changed);

// Frees what st holds and empties it.
void DD_ScanStateFree(dd_scanstate_t *st);

// Reads all of dir once into *snap (as DD_ScanUpdate from nothing).
// Returns 0, or an errno value (then *snap is empty).
int DD_ScanDir(const char *dir, dd_snapshot_t *snap);

// Copies src into *dst. Returns 0 or ENOMEM (then *dst is empty).
int DD_SnapshotCopy(dd_snapshot_t *dst, const dd_snapshot_t *src);

// Starts the scanner thread on dir (copied). Returns 0 or an errno value.
int DD_ScannerStart(const char *dir, int interval_ms);

// Moves the newest unread listing into *snap and returns 1; returns 0
// when there is none or the scanner holds its lock right now. A listing is
// left only when it changed, or after DD_ScannerConfirm.
int DD_ScannerTake(dd_snapshot_t *snap);

// Asks for the listing of a scan that starts after this call even if
// nothing changed (to learn that an entry is still there).
void DD_ScannerConfirm(void);

// Stops and joins the scanner thread (waits for a scan in progress).
void DD_ScannerStop(void);

#endif
