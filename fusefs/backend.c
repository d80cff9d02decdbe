/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend.c - what every backend shares. */
#include "backend.h"

#include <string.h>

void backend_free(struct backend *b)
{
    if (b->ops && b->impl)
        b->ops->destroy(b->impl);
    memset(b, 0, sizeof *b);
}
