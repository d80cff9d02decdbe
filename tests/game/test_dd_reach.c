// SPDX-License-Identifier: GPL-2.0-or-later
//
// Unit tests: the walkable-space search on hand-made maps of rectangles
// (a sector in two pieces, locked and unlocked doors, a closet start,
// steps, drops, head room, secrets, teleports, walks).

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "dd_reach.h"

#define MAXRECTS 16
#define MAXLINES 128

typedef struct
{
    int32_t x1, y1, x2, y2;
    int sector;
} rect_t;

typedef struct
{
    rect_t rects[MAXRECTS];
    int numrects;
    dd_rsector_t sectors[MAXRECTS];
    int numsectors;
    dd_rline_t lines[MAXLINES];
    int numlines;
    dd_reach_t reach;
} map_t;

static int SectorAt(void *ctx, int32_t x, int32_t y)
{
    const map_t *m = ctx;
    int i;

    for (i = 0; i < m->numrects; ++i)
    {
        const rect_t *r = &m->rects[i];

        if (x >= r->x1 && x < r->x2 && y >= r->y1 && y < r->y2)
        {
            return r->sector;
        }
    }
    return -1;
}

static int AddSector(map_t *m, int32_t floor, int32_t ceiling,
                     unsigned flags)
{
    m->sectors[m->numsectors].floor = floor;
    m->sectors[m->numsectors].ceiling = ceiling;
    m->sectors[m->numsectors].flags = flags;
    return m->numsectors++;
}

static void AddLine(map_t *m, int32_t x1, int32_t y1, int32_t x2, int32_t y2,
                    int front, int back)
{
    dd_rline_t *l = &m->lines[m->numlines++];

    assert_true(m->numlines <= MAXLINES);
    memset(l, 0, sizeof(*l));
    l->x1 = x1;
    l->y1 = y1;
    l->x2 = x2;
    l->y2 = y2;
    l->front = front;
    l->back = back;
    l->flags = back < 0 ? DD_RL_BLOCK : 0;
}

// A rectangle of sector s walled in on every side, with its front inside
// (lines run clockwise).
static void AddRoom(map_t *m, int32_t x1, int32_t y1, int32_t x2, int32_t y2,
                    int s)
{
    rect_t *r = &m->rects[m->numrects++];

    r->x1 = x1;
    r->y1 = y1;
    r->x2 = x2;
    r->y2 = y2;
    r->sector = s;
    AddLine(m, x1, y1, x1, y2, s, -1);
    AddLine(m, x1, y2, x2, y2, s, -1);
    AddLine(m, x2, y2, x2, y1, s, -1);
    AddLine(m, x2, y1, x1, y1, s, -1);
}

// Cuts the span y1..y2 out of the walls on x == x and puts one two-sided
// line from sector west to sector east there.
static void Open(map_t *m, int32_t x, int32_t y1, int32_t y2, int west,
                 int east)
{
    int n = m->numlines;
    int i;

    for (i = 0; i < n; ++i)
    {
        dd_rline_t l = m->lines[i];
        int32_t lo = l.y1 < l.y2 ? l.y1 : l.y2;
        int32_t hi = l.y1 < l.y2 ? l.y2 : l.y1;
        int north = l.y2 > l.y1;

        if (l.x1 != x || l.x2 != x || l.back >= 0 || hi <= y1 || lo >= y2)
        {
            continue;
        }
        m->lines[i] = m->lines[--m->numlines];
        m->lines[m->numlines].flags = 0;
        --i;
        --n;
        // The pieces left keep the wall's direction and sector.
        if (lo < y1)
        {
            AddLine(m, x, north ? lo : y1, x, north ? y1 : lo, l.front, -1);
        }
        if (hi > y2)
        {
            AddLine(m, x, north ? y2 : hi, x, north ? hi : y2, l.front, -1);
        }
    }
    // Going north, the front is east.
    AddLine(m, x, y1, x, y2, east, west);
}

static void Build(map_t *m, int32_t minx, int32_t miny, int32_t maxx,
                  int32_t maxy)
{
    assert_int_equal(DD_ReachBuild(&m->reach, m->sectors, m->numsectors,
                                   m->lines, m->numlines, SectorAt, m, minx,
                                   miny, maxx, maxy, 32), 0);
}

