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
//	dockerdoom: monster types for images.
//

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dd_types.h"

// FNV-1a: tiny, and stable across runs and machines, unlike a pointer- or
// seed-based hash.
static int DD_ImageHash(const char *image, int ntypes)
{
    uint32_t hash = 2166136261u;
    const unsigned char *p;

    for (p = (const unsigned char *) image; *p != '\0'; ++p)
    {
        hash ^= *p;
        hash *= 16777619u;
    }
    return (int) (hash % (uint32_t) ntypes);
}

void DD_TypesInit(dd_types_t *types, int ntypes)
{
    memset(types, 0, sizeof(*types));
    if (ntypes < 1)
    {
        ntypes = 1;
    }
    types->ntypes = ntypes > DD_TYPES_MAX ? DD_TYPES_MAX : ntypes;
}

static int DD_Owned(const dd_types_t *types, const char *image)
{
    int t;

    for (t = 0; t < types->ntypes; ++t)
    {
        if (types->owner[t][0] != '\0'
         && strcmp(types->owner[t], image) == 0)
        {
            return t;
        }
    }
    return -1;
}

// The free type nearest want (upwards, wrapping), skipping those marked
// in avoid (may be NULL); -1 when there is none.
static int DD_FreeType(const dd_types_t *types, int want, const int *avoid)
{
    int k;

    for (k = 0; k < types->ntypes; ++k)
    {
        int t = (want + k) % types->ntypes;

        if (types->owner[t][0] == '\0' && (avoid == NULL || !avoid[t]))
        {
            return t;
        }
    }
    return -1;
}

static int DD_CompareStrings(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

int DD_TypesUpdate(dd_types_t *types, const char *const *images,
                   int count)
{
    int used[DD_TYPES_MAX] = { 0 };
    int released[DD_TYPES_MAX] = { 0 };
    const char **fresh;
    int nfresh = 0;
    int i;
    int t;

    for (i = 0; i < count; ++i)
    {
        t = DD_Owned(types, images[i]);
        if (t >= 0)
        {
            used[t] = 1;
        }
    }
    for (t = 0; t < types->ntypes; ++t)
    {
        if (!used[t])
        {
            released[t] = types->owner[t][0] != '\0';
            types->owner[t][0] = '\0';
        }
    }
    if (count == 0)
    {
        return 0;
    }
    fresh = malloc((size_t) count * sizeof(*fresh));
    if (fresh == NULL)
    {
        return -1;
    }
    for (i = 0; i < count; ++i)
    {
        if (DD_Owned(types, images[i]) < 0)
        {
            fresh[nfresh++] = images[i];
        }
    }
    if (nfresh > 1)
    {
        qsort(fresh, (size_t) nfresh, sizeof(*fresh), DD_CompareStrings);
    }
    for (i = 0; i < nfresh; ++i)
    {
        int want;

        if (i > 0 && strcmp(fresh[i], fresh[i - 1]) == 0)
        {
            continue;
        }
        want = DD_ImageHash(fresh[i], types->ntypes);
        // A type given up just now is taken last: a container whose
        // image changed then visibly changes its monster.
        t = DD_FreeType(types, want, released);
        if (t < 0)
        {
            t = DD_FreeType(types, want, NULL);
        }
        if (t >= 0)
        {
            // An image longer than the field is cut, as in the table.
            strncpy(types->owner[t], fresh[i], DD_IMAGE_LEN);
            types->owner[t][DD_IMAGE_LEN] = '\0';
        }
    }
    free(fresh);
    return 0;
}

int DD_TypeOf(const dd_types_t *types, const char *image)
{
    int t = DD_Owned(types, image);

    return t >= 0 ? t : DD_ImageHash(image, types->ntypes);
}
