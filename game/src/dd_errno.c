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
//	dockerdoom: errno names.
//

// strerrorname_np is a GNU extension (glibc 2.32).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dd_errno.h"

const char *DD_ErrnoName(int err)
{
    static char unknown[24];
    const char *name;

    if (err == 0)
    {
        return "ok";
    }
    // glibc knows every errno it can return; a table of our own would
    // only ever lag behind it.
    name = strerrorname_np(err);
    if (name != NULL)
    {
        return name;
    }
    snprintf(unknown, sizeof(unknown), "errno %d", err);
    return unknown;
}

int DD_ErrnoRefused(int err)
{
    return err == EPERM || err == EACCES;
}
