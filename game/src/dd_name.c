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
//	dockerdoom: container names.
//

#include <stdio.h>
#include <string.h>

#include "dd_name.h"

void DD_SanitizeName(char *dst, size_t dstsize, const char *src)
{
    size_t i;

    if (dstsize == 0)
    {
        return;
    }
    for (i = 0; i + 1 < dstsize && src[i] != '\0'; ++i)
    {
        unsigned char c = (unsigned char) src[i];

        dst[i] = (c <= ' ' || c == 0x7f) ? '_' : (char) c;
    }
    dst[i] = '\0';
}

void DD_TrimRight(char *s)
{
    size_t len = strlen(s);

    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'
                    || s[len - 1] == ' ' || s[len - 1] == '\t'))
    {
        s[--len] = '\0';
    }
}

// Swarm's task and node ids: 25 characters of [a-z0-9].
#define DD_SWARM_ID_LEN 25

// 1 when the len bytes at s are a Swarm id, else 0.
static int DD_IsSwarmId(const char *s, size_t len)
{
    size_t i;

    if (len != DD_SWARM_ID_LEN)
    {
        return 0;
    }
    for (i = 0; i < len; ++i)
    {
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
        {
            return 0;
        }
    }
    return 1;
}

// 1 when the len bytes at s are a slot number (no leading zero), else 0.
static int DD_IsSlot(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > 9 || s[0] == '0')
    {
        return 0;
    }
    for (i = 0; i < len; ++i)
    {
        if (s[i] < '0' || s[i] > '9')
        {
            return 0;
        }
    }
    return 1;
}

size_t DD_ShownNameLen(const char *name)
{
    size_t len = strlen(name);
    const char *task;
    const char *slot;

    // The name is read from a file: nothing in it is trusted to have the
    // shape, so every part is checked and anything else is shown whole.
    task = strrchr(name, '.');
    if (task == NULL
     || !DD_IsSwarmId(task + 1, len - (size_t) (task + 1 - name)))
    {
        return len;
    }
    for (slot = task - 1; slot > name && *slot != '.'; --slot)
    {
    }
    if (slot <= name)
    {
        return len;
    }
    if (DD_IsSlot(slot + 1, (size_t) (task - slot - 1)))
    {
        return (size_t) (task - name);
    }
    if (DD_IsSwarmId(slot + 1, (size_t) (task - slot - 1)))
    {
        return (size_t) (slot - name);
    }
    return len;
}

void DD_ShownName(char *dst, size_t dstsize, const char *name,
                  const char *ns, const char *engine)
{
    int shown = (int) DD_ShownNameLen(name);
    int hasns = ns != NULL && ns[0] != '\0';
    int hasengine = engine != NULL && engine[0] != '\0';

    if (dstsize == 0)
    {
        return;
    }
    snprintf(dst, dstsize, "%.*s%s%s%s%s", shown, name, hasns ? "." : "",
             hasns ? ns : "", hasengine ? " on " : "",
             hasengine ? engine : "");
}
