/* SPDX-License-Identifier: GPL-2.0-or-later */
/* viewers.c - who may see inside the mount. */
#include "viewers.h"

int may_view(const struct options *opt, uid_t owner, const struct kill_caller *who)
{
    if (!opt->allow_other)
        return 1;
    /* One set of trusted users, not two: who may look is who may kill
     * (and the two who can reach the engine anyway: root and owner). */
    return who->uid == 0 || who->uid == owner || kill_permitted(opt, who);
}

int may_read(const struct options *opt, uid_t owner,
             const struct kill_caller *who, enum file_kind kind)
{
    if ((int)kind < 0 || kind >= FILE_KINDS ||
        !(opt->owner_only & (1u << kind)))
        return 1;
    return who->uid == 0 || who->uid == owner;
}
