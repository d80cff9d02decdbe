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
