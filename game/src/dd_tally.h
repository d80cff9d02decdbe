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
//	dockerdoom: the tally of a level, shown on the intermission screen
//	and logged: how many kills of containers the engine carried out, how
//	many it refused and how many failed, with their errno names:
//	"removed 12, refused 1 (EPERM)". Plain data, no game headers, so the
//	unit tests can link it alone.
//

#ifndef DD_TALLY_H
#define DD_TALLY_H

#include <stddef.h>

// Distinct errno values a tally names, the first ones seen.
#define DD_TALLY_ERRS 4

typedef struct
{
    int removed;        // kill writes that succeeded
    int refused;        // EPERM, EACCES: protected, or not allowed
    int failed;         // any other errno
    int errs[DD_TALLY_ERRS];
    int nerrs;
} dd_tally_t;

// Nothing counted.
void DD_TallyInit(dd_tally_t *t);

// Counts the result of one kill write: 0 or an errno value.
void DD_TallyResult(dd_tally_t *t, int err);

// "removed 12, refused 1 (EPERM), failed 2 (EIO, ETIMEDOUT)", the parts
// with a zero count left out; "nothing removed" when all are. Always
// terminates dst.
void DD_TallyText(const dd_tally_t *t, char *dst, size_t dstsize);

// The log line's fields: "removed=12 refused=1 failed=2 errs=EPERM,EIO"
// (errs=- when there are none). Always terminates dst.
void DD_TallyFields(const dd_tally_t *t, char *dst, size_t dstsize);

#endif
