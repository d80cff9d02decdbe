// SPDX-License-Identifier: GPL-2.0-or-later
//
// sweep_check: checks the walks a map sweep logged against the IWAD's own
// maps. For each map (the "dockerdoom: path" lines before its
// "dockerdoom: sweep map=" line) no walk may cross a locked door, enter a
// sector a key opens, or end a teleport inside one. Locked doors are read
// from the WAD here, not taken from the game: linedef specials 26-28 and
// 32-34 (their back sector), and sectors tagged by the key switches 99 and
// 133-137.
//
// Usage: sweep_check IWAD < game.log
// Prints one "MAP walks=N bad=M" line per map and a "# ..." line per bad
// walk; exits 1 when a walk is bad or the input is unusable.

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
    char name[9];
    int32_t pos;
    int32_t size;
} lump_t;

typedef struct
{
    int x1, y1, x2, y2;
    int front, back;            // sector indices, -1 for none
    int locked;                 // the line bounds or is a locked door
} wall_t;

typedef struct
{
    wall_t *walls;
    int numwalls;
    unsigned char *locked;      // per sector: a key opens it
    int numsectors;
} level_t;

static FILE *wad;
static lump_t *lumps;
static int numlumps;

static int16_t Get16(const unsigned char *p)
{
    return (int16_t) (p[0] | (p[1] << 8));
}

static int32_t Get32(const unsigned char *p)
{
    return (int32_t) ((uint32_t) p[0] | ((uint32_t) p[1] << 8)
                      | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24));
}

static int OpenWad(const char *path)
{
    unsigned char head[12];
    unsigned char *dir;
    int i;

    wad = fopen(path, "rb");
    if (wad == NULL || fread(head, 1, 12, wad) != 12
     || memcmp(head + 1, "WAD", 3) != 0)
    {
        fprintf(stderr, "sweep_check: %s: not a WAD\n", path);
        return -1;
    }
    numlumps = Get32(head + 4);
    dir = malloc((size_t) numlumps * 16);
    lumps = calloc(numlumps, sizeof(*lumps));
    if (dir == NULL || lumps == NULL || numlumps <= 0
     || fseek(wad, Get32(head + 8), SEEK_SET) != 0
     || fread(dir, 16, numlumps, wad) != (size_t) numlumps)
    {
        fprintf(stderr, "sweep_check: %s: bad directory\n", path);
        free(dir);
        return -1;
    }
    for (i = 0; i < numlumps; ++i)
    {
        lumps[i].pos = Get32(dir + 16 * i);
        lumps[i].size = Get32(dir + 16 * i + 4);
        memcpy(lumps[i].name, dir + 16 * i + 8, 8);
        lumps[i].name[8] = '\0';
    }
    free(dir);
    return 0;
}

// Lump `what` of map `map`, read whole; NULL when missing.
static unsigned char *MapLump(const char *map, const char *what, int *size)
{
    int i;
    int k;

    for (i = 0; i < numlumps; ++i)
    {
        if (strcmp(lumps[i].name, map) != 0)
        {
            continue;
        }
        for (k = i + 1; k < numlumps && k <= i + 11; ++k)
        {
            unsigned char *data;

            if (strcmp(lumps[k].name, what) != 0)
            {
                continue;
            }
            data = malloc(lumps[k].size > 0 ? lumps[k].size : 1);
            if (data == NULL || fseek(wad, lumps[k].pos, SEEK_SET) != 0
             || fread(data, 1, lumps[k].size, wad) != (size_t) lumps[k].size)
            {
                free(data);
                return NULL;
            }
            *size = lumps[k].size;
            return data;
        }
    }
    return NULL;
}

static int IsKeyDoor(int special)
{
    return (special >= 26 && special <= 28) || (special >= 32 && special <= 34);
}

static int IsKeySwitch(int special)
{
    return special == 99 || (special >= 133 && special <= 137);
}

