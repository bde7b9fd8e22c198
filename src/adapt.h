/*
 * adapt: carry the drift a placed hunk's context shows into its added
 * lines ("drift propagation").
 *
 * Where the hunk's context and removed lines align with the file's lines
 * token for token but for words written otherwise (upstream "bool" where
 * the file has "bool_t"), the same words in the added lines are written
 * the file's way.  A word is rewritten only when every aligned line that
 * has it has the same other word in its place, no aligned line keeps it,
 * it is no C keyword, and the file has it nowhere: a word the file still
 * uses may be right as it is.  Since the file has none of these words,
 * every one in the replacement came from the hunk (its added lines, or
 * an edit replayed on a drifted line).  Nothing moves; only the text of
 * the hunk's words changes, and the result lists each rewriting.
 * Cost: O(a * b) line comparisons for a hunk lines and b placed file
 * lines, each O(line length), and one pass over the file per candidate
 * word; memory O(a * b).
 */
#ifndef SECPORT_ADAPT_H
#define SECPORT_ADAPT_H

#include "place.h"

/*
 * Rewrite the words h brings into out (placed by place_hunk: out->pos,
 * out->len and out->post set) with the drift of its aligned lines.  On
 * a rewriting, the out->post lines rewritten point into out->abuf
 * and out->adapted lists "from -> to" pairs, comma-separated (both
 * owned by out).  Returns the number of words rewritten (0: unchanged).
 */
int adapt_added(struct place_result *out, const struct place_file *pf,
		const struct patch_hunk *h);

#endif
