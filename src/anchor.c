/*
 * anchor: the placement tiers for a hunk whose context drifted too much
 * to realign (place.c), each placing it by lines it can still trust: its
 * exact core inside its function, two unique lines around an insertion,
 * an insertion's exact side when the other is gone, a new item after its
 * function's end, an insertion whose context is alike line for line, an
 * insertion right after the @@ line when what upstream had between is gone,
 * an insertion between two of its own lines adjacent in the file, changes
 * pinned by the lines they remove, whole definitions deleted by name, a
 * deleted run whose context is in place byte for byte.
 */
#include "place-int.h"
#include "shape.h"
#include "wordmerge.h"
#include "banned.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>

/* a drifted context line around an exact core: more alike than not */
#define CORE_SIM 0.5

/*
 * Place hunk lines [i, end) (an insertion's added lines) between file
 * lines above and below, either of them -1 for none: the file lines are
 * out's replaced range and kept.  The caller sets offset and score.
 */
static void put_between(struct place_result *out, const struct place_file *pf,
			const struct patch_hunk *h, size_t i, size_t end,
			long above, long below)
{
	size_t alloc = 0;

	place_result_release(out);
	if (above >= 0)
		place_add_file_lines(out, &alloc, pf, above, above + 1);
	for (size_t k = i; k < end; k++)
		place_add_post(out, &alloc, h->lines[k].text, h->lines[k].len);
	if (below >= 0)
		place_add_file_lines(out, &alloc, pf, below, below + 1);
	out->tier = PLACE_REALIGNED;
	out->pos = above >= 0 ? above : below;
	out->len = (above >= 0) + (below >= 0);
}

/*
 * When too little of the context is in the file to align (a list kept in
 * another order, the lines around moved or gone), a hunk that only
 * inserts still has a place if the two lines right around its insertion
 * are each found exactly once in the file, one right after the other:
 * nothing else in the file is between them.  Returns 0 when placed so.
 */
int anchor_between(struct place_result *out, const struct place_file *pf,
		   const struct patch_hunk *h, const struct side *pre,
		   long expected, const unsigned char *taken)
{
	size_t i, end, first, k;
	long q[2];
	double wsum = 0;

	for (i = 0; i < h->nr && h->lines[i].kind == ' '; i++)
		;
	for (end = i; end < h->nr && h->lines[end].kind == '+'; end++)
		;
	if (!i || end == i || end == h->nr)
		return -1;
	for (k = end; k < h->nr; k++)
		if (h->lines[k].kind != ' ')
			return -1;
	for (int s = 0; s < 2; s++) {
		const struct patch_line *l = &h->lines[s ? end : i - 1];
		uint64_t hh = place_hash_line(l->text, l->len, 0);

		if (place_lookup(pf->byh, pf->nr, hh, &first) != 1)
			return -1;
		q[s] = (long)pf->byh[first].pos;
		if (pf->line[q[s]].len != l->len ||
		    memcmp(pf->line[q[s]].s, l->text, l->len))
			return -1;
	}
	if (q[1] != q[0] + 1 || !place_range_free(taken, (size_t)q[0], 2) ||
	    (!shape_own_func(h) && shape_func_exists(pf, h->func) &&
	     !shape_func_at(pf, q[1], h->func)))
		return -1;
	put_between(out, pf, h, i, end, q[0], q[1]);
	for (k = 0; k < pre->n; k++) {
		size_t c = place_lookup(pf->bywh, pf->nr, pre->wh[k], &first);

		wsum += 1.0 / (c ? (double)c : 1.0);
	}
	out->offset = q[0] - expected;
	out->score = wsum > 0 ? 2 / wsum : 0;
	return 0;
}

/*
 * The hunk's core: its changed lines and the one context line on each side
 * of them, hunk lines [*lo, *hi].  -1 when a side has no context line.
 */
static int core_bounds(const struct patch_hunk *h, size_t *lo, size_t *hi)
{
	size_t c0 = h->nr, c1 = 0;

	for (size_t i = 0; i < h->nr; i++)
		if (h->lines[i].kind != ' ') {
			if (c0 == h->nr)
				c0 = i;
			c1 = i;
		}
	if (c0 == h->nr || !c0 || c1 + 1 >= h->nr)
		return -1;
	*lo = c0 - 1;
	*hi = c1 + 1;
	return 0;
}

/* Whether the pre-image of hunk lines [lo, hi] is at file line q. */
static int core_at(const struct place_file *pf, const struct patch_hunk *h,
		   size_t lo, size_t hi, long q)
{
	for (size_t k = lo; k <= hi; k++) {
		const struct patch_line *l = &h->lines[k];

		if (l->kind == '+')
			continue;
		if (q >= (long)pf->nr || !place_same_text(pf, q, l))
			return 0;
		q++;
	}
	return 1;
}

/* Whether no line of the file is hunk line l, whitespace aside. */
static int nowhere(const struct place_file *pf, const struct patch_line *l)
{
	size_t first;

	return !place_lookup(pf->bywh, pf->nr, place_hash_line(l->text, l->len, 1),
		       &first);
}

/* Whether hunk line l kept its shape at file line q (see core_shape). */
static int line_kept(const struct place_file *pf, long q,
		     const struct patch_line *l, int in_func)
{
	if (q < 0 || q >= (long)pf->nr)
		return 0;
	if (place_ws_equal(pf->line[q].s, pf->line[q].len, l->text, l->len) ||
	    wordmerge_line_sim(l->text, l->len, pf->line[q].s,
			       pf->line[q].len) >= CORE_SIM)
		return 1;
	return in_func &&
	       (nowhere(pf, l) || place_ws_equal(l->text, l->len, "", 0));
}

/*
 * Whether the context lines outside the core, laid out straight around the
 * core at file line at (lead pre-image lines above it), kept their shape:
 * each is at its place in the file, the same or alike in words (a drifted
 * argument or condition: CORE_SIM).  Inside the named function (in_func)
 * a line found nowhere in the file may also differ: upstream rewrote it
 * (a comment, a new call), so it cannot be elsewhere either; and so may a
 * blank line, which says nothing of where code is.  A line of code the
 * file has elsewhere (lines moved, extra lines in between) breaks the
 * shape: the change's place relative to it is a guess.
 */
