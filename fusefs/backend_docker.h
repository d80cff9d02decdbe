/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend_docker.h - a Docker (or Podman) engine as a backend: engine.c
 * for the requests, sync.c for the follower (list, /events, re-list),
 * context.c for the address. */
#ifndef DOCKERFS_BACKEND_DOCKER_H
#define DOCKERFS_BACKEND_DOCKER_H

#include "backend.h"
#include "context.h"

extern const struct backend_ops backend_docker_ops;

/* A Docker engine from --host addr (kind SPEC_HOST) or --context addr
 * (SPEC_CONTEXT); addr NULL: the docker CLI's own choice (DOCKER_HOST,
 * DOCKER_CONTEXT, config.json, the default socket). Fills b. Returns 0,
 * or context_resolve's code (EINVAL, ENOENT, ... a usage error; ENOMEM)
 * with a one-line reason. */
int backend_docker_new(struct backend *b, int kind, const char *addr,
                       const struct docker_env *env, char *err,
                       size_t errlen);

#endif
