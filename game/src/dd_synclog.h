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
//	dockerdoom: proof that the peers of a netgame hold one world. With
//	-ddsynclog N, every tic of play logs a hash of every container
//	monster (entry, state, position, health) and of the players, and
//	every N tics the positions themselves; peers whose lines differ for
//	one tic have diverged (tests/e2e compares them):
//
//	  dockerdoom: sync tic=812 n=40 hash=5f3a09c1
//	  dockerdoom: syncpos tic=840 0c93b20ecb03:1184,-3424,60 ...
//

#ifndef DD_SYNCLOG_H
#define DD_SYNCLOG_H

#include "dd_table.h"

// Reads -ddsynclog.
void DD_SyncLogInit(void);

// Logs this tic's lines for table (when -ddsynclog was given).
void DD_SyncLog(const dd_table_t *table);

#endif
