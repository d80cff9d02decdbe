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
//	dockerdoom: the kill worker. The game loop queues kill requests; a
//	thread writes "1" to DIR/<id>/kill and queues the result for the loop
//	to poll. The loop only ever takes locks the worker holds for a few
//	instructions.
//

#ifndef DD_KILL_H
#define DD_KILL_H

#include "dd_table.h"

#define DD_KILL_QUEUE 512

// Writes "1" to dir/id/kill once. Returns 0 or an errno value.
int DD_KillWrite(const char *dir, const char *id);

// Starts the worker on dir (copied). Returns 0 or an errno value.
int DD_KillStart(const char *dir);

// Queues a kill of id. Returns 0, or EAGAIN when the queue is full (the
// caller reports that as the kill's result).
int DD_KillSubmit(const char *id);

// Takes one finished kill: copies its id into id (DD_ID_LEN + 1 bytes),
// its result into *err, and returns 1; returns 0 when none is ready.
int DD_KillPoll(char *id, int *err);

// Stops and joins the worker (waits for a write in progress).
void DD_KillStop(void);

#endif
