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
//	dockerdoom: the scanner. A thread lists the dockerfs directory up to
//	ten times a second and leaves the newest listing for the game loop, which
//	takes it without ever waiting on the filesystem. The listing is
//	incremental: the files of an entry are read when it is new and when
//	its directory's mtime or ctime moved (dockerfs sets a directory's
//	mtime whenever anything in it changes, and answers the stat from the
//	kernel's cache while nothing did), so a scan of 10000 unchanged
//	entries is a readdir and 10000 cached stats, and a change shows in
//	the next scan whatever the size of the fleet. A few entries per scan
//	are also read again in turn, for plain directories whose files are
//	rewritten in place (which moves no directory's mtime).
//

#ifndef DD_SCAN_H
#define DD_SCAN_H

#include "dd_table.h"

// Known entries whose files one scan of the thread re-reads in turn
// whether or not their directory changed.
#define DD_SCAN_REFRESH 16

// The thread's pause after a scan is DD_SCAN_CPU_SHARE times the CPU
// time that scan took (so scanning costs at most 1/DD_SCAN_CPU_SHARE of a
// core), but at least DD_SCAN_MIN_MS: a change waits for the next scan,
// and a fleet of hundreds (a scan well under a millisecond of CPU) is
// scanned ten times a second; one of 10000 (about 20 ms a scan) as
// before, every 400 to 500 ms.
#define DD_SCAN_MIN_MS 100
#define DD_SCAN_CPU_SHARE 20

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
// state file), protect ("protected" says 1) and engine likewise, or ""
// and 0). The files are read for entries not in st->known and, all but
// engine, for known ones whose directory's mtime or ctime differs from
// when they were read, and for refresh more known ones taken in turn
// from st->cursor on. *changed is set to 1 when the listing differs from
// the previous one, else 0. Returns 0, or an errno value when dir cannot
// be read (st is then unchanged).
int DD_ScanUpdate(const char *dir, dd_scanstate_t *st, int refresh,
                  int *changed);

// Frees what st holds and empties it.
void DD_ScanStateFree(dd_scanstate_t *st);

// Reads all of dir once into *snap (as DD_ScanUpdate from nothing).
// Returns 0, or an errno value (then *snap is empty).
int DD_ScanDir(const char *dir, dd_snapshot_t *snap);

// Copies src into *dst. Returns 0 or ENOMEM (then *dst is empty).
int DD_SnapshotCopy(dd_snapshot_t *dst, const dd_snapshot_t *src);

// The pause in ms after a scan that took cpu_ns of the thread's CPU time:
// DD_SCAN_CPU_SHARE times it, within DD_SCAN_MIN_MS and max_ms (max_ms
// wins when it is the smaller).
int DD_ScanPause(long long cpu_ns, int max_ms);

// Starts the scanner thread on dir (copied), pausing at most max_ms
// between scans (500 when <= 0). Returns 0 or an errno value.
int DD_ScannerStart(const char *dir, int max_ms);

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
