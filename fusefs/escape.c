/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.c - text from the engine made safe to show. */
#include "escape.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s[0..len) (2 to 4), or 0: a
 * stray continuation byte, a cut sequence, an overlong form, a
 * surrogate or a code point beyond U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
             : c >= 0xf0 && c <= 0xf4 ? 4 : 0;

    if (n == 0 || len < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
        (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
        return 0;
    return n;
}

static void hex_byte(unsigned char ch, char dst[4])
{
    static const char hex[] = "0123456789abcdef";

    dst[0] = '\\';
    dst[1] = 'x';
    dst[2] = hex[ch >> 4];
    dst[3] = hex[ch & 15];
}

/* The escape for the character (or NUL pair) at s[0..len): its text in
 * dst (at most ESCAPE_MAX bytes) and its length, or 0 when the *eaten
 * bytes are shown as they are. */
static size_t escape_one(const char *s, size_t len, char dst[ESCAPE_MAX],
                         size_t *eaten)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char ch = u[0];

    *eaten = 1;
    if (ch == 0xc0 && len >= 2 && u[1] == 0x80) {
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
        hex_byte(ch, dst);
        return 4;
    }
    if (ch < 0x80)
        return 0;
    *eaten = utf8_len(u, len);
    if (*eaten == 0) {
        /* Not UTF-8: a lone 0x9b is CSI to a terminal in an 8-bit
         * locale. */
        *eaten = 1;
        hex_byte(ch, dst);
        return 4;
    }
    if (ch == 0xc2 && u[1] < 0xa0) {
        /* U+0080..U+009F: the C1 controls, CSI among them. */
        hex_byte(u[0], dst);
        hex_byte(u[1], dst + 4);
        return 8;
    }
    return 0;
}

int escape_text(struct buf *out, const char *s, size_t len)
{
    size_t i = 0, plain = 0;
    int rc = 0;

    /* Runs of plain bytes are copied at once: most text has no escape. */
    while (i < len && !rc) {
        char e[ESCAPE_MAX];
        size_t eaten, n = escape_one(s + i, len - i, e, &eaten);
        if (n == 0) {
            plain += eaten;
            i += eaten;
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
        char e[ESCAPE_MAX];
        size_t eaten, k = escape_one(s + i, len - i, e, &eaten);
        const char *from = k ? e : s + i;
        if (k == 0)
            k = eaten;
        if (used + k >= n)
            break;
        memcpy(dst + used, from, k);
        used += k;
        i += eaten;
    }
    dst[used] = '\0';
    return dst;
}
