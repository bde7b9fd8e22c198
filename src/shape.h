/*
 * shape: what a C-like source file's lines say about where code is, for
 * the placement cascade (place.h).
 *
 * Function lines are the ones git's default funcname rule would name in a
 * hunk header: a line starting with a letter, '_' or '$'.  A function's
 * extent runs from its line to the first '}' in the first column.
 * Preprocessor conditionals (#if, #ifdef, #ifndef, #else, #elif, #endif)
 * between two aligned lines of a hunk must be the same in the file as in
 * the hunk, or a change would land inside a conditional block upstream
 * never had.  Each function is linear in the lines it looks at.
 */
#ifndef SECPORT_SHAPE_H
#define SECPORT_SHAPE_H

#include "place.h"

/* Whether the function line git would name for a hunk at file line pos
 * is func. */
int shape_func_at(const struct place_file *pf, long pos, const char *func);

/* The line git would name for a hunk at file line pos, or -1. */
long shape_func_above(const struct place_file *pf, long pos);

/* shape_func_at for an alignment (map: the file line of each hunk line,
 * or -1) starting at pos. */
int shape_map_in_func(const struct place_file *pf, const struct patch_hunk *h,
		      const long *map, long pos);

/* Whether the hunk shows its own function line above its first change. */
int shape_own_func(const struct patch_hunk *h);

/* Whether some line of the file is the function line func names. */
int shape_func_exists(const struct place_file *pf, const char *func);

/* The file line of func when exactly one line is it (forward declarations
 * aside when it is also defined), else -1. */
long shape_func_line(const struct place_file *pf, const char *func);

/* The end (exclusive) of the function whose line is f. */
long shape_func_end(const struct place_file *pf, long f);

/*
 * Where to look for hunk h's place: after its @@ function's line *f, to
 * the function's end *e, when the file has that function (and the hunk
 * does not show its own function line); else the whole file (*f = -1,
 * *e = the file's end).  -1 when the function is in the file more than
 * once.
 */
int shape_search_range(const struct place_file *pf, const struct patch_hunk *h,
		       long *f, long *e);

/* Whether file line l is a preprocessor conditional (#if, #else, #endif
 * and the like). */
int shape_cpp_line(const struct place_line *l);

/*
 * Whether file lines [lo, hi), the extra lines between an insertion's
 * pins, end the conditional the upper pin is in (1: #else branches and
 * #endifs, no #if, with blanks at most before and after them) or start
 * one the lower pin is in (-1: #ifs and their branches, no #endif); 0
 * otherwise.
 */
int shape_cpp_outside(const struct place_file *pf, long lo, long hi);

/*
 * Whether file line q closes a conditional (#endif) and only blanks,
 * comments and other closes follow it: the end of a header's guard, a
 * block holding the rest of the file (upstream's lines there are inside
 * it too).
 */
int shape_cpp_tail(const struct place_file *pf, long q);

/* Whether file lines (flo, fhi) and the pre-image lines of hunk lines
 * (hlo, hhi), all exclusive, cross the same conditional structure. */
int shape_cpp_same(const struct place_file *pf, long flo, long fhi,
		   const struct patch_hunk *h, size_t hlo, size_t hhi);

/* Whether consecutive aligned removed lines keep their conditional
 * structure. */
int shape_cpp_removal_ok(const struct place_file *pf,
			 const struct patch_hunk *h, const long *map);

/* Whether every gap a change touches holds the same conditional structure
 * in the file as in the hunk (the word merge's check). */
int shape_cpp_change_ok(const struct place_file *pf,
			const struct patch_hunk *h, const long *map);

/*
 * Where a hunk that inserts top-level items right after the end of the @@
 * function goes: the hunk only inserts, its leading context is the
 * function's last lines (the closing brace, then blanks) and the file ends
 * that function with the same lines; the first line the insertion adds and
 * the first line after it (in the hunk and in the file) start top-level
 * items.  When upstream's next item is a function the file has once,
 * further down, the new items go right above it instead (next_below).
 * Returns the file line to insert before, and the count of leading context
 * lines up to the brace in *nlead; -1 when the hunk is not so.
 */
long shape_after_func(const struct place_file *pf, const struct patch_hunk *h,
		      size_t *nlead);

#endif
