/* SPDX-License-Identifier: GPL-2.0-or-later */
/* errmsg.c - one-line reasons for option and rule parsers. */
#include <stdarg.h>
#include <stdio.h>
#include "errmsg.h"

int errmsg(int code, char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}
