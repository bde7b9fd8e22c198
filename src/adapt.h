/*
 * adapt: carry the drift a placed hunk's context shows into its added
 * lines ("drift propagation").
 *
 * Where the hunk's context and removed lines align with the file's lines
 * token for token but for words written otherwise (upstream "bool" where
 * the file has "bool_t"), the same words in the added lines are written
 * the file's way.  A line pair teaches only when every word it writes
 * otherwise is no C keyword and is nowhere in the file's code (a line
 * differing in a word the file has is another line, and a word the file
 * still uses may be right as it is; a word only in its comments, strings
 * or #include names is no identifier it uses); an #include line teaches
 * nothing (another header is another line); a word taught two ways, or
 * two words taught one way, is not rewritten.  What the hunks of a file
 * teach is kept for the hunks placed after them (place_file's vocab);
 * when a hunk taught something after an earlier one was placed, apply
 * places the file's hunks again with all the file taught
 * (adapt_vocab_changes tells), so every hunk is written in the same
 * words.  A struct member the added lines name after a path
 * ("d->arch.pv.x") by a name nowhere in the file's code, where the file
 * names one member after the same path by that name and more
 * ("d->arch.pv_domain."), is written the file's way too: upstream
 * shortened the name.  The file's own lines in the replacement are kept
 * as they are; what is rewritten came from the hunk (its added lines, or
 * an edit replayed on a drifted line), and its comments, strings and
 * #include lines are left as upstream wrote them.  A number is only
 * rewritten as the same number written otherwise (0x10U as 0x10); a pair
 * differing in a number's value teaches nothing.  "true" and "false" are
 * one pair: one taught as its number (1, 0) teaches the other too.
 * Nothing moves here; only the text of the hunk's words changes, and the
 * result lists each rewriting.
 * A hunk no tier placed is rewritten whole (context and removed lines
 * too) in the words its lines and the file's around its best candidate
 * teach, and placed again by the same cascade (adapt_translate).  A
 * teaching pair must keep a word that is no keyword: "two();" and
 * "other();" are two lines, not one renamed.
 * Cost: O(a * b) line comparisons for a hunk lines and b placed file
 * lines, each O(line length), and one pass over the file per candidate
 * word or member path; memory O(a * b).  A translated hunk costs up to
 * three such alignments and a second pass through the cascade.
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
 * For a hunk no tier could place, cand its best candidates: h with
 * every line written in the words its lines and the file's around them
 * show drifted (all the same way).  Returns the number of words rewritten; when not 0, *out is
 * that hunk (its lines array owned by the caller, their text in *buf)
 * and *note lists the rewritings (both malloc'ed).
 */
int adapt_translate(struct patch_hunk *out, char **buf, char **note,
		    const struct place_file *pf, const struct patch_hunk *h,
		    const struct place_candidate *cand, size_t cand_nr);

/* Make r own the text of all its replacement lines (in r->abuf). */
void adapt_own_post(struct place_result *r);

/*
 * The words a file's placed hunks showed drifted, for the hunks placed
 * after them (place_file owns one: place_file_init makes it).
 */
struct adapt_vocab *adapt_vocab_new(void);
void adapt_vocab_free(struct adapt_vocab *v);

/*
 * How often v changed so far (a word added, or found taught two ways):
 * a caller sees whether hunks placed later taught what earlier ones
 * could not use.
 */
unsigned long adapt_vocab_changes(const struct adapt_vocab *v);

/*
 * The files of one patch are of one tree: a word one of them showed
 * drifted is the tree's spelling for the others.  adapt_vocab_seed
 * teaches v (pf's, before its hunks are placed) what shared holds, as
 * any taught word (not where pf's code has the word, nor against what
 * pf itself teaches); adapt_vocab_gather adds to shared what v taught
 * itself (a word two files teach two ways is taught to none).
 */
void adapt_vocab_seed(struct adapt_vocab *v, const struct place_file *pf,
		      const struct adapt_vocab *shared);
void adapt_vocab_gather(struct adapt_vocab *shared,
			const struct adapt_vocab *v);

/* Whether shared teaches a word of the added lines of nr hunks h that
 * own (what their file taught itself; may be NULL) does not know. */
int adapt_vocab_news(const struct adapt_vocab *shared,
		     const struct adapt_vocab *own, const struct patch_hunk *h,
		     size_t nr);

#endif
