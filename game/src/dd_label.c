//
// dockerdoom: name labels.
//

#include <ctype.h>

#include "doomdef.h"
#include "hu_stuff.h"
#include "i_swap.h"
#include "r_main.h"
#include "r_state.h"
#include "v_video.h"

#include "dd_label.h"
#include "dd_text.h"

// Labels of far monsters would only clutter the view.
#define DD_LABEL_MAXDIST (1536 * FRACUNIT)
#define DD_LABEL_MINDIST (16 * FRACUNIT)

// The font patch for c, or NULL for a space or a character the HUD font
// lacks (drawn as a gap).
static patch_t *DD_Glyph(char c)
{
    int up = toupper((unsigned char) c);

    if (up < HU_FONTSTART || up > HU_FONTEND)
    {
        return NULL;
    }
    return hu_font[up - HU_FONTSTART];
}

static int DD_GlyphWidth(char c, void *ctx)
{
    patch_t *patch = DD_Glyph(c);

    (void) ctx;
    return patch != NULL ? SHORT(patch->width) : 4;
}

void DD_LabelDraw(mobj_t *mo, const char *name)
{
    char text[64];
    fixed_t trx = mo->x - viewx;
    fixed_t try = mo->y - viewy;
    fixed_t depth;
    fixed_t side;
    fixed_t scale;
    int width;
    int x;
    int y;
    int i;

    // The same transform R_ProjectSprite uses, for the top of the thing.
    depth = FixedMul(trx, viewcos) + FixedMul(try, viewsin);
    if (depth < DD_LABEL_MINDIST || depth > DD_LABEL_MAXDIST)
    {
        return;
    }
    side = FixedMul(trx, viewsin) - FixedMul(try, viewcos);
    scale = FixedDiv(projection, depth);
    x = (centerxfrac + FixedMul(side, scale)) >> FRACBITS;
    x = viewwindowx + x * (1 << detailshift);
    y = viewwindowy
      + ((centeryfrac - FixedMul(mo->z + mo->height - viewz, scale))
         >> FRACBITS) - 10;

    width = DD_FitLabel(text, sizeof(text), name, DD_LABEL_MAXWIDTH,
                        DD_GlyphWidth, NULL);
    x -= width / 2;
    for (i = 0; text[i] != '\0'; ++i)
    {
        patch_t *patch = DD_Glyph(text[i]);
        int left;
        int top;

        if (patch == NULL)
        {
            x += 4;
            continue;
        }
        // Only glyphs wholly inside the view: V_DrawPatch does not clip.
        left = x - SHORT(patch->leftoffset);
        top = y - SHORT(patch->topoffset);
        if (left >= viewwindowx
         && left + SHORT(patch->width) <= viewwindowx + scaledviewwidth
         && top >= viewwindowy
         && top + SHORT(patch->height) <= viewwindowy + viewheight)
        {
            V_DrawPatch(x, y, patch);
        }
        x += SHORT(patch->width);
    }
}
