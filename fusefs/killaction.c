/* SPDX-License-Identifier: GPL-2.0-or-later */
/* killaction.c - the names of the kill actions. */
#include "killaction.h"

#include <string.h>

int kill_action_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "rm") == 0)
        return KILL_RM;
    if (strcmp(s, "kill") == 0)
        return KILL_KILL;
    if (strcmp(s, "stop") == 0)
        return KILL_STOP;
    if (strcmp(s, "delete") == 0)
        return KILL_DELETE;
    if (strcmp(s, "evict") == 0)
        return KILL_EVICT;
    return -1;
}

const char *kill_action_name(enum kill_action a)
{
    switch (a) {
    case KILL_RM:   return "rm";
    case KILL_KILL: return "kill";
    case KILL_STOP: return "stop";
    case KILL_DELETE: return "delete";
    case KILL_EVICT: return "evict";
    }
    return "?";
}
