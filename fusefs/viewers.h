/* SPDX-License-Identifier: GPL-2.0-or-later */
/* viewers.h - who may see inside the mount.
 *
 *   # dockerfs /dockerfs -o allow_other --uid dockerdoom
 *   $ ls /dockerfs                 # as any other user
 *   ls: cannot open directory '/dockerfs': Permission denied
 *
 * Labels hold secrets in real fleets (DB_PASSWORD=...), and allow_other
 * opens the mount to every local user. */
#ifndef DOCKERFS_VIEWERS_H
#define DOCKERFS_VIEWERS_H

#include <sys/types.h>
#include "container.h"
#include "killfile.h"
#include "settings.h"

/* 1 if who may list, look up, stat and read below the mount's root. Without
 * allow_other every caller may (the kernel already lets only the mounting
 * user in); with it only root, owner (the user dockerfs runs as) and
 * whoever may write kill files (kill_permitted: the --uid user, the --gid
 * group). */
int may_view(const struct options *opt, uid_t owner, const struct kill_caller *who);

/* 1 if who may read data file kind: always, unless --owner-only names it,
 * and then root and owner only. The game's account lists and reads what
 * it plays with, and is refused the rest (labels hold secrets). */
int may_read(const struct options *opt, uid_t owner,
             const struct kill_caller *who, enum file_kind kind);

#endif