static int32_t DistAt(map_t *m, int32_t x, int32_t y)
{
    int c = DD_ReachCell(&m->reach, x, y);

    assert_true(c >= 0);
    return m->reach.dist[c];
}

static int BackAt(map_t *m, int32_t x, int32_t y)
{
    return m->reach.back[DD_ReachCell(&m->reach, x, y)];
}

static int SpotAt(map_t *m, int32_t x, int32_t y)
{
    return DD_ReachIsSpot(&m->reach, DD_ReachCell(&m->reach, x, y));
}

// Two rooms west and east of a 16 unit thick door sector at x 256..272:
// no cell centre falls in the door, so the step from room to room crosses
// both of its lines.
static map_t *DoorMapFlags(int32_t doorfloor, int32_t doorceil,
                           unsigned doorflags, int32_t eastfloor,
                           unsigned westflags, unsigned eastflags)
{
    map_t *m = calloc(1, sizeof(*m));
    int w, d, e;

    assert_non_null(m);
    w = AddSector(m, 0, 128, westflags);
    d = AddSector(m, doorfloor, doorceil, doorflags);
    e = AddSector(m, eastfloor, eastfloor + 128, eastflags);
    AddRoom(m, 0, 0, 256, 256, w);
    AddRoom(m, 256, 64, 272, 192, d);
    AddRoom(m, 272, 0, 528, 256, e);
    Open(m, 256, 64, 192, w, d);
    Open(m, 272, 64, 192, d, e);
    Build(m, 0, 0, 528, 256);
    return m;
}

static map_t *DoorMap(int32_t doorfloor, int32_t doorceil, unsigned doorflags,
                      int32_t eastfloor)
{
    return DoorMapFlags(doorfloor, doorceil, doorflags, eastfloor, 0, 0);
}

static void FreeMap(map_t *m)
{
    DD_ReachFree(&m->reach);
    free(m);
}

static void test_open_doorway(void **state)
{
    map_t *m = DoorMap(0, 128, 0, 0);
    int32_t d;

    (void) state;
    assert_true(DD_ReachSearch(&m->reach, 64, 128) >= 0);
    d = DistAt(m, 464, 128);
    // A walk is never shorter than the straight line, nor much longer
    // here where the line is open.
    assert_true(d >= 400);
    assert_true(d <= 400 * 12 / 10);
    assert_true(BackAt(m, 464, 128));
    assert_true(SpotAt(m, 464, 128));
    FreeMap(m);
}

static void test_key_door_is_a_wall(void **state)
{
    map_t *m = DoorMap(0, 128, DD_RS_LOCKED, 0);

    (void) state;
    assert_true(DD_ReachSearch(&m->reach, 64, 128) >= 0);
    assert_true(DistAt(m, 128, 128) >= 0);
    assert_int_equal(DistAt(m, 464, 128), -1);
    assert_false(SpotAt(m, 464, 128));
    FreeMap(m);
}

static void test_closed_door_opens(void **state)
{
    // A closed door (no head room) anyone can open is a way through; the
    // same closed sector that is no door is a wall.
    map_t *m = DoorMap(0, 0, DD_RS_MOVER, 0);

    (void) state;
    assert_true(DD_ReachSearch(&m->reach, 64, 128) >= 0);
    assert_true(DistAt(m, 464, 128) > 0);
    FreeMap(m);

    m = DoorMap(0, 0, 0, 0);
    assert_true(DD_ReachSearch(&m->reach, 64, 128) >= 0);
    assert_int_equal(DistAt(m, 464, 128), -1);
    FreeMap(m);
}

