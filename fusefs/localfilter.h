/* SPDX-License-Identifier: GPL-2.0-or-later */
/* localfilter.h - the --filter options decided here, on one inspected
 * container, as the engine's list would decide them: an event then costs
 * one GET /containers/{id}/json, not a filtered list the engine answers by
 * scanning every container. */
#ifndef DOCKERFS_LOCALFILTER_H
#define DOCKERFS_LOCALFILTER_H

#include "container.h"
#include "parse.h"
#include "filter.h"

/* 1 if every filter in f has a key decided here: id, name, label, status,
 * exited, health. The others (ancestor, before, since, volume, network,
 * publish, expose, isolation, is-task) need the engine's list. */
int localfilter_supported(const struct filters *f);

/* 1 if the engine would list c (inspected, with info) for f and all:
 * shown without --all only if running, or if a status filter is given
 * (as docker ps); keys are ANDed, values of one key ORed, except label
 * values, which must all match. id and name values are regular
 * expressions found anywhere in the id or name (with or without its "/"),
 * status and health compare exactly, exited is the exit code of an exited
 * container, label is KEY or KEY=VALUE. 0 for a key not supported. */
int localfilter_match(const struct filters *f, int all, const struct container *c,
                      const struct inspect_info *info);

#endif
