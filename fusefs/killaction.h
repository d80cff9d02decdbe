/* SPDX-License-Identifier: GPL-2.0-or-later */
/* killaction.h - what a kill does to a container (--kill-action), apart
 * from any backend: each backend maps the action to its own call. */
#ifndef DOCKERFS_KILLACTION_H
#define DOCKERFS_KILLACTION_H

/* KILL_RM removes the container, KILL_KILL ends it at once (SIGKILL),
 * KILL_STOP asks it to stop and ends it after a grace time. For a pod:
 * KILL_RM and KILL_KILL delete it with no grace, KILL_STOP and
 * KILL_DELETE with its own, KILL_EVICT asks the Eviction API (which
 * honours PodDisruptionBudgets). For a container KILL_DELETE is KILL_RM
 * and KILL_EVICT is KILL_STOP. */
enum kill_action {
    KILL_RM = 0,
    KILL_KILL,
    KILL_STOP,
    KILL_DELETE,
    KILL_EVICT
};

/* "rm", "kill", "stop", "delete", "evict" <-> the action. parse returns -1 for other text;
 * name returns "?" for a value outside the enum. */
int kill_action_parse(const char *s);
const char *kill_action_name(enum kill_action a);

#endif