static int core_shape(const struct place_file *pf, const struct patch_hunk *h,
		      size_t lo, size_t hi, long at, size_t lead, int in_func)
{
	long q = at - (long)lead;

	for (size_t k = 0; k < h->nr; k++) {
		if (h->lines[k].kind == '+')
			continue;
		if ((k < lo || k > hi) &&
		    !line_kept(pf, q, &h->lines[k], in_func))
			return 0;
		q++;
	}
	return 1;
}

/*
 * When the context drifted too much to realign (the rare lines changed,
 * the common ones weigh little), the hunk's core still places it: its
 * changed lines and the context line on each side, byte for byte, found
 * at exactly one place where the rest of the context kept its shape
 * (core_shape).  The search is inside the @@ function when the file has
 * it once (its line to its closing brace, and git would name it there);
 * when the file lacks it (renamed, or the hunk shows its own function
 * line) the whole file, with the stricter shape.  The context lines
 * outside the core are left as the file has them.  Returns 0 when placed.
 */
int anchor_core(struct place_result *out, const struct place_file *pf,
		const struct patch_hunk *h, const struct side *pre,
		long expected, const unsigned char *taken)
{
	size_t lo, hi, n = 0, alloc = 0, falloc = 0, lead = 0;
	long f, e, at = -1, q;

	if (core_bounds(h, &lo, &hi))
		return -1;
	if (shape_search_range(pf, h, &f, &e))
		return -1;
	for (size_t k = lo; k <= hi; k++)
		n += h->lines[k].kind != '+';
	for (size_t k = 0; k < lo; k++)
		lead += h->lines[k].kind != '+';
	for (q = f + 1; q + (long)n <= e; q++) {
		if (!core_at(pf, h, lo, hi, q) ||
		    !core_shape(pf, h, lo, hi, q, lead, f >= 0))
			continue;
		if (at >= 0)
			return -1;
		at = q;
	}
	if (at < 0 || !place_range_free(taken, (size_t)at, n) ||
	    (f >= 0 && !shape_func_at(pf, at, h->func)))
		return -1;
	place_result_release(out);
	q = at;
	for (size_t k = lo; k <= hi; k++) {
		const struct patch_line *l = &h->lines[k];

		if (l->kind == '+')
			place_add_post(out, &alloc, l->text, l->len);
		else if (l->kind == ' ')
			place_add_post(out, &alloc, pf->line[q].s, pf->line[q].len);
		q += l->kind != '+';
	}
	q = at - (long)lead;
	for (size_t k = 0; k < h->nr; k++) {
		const struct patch_line *l = &h->lines[k];

		if (l->kind == ' ' && (k < lo || k > hi) &&
		    !place_ws_equal(pf->line[q].s, pf->line[q].len, l->text,
				    l->len)) {
			ALLOC_GROW(out->fuzzed, out->fuzzed_nr + 1, falloc);
			out->fuzzed[out->fuzzed_nr++] = k;
		}
		q += l->kind != '+';
	}
	out->tier = PLACE_FUZZ;
	out->pos = at;
	out->len = (long)n;
	out->offset = at - (long)lead - expected;
	out->score = pre->n ? (double)n / (double)pre->n : 0;
	return 0;
}

/*
 * Whether file line f, beside an insertion where the hunk has line l, is
 * not outside l's block: below the insertion its indent is l's or a part
 * of it (the block may end there), above it l's or more (a nested
 * statement, a continuation line, may end there).  Neither blank.
 */
static int depth_fits(const struct place_line *f, const struct patch_line *l,
		      int below)
{
	size_t a = 0, b = 0;

	while (a < f->len && place_is_ws(f->s[a]))
		a++;
	while (b < l->len && place_is_ws(l->text[b]))
		b++;
	if (a == f->len || b == l->len)
		return 0;
	return below ? a <= b && !memcmp(f->s, l->text, a)
		     : b <= a && !memcmp(f->s, l->text, b);
}

/*
 * Whether file line q is blank while the exact side's line next to the
 * insertion (l) is not: the file ends that side's block right there.
 */
static int blank_after(const struct place_file *pf, long q,
		       const struct patch_line *l)
{
	return place_ws_equal(pf->line[q].s, pf->line[q].len, "", 0) &&
	       !place_blank_line(l);
}

/* The count of file lines that are hunk line l, whitespace aside. */
static size_t count_of(const struct place_file *pf, const struct patch_line *l)
{
	size_t first;

	return place_lookup(pf->bywh, pf->nr, place_hash_line(l->text, l->len, 1), &first);
}

/*
 * Whether the context of hunk lines [a, b) is gone from the file: every
 * line of it is nowhere or at several places (a brace, a blank, a comment
 * opener: lines that say nothing of where code is, even the one next to
 * the insertion, near), and some line not blank is nowhere.  A line the
 * file has once, but only in file lines [far_lo, far_hi), beyond the
 * exact side from where this side would be, pins nothing either.
 */
static int side_gone(const struct place_file *pf, const struct patch_hunk *h,
		     size_t a, size_t b, size_t near, long far_lo, long far_hi)
{
	int dir = near == a ? 1 : -1, gone = 0;
	long k;

	for (k = (long)near; k >= (long)a && k < (long)b; k += dir)
		if (!place_blank_line(&h->lines[k]))
			break;
	if (k < (long)a || k >= (long)b)
		return 0;
	for (size_t q = a; q < b; q++) {
		const struct patch_line *l = &h->lines[q];
		size_t first, c = place_lookup(pf->bywh, pf->nr,
					       place_hash_line(l->text, l->len, 1),
					       &first);
		long pos = c == 1 ? (long)pf->bywh[first].pos : -1;

		if (c == 1 && (pos < far_lo || pos >= far_hi))
			return 0;
		gone |= !c && !place_blank_line(l);
	}
	return gone;
}

/* Whether a non-blank line of hunk lines [a, b) is once in the file. */
static int unique_in(const struct place_file *pf, const struct patch_hunk *h,
		     size_t a, size_t b)
{
	for (size_t q = a; q < b; q++)
		if (!place_blank_line(&h->lines[q]) && count_of(pf, &h->lines[q]) == 1)
			return 1;
	return 0;
}

/*
 * The one place inside file lines (f, e) where hunk lines [a, b) are
 * byte for byte (with no function, f < 0, they must hold a line found
 * nowhere else in the file), or -1.
 */
static long side_at(const struct place_file *pf, const struct patch_hunk *h,
		    size_t a, size_t b, long f, long e)
{
	long at = -1;

	if (f < 0 && !unique_in(pf, h, a, b))
		return -1;
	for (long q = f + 1; q < e && q + (long)(b - a) <= (long)pf->nr; q++) {
		size_t k;

		for (k = a; k < b; k++)
			if (!place_same_text(pf, q + (long)(k - a), &h->lines[k]))
				break;
		if (k < b)
			continue;
		if (at >= 0)
			return -1;
		at = q;
	}
	return at;
}

