/* SPDX-License-Identifier: GPL-2.0-or-later */
/* killaction.h - what a kill does to a container (--kill-action), apart
 * from any backend: each backend maps the action to its own call. */
#ifndef DOCKERFS_KILLACTION_H
#define DOCKERFS_KILLACTION_H

/* KILL_RM removes the container, KILL_KILL ends it at once (SIGKILL),
 * KILL_STOP asks it to stop and ends it after a grace time. */
enum kill_action {
    KILL_RM = 0,
    KILL_KILL,
    KILL_STOP
};

/* "rm", "kill", "stop" <-> the action. parse returns -1 for other text;
 * name returns "?" for a value outside the enum. */
int kill_action_parse(const char *s);
const char *kill_action_name(enum kill_action a);

#endif
