/* script.h - the step language of the VNC test client.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A script is a list of words; each step is a command word followed by a
 * fixed number of argument words. Words are separated by white space or
 * ';', and '#' starts a comment that runs to the end of the line:
 *
 *   wait MS            keep the connection serviced for MS milliseconds
 *   waitfb             wait until the next framebuffer update has arrived
 *   key NAME down|up   press or release one key
 *   hold NAME MS       press, hold MS milliseconds, release
 *   tap NAME           press and release (held for the typing delay)
 *   type TEXT          tap each character of TEXT (printable ASCII)
 *   typedelay MS       hold time and gap used by tap and type (default 60)
 *   shot FILE          request a full update, wait for it, save it as PNG
 */
#ifndef VNCPLAY_SCRIPT_H
#define VNCPLAY_SCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum step_op { OP_WAIT, OP_WAITFB, OP_KEY, OP_HOLD, OP_TAP, OP_TYPE, OP_TYPEDELAY, OP_SHOT };

struct step {
    enum step_op op;
    uint32_t sym;   /* key, hold, tap */
    int down;       /* key */
    long ms;        /* wait, hold, typedelay */
    char *text;     /* type: the text; shot: the file (owned) */
};

struct script {
    char **words;
    size_t nwords, capwords;
    struct step *steps;
    size_t nsteps, capsteps;
};

/* Splits s into words and appends them; a '#' ends the text (comment).
 * Returns 0 or -1 (out of memory). */
int script_add_text(struct script *s, const char *text);

/* Appends every line of f as by script_add_text. Returns 0 or -1 with
 * errno set (read error or out of memory). */
int script_add_stream(struct script *s, FILE *f);

/* Turns the collected words into steps, checking every name and number
 * first, so a typo fails before anything is sent. Returns 0, or -1 with a
 * message naming the bad word in err. */
int script_compile(struct script *s, char *err, size_t errlen);

/* Frees everything the script owns; the struct can be reused after. */
void script_free(struct script *s);

#endif