/*
 * A hunk that only inserts, one side of whose context is exact and the
 * other side is gone from the file (side_gone: upstream wrote it later,
 * or rewrote it): no line can stand between the insertion and the
 * missing side, so it goes right beside the exact side, if that side is
 * at one place inside the @@ function (the file has it once; the side
 * may go on past the function's closing brace, as an insertion after
 * the function's end does).  With no @@ function in the file (a list of
 * #defines, a Makefile), or a hunk showing its own function lines, the
 * whole file is searched, and the exact side must hold a line found
 * nowhere else.  Returns 0 when placed so.
 */
int anchor_one_side(struct place_result *out, const struct place_file *pf,
		    const struct patch_hunk *h, long expected,
		    const unsigned char *taken)
{
	size_t i, end, a = 0, b = 0;
	long f, e, at = -1, q, ip;
	int lead;

	if (!patch_hunk_insertion(h, &i, &end))
		return -1;
	/* a hunk showing its own function line: the @@ name is another's */
	f = shape_own_func(h) ? -1 : shape_func_line(pf, h->func);
	e = f < 0 ? (long)pf->nr : shape_func_end(pf, f);
	/* the exact side, at one place, and the other side gone */
	for (lead = 1; lead >= 0; lead--) {
		a = lead ? 0 : end;
		b = lead ? i : h->nr;
		at = side_at(pf, h, a, b, f, e);
		if (at < 0)
			continue;
		if (lead ? side_gone(pf, h, end, h->nr, end, 0, at)
			 : side_gone(pf, h, 0, i, i - 1, at + (long)(b - a),
				     (long)pf->nr))
			break;
	}
	if (lead < 0)
		return -1;
	ip = lead ? at + (long)(b - a) : at;
	/* the file's line on the gone side, in its place: not outside the
	 * hunk's block, or a blank ending the exact side's block there (a blank
	 * says nothing of depth); not a conditional (the insertion would
	 * open or close a branch upstream never had) */
	q = lead ? ip : ip - 1;
	if (q < 0 || q >= (long)pf->nr ||
	    (!depth_fits(&pf->line[q], &h->lines[lead ? end : i - 1], lead) &&
	     !blank_after(pf, q, &h->lines[lead ? i - 1 : end])) ||
	    (shape_cpp_line(&pf->line[q]) &&
	     !(lead && shape_cpp_tail(pf, q))) ||
	    !place_range_free(taken, (size_t)(lead ? ip - 1 : ip), 1) ||
	    (f >= 0 && !shape_func_at(pf, ip, h->func)) ||
	    place_pin_elsewhere(pf, h, NULL, lead ? (long)end : (long)i - 1, q,
				lead ? 1 : -1, 0, 0))
		return -1;
	put_between(out, pf, h, i, end, lead ? ip - 1 : -1, lead ? -1 : ip);
	out->offset = ip - (long)i - expected;
	out->score = (double)(b - a) / (double)(h->nr - (end - i));
	return 0;
}

/*
 * A hunk that adds top-level items (a function, a table) right after the
 * @@ function's end: where that function ends in the file as the hunk
 * shows it, the new items go right after it, whatever item the file has
 * next (top-level items come in any order; the file may have another
 * function there, or upstream may have written the next one later).
 * When the file has upstream's next function further down, after extra
 * items, they go right above it: before the item that may use them, and
 * after every item the file has before it, as upstream has them.
 * Returns 0 when placed so.
 */
int anchor_after_func(struct place_result *out, const struct place_file *pf,
		      const struct patch_hunk *h, long expected,
		      const unsigned char *taken)
{
	size_t nlead, i, end;
	long ip = shape_after_func(pf, h, &nlead);

	if (ip < 1 || !place_range_free(taken, (size_t)ip - 1, 1))
		return -1;
	for (i = 0; i < h->nr && h->lines[i].kind == ' '; i++)
		;
	for (end = i; end < h->nr && h->lines[end].kind == '+'; end++)
		;
	put_between(out, pf, h, i, end, ip - 1, -1);
	out->offset = ip - (long)i - expected;
	out->score = (double)nlead / (double)(h->old_count ? h->old_count : 1);
	return 0;
}

/* Whether hunk line l is file line q or alike in words (a blank only a
 * blank). */
static int alike_at(const struct place_file *pf, long q,
		    const struct patch_line *l)
{
	const struct place_line *f = &pf->line[q];

	if (place_ws_equal(f->s, f->len, l->text, l->len))
		return 1;
	if (place_blank_line(l) || place_ws_equal(f->s, f->len, "", 0))
		return 0;
	return wordmerge_line_sim(l->text, l->len, f->s, f->len) >= CORE_SIM;
}

/*
 * Whether, from hunk line k at file line q outward (dir), the file has
 * the hunk's lines byte for byte up to and including a line not blank
 * (blanks around an insertion say nothing of where it is; the nearest
 * line of code does).
 */
static int exact_near(const struct place_file *pf, const struct patch_hunk *h,
		      long k, long q, int dir)
{
	for (; k >= 0 && k < (long)h->nr; k += dir, q += dir) {
		if (h->lines[k].kind == '+' || q < 0 || q >= (long)pf->nr ||
		    !place_same_text(pf, q, &h->lines[k]))
			return 0;
		if (!place_blank_line(&h->lines[k]))
			return 1;
	}
	return 0;
}

/*
 * A hunk that only inserts, whose context lines are all in the file line
 * for line, each the same or alike in words (CORE_SIM: declarations whose
 * types or values drifted), with the nearest line but blanks on one side
 * of the insertion exact, and the blanks before it: no line is missing or
 * extra, so the layout is upstream's and the insertion goes where it lies
 * in it, if that is the
 * only such place (inside the @@ function when the file has it; a blank
 * matches only a blank, since it says nothing of where code is).  Context
 * lines that differ are left as the file has them.  Returns 0 when placed
 * so.
 */