// The map's walls with locked ones marked; returns 0 or -1.
static int LoadLevel(const char *map, level_t *out)
{
    unsigned char *ld, *sd, *vx, *se;
    int nld = 0, nsd = 0, nvx = 0, nse = 0;
    unsigned char *locked;
    wall_t *walls;
    int count;
    int i;

    ld = MapLump(map, "LINEDEFS", &nld);
    sd = MapLump(map, "SIDEDEFS", &nsd);
    vx = MapLump(map, "VERTEXES", &nvx);
    se = MapLump(map, "SECTORS", &nse);
    if (ld == NULL || sd == NULL || vx == NULL || se == NULL)
    {
        free(ld); free(sd); free(vx); free(se);
        return -1;
    }
    nld /= 14;
    nsd /= 30;
    nvx /= 4;
    nse /= 26;
    locked = calloc(nse > 0 ? nse : 1, 1);
    walls = calloc(nld > 0 ? nld : 1, sizeof(*walls));
    if (locked == NULL || walls == NULL)
    {
        free(ld); free(sd); free(vx); free(se); free(locked); free(walls);
        return -1;
    }
    // Which sectors a key opens.
    for (i = 0; i < nld; ++i)
    {
        const unsigned char *l = ld + 14 * i;
        int special = Get16(l + 6);
        int tag = Get16(l + 8);
        int left = (uint16_t) Get16(l + 12);
        int s;

        if (IsKeyDoor(special) && left != 0xffff && left < nsd)
        {
            s = Get16(sd + 30 * left + 28);
            if (s >= 0 && s < nse)
            {
                locked[s] = 1;
            }
        }
        if (IsKeySwitch(special) && tag != 0)
        {
            for (s = 0; s < nse; ++s)
            {
                if (Get16(se + 26 * s + 24) == tag)
                {
                    locked[s] = 1;
                }
            }
        }
    }
    count = 0;
    for (i = 0; i < nld; ++i)
    {
        const unsigned char *l = ld + 14 * i;
        int v1 = (uint16_t) Get16(l);
        int v2 = (uint16_t) Get16(l + 2);
        int right = (uint16_t) Get16(l + 10);
        int left = (uint16_t) Get16(l + 12);
        wall_t *w;

        if (v1 >= nvx || v2 >= nvx)
        {
            continue;
        }
        w = &walls[count++];
        w->x1 = Get16(vx + 4 * v1);
        w->y1 = Get16(vx + 4 * v1 + 2);
        w->x2 = Get16(vx + 4 * v2);
        w->y2 = Get16(vx + 4 * v2 + 2);
        w->locked = IsKeyDoor(Get16(l + 6));
        w->front = right != 0xffff && right < nsd
                 ? Get16(sd + 30 * right + 28) : -1;
        w->back = left != 0xffff && left < nsd
                ? Get16(sd + 30 * left + 28) : -1;
        if (w->front >= nse) w->front = -1;
        if (w->back >= nse) w->back = -1;
        w->locked |= (w->front >= 0 && locked[w->front])
                  || (w->back >= 0 && locked[w->back]);
    }
    free(ld); free(sd); free(vx); free(se);
    out->walls = walls;
    out->numwalls = count;
    out->locked = locked;
    out->numsectors = nse;
    return 0;
}

static int64_t Orient(int64_t ax, int64_t ay, int64_t bx, int64_t by,
                      int64_t px, int64_t py)
{
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
}

// True when segments a-b and c-d meet (touching counts).
static int Meet(int ax, int ay, int bx, int by, const wall_t *w)
{
    int64_t o1 = Orient(w->x1, w->y1, w->x2, w->y2, ax, ay);
    int64_t o2 = Orient(w->x1, w->y1, w->x2, w->y2, bx, by);
    int64_t o3 = Orient(ax, ay, bx, by, w->x1, w->y1);
    int64_t o4 = Orient(ax, ay, bx, by, w->x2, w->y2);

    if ((o1 < 0 && o2 < 0) || (o1 > 0 && o2 > 0)
     || (o3 < 0 && o4 < 0) || (o3 > 0 && o4 > 0))
    {
        return 0;
    }
    if (o1 == 0 && o2 == 0)
    {
        // Collinear: meet only when the extents overlap.
        int minx = w->x1 < w->x2 ? w->x1 : w->x2;
        int maxx = w->x1 > w->x2 ? w->x1 : w->x2;
        int miny = w->y1 < w->y2 ? w->y1 : w->y2;
        int maxy = w->y1 > w->y2 ? w->y1 : w->y2;

        return !((ax < minx && bx < minx) || (ax > maxx && bx > maxx)
              || (ay < miny && by < miny) || (ay > maxy && by > maxy));
    }
    return 1;
}

