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
//	dockerdoom: which monster type each image gets. While there are no
//	more images than types, every image has a type of its own; beyond
//	that, images share types by a hash. An image keeps its type for as
//	long as some container uses it.
//

#ifndef DD_TYPES_H
#define DD_TYPES_H

#include "dd_table.h"

#define DD_TYPES_MAX 16

typedef struct
{
    int ntypes;
    // The image that holds type t alone, "" when t is free.
    char owner[DD_TYPES_MAX][DD_IMAGE_LEN + 1];
} dd_types_t;

// No image holds a type yet; ntypes (1..DD_TYPES_MAX) types to give out.
void DD_TypesInit(dd_types_t *types, int ntypes);

// Brings the allocation in line with the images in use (count strings,
// duplicates allowed): images gone give their type up, then the images
// without one take a free type each, in sorted order, each the free type
// nearest its hash (a type given up in this same call only when no other
// is free). So the same set of images seen at once gets the same
// types in every run. Returns 0, or -1 when out of memory (no new image
// got a type; they share by hash until the next call).
int DD_TypesUpdate(dd_types_t *types, const char *const *images,
                   int count);

// The type of image: the one it holds, else its hash modulo ntypes.
int DD_TypeOf(const dd_types_t *types, const char *image);

#endif