int anchor_alike(struct place_result *out, const struct place_file *pf,
		 const struct patch_hunk *h, long expected,
		 const unsigned char *taken)
{
	size_t i, end, alloc = 0, falloc = 0, same = 0;
	long f, e, at = -1, q, span;

	if (!patch_hunk_insertion(h, &i, &end))
		return -1;
	if (shape_search_range(pf, h, &f, &e))
		return -1;
	for (q = f + 1; q + (long)(h->nr - (end - i)) <= e; q++) {
		long p = q;
		size_t k;

		for (k = 0; k < h->nr; k++) {
			if (h->lines[k].kind == '+')
				continue;
			if (!alike_at(pf, p, &h->lines[k]))
				break;
			p++;
		}
		if (k < h->nr)
			continue;
		if (at >= 0)
			return -1;
		at = q;
	}
	if (at < 0)
		return -1;
	q = at + (long)i;	/* the first file line after the insertion */
	span = at + (long)(h->nr - (end - i));
	if (!exact_near(pf, h, (long)i - 1, q - 1, -1) &&
	    !exact_near(pf, h, (long)end, q, 1))
		return -1;
	if (!place_range_free(taken, (size_t)q - 1, 1) ||
	    (f >= 0 && !shape_func_at(pf, q, h->func)) ||
	    place_pin_elsewhere(pf, h, NULL, (long)i - 1, q - 1, -1, at, span) ||
	    place_pin_elsewhere(pf, h, NULL, (long)end, q, 1, at, span))
		return -1;
	place_result_release(out);
	place_add_file_lines(out, &alloc, pf, q - 1, q);
	for (size_t k = i; k < end; k++)
		place_add_post(out, &alloc, h->lines[k].text, h->lines[k].len);
	for (size_t k = 0, p = (size_t)at; k < h->nr; k++) {
		const struct patch_line *l = &h->lines[k];

		if (l->kind == '+')
			continue;
		if (place_ws_equal(pf->line[p].s, pf->line[p].len, l->text,
				   l->len)) {
			same++;
		} else {
			ALLOC_GROW(out->fuzzed, out->fuzzed_nr + 1, falloc);
			out->fuzzed[out->fuzzed_nr++] = k;
		}
		p++;
	}
	out->tier = PLACE_FUZZ;
	out->pos = q - 1;
	out->len = 1;
	out->offset = at - expected;
	out->score = (double)same / (double)(h->nr - (end - i));
	return 0;
}

/*
 * The file line that starts with the @@ text (git's line above the hunk,
 * maybe cut short), when exactly one does; else -1.
 */
static long header_line(const struct place_file *pf, const char *func)
{
	size_t n = func ? place_rtrim_len(func, strlen(func)) : 0;
	long at = -1;

	while (n && place_is_ws(*func))
		func++, n--;
	if (!n)
		return -1;
	for (size_t q = 0; q < pf->nr; q++) {
		if (pf->line[q].len < n || memcmp(pf->line[q].s, func, n))
			continue;
		if (at >= 0)
			return -1;
		at = (long)q;
	}
	return at;
}

/*
 * A hunk that only inserts, whose leading context is gone from the file
 * (every line of it but blanks is nowhere: upstream wrote those lines
 * later, below the line git names in the @@ header), while that @@ line
 * is at one place in the file and right after it the file has the
 * hunk's blanks left from the leading context and then the lines right
 * after the insertion, up to one not blank; trailing lines past those
 * must be gone too.  Nothing upstream put between the @@ line and
 * the insertion is in the file, so the insertion goes right after the @@
 * line, where the file agrees with the hunk on what follows.  Returns 0
 * when placed so.
 */
int anchor_header(struct place_result *out, const struct place_file *pf,
		  const struct patch_hunk *h, long expected,
		  const unsigned char *taken)
{
	size_t i, end, k, blanks = 0, keep = 0;
	long at, q;
	int gone = 0;

	if (!patch_hunk_insertion(h, &i, &end))
		return -1;
	for (k = 0; k < i; k++) {
		if (place_blank_line(&h->lines[k])) {
			blanks++;
		} else if (!count_of(pf, &h->lines[k])) {
			gone = 1;
			blanks = 0;
		} else {
			return -1;
		}
	}
	if (!gone)
		return -1;
	for (k = end; k < h->nr && count_of(pf, &h->lines[k]); k++)
		if (!place_blank_line(&h->lines[k]))
			keep = k + 1 - end;
	if (!keep)
		return -1;
	for (k = end + keep; k < h->nr; k++)
		if (!place_blank_line(&h->lines[k]) && count_of(pf, &h->lines[k]))
			return -1;
	if ((at = header_line(pf, h->func)) < 0)
		return -1;
	q = at + 1;
	for (k = i - blanks; k < i; k++, q++)
		if (q >= (long)pf->nr || !place_same_text(pf, q, &h->lines[k]))
			return -1;
	for (k = end; k < end + keep; k++, q++)
		if (q >= (long)pf->nr || !place_same_text(pf, q, &h->lines[k]))
			return -1;
	q = at + 1 + (long)blanks;	/* the first file line after the insertion */
	if (!place_range_free(taken, (size_t)q - 1, 1))
		return -1;
	put_between(out, pf, h, i, end, q - 1, -1);
	out->offset = q - (long)i - expected;
	out->score = (double)(blanks + keep) / (double)(h->nr - (end - i));
	return 0;
}

/* Whether file line q is not blank and found nowhere else in the file. */
static int file_unique(const struct place_file *pf, long q)
{
	size_t first;

	return !place_ws_equal(pf->line[q].s, pf->line[q].len, "", 0) &&
	       place_lookup(pf->bywh, pf->nr, pf->wh[q], &first) == 1;
}

/* The most lines a line re-wrapped upstream or in the file is split into. */
#define MAX_WRAP 4

/* Whether the lines a[0..na) joined are the lines b[0..nb) joined, blanks
 * aside. */
static int joined_equal(const struct place_line *a, size_t na,
			const struct place_line *b, size_t nb)
{
	size_t i = 0, j = 0, x = 0, y = 0;

	for (;;) {
		while (i < na && (x == a[i].len || place_is_ws(a[i].s[x])))
			if (x == a[i].len)
				i++, x = 0;
			else
				x++;
		while (j < nb && (y == b[j].len || place_is_ws(b[j].s[y])))
			if (y == b[j].len)
				j++, y = 0;
			else
				y++;
		if (i == na || j == nb)
			return i == na && j == nb;
		if (a[i].s[x++] != b[j].s[y++])
			return 0;
	}
}

/*
 * One step of a run outward from hunk line k and file line q (dir -1 up,
 * +1 down): the line byte for byte, or the same text wrapped otherwise,
 * hunk lines [k..] joined being file line q or the reverse (up to
 * MAX_WRAP lines, none blank, hunk lines within [lo, hi)).  Sets *dk and
 * *dq to the lines taken; returns 0 when there is no such step.
 */
