/*
 * adapt: carry the drift a placed hunk's context shows into its added
 * lines ("drift propagation").
 *
 * Where the hunk's context and removed lines align with the file's lines
 * token for token but for words written otherwise (upstream "bool" where
 * the file has "bool_t"), the same words in the added lines are written
 * the file's way.  A line pair teaches only when every word it writes
 * otherwise is no C keyword and is nowhere in the file (a line differing
 * in a word the file has is another line, and a word the file still
 * uses may be right as it is); a word taught two ways, or two words
 * taught one way, is not rewritten.  What the hunks of a file teach is
 * kept for the hunks placed after them (place_file's vocab).  Since the
 * file has none of these words, every one in the replacement came from
 * the hunk (its added lines, or an edit replayed on a drifted line);
 * comments and strings are left as upstream wrote them.  Nothing moves;
 * only the text of the hunk's words changes, and the result lists each
 * rewriting.
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

/*
 * The words a file's placed hunks showed drifted, for the hunks placed
 * after them (place_file owns one: place_file_init makes it).
 */
struct adapt_vocab *adapt_vocab_new(void);
void adapt_vocab_free(struct adapt_vocab *v);

#endif