static void test_steps_and_drops(void **state)
{
    map_t *m;

    (void) state;
    // Up 24: walked both ways.
    m = DoorMap(0, 128, 0, 24);
    DD_ReachSearch(&m->reach, 64, 128);
    assert_true(DistAt(m, 464, 128) > 0);
    assert_true(BackAt(m, 464, 128));
    FreeMap(m);

    // Up 32: out of reach.
    m = DoorMap(0, 128, 0, 32);
    DD_ReachSearch(&m->reach, 64, 128);
    assert_int_equal(DistAt(m, 464, 128), -1);
    FreeMap(m);

    // Down 64 (door floor at -64 too): reached, but no way back up.
    m = DoorMap(-64, 64, 0, -64);
    DD_ReachSearch(&m->reach, 64, 128);
    assert_true(DistAt(m, 464, 128) > 0);
    assert_false(BackAt(m, 464, 128));
    assert_true(BackAt(m, 128, 128));
    FreeMap(m);

    // A lift (a mover) climbs any height, both ways.
    m = DoorMap(-64, 64, DD_RS_MOVER, -64);
    DD_ReachSearch(&m->reach, 64, 128);
    assert_true(BackAt(m, 464, 128));
    FreeMap(m);
}

static void test_head_room(void **state)
{
    map_t *m = DoorMap(0, DD_REACH_HEIGHT - 8, 0, 0);

    (void) state;
    DD_ReachSearch(&m->reach, 64, 128);
    assert_int_equal(DistAt(m, 464, 128), -1);
    FreeMap(m);

    m = DoorMap(0, DD_REACH_HEIGHT, 0, 0);
    DD_ReachSearch(&m->reach, 64, 128);
    assert_true(DistAt(m, 464, 128) > 0);
    FreeMap(m);
}

static void test_sector_in_two_pieces(void **state)
{
    // One sector, two rooms 768 units apart with nothing between: only
    // the piece the player stands in is reachable.
    map_t *m = calloc(1, sizeof(*m));
    int s;

    (void) state;
    assert_non_null(m);
    s = AddSector(m, 0, 128, 0);
    AddRoom(m, 0, 0, 256, 256, s);
    AddRoom(m, 1024, 0, 1280, 256, s);
    Build(m, 0, 0, 1280, 256);
    assert_true(DD_ReachSearch(&m->reach, 1100, 100) >= 0);
    assert_true(DistAt(m, 1200, 200) >= 0);
    assert_int_equal(DistAt(m, 128, 128), -1);
    assert_false(SpotAt(m, 128, 128));
    DD_ReachSearch(&m->reach, 100, 100);
    assert_true(DistAt(m, 128, 128) >= 0);
    assert_int_equal(DistAt(m, 1200, 200), -1);
    FreeMap(m);
}

static void test_closet_start(void **state)
{
    // The player starts in a 64 unit closet shut by a door a switch
    // opens (a mover with no head room yet): the room outside is
    // reachable, and the closet and door are no spots.
    map_t *m = calloc(1, sizeof(*m));
    int room, closet, door;

    (void) state;
    assert_non_null(m);
    room = AddSector(m, 0, 128, 0);
    closet = AddSector(m, 0, 72, 0);
    door = AddSector(m, 0, 0, DD_RS_MOVER);
    AddRoom(m, 0, 0, 64, 64, closet);
    AddRoom(m, 64, 0, 80, 64, door);
    AddRoom(m, 80, -256, 592, 320, room);
    Open(m, 64, 0, 64, closet, door);
    Open(m, 80, 0, 64, door, room);
    Build(m, 0, -256, 592, 320);
    assert_true(DD_ReachSearch(&m->reach, 32, 32) >= 0);
    assert_true(DistAt(m, 400, 200) > 0);
    assert_true(SpotAt(m, 400, 200));
    assert_true(BackAt(m, 400, 200));
    assert_true(SpotAt(m, 32, 32));
    FreeMap(m);
}

static void test_secret_and_hurt(void **state)
{
    map_t *m;

    (void) state;
    // A secret room is never entered...
    m = DoorMap(0, 128, DD_RS_SECRET, 0);
    DD_ReachSearch(&m->reach, 64, 128);
    assert_int_equal(DistAt(m, 464, 128), -1);
    FreeMap(m);
    // ...but a search that starts in one walks out of it.
    m = DoorMapFlags(0, 128, 0, 0, DD_RS_SECRET, 0);
    DD_ReachSearch(&m->reach, 64, 128);
    assert_true(DistAt(m, 464, 128) > 0);
    assert_false(SpotAt(m, 128, 128));
    FreeMap(m);
    // A damaging floor is walked through, and no spot.
    m = DoorMapFlags(0, 128, 0, 0, 0, DD_RS_HURT);
    DD_ReachSearch(&m->reach, 64, 128);
    assert_true(DistAt(m, 464, 128) > 0);
    assert_false(SpotAt(m, 464, 128));
    FreeMap(m);
}

