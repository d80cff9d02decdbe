/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.c - text from the engine made safe to show. */
#include "escape.h"

#include <string.h>

/* The escape for the byte (or NUL pair) at s[0..len): its text in dst
 * (at most 4 bytes), its length, and how many input bytes it eats. */
static size_t escape_one(const char *s, size_t len, char dst[4], size_t *eaten)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char ch = (unsigned char)s[0];

    *eaten = 1;
    if (ch == 0xc0 && len >= 2 && (unsigned char)s[1] == 0x80) {
        *eaten = 2;
        memcpy(dst, "\\x00", 4);
        return 4;
    }
    if (ch == '\\' || ch == '\n') {
        dst[0] = '\\';
        dst[1] = ch == '\n' ? 'n' : '\\';
        return 2;
    }
    if (ch < 0x20 || ch == 0x7f) {
        dst[0] = '\\';
        dst[1] = 'x';
        dst[2] = hex[ch >> 4];
        dst[3] = hex[ch & 15];
        return 4;
    }
    dst[0] = (char)ch;
    return 1;
}

int escape_text(struct buf *out, const char *s, size_t len)
{
    size_t i = 0, plain = 0;
    int rc = 0;

    /* Runs of plain bytes are copied at once: most text has no escape. */
    while (i < len && !rc) {
        char e[4];
        size_t eaten, n = escape_one(s + i, len - i, e, &eaten);
        if (n == 1 && eaten == 1) {
            plain++;
            i++;
            continue;
        }
        if (plain)
            rc = buf_add(out, s + i - plain, plain);
        if (!rc)
            rc = buf_add(out, e, n);
        plain = 0;
        i += eaten;
    }
    if (!rc && plain)
        rc = buf_add(out, s + i - plain, plain);
    return rc;
}

char *escape_text_to(char *dst, size_t n, const char *s)
{
    size_t used = 0, len = s ? strlen(s) : 0;

    if (n == 0)
        return dst;
    for (size_t i = 0; i < len;) {
        char e[4];
        size_t eaten, k = escape_one(s + i, len - i, e, &eaten);
        if (used + k >= n)
            break;
        memcpy(dst + used, e, k);
        used += k;
        i += eaten;
    }
    dst[used] = '\0';
    return dst;
}