static int run_step(const struct place_file *pf, const struct patch_hunk *h,
		    long k, long q, int dir, long lo, long hi, size_t *dk,
		    size_t *dq)
{
	struct place_line a[MAX_WRAP], b;
	size_t m;

	*dk = *dq = 1;
	if (place_same_text(pf, q, &h->lines[k]))
		return 1;
	/* a blank is no part of a wrapped line */
	if (place_blank_line(&h->lines[k]) ||
	    place_ws_equal(pf->line[q].s, pf->line[q].len, "", 0))
		return 0;
	/* hunk lines k, k + dir, ... joined in file order: file line q */
	for (m = 1; m <= MAX_WRAP; m++) {
		long kk = k + dir * (long)(m - 1);
		size_t slot = dir < 0 ? MAX_WRAP - m : m - 1;

		if (kk < lo || kk >= hi || place_blank_line(&h->lines[kk]))
			break;
		a[slot].s = h->lines[kk].text;
		a[slot].len = h->lines[kk].len;
		if (m > 1 && joined_equal(dir < 0 ? a + slot : a, m,
					  &pf->line[q], 1)) {
			*dk = m;
			return 1;
		}
	}
	/* file lines q, q + dir, ... joined in file order: hunk line k */
	b.s = h->lines[k].text;
	b.len = h->lines[k].len;
	for (m = 2; m <= MAX_WRAP; m++) {
		long qq = q + dir * (long)(m - 1);

		if (qq < 0 || qq >= (long)pf->nr ||
		    place_ws_equal(pf->line[qq].s, pf->line[qq].len, "", 0))
			break;
		if (joined_equal(pf->line + (dir < 0 ? qq : q), m, &b, 1)) {
			*dq = m;
			return 1;
		}
	}
	return 0;
}

/*
 * How many hunk lines of [lo, hi) from k outward (dir -1 up, +1 down) are
 * file lines from q outward, byte for byte or wrapped otherwise
 * (run_step); *uniq is set when one of those file lines, not blank, is
 * once in the file.
 */
static size_t run_at(const struct place_file *pf, const struct patch_hunk *h,
		     long k, long q, int dir, long lo, long hi, int *uniq)
{
	size_t n = 0, dk, dq;

	while (k >= lo && k < hi && q >= 0 && q < (long)pf->nr &&
	       run_step(pf, h, k, q, dir, lo, hi, &dk, &dq)) {
		for (size_t z = 0; z < dq; z++)
			if (file_unique(pf, q + dir * (long)z))
				*uniq = 1;
		k += dir * (long)dk;
		q += dir * (long)dq;
		n += dk;
	}
	return n;
}

/*
 * Whether no hunk line of [a, b) is once in the file but for blanks: the
 * lines past the runs around an insertion are gone or say nothing of
 * where code is; a unique one elsewhere would contradict the place.
 */
static int none_unique(const struct place_file *pf, const struct patch_hunk *h,
		       size_t a, size_t b)
{
	for (size_t k = a; k < b; k++)
		if (!place_blank_line(&h->lines[k]) &&
		    count_of(pf, &h->lines[k]) == 1)
			return 0;
	return 1;
}

/*
 * Whether hunk lines [a, b), not all blank, are file lines from some q in
 * [lo, hi) on, whitespace aside.
 */
static int whole_in(const struct place_file *pf, const struct patch_hunk *h,
		    size_t a, size_t b, long lo, long hi)
{
	size_t k;

	for (k = a; k < b && place_blank_line(&h->lines[k]); k++)
		;
	if (k == b)
		return 0;
	for (long q = lo; q + (long)(b - a) <= hi; q++) {
		for (k = a; k < b; k++) {
			const struct place_line *l = &pf->line[q + (long)(k - a)];

			if (!place_ws_equal(l->s, l->len, h->lines[k].text,
					    h->lines[k].len))
				break;
		}
		if (k == b)
			return 1;
	}
	return 0;
}

/* Whether a[0..an) is a prefix of b[0..bn), whitespace aside. */
static int ws_prefix(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < an && place_is_ws(a[i]))
			i++;
		while (j < bn && place_is_ws(b[j]))
			j++;
		if (i == an)
			return 1;
		if (j == bn || a[i++] != b[j++])
			return 0;
	}
}

/*
 * The name in function line s[0..n) (the word before its first "("):
 * *b and *e bound it.  0 when the line has none.
 */
static int func_name(const char *s, size_t n, size_t *b, size_t *e)
{
	const char *paren = memchr(s, '(', n);
	size_t k;

	if (!paren)
		return 0;
	for (k = (size_t)(paren - s); k > 0 && place_is_ws(s[k - 1]); k--)
		;
	*e = k;
	while (k > 0 && place_is_word(s[k - 1]))
		k--;
	*b = k;
	return *e > *b;
}

/*
 * Whether the function git would name at file line q, which is not the
 * @@ function (the file lacks that), is that function renamed: one name
 * holds the other (a prefix or suffix added, as "_f" became "__f"), and
 * the rest of the line, its type and parameters, is the same.  A function
 * the file lacks may have taken the hunk's place with it, and lines like
 * the hunk's in another function are another place.
 */
static int renamed_at(const struct place_file *pf, long q, const char *func)
{
	long fl = shape_func_above(pf, q);
	size_t fn = strlen(func), b1, e1, b2, e2;
	const char *s;

	if (fl < 0)
		return 0;
	s = pf->line[fl].s;
	if (!func_name(func, fn, &b1, &e1) ||
	    !func_name(s, pf->line[fl].len, &b2, &e2) ||
	    !place_ws_equal(func, b1, s, b2))
		return 0;
	if (e1 - b1 <= e2 - b2 ? !memmem(s + b2, e2 - b2, func + b1, e1 - b1)
			       : !memmem(func + b1, e1 - b1, s + b2, e2 - b2))
		return 0;
	/* the rest, as far as git kept the @@ line */
	return ws_prefix(func + e1, fn - e1, s + e2, pf->line[fl].len - e2);
}

