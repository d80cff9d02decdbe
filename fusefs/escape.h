/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.h - text from the engine made safe to show: on a terminal, in a
 * file of lines, in a log line.
 *
 *   name  "x\rdockerfs.protect=true"   ->  x\x0ddockerfs.protect=true
 *   label "a\nb"                        ->  a\nb
 *   label "C:\dir"                      ->  C:\\dir
 *
 * An engine may send any byte but NUL inside a JSON string, and NUL too as
 * \u0000. Whoever names a container (or an engine that lies) must not be
 * able to move the cursor, clear the screen or forge a line. */
#ifndef DOCKERFS_ESCAPE_H
#define DOCKERFS_ESCAPE_H

#include <stddef.h>
#include "buf.h"

/* How parse.c keeps a NUL from the engine inside a C string: the
 * overlong UTF-8 pair C0 80 ("modified UTF-8"), which no valid UTF-8
 * text contains, so it cannot be confused with a real character. */
#define ESCAPE_NUL "\xc0\x80"

/* The longest escape of one character: a C1 control's two bytes. */
#define ESCAPE_MAX 8

/* Appends s[0..len) to out escaped: backslash as \\, newline as \n,
 * every other C0 control character (0x00-0x1f) and DEL (0x7f) as \xNN
 * with two lower-case hex digits, the pair ESCAPE_NUL as \x00, a C1
 * control in UTF-8 (U+0080..U+009F) as its two bytes \xc2\xNN, and each
 * byte that is not part of valid UTF-8 as \xNN. Valid UTF-8 is copied,
 * so the result is always valid UTF-8 with no control character. Returns
 * 0, or E2BIG / ENOMEM as buf_add (out is then emptied). */
int escape_text(struct buf *out, const char *s, size_t len);

/* escape_text of the C string s into dst[0..n), for log lines: cut
 * before an escape that does not fit, always terminated when n > 0.
 * Returns dst. */
char *escape_text_to(char *dst, size_t n, const char *s);

#endif
