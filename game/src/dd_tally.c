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
//	dockerdoom: a level's tally of kills.
//

#include <stdio.h>
#include <string.h>

#include "dd_errno.h"
#include "dd_tally.h"

void DD_TallyInit(dd_tally_t *t)
{
    memset(t, 0, sizeof(*t));
}

void DD_TallyResult(dd_tally_t *t, int err)
{
    int i;

    if (err == 0)
    {
        ++t->removed;
        return;
    }
    if (DD_ErrnoRefused(err))
    {
        ++t->refused;
    }
    else
    {
        ++t->failed;
    }
    for (i = 0; i < t->nerrs && t->errs[i] != err; ++i)
    {
    }
    if (i == t->nerrs && t->nerrs < DD_TALLY_ERRS)
    {
        t->errs[t->nerrs++] = err;
    }
}

// Appends ", N WORD (ENAME, ...)" (no comma first) for the errnos that
// are refusals when refused is 1, the others when it is 0, or none at all
// when it is -1.
static void DD_TallyPart(const dd_tally_t *t, char *dst, size_t dstsize,
                         int n, const char *word, int refused)
{
    size_t len = strlen(dst);
    const char *sep = " (";
    int i;

    if (n == 0)
    {
        return;
    }
    snprintf(dst + len, dstsize - len, "%s%s %d", len > 0 ? ", " : "",
             word, n);
    for (i = 0; refused >= 0 && i < t->nerrs; ++i)
    {
        if (DD_ErrnoRefused(t->errs[i]) == refused)
        {
            len = strlen(dst);
            snprintf(dst + len, dstsize - len, "%s%s", sep,
                     DD_ErrnoName(t->errs[i]));
            sep = ", ";
        }
    }
    if (sep[0] == ',')
    {
        len = strlen(dst);
        snprintf(dst + len, dstsize - len, ")");
    }
}

void DD_TallyText(const dd_tally_t *t, char *dst, size_t dstsize)
{
    if (dstsize == 0)
    {
        return;
    }
    dst[0] = '\0';
    DD_TallyPart(t, dst, dstsize, t->removed, "removed", -1);
    DD_TallyPart(t, dst, dstsize, t->refused, "refused", 1);
    DD_TallyPart(t, dst, dstsize, t->failed, "failed", 0);
    if (dst[0] == '\0')
    {
        snprintf(dst, dstsize, "nothing removed");
    }
}

void DD_TallyFields(const dd_tally_t *t, char *dst, size_t dstsize)
{
    size_t len;
    int i;

    if (dstsize == 0)
    {
        return;
    }
    snprintf(dst, dstsize, "removed=%d refused=%d failed=%d errs=",
             t->removed, t->refused, t->failed);
    for (i = 0; i < t->nerrs; ++i)
    {
        len = strlen(dst);
        snprintf(dst + len, dstsize - len, "%s%s", i > 0 ? "," : "",
                 DD_ErrnoName(t->errs[i]));
    }
    if (t->nerrs == 0)
    {
        len = strlen(dst);
        snprintf(dst + len, dstsize - len, "-");
    }
}
