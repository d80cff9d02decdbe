//
// dockerdoom: pure text helpers.
//

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dd_text.h"

int DD_ImageIndex(const char *image, int ntypes)
{
    // FNV-1a: tiny, and stable across runs and machines, unlike a
    // pointer- or seed-based hash.
    uint32_t hash = 2166136261u;
    const unsigned char *p;

    for (p = (const unsigned char *) image; *p != '\0'; ++p)
    {
        hash ^= *p;
        hash *= 16777619u;
    }
    return (int) (hash % (uint32_t) ntypes);
}

void DD_SanitizeName(char *dst, size_t dstsize, const char *src)
{
    size_t i;

    if (dstsize == 0)
    {
        return;
    }
    for (i = 0; i + 1 < dstsize && src[i] != '\0'; ++i)
    {
        unsigned char c = (unsigned char) src[i];

        dst[i] = (c <= ' ' || c == 0x7f) ? '_' : (char) c;
    }
    dst[i] = '\0';
}

void DD_TrimRight(char *s)
{
    size_t len = strlen(s);

    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'
                    || s[len - 1] == ' ' || s[len - 1] == '\t'))
    {
        s[--len] = '\0';
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
    if (prefix_len + 3 > dstsize)
    {
        prefix_len = dstsize - 3;
        prefix_width = 0;
        for (i = 0; i < prefix_len; ++i)
        {
            prefix_width += width(name[i], ctx);
        }
    }
    if (dots > maxwidth)
    {
        dst[0] = '\0';
        return 0;
    }
    memcpy(dst, name, prefix_len);
    memcpy(dst + prefix_len, "..", 3);
    return prefix_width + dots;
}

const char *DD_ErrnoName(int err)
{
    static const struct
    {
        int err;
        const char *name;
    } names[] = {
        { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
        { EACCES, "EACCES" }, { EBUSY, "EBUSY" }, { EINVAL, "EINVAL" },
        { EROFS, "EROFS" }, { ETIMEDOUT, "ETIMEDOUT" },
        { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EAGAIN, "EAGAIN" },
        { ENOTCONN, "ENOTCONN" }, { ENOSPC, "ENOSPC" }, { EINTR, "EINTR" },
        { ENOMEM, "ENOMEM" }, { ENAMETOOLONG, "ENAMETOOLONG" },
        { ECONNREFUSED, "ECONNREFUSED" }, { ENXIO, "ENXIO" },
    };
    static char unknown[24];
    size_t i;

    if (err == 0)
    {
        return "ok";
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); ++i)
    {
        if (names[i].err == err)
        {
            return names[i].name;
        }
    }
    snprintf(unknown, sizeof(unknown), "E%d", err);
    return unknown;
}

void DD_KillMessage(char *dst, size_t dstsize, const char *name, int err)
{
    if (err == 0)
    {
        snprintf(dst, dstsize, "killed %s", name);
    }
    else
    {
        snprintf(dst, dstsize, "%s: kill failed, %s (%s)", name,
                 DD_ErrnoName(err), strerror(err));
    }
}
