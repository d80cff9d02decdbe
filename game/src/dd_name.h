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
//	dockerdoom: container names as read from a file, as logged and as
//	the player sees them.
//

#ifndef DD_NAME_H
#define DD_NAME_H

#include <stddef.h>

// Copies src into dst, replacing white space and control characters by
// '_' so the result is one log field. Always terminates dst.
void DD_SanitizeName(char *dst, size_t dstsize, const char *src);

// Removes trailing white space (a file's newline) in place.
void DD_TrimRight(char *s);

// How much of a container name the player sees: for a Swarm task
// ("SERVICE.SLOT.TASKID", TASKID 25 lower case letters and digits) the
// length of "SERVICE.SLOT"; for a task of a global service
// ("SERVICE.NODEID.TASKID") the length of "SERVICE"; for any other name
// its whole length.
size_t DD_ShownNameLen(const char *name);

// Writes the name the player sees (as DD_ShownNameLen) into dst, followed
// by ".NS" when ns (a pod's namespace) is neither NULL nor empty, and by
// " on ENGINE" when engine is neither: "web.shop on prod", the name as
// the mount resolves it (NAME.NAMESPACE). Always terminates dst (cutting
// the text when it does not fit).
void DD_ShownName(char *dst, size_t dstsize, const char *name,
                  const char *ns, const char *engine);

#endif
