//
// dockerdoom: where container monsters may appear. At level start the
// sectors the player can walk to from the start are found by a flood fill
// over two-sided lines (steps, head room, unlocked doors; no secrets), and a
// grid of candidate spots inside them is sorted by distance from the start.
//

#ifndef DD_PLACE_H
#define DD_PLACE_H

#include "doomtype.h"
#include "info.h"
#include "m_fixed.h"

// Computes the candidate spots for the level just set up.
void DD_PlaceLevelStart(void);

// Finds a free spot for a monster of this type, trying at most *budget
// candidates (decremented per try). Returns true and the spot, or false
// when the budget ran out or every candidate is taken right now.
boolean DD_PlaceFind(mobjtype_t type, fixed_t *x, fixed_t *y, int *budget);

// True when a monster of this type fits at x,y right now.
boolean DD_PlaceFits(mobjtype_t type, fixed_t x, fixed_t y);

// Number of candidate spots on this level (for the log).
int DD_PlaceCount(void);

#endif
