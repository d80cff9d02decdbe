//
// dockerdoom: the scanner. A thread re-reads the dockerfs directory about
// twice a second and leaves the newest snapshot for the game loop, which
// takes it without ever waiting on the filesystem.
//

#ifndef DD_SCAN_H
#define DD_SCAN_H

#include "dd_table.h"

// Returns 1 when name looks like a container directory (12 to 64 lower
// case hex digits), else 0.
int DD_IsEntryName(const char *name);

// Reads dir once into *snap (sorted by id; name falls back to the short
// id, image to ""). Returns 0, or an errno value when dir itself cannot be
// read (then *snap is empty).
int DD_ScanDir(const char *dir, dd_snapshot_t *snap);

// Starts the scanner thread on dir (copied). Returns 0 or an errno value.
int DD_ScannerStart(const char *dir, int interval_ms);

// Moves the newest unread snapshot into *snap and returns 1; returns 0
// when there is none or the scanner holds its lock right now.
int DD_ScannerTake(dd_snapshot_t *snap);

// Stops and joins the scanner thread (waits for a scan in progress).
void DD_ScannerStop(void);

#endif
