/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend.c - which backend an engine option makes. */
#include "backend.h"

#include <string.h>
#include "backend_docker.h"

int backend_new(struct backend *b, const struct engine_spec *spec,
                const char *addr, const struct docker_env *env,
                char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    /* --host and --context are Docker engines; a --kube option would
     * get its own case here. */
    return backend_docker_new(b, spec ? spec->kind : SPEC_HOST,
                              spec ? addr : NULL, env, err, errlen);
}

void backend_free(struct backend *b)
{
    if (b->ops && b->impl)
        b->ops->destroy(b->impl);
    memset(b, 0, sizeof *b);
}
