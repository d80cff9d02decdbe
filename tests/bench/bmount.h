/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bmount.h - what a client of the mount sees of one container directory,
 * asked the two ways clients ask: lookup (stat) and listing (readdir);
 * and a kill, written as a person writes it.
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef DDBENCH_BMOUNT_H
#define DDBENCH_BMOUNT_H

/* Does stat(mnt/name) succeed? */
int bmount_stat(const char *mnt, const char *name);

/* Is name in the listing of mnt? A listing that fails counts as absent. */
int bmount_listed(const char *mnt, const char *name);

/* Number of entries of mnt (dot entries excluded), or -1. */
long bmount_count(const char *mnt);

/* Lists mnt and reads <entry>/name and <entry>/image of every entry, as the
 * game's scanner does. Returns the number of entries read, or -1. */
long bmount_scan(const char *mnt);

/* The same with two other files of every entry (name and namespace of
 * pods). */
long bmount_scan2(const char *mnt, const char *f1, const char *f2);

/* Reads <entry>/name of every entry (not timed), then <name>/image of
 * every one of those names, through the name links at the root: the path
 * a person takes (cat /dockerfs/web/image). *ms gets the time of the
 * second part. Returns the number of images read, or -1. */
long bmount_names(const char *mnt, double *ms);

/* Writes "1" to mnt/name/kill, as a person's echo 1 > kill does (open,
 * write, close). Returns 0 or the errno of the step that failed. */
int bmount_kill(const char *mnt, const char *name);

struct bmount_seen {
    double stat_ms;     /* first time stat agreed, -1 if never */
    double list_ms;     /* first time readdir agreed, -1 if never */
};

/* Polls every period_us until both stat and readdir say name is present
 * (want 1) or absent (want 0), or timeout_ms pass. Times are counted from
 * the stamp since_ns (bclock_ns). stat is polled alone until it agrees,
 * so a slow readdir of a big listing does not delay its figure; readdir
 * is polled from then on. Returns 0 when both agreed in time. */
int bmount_wait(const char *mnt, const char *name, int want, long long since_ns,
                long period_us, long timeout_ms, struct bmount_seen *seen);

#endif
