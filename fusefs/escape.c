/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.c - control characters and backslashes written out as escapes. */
#include "escape.h"

int escape_text(struct buf *out, const char *s, size_t len, unsigned flags)
{
    static const char hex[] = "0123456789abcdef";
    size_t plain = 0;       /* start of the run not yet copied */
    int err = 0;

    for (size_t i = 0; i < len && !err; i++) {
        unsigned char ch = (unsigned char)s[i];
        char esc[4];
        size_t n;

        if (ch == '\\') {
            esc[0] = esc[1] = '\\';
            n = 2;
        } else if (ch == '\n' && (flags & ESCAPE_NEWLINE_N)) {
            esc[0] = '\\';
            esc[1] = 'n';
            n = 2;
        } else if (ch < 0x20 || ch == 0x7f) {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[ch >> 4];
            esc[3] = hex[ch & 15];
            n = 4;
        } else {
            continue;
        }
        /* Runs of plain text go in with one call. */
        err = buf_add(out, s + plain, i - plain);
        if (!err)
            err = buf_add(out, esc, n);
        plain = i + 1;
    }
    if (!err && plain < len)
        err = buf_add(out, s + plain, len - plain);
    return err;
}
