// SPDX-License-Identifier: GPL-2.0-or-later
// Benchmark (not a test): CPU the game's scanner spends per scan of a
// plain directory of N entries of the dockerfs shape, and the game
// thread's CPU to apply the listing to its table.
//
//   bench_dd_scan DIR N [SCANS]
//
// Makes N entries under DIR (which must not exist), then prints, per
// scan: the first (full) scan, and the mean of SCANS steady scans with
// nothing changed (what the game pays every scan). Built twice by
// `make game-bench`: against this tree, and with -DDD_BENCH_OLD against
// the scanner and table of main before the incremental scanner (full
// read of every name and image, a search per entry in the table apply).

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "dd_scan.h"
#include "dd_table.h"

static double cpu_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int make_tree(const char *dir, int n)
{
    char path[4096];
    FILE *f;
    int i;

    if (mkdir(dir, 0755) != 0)
    {
        fprintf(stderr, "bench_dd_scan: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (i = 0; i < n; ++i)
    {
        snprintf(path, sizeof(path), "%s/%012x", dir, 0x100000 + i);
        if (mkdir(path, 0755) != 0)
        {
            return -1;
        }
        snprintf(path, sizeof(path), "%s/%012x/name", dir, 0x100000 + i);
        f = fopen(path, "w");
        if (f == NULL)
        {
            return -1;
        }
        fprintf(f, "svc-%d\n", i);
        fclose(f);
        snprintf(path, sizeof(path), "%s/%012x/image", dir, 0x100000 + i);
        f = fopen(path, "w");
        if (f == NULL)
        {
            return -1;
        }
        fprintf(f, "image-%d:latest\n", i % 7);
        fclose(f);
    }
    return 0;
}

// One scan as the scanner thread makes it, then the apply the game
// thread makes of it. Adds each side's CPU to *scan and *apply.
#ifdef DD_BENCH_OLD
// Every scan reads both files of every entry.
static int bench_n;

static int last_reads(void)
{
    return 2 * bench_n;
}

static int one_scan(const char *dir, dd_table_t *table, double *scan,
                    double *apply)
{
    dd_snapshot_t snap;
    double t0 = cpu_ms();
    double t1;

    if (DD_ScanDir(dir, &snap) != 0)
    {
        return -1;
    }
    t1 = cpu_ms();
    DD_TableApply(table, &snap, NULL, NULL);
    DD_SnapshotFree(&snap);
    *scan += t1 - t0;
    *apply += cpu_ms() - t1;
    return 0;
}
#else
static dd_scanstate_t state;

static int last_reads(void)
{
    return state.reads;
}

static int one_scan(const char *dir, dd_table_t *table, double *scan,
                    double *apply)
{
    dd_snapshot_t snap;
    double t0 = cpu_ms();
    double t1;
    int changed;

    if (DD_ScanUpdate(dir, &state, DD_SCAN_REFRESH, &changed) != 0)
    {
        return -1;
    }
    // The thread publishes a copy only when something changed.
    if (changed && DD_SnapshotCopy(&snap, &state.known) != 0)
    {
        return -1;
    }
    t1 = cpu_ms();
    if (changed)
    {
        DD_TableApply(table, &snap, NULL, NULL);
        DD_SnapshotFree(&snap);
    }
    *scan += t1 - t0;
    *apply += cpu_ms() - t1;
    return 0;
}
#endif

int main(int argc, char **argv)
{
    dd_table_t table = { 0 };
    double scan = 0;
    double apply = 0;
    int n;
    int scans;
    int i;

    if (argc < 3)
    {
        fprintf(stderr, "usage: bench_dd_scan DIR N [SCANS]\n");
        return 2;
    }
    n = atoi(argv[2]);
#ifdef DD_BENCH_OLD
    bench_n = n;
#endif
    scans = argc > 3 ? atoi(argv[3]) : 10;
    if (n <= 0 || scans <= 0 || make_tree(argv[1], n) != 0)
    {
        return 1;
    }
    if (one_scan(argv[1], &table, &scan, &apply) != 0)
    {
        return 1;
    }
    printf("%s n=%d first scan: scanner %.1f ms cpu, game thread %.1f ms "
           "cpu\n", argv[0], n, scan, apply);
    scan = apply = 0;
    for (i = 0; i < scans; ++i)
    {
        if (one_scan(argv[1], &table, &scan, &apply) != 0)
        {
            return 1;
        }
    }
    printf("%s n=%d steady scan (mean of %d): scanner %.2f ms cpu, game "
           "thread %.2f ms cpu, files read %d\n", argv[0], n, scans,
           scan / scans, apply / scans, last_reads());
    DD_TableFree(&table);
    return 0;
}
