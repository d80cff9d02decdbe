//
// dockerdoom: container names drawn over their monsters in the 3D view.
//

#ifndef DD_LABEL_H
#define DD_LABEL_H

#include "p_mobj.h"

// Widest label in screen pixels (320 wide); longer names end in "..".
#define DD_LABEL_MAXWIDTH 150

// Draws name centred above mo, if mo is in front of the view. Must be
// called right after the view was rendered (uses the view globals).
void DD_LabelDraw(mobj_t *mo, const char *name);

#endif