/*
 * A hunk that only inserts, whose two lines around the insertion are
 * the hunk's own and adjacent in the file, with the runs of lines
 * matching outward from them (byte for byte, or wrapped otherwise: a
 * long call split at other commas) holding a line found nowhere else in
 * the file: the insertion goes between them, if that is the only
 * such place (inside the @@ function; when the file lacks it, though the
 * hunk does not show its own function line, inside one alike to it,
 * renamed: renamed_at).  The hunk's
 * lines past those runs may be gone or common (a blank, a brace, a
 * common statement), not unique elsewhere: upstream rewrote or moved
 * them, and since the lines right around the insertion are the hunk's
 * own, extra lines the file has beyond them say nothing of its place.
 * But a side matched only in part must not be in the file whole
 * elsewhere (above an extra block the file has before the insertion's
 * true place): then the hunk's context disagrees on the place.
 * Returns 0 when placed so.
 */
int anchor_adjacent(struct place_result *out, const struct place_file *pf,
		    const struct patch_hunk *h, long expected,
		    const unsigned char *taken)
{
	size_t i, end, up = 0, down = 0;
	long f, e, at = -1, q;
	int gone;

	if (!patch_hunk_insertion(h, &i, &end))
		return -1;
	gone = h->func && *h->func && !shape_own_func(h) &&
	       !shape_func_exists(pf, h->func);
	if (shape_search_range(pf, h, &f, &e))
		return -1;
	for (q = f + 2; q < e; q++) {
		size_t u, d;
		int uniq = 0;

		u = run_at(pf, h, (long)i - 1, q - 1, -1, 0, (long)i, &uniq);
		if (!u)
			continue;
		d = run_at(pf, h, (long)end, q, 1, (long)end, (long)h->nr,
			   &uniq);
		if (!d || !uniq || !none_unique(pf, h, 0, i - u) ||
		    !none_unique(pf, h, end + d, h->nr) ||
		    (u < i && whole_in(pf, h, 0, i, f + 1, e)) ||
		    (end + d < h->nr && whole_in(pf, h, end, h->nr, f + 1, e)))
			continue;
		if (at >= 0)
			return -1;
		at = q;
		up = u;
		down = d;
	}
	if (at < 0 || !place_range_free(taken, (size_t)at - 1, 2) ||
	    (f >= 0 && !shape_func_at(pf, at, h->func)) ||
	    (gone && !renamed_at(pf, at, h->func)))
		return -1;
	put_between(out, pf, h, i, end, at - 1, at);
	out->offset = at - (long)i - expected;
	out->score = (double)(up + down) / (double)(h->nr - (end - i));
	return 0;
}

/* Whether file line l holds a word: not only braces and punctuation. */
static int has_word(const struct place_line *l)
{
	for (size_t k = 0; k < l->len; k++)
		if (place_is_word(l->s[k]))
			return 1;
	return 0;
}

/*
 * A hunk that only inserts, some of whose context lines are nowhere in
 * the file (upstream wrote them later, or the file never had them),
 * while the others, in the hunk's order, are adjacent file lines byte
 * for byte at one place starting inside the @@ function (they may go on
 * past its end), some on each side of the insertion, at least as many
 * as the missing ones, and one with a word in it found nowhere else in
 * the file (in a short file a lone brace or comment opener is once, and says
 * nothing).  The file there is the hunk's context less
 * the missing lines, with nothing in their place (a line drifted in the
 * file would stand between), so the insertion goes between the lines
 * around it.  Returns 0 when placed so.
 */
int anchor_gone(struct place_result *out, const struct place_file *pf,
		const struct patch_hunk *h, long expected,
		const unsigned char *taken)
{
	size_t i, end, k, up = 0, down = 0, gone = 0;
	long f, e, at = -1, q;

	if (!patch_hunk_insertion(h, &i, &end))
		return -1;
	for (k = 0; k < h->nr; k++) {
		if (k >= i && k < end)
			continue;
		if (!count_of(pf, &h->lines[k]))
			gone++;
		else if (k < i)
			up++;
		else
			down++;
	}
	if (!gone || !up || !down || up + down < gone ||
	    shape_search_range(pf, h, &f, &e))
		return -1;
	for (q = f + 1; q < e; q++) {
		long r = q;
		int uniq = 0;

		for (k = 0; k < h->nr; k++) {
			if ((k >= i && k < end) || !count_of(pf, &h->lines[k]))
				continue;
			if (r >= (long)pf->nr || !place_same_text(pf, r, &h->lines[k]))
				break;
			uniq |= file_unique(pf, r) && has_word(&pf->line[r]);
			r++;
		}
		if (k < h->nr || !uniq)
			continue;
		if (at >= 0)
			return -1;
		at = q + (long)up;
	}
	if (at < 0 || !place_range_free(taken, (size_t)at - 1, 2) ||
	    (f >= 0 && !shape_func_at(pf, at, h->func)))
		return -1;
	put_between(out, pf, h, i, end, at - 1, at);
	out->offset = at - (long)i - expected;
	out->score = (double)(up + down) / (double)(h->nr - (end - i));
	return 0;
}

/* Whether hunk line l is once in file lines [lo, hi), whitespace aside. */
static int once_in(const struct place_file *pf, const struct patch_line *l,
		   long lo, long hi)
{
	uint64_t wh = place_hash_line(l->text, l->len, 1);
	int n = 0;

	for (long q = lo; q < hi; q++)
		if (pf->wh[q] == wh &&
		    place_ws_equal(pf->line[q].s, pf->line[q].len, l->text,
				   l->len))
			n++;
	return n == 1;
}

/*
 * Where the removed lines of the change run [c0, c1] (n of them) are, byte
 * for byte and one after the other, in file lines (lo, e): the place if it
 * is the only one and a removed line, not blank, is once in (f, e); else
 * -1.
 */
static long removed_at(const struct place_file *pf, const struct patch_hunk *h,
		       size_t c0, size_t c1, size_t n, long f, long lo, long e)
{
	long at = -1;
	int pin = 0;
	size_t k;

	for (k = c0; k <= c1 && !pin; k++)
		pin = h->lines[k].kind == '-' &&
		      !place_blank_line(&h->lines[k]) &&
		      once_in(pf, &h->lines[k], f + 1, e);
	if (!pin)
		return -1;
	for (long q = lo + 1; q + (long)n <= e; q++) {
		long p = q;

		for (k = c0; k <= c1; k++)
			if (h->lines[k].kind == '-' &&
			    !place_same_text(pf, p++, &h->lines[k]))
				break;
		if (k <= c1)
			continue;
		if (at >= 0)
			return -1;
		at = q;
	}
	return at;
}

