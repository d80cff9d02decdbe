/* SPDX-License-Identifier: GPL-2.0-or-later */
/* skipped.h - containers the mount leaves out because the engine's record
 * of them cannot be read (over 1 MiB, not JSON): said once each.
 *
 *   dockerfs: warning: left out container 4eeff8a1b2c3: its record is
 *   over 1 MiB (said once per container)
 */
#ifndef DOCKERFS_SKIPPED_H
#define DOCKERFS_SKIPPED_H

/* Logs that container id (64 hex digits; a pod's 32, "pod" then; or ""
 * when its record names none) is left out, and why: a warning the first time for an id, at
 * debug level after that, so the re-list every --resync seconds and each
 * event about it do not repeat it. why is escaped before it is logged.
 * Safe from any thread. The signature is a list_skip_fn (arg unused). */
void skipped_log(void *arg, const char *id, const char *why);

#endif
