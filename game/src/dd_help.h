// SPDX-License-Identifier: GPL-2.0-or-later
//
// Copyright(C) 2026 The dockerdoom authors
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
//	dockerdoom: the help screen that F1 and the menu's "Read This!" show
//	(DD_HelpDrawer, in dockerdoom.h): keys, cheats, what the colours and
//	signs mean, where the logs are (DOCKERDOOM_LOGS, from the launcher).
//

#ifndef DD_HELP_H
#define DD_HELP_H

// DD_Init, once the game follows a directory: F1 shows ours from then on.
void DD_HelpEnable(void);

#endif