/*
 * A hunk each of whose runs of changes removes lines: the removed lines
 * pin it themselves when each run's, byte for byte and one after the
 * other, are at exactly one place in the @@ function (which the file has
 * once), in the hunk's order, and one of them, not blank, is found
 * nowhere else in it.  The context around may have drifted or moved (a
 * local gone, a call renamed): the lines the fix takes out say where it
 * is.  A run's added lines go where its removed lines were; the file's
 * lines between the runs stay.  Returns 0 when placed so.
 */
int anchor_removed(struct place_result *out, const struct place_file *pf,
		   const struct patch_hunk *h, long expected,
		   const unsigned char *taken)
{
	struct place_result r = PLACE_RESULT_INIT;
	size_t k, alloc = 0, first = 0;
	long f, e, prev, cur = -1, start = -1;

	if (shape_own_func(h) || (f = shape_func_line(pf, h->func)) < 0)
		return -1;
	e = shape_func_end(pf, f);
	prev = f;
	for (k = 0; k < h->nr;) {
		size_t c0 = k, c1, n = 0;
		long at;

		if (h->lines[k].kind == ' ') {
			k++;
			continue;
		}
		for (c1 = k; c1 + 1 < h->nr && h->lines[c1 + 1].kind != ' '; c1++)
			;
		for (k = c0; k <= c1; k++)
			n += h->lines[k].kind == '-';
		if (!n || (at = removed_at(pf, h, c0, c1, n, f, prev, e)) < 0 ||
		    !place_range_free(taken, (size_t)at, n) ||
		    !shape_func_at(pf, at, h->func))
			goto refuse;
		if (start < 0) {
			start = cur = at;
			first = c0;
		}
		place_add_file_lines(&r, &alloc, pf, cur, at);
		for (k = c0; k <= c1; k++)
			if (h->lines[k].kind == '+')
				place_add_post(&r, &alloc, h->lines[k].text,
					       h->lines[k].len);
		cur = at + (long)n;
		prev = cur - 1;
		k = c1 + 1;
	}
	if (start < 0)
		goto refuse;
	r.tier = PLACE_REALIGNED;
	r.pos = start;
	r.len = cur - start;
	r.offset = start - (long)first - expected;
	place_result_release(out);
	*out = r;
	return 0;
refuse:
	place_result_release(&r);
	return -1;
}

/* Whether file or hunk text s[0..n) starts a definition's line: a word in
 * the first column, a "(" on the line, no ";" ending it. */
