/* pngout.c - PNG writing with libpng, isolated so the VNC client does not
 * have to know about libpng's setjmp error handling.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "pngout.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libpng reports errors through this; keep the text for the caller and
 * unwind to png_write_rgb's setjmp. */
static void png_fail(png_structp png, png_const_charp msg)
{
    char *buf = png_get_error_ptr(png);

    if (buf != NULL)
        snprintf(buf, 256, "%s", msg);
    png_longjmp(png, 1);
}

/* Warnings (e.g. about colour profiles) are not failures. */
static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Writes the rows to an already open stream. Returns 0 or -1 with err set. */
static int write_stream(FILE *f, const unsigned char *rgb, int width, int height,
                        char *err, size_t errlen)
{
    char msg[256] = "";
    png_structp png;
    png_infop info;
    /* volatile: read after longjmp, so it must not live only in a register. */
    volatile int rc = -1;
    int y;

    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, msg, png_fail, png_warn);
    if (png == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_init_io(png, f);
        png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_write_info(png, info);
        for (y = 0; y < height; y++)
            png_write_row(png, rgb + (size_t)y * (size_t)width * 3);
        png_write_end(png, NULL);
        rc = 0;
    } else {
        snprintf(err, errlen, "libpng: %s", msg);
    }
    png_destroy_write_struct(&png, &info);
    return rc;
}

int png_write_rgb(const char *path, const unsigned char *rgb, int width, int height,
                  char *err, size_t errlen)
{
    char *tmp;
    FILE *f;
    int rc;

    if (width <= 0 || height <= 0) {
        snprintf(err, errlen, "empty framebuffer (%dx%d)", width, height);
        return -1;
    }
    if (asprintf(&tmp, "%s.tmp%ld", path, (long)getpid()) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    f = fopen(tmp, "wb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    rc = write_stream(f, rgb, width, height, err, errlen);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}
