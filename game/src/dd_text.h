//
// dockerdoom: pure text helpers: image hashing, label fitting, errno names
// and the messages shown on the HUD.
//

#ifndef DD_TEXT_H
#define DD_TEXT_H

#include <stddef.h>

// Width in pixels of one character as it will be drawn.
typedef int (*dd_charwidth_fn)(char c, void *ctx);

// Maps an image reference onto 0..ntypes-1, the same image always onto the
// same index. ntypes must be > 0.
int DD_ImageIndex(const char *image, int ntypes);

// Copies src into dst, replacing white space and control characters by
// '_' so the result is one log field. Always terminates dst.
void DD_SanitizeName(char *dst, size_t dstsize, const char *src);

// Removes trailing white space (a file's newline) in place.
void DD_TrimRight(char *s);

// Writes into dst the longest form of name that fits maxwidth pixels:
// the whole name when it fits, else a prefix followed by "..". Returns the
// width of the result.
int DD_FitLabel(char *dst, size_t dstsize, const char *name, int maxwidth,
                dd_charwidth_fn width, void *ctx);

// Symbolic name of an errno value ("EPERM"); "ok" for 0. Unknown values
// give "E<number>" in a static buffer.
const char *DD_ErrnoName(int err);

// The HUD message for a kill result: "killed NAME" or
// "NAME: kill failed, EPERM (Operation not permitted)".
void DD_KillMessage(char *dst, size_t dstsize, const char *name, int err);

#endif