static int def_line(const char *s, size_t n)
{
	if (!n || !((s[0] >= 'a' && s[0] <= 'z') ||
		    (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return 0;
	n = place_rtrim_len(s, n);
	return memchr(s, '(', n) && s[n - 1] != ';';
}

/* The end (exclusive) of the definition whose line is q among lines
 * [q, e) of l: after its "}" in the first column, when a "{" in the first
 * column comes first and no line ends in ";" before it (a prototype); or
 * -1. */
static long def_end(const struct place_line *l, long q, long e)
{
	long k = q;

	for (; k < e && !(l[k].len && l[k].s[0] == '{'); k++) {
		size_t n = place_rtrim_len(l[k].s, l[k].len);

		if (n && l[k].s[n - 1] == ';')
			return -1;
	}
	for (; k < e; k++)
		if (l[k].len && l[k].s[0] == '}')
			return k + 1;
	return -1;
}

/*
 * The end (exclusive) of the comment starting at line q of l (its first
 * non-blank is a slash and a star) among lines [q, e): after the line
 * ending in its closing star and slash; or q when none starts there.
 */
static long comment_end(const struct place_line *l, long q, long e)
{
	size_t b = 0, n;

	if (q >= e)
		return q;
	while (b < l[q].len && place_is_ws(l[q].s[b]))
		b++;
	if (b + 1 >= l[q].len || l[q].s[b] != '/' || l[q].s[b + 1] != '*')
		return q;
	for (long k = q; k < e; k++) {
		n = place_rtrim_len(l[k].s, l[k].len);
		if (n >= 2 && l[k].s[n - 2] == '*' && l[k].s[n - 1] == '/' &&
		    (k > q || n - b >= 4))
			return k + 1;
	}
	return q;
}

/* The first line of the comment that ends right above line f, or f. */
static long comment_above(const struct place_file *pf, long f)
{
	for (long q = f - 1; q >= 0 && f - q <= 64; q--)
		if (comment_end(pf->line, q, f) == f)
			return q;
	return f;
}

/* Whether l holds only blanks. */
static int blank_text(const struct place_line *l)
{
	return place_blank_text(l->s, l->len);
}

/* Whether a hunk of the file adds a line match(line, arg) accepts: what
 * the hunk deletes there moved in the file. */
static int file_adds(const struct place_file *pf,
		     int (*match)(const struct patch_line *, const void *),
		     const void *arg)
{
	for (size_t k = 0; k < pf->hunk_nr; k++)
		for (size_t i = 0; i < pf->hunks[k].nr; i++)
			if (pf->hunks[k].lines[i].kind == '+' &&
			    match(&pf->hunks[k].lines[i], arg))
				return 1;
	return 0;
}

/* Whether hunk line l is a definition line naming name. */
static int defines(const struct patch_line *l, const void *name)
{
	struct place_line pl = { l->text, l->len };
	struct place_file one = { &pl, 1 };

	return def_line(l->text, l->len) && shape_func_line(&one, name) == 0;
}

/*
 * A hunk that only deletes whole definitions (each from its line in the
 * first column to its "}" there, maybe with a comment right above it,
 * blank lines between and around them): it takes those functions out of
 * the program, whatever their bodies drifted to.  Each is deleted where
 * the file defines it, with the comment right above it when the hunk
 * deletes one there, when the file defines it once, the definitions are
 * one after another (blank lines between) in the hunk's order, and no
 * hunk of the file adds it back (a move).  The blank lines the hunk
 * deletes around them go too, where the file has them.  The context does
 * not matter, the names say where; but a file lacking the @@ function
 * lacks code the patch builds on.  Returns 0 when placed so.
 */
int anchor_defs_gone(struct place_result *out, const struct place_file *pf,
		     const struct patch_hunk *h, long expected,
		     const unsigned char *taken)
{
	struct place_line *rl;
	size_t nr = 0, lead = 0, tail = 0, k;
	long start = -1, stop = -1, i;
	int ret = -1;

	/* the @@ function the file lacks: the patch builds on code the
	 * branch does not have */
	if (h->func && *h->func && !shape_func_exists(pf, h->func))
		return -1;
	for (k = 0; k < h->nr && h->lines[k].kind == ' '; k++)
		;
	for (; k < h->nr && h->lines[k].kind == '-'; k++)
		nr++;
	for (; k < h->nr && h->lines[k].kind == ' '; k++)
		;
	if (!nr || k < h->nr)
		return -1;
	rl = xcalloc(nr, sizeof(*rl));
	for (k = 0, nr = 0; k < h->nr; k++)
		if (h->lines[k].kind == '-') {
			rl[nr].s = h->lines[k].text;
			rl[nr++].len = h->lines[k].len;
		}
	for (i = 0; i < (long)nr && blank_text(&rl[i]); i++)
		lead++;
	while (i < (long)nr) {
		long e = -1, f, fe, fc, c = comment_end(rl, i, (long)nr);
		int commented = c > i, moved;
		char *func;

		/* a comment right above a definition is the definition's */
		i = c;
		if (i < (long)nr && def_line(rl[i].s, rl[i].len))
			e = def_end(rl, i, (long)nr);
		if (e < 0)
			goto done;
		func = xstrndup(rl[i].s, rl[i].len);
		f = shape_func_line(pf, func);
		/* another hunk of the file adds it back */
		moved = file_adds(pf, defines, func);
		free(func);
		if (f < 0 || f < stop || moved ||
		    (fe = def_end(pf->line, f, (long)pf->nr)) < 0)
			goto done;
		fc = commented ? comment_above(pf, f) : f;
		/* only blank lines between this definition and the last */
		for (long q = stop < 0 ? fc : stop; q < fc; q++)
			if (!blank_text(&pf->line[q]))
				goto done;
		if (start < 0)
			start = fc;
		stop = fe;
		for (i = e, tail = 0; i < (long)nr && blank_text(&rl[i]); i++)
			tail++;
	}
	if (start < 0)
		goto done;
	while (lead && start > 0 && blank_text(&pf->line[start - 1])) {
		start--;
		lead--;
	}
	while (tail && stop < (long)pf->nr && blank_text(&pf->line[stop])) {
		stop++;
		tail--;
	}
	if (!place_range_free(taken, (size_t)start, (size_t)(stop - start)))
		goto done;
	place_result_release(out);
	out->tier = PLACE_REALIGNED;
	out->pos = start;
	out->len = stop - start;
	out->offset = start - expected;
	ret = 0;
done:
	free(rl);
	return ret;
}

/* Whether hunk line l holds a word. */
static int hunk_line_word(const struct patch_line *l)
{
	struct place_line pl = { l->text, l->len };

	return has_word(&pl);
}

/* Whether hunk lines a and b differ in blanks only. */
static int same_but_blanks(const struct patch_line *a, const void *b)
{
	const struct patch_line *l = b;

	return place_ws_equal(a->text, a->len, l->text, l->len);
}

/* Whether another hunk of the file adds most of the n removed lines
 * holding a word of hunk h's lines [c0, c1] back: they moved. */
static int run_added(const struct place_file *pf, const struct patch_hunk *h,
		     size_t c0, size_t c1, size_t n)
{
	size_t added = 0;

	for (size_t i = c0; i <= c1; i++) {
		const struct patch_line *l = &h->lines[i];

		if (l->kind == '-' && hunk_line_word(l))
			added += file_adds(pf, same_but_blanks, l);
	}
	return 2 * added > n;
}

/*
 * The one file line q in (f, e) where every context line of hunk h (one
 * with no added lines) is byte for byte at q plus its index, or -1.
 */
static long context_straight(const struct place_file *pf,
			     const struct patch_hunk *h, long f, long e)
{
	long at = -1;

	for (long q = f + 1; q + (long)h->nr <= e; q++) {
		size_t k = 0;

		while (k < h->nr &&
		       (h->lines[k].kind != ' ' ||
			place_same_text(pf, q + (long)k, &h->lines[k])))
			k++;
		if (k == h->nr && at >= 0)
			return -1;
		if (k == h->nr)
			at = q;
	}
	return at;
}

/*
 * A hunk that only deletes lines, with context on both sides, some of
 * them drifted too far to be alike (the word merge refuses it): where
 * every context line is byte for byte in its place, the file has as many
 * lines between them as the hunk deletes, most of them (of those holding
 * a word) byte for byte the hunk's, and this layout is at one place only
 * (inside the @@ function when the file has it once), the file's lines
 * there go, whatever the rest of them drifted to.  The context says
 * where, the lines that kept their text say what, and a deletion writes
 * none of upstream's words into the file.  Not when another hunk of the
 * file adds most of them back (a move).  Returns 0 when placed.
 */
int anchor_run_deleted(struct place_result *out, const struct place_file *pf,
		       const struct patch_hunk *h, long expected,
		       const unsigned char *taken)
{
	size_t c0, c1, worded = 0, same = 0, alloc = 0;
	long f, e, at = -1;

	for (c0 = 0; c0 < h->nr && h->lines[c0].kind == ' '; c0++)
		;
	for (c1 = h->nr; c1 > c0 && h->lines[c1 - 1].kind == ' '; c1--)
		;
	if (!c0 || c1 == c0 || c1 == h->nr)
		return -1;
	c1--;
	for (size_t k = c0; k <= c1; k++)
		if (h->lines[k].kind == '+')
			return -1;
	if (shape_search_range(pf, h, &f, &e) ||
	    (at = context_straight(pf, h, f, e)) < 0)
		return -1;
	for (size_t k = c0; k <= c1; k++) {
		const struct patch_line *l = &h->lines[k];

		if (l->kind != '-' || !hunk_line_word(l))
			continue;
		worded++;
		same += place_same_text(pf, at + (long)k, l);
	}
	if (2 * same <= worded || same == worded ||
	    run_added(pf, h, c0, c1, worded) ||
	    !place_range_free(taken, (size_t)at + c0, c1 + 1 - c0) ||
	    (f >= 0 && !shape_func_at(pf, at + (long)c0, h->func)))
		return -1;
	place_result_release(out);
	for (size_t k = c0; k <= c1; k++)
		if (h->lines[k].kind == ' ')
			place_add_file_lines(out, &alloc, pf, at + (long)k,
					     at + (long)k + 1);
	out->tier = PLACE_REALIGNED;
	out->pos = at + (long)c0;
	out->len = (long)(c1 + 1 - c0);
	out->offset = at - expected;
	out->score = (double)same / (double)worded;
	return 0;
}
