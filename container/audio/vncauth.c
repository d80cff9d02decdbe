/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vncauth.c - VNC's password challenge, for the sound stream (see
   vncauth.h). DES comes from libgcrypt, which x11vnc's libvncserver
   already brings into the game image. */
#include "vncauth.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <gcrypt.h>

int vncauth_challenge(unsigned char c[VNCAUTH_LEN])
{
    size_t got = 0;

    while (got < VNCAUTH_LEN) {
        ssize_t n = getrandom(c + got, VNCAUTH_LEN - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        got += (size_t)n;
    }
    return 0;
}

/* VNC's key: the first 8 bytes of the password, zero-padded, each
   byte's bits in reverse order (a quirk of the DES code VNC began with). */
static void vnc_key(const char *pw, unsigned char key[VNCAUTH_KEY])
{
    size_t len = strnlen(pw, VNCAUTH_KEY);

    memset(key, 0, VNCAUTH_KEY);
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)pw[i], m = 0;
        for (int bit = 0; bit < 8; bit++)
            if (b & (1u << bit))
                m |= (unsigned char)(0x80u >> bit);
        key[i] = m;
    }
}

int vncauth_response(const char *pw, const unsigned char c[VNCAUTH_LEN],
                     unsigned char out[VNCAUTH_LEN])
{
    unsigned char key[VNCAUTH_KEY];
    gcry_cipher_hd_t h;
    gcry_error_t err;
    int rc = 0;

    if (!gcry_check_version(NULL))
        return EIO;
    vnc_key(pw, key);
    if (gcry_cipher_open(&h, GCRY_CIPHER_DES, GCRY_CIPHER_MODE_ECB, 0))
        return EIO;
    /* A password may make a weak DES key; VNC takes it all the same. */
    gcry_cipher_ctl(h, GCRYCTL_SET_ALLOW_WEAK_KEY, NULL, 1);
    err = gcry_cipher_setkey(h, key, sizeof(key));
    if (err && gcry_err_code(err) != GPG_ERR_WEAK_KEY)
        rc = EIO;
    if (rc == 0 && gcry_cipher_encrypt(h, out, VNCAUTH_LEN, c, VNCAUTH_LEN))
        rc = EIO;
    gcry_cipher_close(h);
    memset(key, 0, sizeof(key));
    return rc;
}

bool vncauth_check(const char *pw, const unsigned char c[VNCAUTH_LEN],
                   const unsigned char r[VNCAUTH_LEN])
{
    unsigned char want[VNCAUTH_LEN];
    unsigned char diff = 0;

    if (vncauth_response(pw, c, want) != 0)
        return false;
    for (size_t i = 0; i < VNCAUTH_LEN; i++)
        diff |= (unsigned char)(want[i] ^ r[i]);
    return diff == 0;
}
