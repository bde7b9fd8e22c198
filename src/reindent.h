/*
 * reindent: inserted lines in the file's indentation, for the placement
 * cascade (place.h).  When context or removed lines matched only with
 * whitespace ignored, the file may indent that code otherwise than
 * upstream: nested a level deeper or shallower, or a tab where upstream
 * has two spaces.  The pairs (upstream's indent, the file's indent) of
 * those lines say how.  An inserted line indented as one of them upstream
 * takes the file's indent of that pair; any other by the straight line
 * through the pairs (a shift, or a shift and a scale between styles),
 * written with tabs if the file's lines use them.  When the hunk's lines
 * disagree, the lines it keeps decide if they agree (a removed line may
 * sit oddly in the file, often why it goes); else each run of inserted
 * lines asks only the lines around it that match the file line for
 * line.  Inserted lines keep upstream's indent
 * unless one mapping covers every one of them (of the hunk, or of the
 * run): half a block in each style would be worse than either.
 */
#ifndef SECPORT_REINDENT_H
#define SECPORT_REINDENT_H

#include "place.h"

/*
 * Re-indent the inserted lines of out (built by the placement from map,
 * the file line of each hunk line or -1) as the file indents the lines
 * around them.  out is left alone when its text is merged already
 * (out->buf) or nothing says how.
 */
void place_reindent(struct place_result *out, const struct place_file *pf,
		    const struct patch_hunk *h, const long *map);

/* The width of s's indent (a tab to the next multiple of 8), -1 if blank. */
long reindent_width(const char *s, size_t len);

#endif