// True when x,y lies inside a sector a key opens (even-odd over the
// lines with that sector on one side only).
static int InLocked(const level_t *lv, int x, int y)
{
    int s;
    int i;

    for (s = 0; s < lv->numsectors; ++s)
    {
        int inside = 0;

        if (!lv->locked[s])
        {
            continue;
        }
        for (i = 0; i < lv->numwalls; ++i)
        {
            const wall_t *w = &lv->walls[i];

            if ((w->front == s) != (w->back == s)
             && (w->y1 > y) != (w->y2 > y))
            {
                int64_t cross = w->x1 + (int64_t) (w->x2 - w->x1)
                                        * (y - w->y1) / (w->y2 - w->y1);

                if (x < cross)
                {
                    inside = !inside;
                }
            }
        }
        if (inside)
        {
            return 1;
        }
    }
    return 0;
}

// Checks one path line; returns 1 when it is bad (and says why).
static int CheckPath(const char *map, char *text, const level_t *lv)
{
    const wall_t *walls = lv->walls;
    int n = lv->numwalls;
    int px = 0, py = 0;
    int have = 0;
    int jump = 0;
    char *tok;
    char *save = NULL;

    for (tok = strtok_r(text, " \n", &save); tok != NULL;
         tok = strtok_r(NULL, " \n", &save))
    {
        int x, y, i;

        if (strcmp(tok, "|") == 0)
        {
            jump = 1;
            continue;
        }
        if (sscanf(tok, "%d,%d", &x, &y) != 2)
        {
            printf("# %s: unreadable walk point %s\n", map, tok);
            return 1;
        }
        if (jump && InLocked(lv, x, y))
        {
            printf("# %s: a teleport ends behind a locked door at %d,%d\n",
                   map, x, y);
            return 1;
        }
        if (have && !jump)
        {
            for (i = 0; i < n; ++i)
            {
                if (walls[i].locked && Meet(px, py, x, y, &walls[i]))
                {
                    printf("# %s: the walk %d,%d -> %d,%d crosses locked "
                           "line %d,%d-%d,%d\n", map, px, py, x, y,
                           walls[i].x1, walls[i].y1, walls[i].x2,
                           walls[i].y2);
                    return 1;
                }
            }
        }
        px = x;
        py = y;
        have = 1;
        jump = 0;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char **paths = NULL;
    int numpaths = 0;
    int cappaths = 0;
    char *line = NULL;
    size_t cap = 0;
    int failed = 0;
    int maps = 0;

    if (argc != 2)
    {
        fprintf(stderr, "usage: sweep_check IWAD < game.log\n");
        return 2;
    }
    if (OpenWad(argv[1]) != 0)
    {
        return 1;
    }
    while (getline(&line, &cap, stdin) >= 0)
    {
        char map[16];
        level_t lv = { NULL, 0, NULL, 0 };
        int loaded;
        int bad = 0;
        int i;

        if (strncmp(line, "dockerdoom: path ", 17) == 0)
        {
            if (numpaths == cappaths)
            {
                cappaths = cappaths ? cappaths * 2 : 64;
                paths = realloc(paths, cappaths * sizeof(*paths));
                if (paths == NULL)
                {
                    perror("sweep_check");
                    return 1;
                }
            }
            paths[numpaths] = strdup(line + 17);
            if (paths[numpaths++] == NULL)
            {
                perror("sweep_check");
                return 1;
            }
            continue;
        }
        if (sscanf(line, "dockerdoom: sweep map=%15s", map) != 1)
        {
            continue;
        }
        loaded = LoadLevel(map, &lv) == 0;
        if (!loaded)
        {
            printf("# %s: map not found in the WAD\n", map);
            failed = 1;
        }
        for (i = 0; i < numpaths; ++i)
        {
            if (loaded)
            {
                bad += CheckPath(map, paths[i], &lv);
            }
            free(paths[i]);
        }
        printf("%s walks=%d bad=%d\n", map, numpaths, bad);
        failed |= bad != 0;
        numpaths = 0;
        free(lv.walls);
        free(lv.locked);
        ++maps;
    }
    free(line);
    free(paths);
    if (maps == 0)
    {
        fprintf(stderr, "sweep_check: no sweep lines in the input\n");
        return 1;
    }
    return failed;
}
