/*
 * place: find where one hunk belongs in a file whose text drifted since the
 * patch was made, or say clearly that it cannot tell.
 *
 * Pure functions: the caller gives the file's lines (place_file_init indexes
 * them: O(n log n) time, ~40 bytes a line) and one hunk; place_hunk returns a
 * placement (which tier succeeded, where, how well, the adapted replacement
 * lines) or a failure with the best candidate positions.  A tiered cascade:
 *   1. exact at the expected line (hunk line + offset carried by the caller);
 *   2. exact elsewhere: candidates inside the @@ function first, then the
 *      nearest, refusing when two are about as near; when that function
 *      is in the file and no candidate is inside it, only a lone candidate
 *      holding lines found nowhere else is taken (a removed one, or one
 *      on each side of the change), and only after tier 5 or 6 could not
 *      place the hunk inside the function;
 *   3. the same ignoring whitespace;
 *   4. already applied: the post-image is present and the pre-image is not
 *      (when only outside the @@ function, after tier 5 or 6 could not
 *      place the hunk inside it);
 *   5. realignment: rare lines vote for offsets, the pre-image is aligned
 *      to each window by a weighted LCS; accepted only when every removed
 *      line aligned, every insertion is pinned by aligned lines on both
 *      sides, the weighted score is high (or every context line is in
 *      its place byte for byte, the only such place in the @@ function
 *      the file has: common lines weigh little) and clearly beats the
 *      runner-up,
 *      and the enclosing function agrees with the @@ line (unless the
 *      hunk shows its own function line); an insertion whose pin could
 *      as well sit on the other side of extra file lines is refused, and
 *      so is a change across extra #if/#else/#endif lines (removed lines
 *      on both sides of one, an insertion moved into or out of one),
 *      but for an insertion whose pins only have the end of the upper
 *      one's conditional (or the start of the lower one's) between
 *      them: it goes outside, beside the other pin;
 *      a removed blank aligned beside none of the removed lines next to
 *      it is another blank and stays; a removed line the file has at
 *      several places, aligned beside none of the removed lines next to
 *      it (or, with none, of the hunk lines around it), is another
 *      copy: refused; a removed line the file indents
 *      deeper than its aligned neighbours upstream indents alike with
 *      it, or deeper than upstream beside a neighbour (not in the first
 *      column) the file indents as upstream does, is inside a construct
 *      the hunk does not show: refused;
 *   6. word merge (wordmerge.h): at the place tier 5 would pick, but where a removed line
 *      drifted (or, when too little matched line for line, where context
 *      lines at least 75% alike in words align), the hunk's word-level
 *      edits are replayed on the file's text; accepted only if every
 *      edit's words and its nearest unchanged words on both sides are in
 *      the file, consecutive, on lines recognisably the hunk's own (the
 *      drift touches only words the hunk keeps), and every gap the
 *      change touches crosses the same #if structure as the hunk's lines
 *      there; an edit whose result is between its anchors is made
 *      already; an edit replacing words the file has, one of whose
 *      anchors drifted in place (another token of its kind right there),
 *      is pinned by its own words and the other anchor.  A removed line none of whose words is in the file counts
 *      as already gone.  A merge that changes nothing while a line the
 *      hunk removes is once in the file beside its place is refused,
 *      but for a hunk deleting only that statement: deleted there.
 *      When that merge fails, the lines of the fuzzy
 *      alignment are placed as in tier 5 if the lines pinning every
 *      insertion are the hunk's own.
 * When tiers 5 and 6 cannot place a hunk, its core (the changed lines and
 * one context line on each side, exact) places it at the one spot inside
 * the @@ function (or, when the file lacks it, the file) where the other
 * context lines kept their shape: each the same or alike in words at its
 * place, or (inside the function) a line the file has nowhere.
 * A hunk that only deletes whole definitions (from a line in the first
 * column to its "}" there, each with the comment right above it), when
 * nothing else places it, deletes them where the file defines each once,
 * one after another, whatever their bodies drifted to, unless a hunk of
 * the file adds one back (a move) or the file lacks the @@ function.
 * A hunk that only deletes lines, with context on both sides, when
 * nothing else places it, deletes as many file lines where every context
 * line is byte for byte in its place, at one place (in the @@ function
 * when the file has it once), if most of those lines holding a word are
 * the hunk's own byte for byte, unless a hunk of the file adds most of
 * them back (a move).
 * When nothing else places a hunk that only inserts, the two lines right
 * around its insertion, each found once in the file and adjacent there,
 * place it; or, when one side's context lines are all nowhere in the file,
 * the other side's, exact and once in the @@ function, with the file's
 * line beside the insertion indented like the hunk's gone one.
 * Where tiers 3, 5 or 6 (lines for line) matched lines only ignoring
 * whitespace, the inserted lines are re-indented as the file indents
 * those lines, when they agree on one mapping of depths.
 * Whatever tier placed a hunk, words its context (or that of another
 * hunk of the same file: pf->vocab keeps what each placed hunk taught,
 * and apply places the file's hunks again when a later one taught
 * more; or of another C file of the patch, seeded by apply) writes
 * otherwise in the file,
 * consistently and nowhere else in the file, are written the file's way
 * in its added lines too (adapt.h; listed in adapted).  A hunk nothing
 * places is written whole in the words its lines and the file's around
 * its best candidates show drifted that way, and placed again (by
 * tiers 1-5: not the word merge, nor the anchors, which trust a few of
 * its lines, here rewritten); when no line of it is in the file to vote,
 * its context lines found nowhere vote through lines alike in words, for
 * candidates only.
 * A hunk that inserts at its file's start or end (no context on that
 * side) must find the file's start or end there, in every tier.
 * No tier may put lines of the hunk (but comments, preprocessor lines
 * or a block's "{") between a file line opening an if, a loop or an
 * else without a brace and the statement it governs, unless the hunk
 * adds them right after that line itself: they would take the
 * statement's place under the condition; nor replace that statement by
 * several one under the other (only the first would be governed).
 * A hunk that opens its @@ function's body (its first line that
 * function's "{") never goes to the "{" of a function of another name
 * when the file has none of the @@ name.
 * No tier removes a line beside which the hunk shows a context line the
 * file lacks there, when the file has those two lines side by side
 * elsewhere: that is the copy the fix changes.  None sets a variable
 * the file sets to 1 or 0, where upstream sets true or false, to a value
 * that is no truth value (a bool_t, a char in older trees, would keep
 * its low byte).  None leaves a statement right after a return, break,
 * continue or goto at its depth, unless the file or the hunk has the
 * two so (it would never run).
 * A hunk is not taken as applied outside its @@ function, which the file
 * has, when that function still calls what a line the hunk removes calls.
 * No placement but an exact one removes the only statement setting a
 * variable its function declares without a value and still reads, where
 * the hunk also removes a read of it the file lacks there.
 * A blank line the hunk keeps between its added code and the next line
 * stays there when the file has that line right after the added ones
 * but not the blank (it went with context the file lacks).
 * A hunk that only changes blanks at line ends (none after a backslash)
 * and has no place is taken as applied (cosmetic): nothing it changes
 * matters where the file has not its lines.
 * Never: first match wins, fuzz down to no context, one-side pins.
 * Cost per hunk: O(h log n) for tiers 1-4 (plus O(n) for the @@ function
 * lookup), O(k * h * w) for tier 5 (k <= 8 windows of w ~ 3h lines),
 * O(c * n) word comparisons for c context lines voting by likeness,
 * O(t * u) for tier 6 (t words of the hunk, u of the file's region; capped
 * at 2M cells, ~20 MB).
 */
