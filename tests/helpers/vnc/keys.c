/* keys.c - a small table of X keysym names, enough to play DOOM and drive
 * a terminal: no Xlib, so the client links without an X library.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "keys.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct named_key {
    const char *name;
    uint32_t sym;
};

/* Values are the X11 keysym codes (X11/keysymdef.h). */
static const struct named_key named_keys[] = {
    { "space", 0x0020 },      { "minus", 0x002d },     { "equal", 0x003d },
    { "comma", 0x002c },      { "period", 0x002e },    { "slash", 0x002f },
    { "BackSpace", 0xff08 },  { "Tab", 0xff09 },       { "Return", 0xff0d },
    { "Pause", 0xff13 },      { "Escape", 0xff1b },    { "Delete", 0xffff },
    { "Home", 0xff50 },       { "Left", 0xff51 },      { "Up", 0xff52 },
    { "Right", 0xff53 },      { "Down", 0xff54 },      { "Page_Up", 0xff55 },
    { "Prior", 0xff55 },      { "Page_Down", 0xff56 }, { "Next", 0xff56 },
    { "End", 0xff57 },        { "Insert", 0xff63 },    { "Shift_L", 0xffe1 },
    { "Shift_R", 0xffe2 },    { "Control_L", 0xffe3 }, { "Control_R", 0xffe4 },
    { "Caps_Lock", 0xffe5 },  { "Alt_L", 0xffe9 },     { "Alt_R", 0xffea },
    { "Super_L", 0xffeb },    { "F1", 0xffbe },        { "F2", 0xffbf },
    { "F3", 0xffc0 },         { "F4", 0xffc1 },        { "F5", 0xffc2 },
    { "F6", 0xffc3 },         { "F7", 0xffc4 },        { "F8", 0xffc5 },
    { "F9", 0xffc6 },         { "F10", 0xffc7 },       { "F11", 0xffc8 },
    { "F12", 0xffc9 },
};

uint32_t key_for_char(char c)
{
    if (c >= 0x20 && c <= 0x7e)
        return (uint32_t)(unsigned char)c;
    return 0;
}

uint32_t key_by_name(const char *name)
{
    size_t i;

    if (name == NULL || name[0] == '\0')
        return 0;
    /* One character: letters, digits and punctuation are their own name. */
    if (name[1] == '\0')
        return key_for_char(name[0]);
    for (i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (strcmp(named_keys[i].name, name) == 0)
            return named_keys[i].sym;
    /* Case-insensitive second pass: "up", "escape", "RETURN" are typos a
     * script writer should not have to debug. */
    for (i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (strcasecmp(named_keys[i].name, name) == 0)
            return named_keys[i].sym;
    if (name[0] == '0' && (name[1] == 'x' || name[1] == 'X')) {
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(name + 2, &end, 16);
        if (errno == 0 && *end == '\0' && end != name + 2 && v > 0 && v <= 0x1fffffff)
            return (uint32_t)v;
    }
    return 0;
}
