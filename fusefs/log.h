/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h - the daemon's log. */
#ifndef DOCKERFS_LOG_H
#define DOCKERFS_LOG_H

#include <stddef.h>
#include <syslog.h>

/* Chooses the sink: syslog (identity "dockerfs") or stderr with a time
 * stamp. debug also lets LOG_DEBUG through. */
void log_open(int use_syslog, int debug);

void log_msg(int prio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