#ifndef SECPORT_PLACE_H
#define SECPORT_PLACE_H

#include "patch.h"

#include <stddef.h>
#include <stdint.h>

static inline int place_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* The length of s[0..n) without the blanks at its end. */
static inline size_t place_rtrim_len(const char *s, size_t n)
{
	while (n && place_is_ws(s[n - 1]))
		n--;
	return n;
}

/* Whether s[0..n) holds only blanks. */
static inline int place_blank_text(const char *s, size_t n)
{
	return !place_rtrim_len(s, n);
}

static inline int place_is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

struct place_line {
	const char *s;
	size_t len; /* without the newline */
};

struct place_file {
	const struct place_line *line; /* borrowed */
	size_t nr;
	uint64_t *h;  /* exact hash per line */
	uint64_t *wh; /* hash ignoring whitespace */
	struct place_key *byh, *bywh; /* (hash, line) sorted by hash */
	/* words the hunks placed so far showed drifted (adapt.h; owned):
	 * a hunk without such lines of its own is written the same way;
	 * placing hunks again in the same pf keeps it */
	struct adapt_vocab *vocab;
	/* every hunk the patch has for the file (borrowed; may be NULL): a
	 * block of drifted lines one hunk removes and another adds is moved,
	 * not deleted (wordmerge.h) */
	const struct patch_hunk *hunks;
	size_t hunk_nr;
};

