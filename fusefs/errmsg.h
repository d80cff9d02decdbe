/* SPDX-License-Identifier: GPL-2.0-or-later */
/* errmsg.h - a one-line reason for the caller, and the code to return. */
#ifndef DOCKERFS_ERRMSG_H
#define DOCKERFS_ERRMSG_H

#include <stddef.h>

/* Formats a reason into err (when err is not NULL and errlen > 0) and
 * returns code, so a parser can write `return errmsg(EINVAL, ...)`. */
int errmsg(int code, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
