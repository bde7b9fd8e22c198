/*
 * wordmerge: tier 6 of the placement cascade (place.h), for a hunk whose
 * lines drifted in words: its word-level edits are replayed on the file's
 * text where they still apply cleanly.
 *
 * Text is split into tokens (words, single punctuation characters, runs
 * of blanks, line ends).  The hunk's edits are token diffs of each of its
 * removed/added blocks (when those find no clean merge, of each pair of
 * lines alike in words, the block's other lines deleted or added whole:
 * a block's token diff may pair words across lines upstream dropped and
 * rewrote); its pre-image is mapped onto the file's tokens by
 * the line alignment place found and a token LCS.  An edit is replayed
 * only when its tokens and its nearest unchanged tokens on both sides map
 * to consecutive file tokens, on lines recognisably the hunk's own (or,
 * for an edit replacing words the file has, when one anchor drifted in
 * place, its own tokens and the other anchor; for an edit within a line
 * whose removed words drifted in place or lost punctuation in the file,
 * both anchors; for one deleting whole lines, as many file lines between
 * the anchors, each alike in words, unless the patch adds most of them
 * back to the file: a move; or file lines holding its words only wrapped
 * otherwise); an edit whose anchors hold exactly its result in the file
 * is made already.
 * Cost: O(t * u) time and memory for t tokens of the hunk and u of the
 * file's region, capped at 2M cells (~20 MB); O(a * b) for line_sim; the
 * line by line edits compare at most 10,000 pairs of lines.
 */
#ifndef SECPORT_WORDMERGE_H
#define SECPORT_WORDMERGE_H

#include "place.h"

/*
 * Word similarity of two lines, 0..1: twice the weighted LCS of their
 * words and punctuation over their total weight (0 for very short or
 * very long lines).
 */
double wordmerge_line_sim(const char *a, size_t an, const char *b,
			  size_t bn);

/*
 * Replay h's edits on file lines [lo, hi) of pf, given map, the file line
 * of each hunk line (-1 when unaligned).  A removed line none of whose
 * words is in the file counts as already gone.  Returns 0 and sets *out
 * to the merged text of those lines (malloc'ed, each line ending in a
 * newline; the caller frees it), or -1 when some edit does not apply
 * cleanly.
 */
int wordmerge_replay(char **out, const struct place_file *pf,
		     const struct patch_hunk *h, const long *map, long lo,
		     long hi);

#endif