#define PLACE_FILE_INIT { 0 }

/* Index nr lines (borrowed: they must outlive pf). */
void place_file_init(struct place_file *pf, const struct place_line *line,
		     size_t nr);
void place_file_release(struct place_file *pf);

struct adapt_vocab;

enum place_tier {
	PLACE_FAILED = 0,
	PLACE_EXACT,      /* exact, at the expected line */
	PLACE_OFFSET,     /* exact, elsewhere */
	PLACE_WHITESPACE, /* equal ignoring whitespace */
	PLACE_FUZZ,       /* same shape; some context lines differ */
	PLACE_REALIGNED,  /* context lines missing or extra in the file */
	PLACE_ALREADY,    /* post-image present, pre-image absent */
	PLACE_MERGED,     /* word-level edits replayed on drifted lines */
};

const char *place_tier_name(enum place_tier t);

#define PLACE_MAX_CAND 3

struct place_candidate {
	long pos;     /* 0-based first line */
	double score; /* weighted fraction of the pre-image aligned, 0..1 */
};

struct place_result {
	enum place_tier tier;
	long pos;    /* 0-based: file lines [pos, pos + len) are replaced */
	long len;
	long offset; /* pos - expected */
	double score;
	/* replacement lines; they point into the file, the hunk or buf
	 * (owned array, borrowed text) */
	struct place_line *post;
	size_t post_nr;
	char *buf; /* owned text of word-merged lines (PLACE_MERGED) */
	/* added lines written in the file's words (adapt.h): their owned
	 * text, and the rewritings made ("bool -> bool_t, true -> 1"),
	 * NULL when none */
	char *abuf;
	char *adapted;
	/* placed only once the whole hunk (context and removed lines too)
	 * was written in the file's words: tier says how the rewritten
	 * hunk placed */
	int translated;
	/* PLACE_ALREADY for a hunk that only changes blanks at line ends
	 * and has no place: nothing it changes matters there */
	int cosmetic;
	/* hunk line indices of context lines that did not match */
	size_t *fuzzed;
	size_t fuzzed_nr;
	/* on failure: why (static text) and the best candidates */
	const char *reason;
	struct place_candidate cand[PLACE_MAX_CAND];
	size_t cand_nr;
};

#define PLACE_RESULT_INIT { 0 }

/*
 * Place hunk h in pf.  expected is the 0-based line where its pre-image
 * should start (old_start - 1 plus the carried offset).  taken (pf->nr
 * bytes, or NULL) marks lines already claimed by earlier hunks; a
 * placement never overlaps them.  Returns 0 with out->tier set (maybe
 * PLACE_FAILED with a reason); out must be released with
 * place_result_release.
 */
int place_hunk(struct place_result *out, const struct place_file *pf,
	       const struct patch_hunk *h, long expected,
	       const unsigned char *taken);
void place_result_release(struct place_result *r);

/* Whether a and b are equal once all whitespace is removed. */
int place_ws_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif
