//
// dockerdoom: spawn placement by reachability.
//

#include <stdlib.h>
#include <string.h>

#include "doomdef.h"
#include "doomstat.h"
#include "p_local.h"
#include "p_spec.h"
#include "r_state.h"
#include "z_zone.h"

#include "dd_place.h"

#define DD_GRID        (40 * FRACUNIT)
#define DD_MAXSTEP     (24 * FRACUNIT)
#define DD_PLAYERROOM  (56 * FRACUNIT)
#define DD_MINSTART    (128 * FRACUNIT)

#define DD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define DD_MAX(a, b) ((a) > (b) ? (a) : (b))

typedef struct
{
    fixed_t x;
    fixed_t y;
    int64_t dist2;
} dd_spot_t;

static dd_spot_t *dd_spots;
static int dd_numspots;
static int dd_cursor;

// True for the unlocked doors a player opens by pressing use on them.
static boolean DD_IsManualDoor(const line_t *line)
{
    return (line->special == 1 || line->special == 31
         || line->special == 117 || line->special == 118)
        && !(line->flags & ML_SECRET);
}

// True for sectors a monster must not be put in: secrets, damaging
// floors (the player would get hurt reaching it).
static boolean DD_IsBadSector(const sector_t *sec)
{
    switch (sec->special)
    {
        case 4: case 5: case 7: case 9: case 11: case 16:
            return true;
        default:
            return false;
    }
}

// The ceiling the player meets in sec: a door's ceiling once opened.
static fixed_t DD_OpenCeiling(sector_t *sec, const byte *isdoor)
{
    if (isdoor[sec - sectors])
    {
        return P_FindLowestCeilingSurrounding(sec) - 4 * FRACUNIT;
    }
    return sec->ceilingheight;
}

// Marks in reach[] the sectors walkable from start.
static void DD_FloodSectors(sector_t *start, byte *reach, const byte *isdoor)
{
    int *queue = Z_Malloc(numsectors * sizeof(*queue), PU_STATIC, NULL);
    int head = 0;
    int tail = 0;
    int i;

    reach[start - sectors] = 1;
    queue[tail++] = start - sectors;
    while (head < tail)
    {
        sector_t *sec = &sectors[queue[head++]];

        for (i = 0; i < sec->linecount; ++i)
        {
            line_t *line = sec->lines[i];
            sector_t *other;
            fixed_t top;
            fixed_t bottom;

            if (line->backsector == NULL || (line->flags & ML_BLOCKING))
            {
                continue;
            }
            other = line->frontsector == sec ? line->backsector
                                             : line->frontsector;
            if (reach[other - sectors] || other->special == 9)
            {
                continue;
            }
            if (other->floorheight - sec->floorheight > DD_MAXSTEP)
            {
                continue;
            }
            top = DD_MIN(DD_OpenCeiling(sec, isdoor),
                      DD_OpenCeiling(other, isdoor));
            bottom = DD_MAX(sec->floorheight, other->floorheight);
            if (top - bottom < DD_PLAYERROOM)
            {
                continue;
            }
            reach[other - sectors] = 1;
            queue[tail++] = other - sectors;
        }
    }
    Z_Free(queue);
}

// Even-odd test: true when x,y lies inside sec's outline. The BSP alone
// would also answer for points out in the void next to a sector.
static boolean DD_InSector(const sector_t *sec, fixed_t x, fixed_t y)
{
    boolean inside = false;
    int i;

    for (i = 0; i < sec->linecount; ++i)
    {
        const line_t *line = sec->lines[i];
        int64_t x1 = line->v1->x;
        int64_t y1 = line->v1->y;
        int64_t x2 = line->v2->x;
        int64_t y2 = line->v2->y;

        if (line->frontsector == line->backsector)
        {
            continue;
        }
        if ((y1 > y) != (y2 > y))
        {
            int64_t cross = x1 + (x2 - x1) * (y - y1) / (y2 - y1);

            if (x < cross)
            {
                inside = !inside;
            }
        }
    }
    return inside;
}

static int DD_CompareSpots(const void *a, const void *b)
{
    int64_t da = ((const dd_spot_t *) a)->dist2;
    int64_t db = ((const dd_spot_t *) b)->dist2;

    return da < db ? -1 : da > db;
}

void DD_PlaceLevelStart(void)
{
    mobj_t *start = players[consoleplayer].mo;
    byte *reach;
    byte *isdoor;
    fixed_t minx = INT_MAX, miny = INT_MAX, maxx = INT_MIN, maxy = INT_MIN;
    fixed_t x, y;
    int capacity;
    int i;

    dd_numspots = 0;
    dd_cursor = 0;
    dd_spots = NULL;
    if (start == NULL || numsectors == 0)
    {
        return;
    }

    reach = Z_Malloc(numsectors, PU_STATIC, NULL);
    isdoor = Z_Malloc(numsectors, PU_STATIC, NULL);
    memset(reach, 0, numsectors);
    memset(isdoor, 0, numsectors);
    for (i = 0; i < numlines; ++i)
    {
        if (DD_IsManualDoor(&lines[i]) && lines[i].backsector != NULL)
        {
            isdoor[lines[i].backsector - sectors] = 1;
        }
    }
    DD_FloodSectors(start->subsector->sector, reach, isdoor);

    for (i = 0; i < numvertexes; ++i)
    {
        minx = DD_MIN(minx, vertexes[i].x);
        miny = DD_MIN(miny, vertexes[i].y);
        maxx = DD_MAX(maxx, vertexes[i].x);
        maxy = DD_MAX(maxy, vertexes[i].y);
    }

    // The spot list lives as long as the level; PU_LEVEL frees it with
    // the level's other data.
    capacity = (int) ((int64_t) ((maxx - minx) / DD_GRID + 1)
                      * ((maxy - miny) / DD_GRID + 1));
    dd_spots = Z_Malloc(capacity * sizeof(*dd_spots), PU_LEVEL, NULL);
    for (y = miny + DD_GRID / 2; y < maxy; y += DD_GRID)
    {
        for (x = minx + DD_GRID / 2; x < maxx; x += DD_GRID)
        {
            sector_t *sec = R_PointInSubsector(x, y)->sector;
            int64_t dx = (x - start->x) >> FRACBITS;
            int64_t dy = (y - start->y) >> FRACBITS;
            dd_spot_t *spot;

            if (!reach[sec - sectors] || isdoor[sec - sectors]
             || DD_IsBadSector(sec)
             || sec->ceilingheight - sec->floorheight < 64 * FRACUNIT
             || !DD_InSector(sec, x, y)
             || dx * dx + dy * dy < (DD_MINSTART >> FRACBITS)
                                    * (DD_MINSTART >> FRACBITS)
             || dd_numspots >= capacity)
            {
                continue;
            }
            spot = &dd_spots[dd_numspots++];
            spot->x = x;
            spot->y = y;
            spot->dist2 = dx * dx + dy * dy;
        }
    }
    qsort(dd_spots, dd_numspots, sizeof(*dd_spots), DD_CompareSpots);
    Z_Free(reach);
    Z_Free(isdoor);
}

boolean DD_PlaceFits(mobjtype_t type, fixed_t x, fixed_t y)
{
    // A probe thing with the monster's size and flags: P_CheckPosition
    // then tests walls, ledges and every other thing exactly as it would
    // for the monster, without a spawn and removal per try.
    mobj_t probe;

    memset(&probe, 0, sizeof(probe));
    probe.type = type;
    probe.info = &mobjinfo[type];
    probe.radius = mobjinfo[type].radius;
    probe.height = mobjinfo[type].height;
    probe.flags = mobjinfo[type].flags;
    if (!P_CheckPosition(&probe, x, y))
    {
        return false;
    }
    return tmceilingz - tmfloorz >= probe.height;
}

boolean DD_PlaceFind(mobjtype_t type, fixed_t *x, fixed_t *y, int *budget)
{
    int tried = 0;

    while (*budget > 0 && tried < dd_numspots)
    {
        dd_spot_t *spot = &dd_spots[dd_cursor];

        dd_cursor = (dd_cursor + 1) % dd_numspots;
        --*budget;
        ++tried;
        if (DD_PlaceFits(type, spot->x, spot->y))
        {
            *x = spot->x;
            *y = spot->y;
            return true;
        }
    }
    return false;
}

int DD_PlaceCount(void)
{
    return dd_numspots;
}
