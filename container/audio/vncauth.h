/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vncauth.h - VNC's password challenge, for the sound stream. */
#ifndef DDAUDIO_VNCAUTH_H
#define DDAUDIO_VNCAUTH_H

#include <stdbool.h>

/*
 * The sound stream asks for the VNC password the way VNC does (RFB
 * "VNC Authentication"): 16 random bytes go out, and the answer is those
 * bytes DES-encrypted with the password (its first 8 characters,
 * zero-padded, each byte's bits mirrored). noVNC's page answers with its
 * own DES (core/des.js), so the page needs no crypto of ours, and whoever
 * VNC lets in hears the game: no one else.
 */
#define VNCAUTH_LEN 16  /* challenge and response bytes */
#define VNCAUTH_KEY 8   /* password characters that count */

/* Fills c with random bytes (getrandom). 0, or an errno. */
int vncauth_challenge(unsigned char c[VNCAUTH_LEN]);

/* The answer to challenge c for password pw into out. 0, or an errno
   (EIO: libgcrypt failed). */
int vncauth_response(const char *pw, const unsigned char c[VNCAUTH_LEN],
                     unsigned char out[VNCAUTH_LEN]);

/* Whether r is the answer to c for pw, compared in constant time; false
   when the answer cannot be computed. */
bool vncauth_check(const char *pw, const unsigned char c[VNCAUTH_LEN],
                   const unsigned char r[VNCAUTH_LEN]);

#endif
