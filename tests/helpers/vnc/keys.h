/* keys.h - X keysym names for the VNC test client.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VNCPLAY_KEYS_H
#define VNCPLAY_KEYS_H

#include <stdint.h>

/* Looks up an X keysym by its X name ("Up", "Control_L", "a", "7",
 * "space") or as a number ("0xff52"). Returns 0 when the name is unknown:
 * keysym 0 (NoSymbol) is never a valid key to send. */
uint32_t key_by_name(const char *name);

/* The keysym that types the printable ASCII character c (Latin-1 keysyms
 * equal their code), or 0 for a character that is not printable ASCII. */
uint32_t key_for_char(char c);

#endif
