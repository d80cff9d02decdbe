/* SPDX-License-Identifier: GPL-2.0-or-later */
/* self.h - the id of the container this process runs in, if any. */
#ifndef DOCKERFS_SELF_H
#define DOCKERFS_SELF_H

/* Looks through a /proc/self/mountinfo text for the bind mounts the engine
 * makes into a container (.../containers/<64 hex>/hostname, resolv.conf,
 * hosts under Docker; .../overlay-containers/<64 hex>/userdata/... under
 * Podman). Returns 1 and fills id (65 bytes) when found, else 0. */
int self_id_from_mountinfo(const char *text, char *id);

/* The same for this process. */
int self_container_id(char *id);

#endif
