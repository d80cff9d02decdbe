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
//	dockerdoom: errno values by their symbolic names.
//

#ifndef DD_ERRNO_H
#define DD_ERRNO_H

// Symbolic name of an errno value ("EPERM", "ELOOP"); "ok" for 0; for a
// number the C library has no name for, "errno N" in a static buffer.
const char *DD_ErrnoName(int err);

// 1 for the errno values that mean the kill was not allowed (EPERM,
// EACCES), 0 for every other failure.
int DD_ErrnoRefused(int err);

#endif