static void test_teleport(void **state)
{
    // A teleport line across the west room leads into a closed room.
    map_t *m = calloc(1, sizeof(*m));
    int w, e;
    dd_rline_t *t;

    (void) state;
    assert_non_null(m);
    w = AddSector(m, 0, 128, 0);
    e = AddSector(m, 0, 128, 0);
    AddRoom(m, 0, 0, 256, 256, w);
    AddRoom(m, 512, 0, 768, 256, e);
    // Across the room at x == 128, front (east side) towards the player
    // walking from the east half: v1 at the bottom, going north.
    AddLine(m, 128, 0, 128, 256, w, w);
    t = &m->lines[m->numlines - 1];
    t->flags = DD_RL_TELEPORT;
    t->tx = 640;
    t->ty = 128;
    Build(m, 0, 0, 768, 256);
    assert_true(m->reach.numarcs > 0);
    DD_ReachSearch(&m->reach, 200, 128);
    assert_true(DistAt(m, 700, 200) > 0);
    assert_false(BackAt(m, 700, 200));
    // From the back side the line is walked through; stepping back over
    // it from the front teleports, so the west half is out of reach.
    assert_true(DistAt(m, 32, 128) < 0);
    DD_ReachSearch(&m->reach, 32, 128);
    assert_true(DistAt(m, 200, 128) > 0);
    assert_true(DistAt(m, 700, 200) > 0);
    assert_false(BackAt(m, 200, 128));
    FreeMap(m);
}

static void test_path(void **state)
{
    map_t *m = DoorMap(0, 0, DD_RS_MOVER, 0);
    int path[256];
    int c = 0;
    int len;
    int i;
    int d;

    (void) state;
    c = DD_ReachCell(&m->reach, 464, 128);
    assert_int_equal(DD_ReachPath(&m->reach, c, path, 256), 0);
    DD_ReachSearch(&m->reach, 64, 128);
    len = DD_ReachPath(&m->reach, c, path, 256);
    assert_true(len > 10);
    assert_int_equal(path[0], m->reach.start);
    assert_int_equal(path[len - 1], c);
    for (i = 1; i < len; ++i)
    {
        int next = 0;

        for (d = 0; d < 8; ++d)
        {
            next |= DD_ReachNeighbour(&m->reach, path[i - 1], d) == path[i];
        }
        assert_true(next);
        assert_true(m->reach.dist[path[i]] > m->reach.dist[path[i - 1]]);
    }
    // A short buffer keeps the walk's first cells.
    assert_int_equal(DD_ReachPath(&m->reach, c, path, 3), 3);
    assert_int_equal(path[0], m->reach.start);
    FreeMap(m);
}

static void test_no_start(void **state)
{
    map_t *m = DoorMap(0, 128, 0, 0);
    dd_reach_t r;

    (void) state;
    // Outside every room: nothing is reachable.
    assert_int_equal(DD_ReachSearch(&m->reach, 400, 1000), -1);
    assert_int_equal(DistAt(m, 64, 128), -1);
    FreeMap(m);
    // A bad box is refused, and freeing the result is safe.
    assert_int_equal(DD_ReachBuild(&r, NULL, 0, NULL, 0, SectorAt, NULL, 0,
                                   0, 10, 10, 32), EINVAL);
    DD_ReachFree(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_doorway),
        cmocka_unit_test(test_key_door_is_a_wall),
        cmocka_unit_test(test_closed_door_opens),
        cmocka_unit_test(test_steps_and_drops),
        cmocka_unit_test(test_head_room),
        cmocka_unit_test(test_sector_in_two_pieces),
        cmocka_unit_test(test_closet_start),
        cmocka_unit_test(test_secret_and_hurt),
        cmocka_unit_test(test_teleport),
        cmocka_unit_test(test_path),
        cmocka_unit_test(test_no_start),
    };

    return cmocka_run_group_tests_name("game_reach", tests, NULL, NULL);
}
