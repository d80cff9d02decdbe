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
//	dockerdoom: fitting text to the HUD font and the screen.
//

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dd_fit.h"
#include "dd_name.h"
#include "dd_table.h"

// U+00C0..U+00FF by their plain letters.
static const char *const dd_latin1[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C",
    "E", "E", "E", "E", "I", "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O", "x",
    "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c",
    "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "/",
    "o", "u", "u", "u", "u", "y", "th", "y",
};

// U+0100..U+017F, one plain letter each; '2' marks the ligatures
// (IJ ij OE oe), which take two.
static const char dd_latin_ext_a[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi22JjKkk"
    "LlLlLlLlLlNnNnNnnNnOoOoOo22RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUu"
    "WwYyYZzZzZzs";

typedef char dd_ext_a_size_check[sizeof(dd_latin_ext_a) == 129 ? 1 : -1];

// Decodes one UTF-8 sequence at *p, advancing *p past it. Returns the
// code point, or -1 for a malformed sequence (then one byte is skipped).
static long DD_DecodeUtf8(const unsigned char **p)
{
    const unsigned char *s = *p;
    long cp;
    int more;
    int i;

    if (s[0] < 0x80)
    {
        *p = s + 1;
        return s[0];
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
    {
        cp = s[0] & 0x1f;
        more = 1;
    }
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
    {
        cp = s[0] & 0x0f;
        more = 2;
    }
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    {
        cp = s[0] & 0x07;
        more = 3;
    }
    else
    {
        *p = s + 1;
        return -1;
    }
    for (i = 1; i <= more; ++i)
    {
        if ((s[i] & 0xc0) != 0x80)
        {
            *p = s + 1;
            return -1;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    *p = s + more + 1;
    return cp;
}

// The ASCII text for one code point: "" for none, " " for white space.
static const char *DD_PlainForm(long cp, char *one)
{
    one[1] = '\0';
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xa0
     || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x3000)
    {
        return " ";
    }
    if (cp >= 0x20 && cp < 0x7f)
    {
        // The HUD font stops at '_': the rest by their look-alikes.
        switch (cp)
        {
            case '`': return "'";
            case '{': return "(";
            case '}': return ")";
            case '|': return "!";
            case '~': return "-";
            default:
                one[0] = (char) cp;
                return one;
        }
    }
    if (cp >= 0xc0 && cp <= 0xff)
    {
        return dd_latin1[cp - 0xc0];
    }
    if (cp >= 0x100 && cp <= 0x17f)
    {
        switch (cp)
        {
            case 0x132: return "IJ";
            case 0x133: return "ij";
            case 0x152: return "OE";
            case 0x153: return "oe";
            default:
                one[0] = dd_latin_ext_a[cp - 0x100];
                return one;
        }
    }
    switch (cp)
    {
        case 0xa1: return "!";
        case 0xab: case 0xbb: case 0x201c: case 0x201d: case 0x201e:
            return "\"";
        case 0xb4: case 0x2018: case 0x2019: case 0x201a:
            return "'";
        case 0xb7: return ".";
        case 0xbf: return "?";
        case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
        case 0x2015: case 0x2212:
            return "-";
        case 0x2026: return "...";
        default:
            return "";
    }
}

void DD_Transliterate(char *dst, size_t dstsize, const char *src)
{
    const unsigned char *p = (const unsigned char *) src;
    size_t used = 0;
    char one[2];

    if (dstsize == 0)
    {
        return;
    }
    while (*p != '\0')
    {
        long cp = DD_DecodeUtf8(&p);
        const char *plain = cp < 0 ? "" : DD_PlainForm(cp, one);
        size_t len = strlen(plain);

        if (plain[0] == ' ' && (used == 0 || dst[used - 1] == ' '))
        {
            continue;
        }
        if (used + len + 1 > dstsize)
        {
            break;
        }
        memcpy(dst + used, plain, len);
        used += len;
    }
    while (used > 0 && dst[used - 1] == ' ')
    {
        --used;
    }
    dst[used] = '\0';
}

void DD_LabelText(char *dst, size_t dstsize, const char *name,
                  const char *id)
{
    size_t i;

    char shown[DD_NAME_LEN + 1];

    if (dstsize == 0)
    {
        return;
    }
    DD_ShownName(shown, sizeof(shown), name, NULL, NULL);
    DD_Transliterate(dst, dstsize, shown);
    if (dst[0] == '\0')
    {
        for (i = 0; i + 1 < dstsize && i < 12 && id[i] != '\0'; ++i)
        {
            dst[i] = id[i];
        }
        dst[i] = '\0';
    }
}

int DD_FitLabel(char *dst, size_t dstsize, const char *name, int maxwidth,
                dd_charwidth_fn width, void *ctx)
{
    int total = 0;
    int dots = 2 * width('.', ctx);
    int prefix_width = 0;
    size_t prefix_len = 0;
    size_t i;

    if (dstsize == 0)
    {
        return 0;
    }
    for (i = 0; name[i] != '\0'; ++i)
    {
        total += width(name[i], ctx);
        // Remember the longest prefix that still leaves room for "..".
        if (total + dots <= maxwidth)
        {
            prefix_len = i + 1;
            prefix_width = total;
        }
    }
    if (total <= maxwidth && i < dstsize)
    {
        memcpy(dst, name, i + 1);
        return total;
    }
    if (dstsize < 3 || dots > maxwidth)
    {
        dst[0] = '\0';
        return 0;
    }
    if (prefix_len + 3 > dstsize)
    {
        prefix_len = dstsize - 3;
        prefix_width = 0;
        for (i = 0; i < prefix_len; ++i)
        {
            prefix_width += width(name[i], ctx);
        }
    }
    // A cut never ends in a space before the dots.
    while (prefix_len > 0 && name[prefix_len - 1] == ' ')
    {
        --prefix_len;
        prefix_width -= width(' ', ctx);
    }
    memcpy(dst, name, prefix_len);
    memcpy(dst + prefix_len, "..", 3);
    return prefix_width + dots;
}

int DD_FitNameAt(char *dst, size_t dstsize, const char *name,
                 const char *ns, const char *engine, int maxwidth,
                 dd_charwidth_fn width, void *ctx)
{
    char suffix[DD_LINE_LEN];
    char at[DD_LINE_LEN];
    char cut[DD_LINE_LEN];
    int atwidth;
    int namewidth;
    size_t len = 0;

    suffix[0] = '\0';
    if (ns != NULL && ns[0] != '\0')
    {
        suffix[len++] = '.';
        DD_Transliterate(suffix + len, sizeof(suffix) - len - 1, ns);
        len = strlen(suffix);
    }
    if (engine != NULL && engine[0] != '\0' && len + 2 < sizeof(suffix))
    {
        suffix[len++] = '@';
        DD_Transliterate(suffix + len, sizeof(suffix) - len - 1, engine);
        len = strlen(suffix);
    }
    if (len == 0)
    {
        return DD_FitLabel(dst, dstsize, name, maxwidth, width, ctx);
    }
    // The first character of the suffix ('.' or '@') always shows, so
    // a cut suffix still reads as one.
    at[0] = suffix[0];
    atwidth = width(at[0], ctx);
    atwidth += DD_FitLabel(at + 1, sizeof(at) - 1, suffix + 1,
                           maxwidth / 2 - atwidth, width, ctx);
    namewidth = DD_FitLabel(cut, sizeof(cut), name, maxwidth - atwidth,
                            width, ctx);
    if (dstsize == 0)
    {
        return 0;
    }
    snprintf(dst, dstsize, "%s%s", cut, at);
    return namewidth + atwidth;
}

int DD_LabelLeft(int centre, int width, int left, int right)
{
    int x = centre - width / 2;

    if (x + width > right)
    {
        x = right - width;
    }
    if (x < left)
    {
        x = left;
    }
    return x;
}

int DD_WrapText(const char *text, int maxwidth, dd_charwidth_fn width,
                void *ctx, char lines[][DD_LINE_LEN], int maxlines)
{
    const char *p = text;
    int n = 0;

    while (n < maxlines)
    {
        size_t fit = 0;
        size_t brk = 0;
        int w = 0;

        while (*p == ' ')
        {
            ++p;
        }
        if (*p == '\0')
        {
            break;
        }
        if (n == maxlines - 1)
        {
            // The last line takes the rest, cut with dots if need be.
            DD_FitLabel(lines[n], DD_LINE_LEN, p, maxwidth, width, ctx);
            ++n;
            break;
        }
        while (p[fit] != '\0' && fit + 1 < DD_LINE_LEN)
        {
            int cw = width(p[fit], ctx);

            if (w + cw > maxwidth)
            {
                break;
            }
            w += cw;
            ++fit;
            if (p[fit] == ' ' || p[fit] == '\0')
            {
                brk = fit;
            }
        }
        if (p[fit] == '\0')
        {
            brk = fit;
        }
        if (brk == 0)
        {
            // One word wider than the line: cut it.
            brk = fit > 0 ? fit : 1;
        }
        memcpy(lines[n], p, brk);
        lines[n][brk] = '\0';
        while (brk > 0 && lines[n][brk - 1] == ' ')
        {
            lines[n][--brk] = '\0';
        }
        p += strlen(lines[n]);
        ++n;
    }
    return n;
}
