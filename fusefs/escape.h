/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.h - text from the engine made safe to show: no byte of it can
 * move a terminal's cursor or start a new line of a log. */
#ifndef DOCKERFS_ESCAPE_H
#define DOCKERFS_ESCAPE_H

#include <stddef.h>
#include "buf.h"

/* Keep a newline as the two characters \n (file contents, where a label
 * value's newline has always been shown so); without it a newline is
 * \x0a like every other control character. */
#define ESCAPE_NEWLINE_N 1u

/* Appends s[0..len) to out with each C0 control character (0x00-0x1f)
 * and DEL (0x7f) written as \xNN (two lower-case hex digits) and each
 * backslash as \\; every other byte, UTF-8 included, as it is. flags:
 * 0 or ESCAPE_NEWLINE_N. Returns 0, or buf_add's E2BIG/ENOMEM (out then
 * holds a cut-off but still escaped prefix). */
int escape_text(struct buf *out, const char *s, size_t len, unsigned flags);

#endif
