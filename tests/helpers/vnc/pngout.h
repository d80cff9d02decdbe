/* pngout.h - write an RGB image as PNG.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VNCPLAY_PNGOUT_H
#define VNCPLAY_PNGOUT_H

#include <stddef.h>

/* Writes width x height pixels of packed 8-bit RGB (3 bytes a pixel, rows
 * without padding) to path as a PNG. The file is written under a temporary
 * name and renamed, so a reader never sees half a picture. Returns 0, or
 * -1 with a message in err (errlen bytes) and no file left behind. */
int png_write_rgb(const char *path, const unsigned char *rgb, int width, int height,
                  char *err, size_t errlen);

#endif
