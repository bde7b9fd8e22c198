/*
 * place: the hunk placement cascade; see place.h for the contract.
 */
#include "place.h"
#include "place-int.h"
#include "adapt.h"
#include "reindent.h"
#include "shape.h"
#include "wordmerge.h"
#include "banned.h"
#include "strbuf.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>

/* Thresholds for realignment (tier 5); see doc/secport-apply.1. */
#define MIN_SCORE 0.4    /* weighted fraction of the pre-image aligned */
#define MIN_MARGIN 0.2    /* best minus the runner-up elsewhere */
#define FUZZY_SIM 0.75    /* word similarity for a drifted context line */
#define KNOWN_SIM 0.5     /* a line recognisably another (half alike) */
#define MAX_VOTES 64      /* a line seen more often does not vote */
#define MAX_WINDOWS 8
#define MAX_ALIGN_CELLS (4u << 20)

uint64_t place_hash_line(const char *s, size_t n, int ignore_ws)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		if (ignore_ws && place_is_ws(s[i]))
			continue;
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	}
	return h;
}

int place_ws_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < alen && place_is_ws(a[i]))
			i++;
		while (j < blen && place_is_ws(b[j]))
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (a[i++] != b[j++])
			return 0;
	}
}

static int key_cmp(const void *a, const void *b)
{
	const struct place_key *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void place_file_init(struct place_file *pf, const struct place_line *line,
		     size_t nr)
{
	memset(pf, 0, sizeof(*pf));
	pf->line = line;
	pf->nr = nr;
	pf->h = xcalloc(nr + 1, sizeof(*pf->h));
	pf->wh = xcalloc(nr + 1, sizeof(*pf->wh));
	pf->byh = xcalloc(nr + 1, sizeof(*pf->byh));
	pf->bywh = xcalloc(nr + 1, sizeof(*pf->bywh));
	pf->vocab = adapt_vocab_new();
	for (size_t i = 0; i < nr; i++) {
		pf->h[i] = place_hash_line(line[i].s, line[i].len, 0);
		pf->wh[i] = place_hash_line(line[i].s, line[i].len, 1);
		pf->byh[i].h = pf->h[i];
		pf->byh[i].pos = i;
		pf->bywh[i].h = pf->wh[i];
		pf->bywh[i].pos = i;
	}
	if (nr > 1) {
		qsort(pf->byh, nr, sizeof(*pf->byh), key_cmp);
		qsort(pf->bywh, nr, sizeof(*pf->bywh), key_cmp);
	}
}

void place_file_release(struct place_file *pf)
{
	if (!pf)
		return;
	free(pf->h);
	free(pf->wh);
	free(pf->byh);
	free(pf->bywh);
	adapt_vocab_free(pf->vocab);
	memset(pf, 0, sizeof(*pf));
}

/* Lines of the file with hash h: their count, the first at *first. */
size_t place_lookup(const struct place_key *k, size_t nr, uint64_t h,
		     size_t *first)
{
	size_t lo = 0, hi = nr, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (end = lo; end < nr && k[end].h == h; end++)
		;
	return end - lo;
}

const char *place_tier_name(enum place_tier t)
{
	switch (t) {
	case PLACE_EXACT:
		return "exact";
	case PLACE_OFFSET:
		return "offset";
	case PLACE_WHITESPACE:
		return "whitespace";
	case PLACE_FUZZ:
		return "fuzz";
	case PLACE_REALIGNED:
		return "realigned";
	case PLACE_ALREADY:
		return "already applied";
	case PLACE_MERGED:
		return "merged";
	default:
		return "failed";
	}
}

static void side_init(struct side *s, const struct patch_hunk *h, char skip)
{
	s->n = 0;
	s->idx = xcalloc(h->nr + 1, sizeof(*s->idx));
	s->h = xcalloc(h->nr + 1, sizeof(*s->h));
	s->wh = xcalloc(h->nr + 1, sizeof(*s->wh));
	for (size_t i = 0; i < h->nr; i++) {
		const struct patch_line *l = &h->lines[i];

		if (l->kind == skip)
			continue;
		s->idx[s->n] = i;
		s->h[s->n] = place_hash_line(l->text, l->len, 0);
		s->wh[s->n] = place_hash_line(l->text, l->len, 1);
		s->n++;
	}
}

static void side_release(struct side *s)
{
	free(s->idx);
	free(s->h);
	free(s->wh);
}

static int line_eq(const struct place_file *pf, size_t q,
		   const struct patch_line *l, uint64_t h, uint64_t wh, int ws)
{
	const struct place_line *fl = &pf->line[q];

	if (ws)
		return pf->wh[q] == wh &&
		       place_ws_equal(fl->s, fl->len, l->text, l->len);
	return pf->h[q] == h && fl->len == l->len &&
	       !memcmp(fl->s, l->text, l->len);
}

int place_range_free(const unsigned char *taken, size_t pos, size_t n)
{
	if (!taken)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (taken[pos + i])
			return 0;
	return 1;
}

/*
 * Every position where side s occurs contiguously (exactly or ignoring
 * whitespace), outside taken lines.  Returns the count; *out is malloc'ed.
 */
static size_t find_all(long **out, const struct place_file *pf,
		       const struct patch_hunk *h, const struct side *s,
		       int ws, const unsigned char *taken)
{
	const struct place_key *keys = ws ? pf->bywh : pf->byh;
	size_t best = 0, best_nr = (size_t)-1, first, nr = 0, alloc = 0;
	long *res = NULL;

	*out = NULL;
	if (!s->n || s->n > pf->nr)
		return 0;
	for (size_t k = 0; k < s->n; k++) {
		size_t c = place_lookup(keys, pf->nr, ws ? s->wh[k] : s->h[k],
				  &first);

		if (c < best_nr) {
			best_nr = c;
			best = k;
		}
		if (!c)
			return 0;
	}
	place_lookup(keys, pf->nr, ws ? s->wh[best] : s->h[best], &first);
	for (size_t o = first; o < first + best_nr; o++) {
		size_t q = keys[o].pos, k;

		if (q < best || q - best + s->n > pf->nr)
			continue;
		q -= best;
		for (k = 0; k < s->n; k++)
			if (!line_eq(pf, q + k, &h->lines[s->idx[k]], s->h[k],
				     s->wh[k], ws))
				break;
		if (k < s->n || !place_range_free(taken, q, s->n))
			continue;
		ALLOC_GROW(res, nr + 1, alloc);
		res[nr++] = (long)q;
	}
	*out = res;
	return nr;
}

static long dist(long a, long b)
{
	return a > b ? a - b : b - a;
}

/*
 * Choose among exact candidates: the expected position; else those inside
 * the @@ function, then the nearest, unless the next is about as near.
 * Returns the index, -1 (ambiguous), -2 (func_known: the @@ function is
 * in the file, and no candidate is inside it) or -3 (the same, but the one
 * candidate holds a line found nowhere else, unique_line: the caller tries
 * the named function first, then falls back to it).
 */
static long choose(const long *pos, size_t nr, long expected,
		   const struct place_file *pf, const char *func,
		   int func_known, int unique_line)
{
	long best = -1, second = -1;
	int use_func = 0;

	for (size_t i = 0; i < nr; i++)
		if (pos[i] == expected)
			return (long)i;
	if (func && *func)
		for (size_t i = 0; i < nr; i++)
			if (shape_func_at(pf, pos[i], func))
				use_func = 1;
	/*
	 * The named function is in the file but no candidate is in it: the
	 * code moved, or the context is a pattern repeated elsewhere.  Only
	 * a single candidate holding a line found nowhere else is trusted.
	 */
	if (func_known && !use_func)
		return nr == 1 && unique_line ? -3 : -2;
	if (nr == 1)
		return 0;
	for (size_t i = 0; i < nr; i++) {
		if (use_func && !shape_func_at(pf, pos[i], func))
			continue;
		if (best < 0 || dist(pos[i], expected) < dist(pos[best], expected)) {
			second = best;
			best = (long)i;
		} else if (second < 0 || dist(pos[i], expected) <
						 dist(pos[second], expected)) {
			second = (long)i;
		}
	}
	if (second >= 0 && dist(pos[best], expected) * 2 + 10 >=
				   dist(pos[second], expected))
		return -1;
	return best;
}

void place_add_post(struct place_result *out, size_t *alloc,
		     const char *s, size_t len)
{
	ALLOC_GROW(out->post, out->post_nr + 1, *alloc);
	out->post[out->post_nr].s = s;
	out->post[out->post_nr].len = len;
	out->post_nr++;
}

void place_add_file_lines(struct place_result *out, size_t *alloc,
			   const struct place_file *pf, long from, long to)
{
	for (long q = from; q < to; q++)
		place_add_post(out, alloc, pf->line[q].s, pf->line[q].len);
}

/*
 * Whether the line pinning an insertion (hunk line k, aligned) could as
 * well have aligned on the other side of extra file lines: walking away
 * from the insertion (dir -1 up, +1 down) to the next aligned line, the
 * file has more lines than the hunk and one of them equals line k (a blank
 * after the #includes, or before a comment).  Then the insertion's place
 * is a guess.
 */
static int pin_ambiguous(const struct place_file *pf,
			 const struct patch_hunk *h, const long *map, size_t k,
			 int dir)
{
	long d = 0, lo, hi;
	size_t j = k;

	for (;;) {
		if (dir < 0 ? j == 0 : j + 1 >= h->nr)
			return 0;
		j = dir < 0 ? j - 1 : j + 1;
		if (h->lines[j].kind == '+')
			continue;
		if (map[j] >= 0)
			break;
		d++;
	}
	lo = dir < 0 ? map[j] : map[k];
	hi = dir < 0 ? map[k] : map[j];
	if (hi - lo - 1 <= d)
		return 0;
	/* extra lines that end (above the pin) or start (below it) the
	 * conditional of the lines beyond: the pin is outside it, beside
	 * the insertion, as build_post_from puts an insertion */
	if (shape_cpp_outside(pf, lo + 1, hi) == (dir < 0 ? 1 : -1))
		return 0;
	for (long q = lo + 1; q < hi; q++)
		if (pf->wh[q] == pf->wh[map[k]])
			return 1;
	return 0;
}

/*
 * Whether text s[0..n) holds word w[0..wn) (a run of word characters).
 */
static int has_word_tok(const char *s, size_t n, const char *w, size_t wn)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && place_is_word(s[j]))
			j++;
		if (j - i == wn && !memcmp(s + i, w, wn))
			return 1;
		i = j > i ? j : i + 1;
	}
	return 0;
}

/*
 * Whether file line o matches hunk line l better than file line q does:
 * it is l (blanks aside), or it is more alike in words and holds a word of
 * l that q lacks (the word that drifted at q is there).
 */
static int better_copy(const struct place_file *pf,
		       const struct patch_line *l, long q, long o, double sq)
{
	const struct place_line *fo = &pf->line[o], *fq = &pf->line[q];

	if (place_ws_equal(fo->s, fo->len, l->text, l->len))
		return 1;
	if (fo->len > 2 * l->len + 8 || l->len > 2 * fo->len + 8 ||
	    wordmerge_line_sim(l->text, l->len, fo->s, fo->len) <= sq)
		return 0;
	for (size_t i = 0; i < l->len;) {
		size_t j = i;

		while (j < l->len && place_is_word(l->text[j]))
			j++;
		if (j > i && !has_word_tok(fq->s, fq->len, l->text + i, j - i) &&
		    has_word_tok(fo->s, fo->len, l->text + i, j - i))
			return 1;
		i = j > i ? j : i + 1;
	}
	return 0;
}

/* Whether file line q stands for hunk line k in map: aligned to it, or
 * both aligned to nothing. */
static int stands_for(const struct patch_hunk *h, const long *map, long k,
		      long q)
{
	if (map[k] >= 0)
		return map[k] == q;
	for (size_t j = 0; j < h->nr; j++)
		if (h->lines[j].kind != '+' && map[j] == q)
			return 0;
	return 1;
}

int place_pin_elsewhere(const struct place_file *pf,
			const struct patch_hunk *h, const long *map, long k,
			long q, int dir, long slo, long shi)
{
	const struct patch_line *l;
	long f, e;
	double sq;

	while (k >= 0 && k < (long)h->nr && h->lines[k].kind == ' ' &&
	       place_blank_line(&h->lines[k]))
		k += dir;
	while (q >= 0 && q < (long)pf->nr &&
	       place_ws_equal(pf->line[q].s, pf->line[q].len, "", 0))
		q += dir;
	if (k < 0 || k >= (long)h->nr || q < 0 || q >= (long)pf->nr ||
	    h->lines[k].kind != ' ' || (map && !stands_for(h, map, k, q)))
		return 0;
	l = &h->lines[k];
	if (place_ws_equal(pf->line[q].s, pf->line[q].len, l->text, l->len))
		return 0;
	sq = wordmerge_line_sim(l->text, l->len, pf->line[q].s,
				pf->line[q].len);
	if (sq < KNOWN_SIM) /* not a match of it at all */
		return 0;
	if (shape_search_range(pf, h, &f, &e)) {
		f = -1;
		e = (long)pf->nr;
	}
	for (long o = f + 1; o < e; o++)
		if (o != q && (o < slo || o >= shi) &&
		    better_copy(pf, l, q, o, sq))
			return 1;
	return 0;
}

int place_pins_elsewhere(const struct place_file *pf,
			 const struct patch_hunk *h, const long *lmap)
{
	for (size_t i = 0; i < h->nr; i++) {
		size_t end = i;
		int ins = 0;

		if (h->lines[i].kind == ' ')
			continue;
		/* a run that removes lines is pinned by them */
		while (end < h->nr && h->lines[end].kind != ' ')
			ins |= h->lines[end++].kind == '+' ? 1 : 2;
		if (ins != 1)
			ins = 0;
		for (int dir = -1; ins && dir <= 1; dir += 2) {
			long k = dir < 0 ? (long)i - 1 : (long)end;

			/* the nearest line not blank: what pins the words */
			while (k >= 0 && k < (long)h->nr &&
			       h->lines[k].kind == ' ' &&
			       place_blank_line(&h->lines[k]))
				k += dir;
			if (k >= 0 && k < (long)h->nr &&
			    place_pin_elsewhere(pf, h, NULL, k, lmap[k], dir,
						0, 0))
				return 1;
		}
		i = end;
	}
	return 0;
}

/*
 * Whether the hunk inserts at the start (end) of its file: it begins
 * (ends) with added lines, it has context on the other side (so the diff
 * was made with context, and the lack of it here means the file's edge),
 * and, at the start, it begins at the first line.
 */
static int at_start(const struct patch_hunk *h)
{
	return h->nr && h->old_start == 1 && h->lines[0].kind == '+' &&
	       h->lines[h->nr - 1].kind == ' ';
}

static int at_end(const struct patch_hunk *h)
{
	return h->nr && h->lines[h->nr - 1].kind == '+' &&
	       h->lines[0].kind == ' ';
}

/*
 * Whether hunk lines [from, to), unaligned, sit between an insertion
 * and the blank hunk line pin while the file lines from q on that stand
 * for them are not recognisably theirs: a blank says nothing of where
 * code is, and with the lines beside it gone the insertion is pinned by
 * nothing.
 */
static int blank_pin_across(const struct place_file *pf,
			    const struct patch_hunk *h, size_t pin,
			    size_t from, size_t to, long q)
{
	if (from == to || !place_blank_line(&h->lines[pin]))
		return 0;
	for (size_t k = from; k < to; k++) {
		const struct patch_line *l = &h->lines[k];

		if (l->kind == '+')
			continue;
		if (wordmerge_line_sim(l->text, l->len, pf->line[q].s,
				       pf->line[q].len) < KNOWN_SIM)
			return 1;
		q++;
	}
	return 0;
}

/*
 * Build the replacement from an alignment: map[i] is the file line of
 * hunk line i (context or removed) or -1.  Context comes from the file,
 * insertions from the hunk.  Returns -1 with *reason when a removed line
 * is unaligned (and not left[i]: left in the file on purpose) or an
 * insertion is not pinned on both sides.
 */
static int build_post_from(struct place_result *out,
			   const struct place_file *pf,
			   const struct patch_hunk *h, const long *map,
			   const unsigned char *left, int contiguous,
			   const char **reason)
{
	size_t alloc = 0, i;
	long first = -1, last = -1, cur;

	out->post_nr = 0;
	for (i = 0; i < h->nr; i++) {
		if (h->lines[i].kind == '+')
			continue;
		if (map[i] < 0) {
			if (h->lines[i].kind == '-' && !left[i]) {
				*reason = "a removed line is not in the file";
				return -1;
			}
			continue;
		}
		if (first < 0)
			first = map[i];
		last = map[i];
	}
	if (first < 0) {
		*reason = "no line of the hunk is in the file";
		return -1;
	}
	if (!shape_cpp_removal_ok(pf, h, map)) {
		*reason = "removed lines straddle a preprocessor conditional "
			  "the hunk does not show";
		return -1;
	}
	cur = first;
	for (i = 0; i < h->nr;) {
		const struct patch_line *l = &h->lines[i];
		long prev = -1, next = -1, ip, g;
		size_t u1 = 0, u2 = 0, k, end, pk = 0, nk = 0;
		int side = 0; /* only #endifs (1) or #ifs (-1) between pins */

		if (l->kind == ' ' || l->kind == '-') {
			if (map[i] >= 0) {
				place_add_file_lines(out, &alloc, pf, cur, map[i]);
				if (l->kind == ' ')
					place_add_file_lines(out, &alloc, pf, map[i],
						       map[i] + 1);
				cur = map[i] + 1;
			}
			i++;
			continue;
		}
		for (end = i; end < h->nr && h->lines[end].kind == '+'; end++)
			;
		for (k = i; k-- > 0;) {
			if (h->lines[k].kind == '+')
				continue;
			if (map[k] >= 0) {
				prev = map[k];
				pk = k;
				if (!contiguous && pin_ambiguous(pf, h, map, k, -1)) {
					*reason = "an insertion could go on either "
						  "side of extra lines";
					return -1;
				}
				break;
			}
			u1++;
		}
		for (k = end; k < h->nr; k++) {
			if (h->lines[k].kind == '+')
				continue;
			if (map[k] >= 0) {
				next = map[k];
				nk = k;
				if (!contiguous && pin_ambiguous(pf, h, map, k, 1)) {
					*reason = "an insertion could go on either "
						  "side of extra lines";
					return -1;
				}
				break;
			}
			u2++;
		}
		/* a replacement goes where the removed line was */
		if (i > 0 && h->lines[i - 1].kind == '-' && map[i - 1] >= 0)
			ip = map[i - 1] + 1;
		else if (end < h->nr && h->lines[end].kind == '-' &&
			 map[end] >= 0)
			ip = map[end];
		/* a contiguous match, or the file's start or end, pins too;
		 * a hunk made at the start or end of its file must find the
		 * file's start or end there too */
		else if (prev < 0 && next >= 0 && !u2 &&
			 ((contiguous && !at_start(h)) || next == 0))
			ip = next;
		else if (next < 0 && prev >= 0 && !u1 &&
			 ((contiguous && !at_end(h)) ||
			  prev == (long)pf->nr - 1))
			ip = prev + 1;
		else if (prev < 0 || next < 0) {
			*reason = "an insertion is not pinned on both sides";
			return -1;
		} else if ((g = next - prev - 1) == 0)
			ip = prev + 1;
		else if (!u1 && !u2 &&
			 (side = shape_cpp_outside(pf, prev + 1, next)))
			ip = side > 0 ? next : prev + 1;
		else if ((size_t)g == u1 + u2 &&
			 !blank_pin_across(pf, h, pk, pk + 1, i, prev + 1) &&
			 !blank_pin_across(pf, h, nk, end, nk,
					   prev + 1 + (long)u1))
			ip = prev + 1 + (long)u1;
		else if (!u1 && u2 && (size_t)g < u2)
			ip = prev + 1;
		else if (u1 && !u2 && (size_t)g < u1)
			ip = next;
		else {
			*reason = "the file has other lines where an insertion "
				  "goes";
			return -1;
		}
		/* pinned across extra lines: in the same conditional block
		 * as upstream, seen from either pin */
		if (prev >= 0 && next >= 0 && next - prev > 1 && !side &&
		    (!shape_cpp_same(pf, prev, ip, h, pk, i) ||
		     !shape_cpp_same(pf, ip - 1, next, h, end - 1, nk))) {
			*reason = "an insertion would enter or leave a "
				  "preprocessor conditional";
			return -1;
		}
		/* a replacement is pinned by the lines it removes */
		if ((i == 0 || h->lines[i - 1].kind != '-') &&
		    (end == h->nr || h->lines[end].kind != '-') &&
		    (place_pin_elsewhere(pf, h, map, (long)i - 1, ip - 1, -1,
					 0, 0) ||
		     place_pin_elsewhere(pf, h, map, (long)end, ip, 1, 0,
					 0))) {
			*reason = "a line pinning an insertion is only alike in "
				  "words, and the file has a closer copy of it "
				  "elsewhere";
			return -1;
		}
		place_add_file_lines(out, &alloc, pf, cur, ip);
		for (k = i; k < end; k++)
			place_add_post(out, &alloc, h->lines[k].text,
				 h->lines[k].len);
		cur = ip;
		i = end;
	}
	place_add_file_lines(out, &alloc, pf, cur, last + 1);
	out->pos = first;
	out->len = last - first + 1;
	return 0;
}

/* Whether hunk line i is blank (whitespace at most). */
int place_blank_line(const struct patch_line *l)
{
	return place_blank_text(l->text, l->len);
}

/*
 * Whether removed blank line i is aligned away from the removed lines
 * next to it in the hunk (it has some, and is beside none of them in the
 * file): a blank goes with the statement it follows or precedes, and one
 * found apart from them (the next blank further down, past lines the file
 * has and the hunk does not) is some other blank.  Removing it would edit
 * a place the change does not touch.  (Beside one of them is enough: the
 * file may have put a block between the blank and the other.)
 */
static int far_blank(const struct patch_hunk *h, const long *map, size_t i)
{
	int prev, next;

	if (h->lines[i].kind != '-' || map[i] < 0 || !place_blank_line(&h->lines[i]))
		return 0;
	prev = i > 0 && h->lines[i - 1].kind == '-' && map[i - 1] >= 0;
	next = i + 1 < h->nr && h->lines[i + 1].kind == '-' && map[i + 1] >= 0;
	if ((prev && map[i - 1] + 1 == map[i]) ||
	    (next && map[i + 1] == map[i] + 1))
		return 0;
	return prev || next;
}

/*
 * The nearest hunk line from i in direction dir (+1 or -1) that is in
 * the pre-image, aligned and not blank; -1 if none.
 */
static long aligned_beside(const struct patch_hunk *h, const long *map,
			   size_t i, int dir)
{
	for (long k = (long)i + dir; k >= 0 && k < (long)h->nr; k += dir)
		if (h->lines[k].kind != '+' && map[k] >= 0 &&
		    reindent_width(h->lines[k].text, h->lines[k].len) >= 0)
			return k;
	return -1;
}

/*
 * What neighbour j says of hunk line i, both aligned: 1 when upstream
 * indents them alike and the file indents i deeper, 0 when both indent
 * them alike.  When upstream indents them otherwise: 0 when the file
 * shifts both alike from upstream, 1 when it indents j as upstream does
 * (not in the first column: its style) and i deeper than upstream, else
 * -1 (the widths say nothing: the file may indent in another style).
 */
static int nested_beside(const struct place_file *pf,
			 const struct patch_hunk *h, const long *map, size_t i,
			 long j)
{
	const struct place_line *fi, *fj;
	long wi, wj;

	if (j < 0)
		return -1;
	wi = reindent_width(h->lines[i].text, h->lines[i].len);
	wj = reindent_width(h->lines[j].text, h->lines[j].len);
	fi = &pf->line[map[i]];
	fj = &pf->line[map[j]];
	if (wi != wj) {
		long si = reindent_width(fi->s, fi->len) - wi;
		long sj = reindent_width(fj->s, fj->len) - wj;

		if (si == sj)
			return 0; /* the file shifts them alike */
		return wj > 0 && !sj && si > 0 ? 1 : -1;
	}
	return reindent_width(fi->s, fi->len) > reindent_width(fj->s, fj->len);
}

/*
 * Whether the file nests a removed line deeper than its aligned
 * neighbours that upstream indents alike with it: the file wraps it in a
 * construct the hunk does not show (an "if" the line is the body of),
 * and removing it alone would hand that construct the next statement.
 */
static int removed_nested(const struct place_file *pf,
			  const struct patch_hunk *h, const long *map)
{
	for (size_t i = 0; i < h->nr; i++) {
		int prev, next;

		if (h->lines[i].kind != '-' || map[i] < 0 ||
		    reindent_width(h->lines[i].text, h->lines[i].len) < 0)
			continue;
		prev = nested_beside(pf, h, map, i, aligned_beside(h, map, i, -1));
		next = nested_beside(pf, h, map, i, aligned_beside(h, map, i, 1));
		if ((prev == 1 || next == 1) && prev && next)
			return 1;
	}
	return 0;
}

/*
 * How far the nearest aligned pre-image line from removed line i in
 * direction dir (+1 or -1) is in the file, less how far it is in the
 * hunk: 0 when the file has them as the hunk does; -1 when none aligned.
 */
static long gap_beside(const struct patch_hunk *h, const long *map, size_t i,
		       int dir)
{
	long d = 0;

	for (long k = (long)i + dir; k >= 0 && k < (long)h->nr; k += dir) {
		if (h->lines[k].kind == '+')
			continue;
		d++;
		if (map[k] >= 0)
			return (map[k] - map[i]) * dir - d;
	}
	return -1;
}

/* Whether hunk line i + dir is a removed line aligned right beside i. */
static int removed_beside(const struct patch_hunk *h, const long *map,
			  size_t i, int dir)
{
	long k = (long)i + dir;

	return k >= 0 && k < (long)h->nr && h->lines[k].kind == '-' &&
	       map[k] >= 0 && map[k] == map[i] + dir;
}

/* Whether hunk line i + dir is a removed line that aligned. */
static int removed_next_to(const struct patch_hunk *h, const long *map,
			   size_t i, int dir)
{
	long k = (long)i + dir;

	return k >= 0 && k < (long)h->nr && h->lines[k].kind == '-' &&
	       map[k] >= 0;
}

/*
 * Whether a removed line the file has at several places aligned apart:
 * beside none of the removed lines next to it in the hunk (a run of
 * removed lines goes together), or, with none next to it, beside none
 * of the hunk's lines around it (extra file lines on each side, or
 * nothing else aligned).  That is some other copy of a common statement,
 * found where the hunk's own lines drifted away.
 */
static int removed_apart(const struct place_file *pf,
			 const struct patch_hunk *h, const long *map)
{
	for (size_t i = 0; i < h->nr; i++) {
		size_t first;

		if (h->lines[i].kind != '-' || map[i] < 0 ||
		    place_blank_line(&h->lines[i]) ||
		    place_lookup(pf->bywh, pf->nr, pf->wh[map[i]], &first) < 2)
			continue;
		if (removed_next_to(h, map, i, -1) ||
		    removed_next_to(h, map, i, 1)) {
			if (!removed_beside(h, map, i, -1) &&
			    !removed_beside(h, map, i, 1))
				return 1;
		} else if (gap_beside(h, map, i, -1) &&
			   gap_beside(h, map, i, 1)) {
			return 1;
		}
	}
	return 0;
}

/* The last hunk line before i (dir -1) or first after it aligned, or -1. */
static long aligned_next(const struct patch_hunk *h, const long *map, long i,
			 int dir)
{
	for (i += dir; i >= 0 && i < (long)h->nr; i += dir)
		if (h->lines[i].kind != '+' && map[i] >= 0)
			return i;
	return -1;
}

/*
 * Whether a context line left unaligned, where the file has no line
 * between the aligned lines around it, is in words a file line nothing
 * aligned on the other side of a change: between the hunk's aligned
 * lines, the file has it above an insertion upstream has it below, or
 * the reverse.  The line moved relative to the change, and keeping the
 * file's line where it is would put the new code on the wrong side of
 * it.
 */
static int context_moved(const struct place_file *pf,
			 const struct patch_hunk *h, const long *map)
{
	long first = aligned_next(h, map, -1, 1);
	long last = aligned_next(h, map, (long)h->nr, -1);
	unsigned char *used = NULL;
	int moved = 0;

	if (first < 0)
		return 0;
	for (long k = 0; k < (long)h->nr && !moved; k++) {
		const struct patch_line *l = &h->lines[k];
		long ka, kb;

		if (l->kind != ' ' || map[k] >= 0 || place_blank_line(l))
			continue;
		/* drifted in place: the file has lines where it would be */
		ka = aligned_next(h, map, k, -1);
		kb = aligned_next(h, map, k, 1);
		if (ka < 0 || kb < 0 || map[kb] - map[ka] > 1)
			continue;
		if (!used) {
			used = xcalloc((size_t)(map[last] - map[first]) + 1, 1);
			for (long j = 0; j < (long)h->nr; j++)
				if (h->lines[j].kind != '+' && map[j] >= 0)
					used[map[j] - map[first]] = 1;
		}
		for (long q = map[first] + 1; q < map[last] && !moved; q++) {
			long a, b, lo, hi;

			if (used[q - map[first]] ||
			    wordmerge_line_sim(l->text, l->len, pf->line[q].s,
					       pf->line[q].len) < FUZZY_SIM)
				continue;
			/* the aligned hunk lines a, b around file line q */
			for (a = first; (b = aligned_next(h, map, a, 1)) >= 0 &&
					map[b] < q;
			     a = b)
				;
			if (b < 0)
				continue;
			lo = b <= k ? b : k;
			hi = b <= k ? k : a;
			for (long j = lo + 1; j < hi; j++)
				if (h->lines[j].kind != ' ')
					moved = 1;
		}
	}
	free(used);
	return moved;
}

/*
 * Build the replacement from an alignment (see build_post_from); a removed
 * blank line aligned away from its run is left in the file, as a blank
 * the file does not have there.
 */
static int build_post(struct place_result *out, const struct place_file *pf,
		      const struct patch_hunk *h, const long *map,
		      int contiguous, const char **reason)
{
	long *m = xcalloc(h->nr + 1, sizeof(*m));
	unsigned char *left = xcalloc(h->nr + 1, 1);
	int ret;

	for (size_t i = 0; i < h->nr; i++) {
		m[i] = map[i];
		if (far_blank(h, map, i)) {
			m[i] = -1;
			left[i] = 1;
		}
	}
	if (removed_apart(pf, h, m)) {
		*reason = "a removed line aligned apart from the lines around "
			  "it";
		ret = -1;
	} else if (context_moved(pf, h, m)) {
		*reason = "a context line is in the file on the other side of "
			  "the change";
		ret = -1;
	} else if (removed_nested(pf, h, m)) {
		*reason = "the file nests a removed line in a construct the "
			  "hunk does not show";
		ret = -1;
	} else {
		ret = build_post_from(out, pf, h, m, left, contiguous, reason);
	}
	free(left);
	free(m);
	return ret;
}

/* Map every pre-image line to consecutive file lines from pos. */
static void map_straight(long *map, const struct patch_hunk *h, long pos)
{
	for (size_t i = 0; i < h->nr; i++)
		map[i] = h->lines[i].kind == '+' ? -1 : pos++;
}

static void set_fuzzed(struct place_result *out, const struct patch_hunk *h,
		       const long *map, const struct place_file *pf)
{
	size_t alloc = 0;

	for (size_t i = 0; i < h->nr; i++) {
		const struct patch_line *l = &h->lines[i];

		if (l->kind != ' ')
			continue;
		if (map[i] >= 0 &&
		    place_ws_equal(pf->line[map[i]].s, pf->line[map[i]].len,
				   l->text, l->len))
			continue;
		ALLOC_GROW(out->fuzzed, out->fuzzed_nr + 1, alloc);
		out->fuzzed[out->fuzzed_nr++] = i;
	}
}

struct window {
	long lo, hi;
	double votes;
	double score;
	long *map;
	int valid;
	long first, last; /* the placement, when valid */
	long sfirst, slast; /* first and last aligned file line */
	int in_func; /* inside the @@ function, or it is unknown */
};

/* The file line window w aligns the hunk's first mapped line to. */
static long window_line(const struct window *w, const struct patch_hunk *h)
{
	for (size_t i = 0; i < h->nr; i++)
		if (w->map[i] >= 0)
			return w->map[i];
	return w->lo;
}

struct vote {
	long off;
	double w;
};

static int vote_cmp(const void *a, const void *b)
{
	const struct vote *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static int window_cmp(const void *a, const void *b)
{
	const struct window *x = a, *y = b;

	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/*
 * Weighted LCS of the pre-image against file lines [lo, hi): a line
 * weighs 1 / (its count in the file), so rare lines decide; among equal
 * alignments the one with more adjacent pairs wins (ADJ_BONUS), so a
 * changed line stays beside its own context rather than a far blank or
 * brace.  Fills map (per hunk line) and returns the aligned weight.
 */
#define ADJ_BONUS 1e-4

/* 1 / (the count of file line q's text in the file). */
static double file_weight(const struct place_file *pf, size_t q)
{
	size_t first, c = place_lookup(pf->bywh, pf->nr, pf->wh[q], &first);

	return 1.0 / (c ? (double)c : 1.0);
}

#define MAX_FUZZY_CELLS (64u << 10) /* each cell may compare two lines */
static double align(long *map, const struct place_file *pf,
		    const struct patch_hunk *h, const struct side *pre,
		    const double *w, long lo, long hi,
		    const unsigned char *taken, int fuzzy, double *den)
{
	size_t n = pre->n, m = (size_t)(hi - lo), i, j, cells = (n + 1) * (m + 1);
	double *X = xcalloc(cells, sizeof(*X)), *M = xcalloc(cells, sizeof(*M));
	unsigned char *cx = xcalloc(cells, 1), *cm = xcalloc(cells, 1);
	double total = 0;
	int state = 0; /* 0: in X, 1: in M */
	/*
	 * A removed blank line that could as well go with the removed line
	 * above it as with the one below (the file has more lines between
	 * them) goes with the one above: a statement and the blank after it
	 * go together, and no two blanks are left in a row.
	 */
	unsigned char *blank_removed = xcalloc(n + 1, 1);

	for (i = 0; i < n; i++) {
		const struct patch_line *l = &h->lines[pre->idx[i]];

		blank_removed[i] = l->kind == '-' &&
				   place_ws_equal(l->text, l->len, "", 0);
	}

#define AT(a, b) ((a) * (m + 1) + (b))
	for (i = 0; i < cells; i++)
		M[i] = -1;
	for (i = 1; i <= n; i++) {
		const struct patch_line *l = &h->lines[pre->idx[i - 1]];

		for (j = 1; j <= m; j++) {
			size_t q = (size_t)lo + j - 1, c = AT(i, j);

			double mw = -1;

			if (!taken || !taken[q]) {
				if (line_eq(pf, q, l, pre->h[i - 1],
					    pre->wh[i - 1], 1))
					mw = w[i - 1];
				else if (fuzzy && l->kind == ' ' &&
					 l->len < 2 * pf->line[q].len + 8 &&
					 pf->line[q].len < 2 * l->len + 8) {
					double sim = wordmerge_line_sim(
						l->text, l->len, pf->line[q].s,
						pf->line[q].len);

					if (sim >= FUZZY_SIM)
						mw = sim * file_weight(pf, q);
				}
			}
			if (mw >= 0) {
				double d = X[AT(i - 1, j - 1)];
				double tie = i > 1 && blank_removed[i - 2] ?
						     ADJ_BONUS / 2 : 0;

				cm[c] = 0;
				if (M[AT(i - 1, j - 1)] >= 0 &&
				    M[AT(i - 1, j - 1)] + ADJ_BONUS >=
					    d + tie) {
					d = M[AT(i - 1, j - 1)] + ADJ_BONUS;
					cm[c] = 1;
				}
				M[c] = d + mw;
			}
			X[c] = X[AT(i - 1, j)];
			cx[c] = 0;
			if (X[AT(i, j - 1)] > X[c]) {
				X[c] = X[AT(i, j - 1)];
				cx[c] = 1;
			}
			if (M[c] >= 0 && M[c] >= X[c]) {
				X[c] = M[c];
				cx[c] = 2;
			}
		}
	}
	for (i = 0; i < h->nr; i++)
		map[i] = -1;
	for (i = n, j = m; i > 0 && j > 0;) {
		size_t c = AT(i, j);

		if (state == 0 && cx[c] != 2) {
			if (cx[c] == 0)
				i--;
			else
				j--;
			continue;
		}
		map[pre->idx[i - 1]] = lo + (long)j - 1;
		state = cm[c];
		i--;
		j--;
	}
	/* the aligned weight; with fuzzy matches, over its own total */
	*den = 0;
	for (i = 0; i < n; i++) {
		long q = map[pre->idx[i]];
		const struct patch_line *l = &h->lines[pre->idx[i]];

		if (q >= 0 && !line_eq(pf, (size_t)q, l, pre->h[i], pre->wh[i],
				       1)) {
			double fw = file_weight(pf, (size_t)q);

			total += fw * wordmerge_line_sim(l->text, l->len,
							 pf->line[q].s,
							 pf->line[q].len);
			*den += fw;
			continue;
		}
		if (q >= 0)
			total += w[i];
		*den += w[i];
	}
#undef AT
	free(blank_removed);
	free(X);
	free(M);
	free(cx);
	free(cm);
	return total;
}

/* The first and last file line a window's alignment uses. */
static void window_span(struct window *wd, const struct patch_hunk *h)
{
	wd->sfirst = -1;
	for (size_t k = 0; k < h->nr; k++)
		if (wd->map[k] >= 0) {
			if (wd->sfirst < 0)
				wd->sfirst = wd->map[k];
			wd->slast = wd->map[k] + 1;
		}
}

/*
 * Point out->post at the lines of out->buf, the merged text of file lines
 * [lo, hi), and claim only the lines that change, so later hunks can use
 * the rest.
 */
static void post_from_text(struct place_result *out,
			   const struct place_file *pf, long lo, long hi)
{
	size_t alloc = 0, skip = 0;

	out->post_nr = 0;
	for (char *s = out->buf; *s;) {
		char *nl = strchr(s, '\n');

		if (!nl)
			break;
		place_add_post(out, &alloc, s, (size_t)(nl - s));
		s = nl + 1;
	}
	while (lo < hi && skip < out->post_nr &&
	       out->post[skip].len == pf->line[lo].len &&
	       !memcmp(out->post[skip].s, pf->line[lo].s, pf->line[lo].len)) {
		skip++;
		lo++;
	}
	while (hi > lo && out->post_nr > skip &&
	       out->post[out->post_nr - 1].len == pf->line[hi - 1].len &&
	       !memcmp(out->post[out->post_nr - 1].s, pf->line[hi - 1].s,
		       pf->line[hi - 1].len)) {
		out->post_nr--;
		hi--;
	}
	if (skip) /* post may be NULL when nothing is left */
		memmove(out->post, out->post + skip,
			(out->post_nr - skip) * sizeof(*out->post));
	out->post_nr -= skip;
	out->pos = lo;
	out->len = hi - lo;
}

/* Fill in how out, built from window wd's alignment, was placed. */
static int placed(struct place_result *out, enum place_tier tier,
		  const struct place_file *pf, const struct patch_hunk *h,
		  const struct window *wd, long expected)
{
	out->tier = tier;
	out->score = wd->score;
	out->offset = out->pos - expected;
	set_fuzzed(out, h, wd->map, pf);
	return 0;
}

/* Whether the context lines of h are byte for byte at file line q, the
 * pre-image laid out straight from there. */
static int context_at(const struct place_file *pf, const struct patch_hunk *h,
		      long q)
{
	for (size_t i = 0; i < h->nr; i++) {
		if (h->lines[i].kind == '+')
			continue;
		if (q >= (long)pf->nr ||
		    (h->lines[i].kind == ' ' &&
		     !place_same_text(pf, q, &h->lines[i])))
			return 0;
		q++;
	}
	return 1;
}

/*
 * Whether map puts every context line of h (the changed lines between
 * some of them) byte for byte where the pre-image laid out straight has
 * it, the only such place inside the @@ function the file has once.
 * Braces, blanks and a call repeated in sibling functions weigh little
 * in the score, and a removed line that drifted in words aligns to
 * nothing; but the whole context in its place, once in the function git
 * named, says where the change goes (the word merge then decides whether
 * the change applies there).
 */
static int context_once(const struct place_file *pf, const struct patch_hunk *h,
			const long *map)
{
	long f, e, start = -1, p = 0;
	int found = 0;

	if (!h->nr || h->lines[0].kind != ' ' ||
	    h->lines[h->nr - 1].kind != ' ')
		return 0;
	for (size_t i = 0; i < h->nr; i++) {
		if (h->lines[i].kind == '+')
			continue;
		if (h->lines[i].kind == ' ') {
			if (map[i] < 0 || (start >= 0 && map[i] != start + p))
				return 0;
			if (start < 0)
				start = map[i] - p;
		}
		p++;
	}
	if (shape_search_range(pf, h, &f, &e) || f < 0)
		return 0;
	for (long q = f + 1; q + p <= e; q++)
		if (context_at(pf, h, q)) {
			if (q != start)
				return 0;
			found = 1;
		}
	return found;
}

/*
 * Tier 6 at window t of win[nwin]: the same acceptance as tier 5 (inside
 * the @@ function, score, margin over other places: accept_at), then
 * word_merge over the aligned lines, widened by the hunk's unaligned edge
 * lines.
 */
static int accept_at(const struct place_file *pf, const struct patch_hunk *h,
		     const struct window *win, size_t nwin, int t,
		     int has_func, const char **reason)
{
	const struct window *wd = &win[t];

	if (has_func && !shape_map_in_func(pf, h, wd->map, wd->sfirst)) {
		*reason = "not inside the function named by the hunk";
		return -1;
	}
	if (wd->score < MIN_SCORE &&
	    !(has_func && context_once(pf, h, wd->map))) {
		*reason = "best place matches too little of the context";
		return -1;
	}
	if (!shape_cpp_change_ok(pf, h, wd->map)) {
		*reason = "the change would cross a preprocessor conditional "
			  "the hunk does not show";
		return -1;
	}
	for (size_t k = 0; k < nwin; k++) {
		if ((int)k == t || !win[k].map || win[k].sfirst < 0 ||
		    !win[k].in_func ||
		    (win[k].slast > wd->sfirst && win[k].sfirst < wd->slast))
			continue;
		if (wd->score - win[k].score < MIN_MARGIN) {
			*reason = "two places match about equally well";
			return -1;
		}
	}
	return 0;
}

/*
 * Whether a line hunk h removes (not blank, not one it adds again) is in
 * the file once, within the hunk's length of the n file lines at pos
 * that hold the hunk's result (the post-image, or a merge that changed
 * nothing) but not among them: the lines the hunk keeps are there, but
 * the one it deletes stayed beside them (the file has it below a line
 * upstream has it above), so the change is not made.  Returns 1 and sets
 * *at to that file line, or 0.
 */
static int removed_stayed(long *at, const struct place_file *pf,
			  const struct patch_hunk *h, long pos, size_t n)
{
	long lo = pos - (long)h->nr, hi = pos + (long)n + (long)h->nr;

	for (size_t k = 0; k < h->nr; k++) {
		const struct patch_line *l = &h->lines[k];
		size_t first, j;
		long q;

		if (l->kind != '-' || place_blank_line(l))
			continue;
		for (j = 0; j < h->nr; j++)
			if (h->lines[j].kind == '+' &&
			    place_ws_equal(h->lines[j].text, h->lines[j].len,
					   l->text, l->len))
				break;
		if (j < h->nr ||
		    place_lookup(pf->bywh, pf->nr,
				 place_hash_line(l->text, l->len, 1), &first) != 1)
			continue;
		q = (long)pf->bywh[first].pos;
		if (q >= lo && q < hi && (q < pos || q >= pos + (long)n)) {
			*at = q;
			return 1;
		}
	}
	return 0;
}

/*
 * Whether hunk h only deletes, and only one line that is not blank: a
 * statement taken out.  Where the file keeps that statement beside the
 * hunk's place (removed_stayed), it is taken out there: the order of the
 * lines around it drifted, not what the hunk removes.
 */
static int one_line_deleted(const struct patch_hunk *h)
{
	size_t n = 0;

	for (size_t k = 0; k < h->nr; k++) {
		if (h->lines[k].kind == '+')
			return 0;
		n += h->lines[k].kind == '-' && !place_blank_line(&h->lines[k]);
	}
	return n == 1;
}

static int merge_at(struct place_result *out, const struct place_file *pf,
		    const struct patch_hunk *h, const struct side *pre,
		    const struct window *win, size_t nwin, int t, int has_func,
		    long expected, const unsigned char *taken,
		    const char **reason)
{
	const struct window *wd = &win[t];
	long lo = wd->sfirst, hi = wd->slast, lead = 0, trail = 0, *lmap, at;
	size_t k;

	if (accept_at(pf, h, win, nwin, t, has_func, reason))
		return -1;
	if (context_moved(pf, h, wd->map)) {
		*reason = "a context line is in the file on the other side of "
			  "the change";
		return -1;
	}
	for (k = 0; k < pre->n && wd->map[pre->idx[k]] < 0; k++)
		lead++;
	for (k = pre->n; k > 0 && wd->map[pre->idx[k - 1]] < 0; k--)
		trail++;
	while (lead-- > 0 && lo > 0 && (!taken || !taken[lo - 1]))
		lo--;
	while (trail-- > 0 && hi < (long)pf->nr && (!taken || !taken[hi]))
		hi++;
	lmap = xcalloc(h->nr + 1, sizeof(*lmap));
	if (!place_range_free(taken, (size_t)lo, (size_t)(hi - lo)) ||
	    wordmerge_replay_lines(&out->buf, lmap, pf, h, wd->map, lo,
				   hi)) {
		free(lmap);
		*reason = "no clean word-level merge: the file differs where "
			  "the hunk changes it";
		return -1;
	}
	k = place_pins_elsewhere(pf, h, lmap);
	free(lmap);
	if (k) {
		place_result_release(out);
		*reason = "a line pinning an insertion is only alike in words, "
			  "and the file has a closer copy of it elsewhere";
		return -1;
	}
	post_from_text(out, pf, lo, hi);
	if (!out->len && !out->post_nr &&
	    removed_stayed(&at, pf, h, lo, hi - lo)) {
		place_result_release(out);
		if (!one_line_deleted(h) ||
		    !place_range_free(taken, (size_t)at, 1)) {
			*reason = "a line the hunk removes is still in the "
				  "file beside its place";
			return -1;
		}
		out->pos = at;
		out->len = 1;
	}
	return placed(out, PLACE_MERGED, pf, h, wd, expected);
}

/*
 * Whether the lines pinning each insertion (the nearest aligned ones on
 * both sides) are the hunk's own, not lines only alike in words.
 */
static int pin_exact(const struct place_file *pf, const struct patch_hunk *h,
		     const long *map, size_t i, int dir)
{
	for (size_t k = i; dir < 0 ? k-- > 0 : ++k < h->nr;) {
		const struct patch_line *l = &h->lines[k];

		if (l->kind == '+' || map[k] < 0)
			continue;
		return place_ws_equal(pf->line[map[k]].s, pf->line[map[k]].len,
				      l->text, l->len);
	}
	return 1;
}

static int pins_exact(const struct place_file *pf, const struct patch_hunk *h,
		      const long *map)
{
	for (size_t i = 0; i < h->nr; i++) {
		size_t end = i;

		if (h->lines[i].kind != '+')
			continue;
		while (end + 1 < h->nr && h->lines[end + 1].kind == '+')
			end++;
		if (!pin_exact(pf, h, map, i, -1) ||
		    !pin_exact(pf, h, map, end, 1))
			return 0;
		i = end;
	}
	return 1;
}

/*
 * The fuzzy realignment placed line for line: where words drifted only in
 * context lines away from the change (tier 6 refuses when the change's
 * anchors drifted), the alignment of tier 5 holds if the lines pinning the
 * insertions are the hunk's own and it passes tier 5's checks.
 */
static int lines_at(struct place_result *out, const struct place_file *pf,
		    const struct patch_hunk *h, const struct window *win,
		    size_t nwin, int t, int has_func, long expected,
		    const char **reason)
{
	const struct window *wd = &win[t];
	const char *why = NULL;

	if (accept_at(pf, h, win, nwin, t, has_func, reason))
		return -1;
	if (!pins_exact(pf, h, wd->map) ||
	    build_post(out, pf, h, wd->map, 0, &why)) {
		place_result_release(out);
		if (why)
			*reason = why;
		return -1;
	}
	place_reindent(out, pf, h, wd->map);
	return placed(out, PLACE_REALIGNED, pf, h, wd, expected);
}

/*
 * An edge context line (before the first change or after the last) that
 * aligned much farther from its neighbour than in the hunk is a chance
 * match of a blank or a brace: unalign it and everything beyond it, so a
 * placement does not swallow lines that belong elsewhere.
 */
#define EDGE_SLACK 3
/* Whether file line q's text (ignoring blanks) is among lines [lo, hi). */
static int occurs(const struct place_file *pf, long lo, long hi, long q)
{
	for (long i = lo; i < hi; i++)
		if (pf->wh[i] == pf->wh[q])
			return 1;
	return 0;
}

/* Whether file line q is the hunk line l byte for byte. */
int place_same_text(const struct place_file *pf, long q,
		     const struct patch_line *l)
{
	return pf->line[q].len == l->len &&
	       !memcmp(pf->line[q].s, l->text, l->len);
}

static void trim_edges(long *map, const struct patch_hunk *h,
		       const struct place_file *pf)
{
	size_t c0 = h->nr, c1 = 0, i;
	long anchor = -1, apos = 0, pos = 0;

	for (i = 0; i < h->nr; i++)
		if (h->lines[i].kind != ' ') {
			if (c0 == h->nr)
				c0 = i;
			c1 = i;
		}
	if (c0 == h->nr)
		return;
	/* leading context, walking up from the first change */
	for (i = c0; i < h->nr; i++)
		if (h->lines[i].kind != '+' && map[i] >= 0)
			break;
	if (i < h->nr) {
		anchor = map[i];
		for (size_t k = 0; k < i; k++)
			apos += h->lines[k].kind != '+';
		pos = apos;
		for (size_t k = i; k-- > 0;) {
			if (h->lines[k].kind == '+')
				continue;
			pos--;
			if (map[k] < 0)
				continue;
			if (k < c0 && anchor - map[k] > apos - pos + EDGE_SLACK) {
				/* unless the anchor itself could be elsewhere
				 * (pin_ambiguous refuses that) and the far
				 * line is the hunk's own, indent and all */
				if (!occurs(pf, map[k] + 1, anchor, anchor) ||
				    !place_same_text(pf, map[k], &h->lines[k]))
					for (size_t z = 0; z <= k; z++)
						map[z] = -1;
				break;
			}
			anchor = map[k];
			apos = pos;
		}
	}
	/* trailing context, walking down from the last change */
	for (i = c1 + 1; i-- > 0;)
		if (h->lines[i].kind != '+' && map[i] >= 0)
			break;
	if (i == (size_t)-1)
		return;
	anchor = map[i];
	apos = pos = 0;
	for (size_t k = i + 1; k < h->nr; k++) {
		if (h->lines[k].kind == '+')
			continue;
		pos++;
		if (map[k] < 0)
			continue;
		if (k > c1 && map[k] - anchor > pos - apos + EDGE_SLACK) {
			if (!occurs(pf, anchor + 1, map[k], anchor) ||
			    !place_same_text(pf, map[k], &h->lines[k]))
				for (size_t z = k; z < h->nr; z++)
					map[z] = -1;
			break;
		}
		anchor = map[k];
		apos = pos;
	}
}

/*
 * When no line of the pre-image is in the file to vote (every one drifted
 * or too common), its context lines found nowhere vote through the file's
 * lines alike in words (FUZZY_SIM; a line alike to more than MAX_VOTES
 * does not vote), each by its similarity.  Such places are no more than
 * the failure's best candidates, around which place_translated learns
 * the words that drifted.  Returns the count of votes (*out malloc'ed).
 */
static size_t alike_votes(struct vote **out, const struct place_file *pf,
			  const struct patch_hunk *h, const struct side *pre)
{
	struct vote *v = NULL;
	size_t nr = 0, alloc = 0, first;

	for (size_t i = 0; i < pre->n; i++) {
		const struct patch_line *l = &h->lines[pre->idx[i]];
		size_t start = nr;

		if (l->kind != ' ' || place_blank_line(l) ||
		    place_lookup(pf->bywh, pf->nr, pre->wh[i], &first))
			continue;
		for (size_t q = 0; q < pf->nr; q++) {
			const struct place_line *f = &pf->line[q];
			double sim;

			if (l->len >= 2 * f->len + 8 || f->len >= 2 * l->len + 8)
				continue;
			sim = wordmerge_line_sim(l->text, l->len, f->s, f->len);
			if (sim < FUZZY_SIM)
				continue;
			if (nr - start >= MAX_VOTES) {
				nr = start;
				break;
			}
			ALLOC_GROW(v, nr + 1, alloc);
			v[nr].off = (long)q - (long)i;
			v[nr].w = sim;
			nr++;
		}
	}
	*out = v;
	return nr;
}

/* Tier 5; returns 0 when placed (out filled), -1 otherwise. */
static int realign(struct place_result *out, const struct place_file *pf,
		   const struct patch_hunk *h, const struct side *pre,
		   long expected, const unsigned char *taken)
{
	double *w = xcalloc(pre->n + 1, sizeof(*w)), wsum = 0, den;
	struct vote *votes = NULL;
	struct window *win = NULL;
	size_t nvotes = 0, valloc = 0, nwin = 0, walloc = 0, i;
	long n = (long)pre->n, slack = n + 3;
	int best = -1, runner = -1, top = -1, ret = -1, has_func;
	int alike = 0; /* places from lines alike in words only */
	const char *reason = "no place matches well enough";

	for (i = 0; i < pre->n; i++) {
		size_t first, c = place_lookup(pf->bywh, pf->nr, pre->wh[i], &first);

		w[i] = 1.0 / (c ? (double)c : 1.0);
		wsum += w[i];
		if (!c || c > MAX_VOTES)
			continue;
		for (size_t o = first; o < first + c; o++) {
			ALLOC_GROW(votes, nvotes + 1, valloc);
			votes[nvotes].off = (long)pf->bywh[o].pos - (long)i;
			votes[nvotes].w = w[i];
			nvotes++;
		}
	}
	if (!nvotes) {
		nvotes = alike_votes(&votes, pf, h, pre);
		alike = nvotes > 0;
	}
	if (nvotes)
		qsort(votes, nvotes, sizeof(*votes), vote_cmp);
	for (i = 0; i < nvotes;) {
		size_t j = i;
		struct window *wd;
		double sum = 0;

		while (j < nvotes && votes[j].off - votes[i].off <= slack)
			sum += votes[j++].w;
		ALLOC_GROW(win, nwin + 1, walloc);
		wd = &win[nwin++];
		memset(wd, 0, sizeof(*wd));
		wd->lo = votes[i].off - slack;
		wd->hi = votes[j - 1].off + n + slack;
		wd->votes = sum;
		i = j;
	}
	if (nwin)
		qsort(win, nwin, sizeof(*win), window_cmp);
	if (nwin > MAX_WINDOWS)
		nwin = MAX_WINDOWS;
	has_func = !shape_own_func(h) && shape_func_exists(pf, h->func);
	for (i = 0; i < nwin; i++) {
		struct window *wd = &win[i];
		struct place_result tmp = PLACE_RESULT_INIT;
		const char *why = NULL;

		if (wd->lo < 0)
			wd->lo = 0;
		if (wd->hi > (long)pf->nr)
			wd->hi = (long)pf->nr;
		if (wd->hi <= wd->lo ||
		    (size_t)(wd->hi - wd->lo) * (pre->n + 1) > MAX_ALIGN_CELLS)
			continue;
		wd->map = xcalloc(h->nr + 1, sizeof(*wd->map));
		wd->score = align(wd->map, pf, h, pre, w, wd->lo, wd->hi,
				  taken, 0, &den) / wsum;
		trim_edges(wd->map, h, pf);
		if (!build_post(&tmp, pf, h, wd->map, 0, &why)) {
			wd->valid = 1;
			wd->first = tmp.pos;
			wd->last = tmp.pos + tmp.len;
			if (has_func && !shape_map_in_func(pf, h, wd->map, tmp.pos))
				wd->valid = 0, why = "not inside the function "
						     "named by the hunk";
		}
		free(tmp.post);
		window_span(wd, h);
		if (wd->valid && (best < 0 || wd->score > win[best].score))
			best = (int)i;
		else if (why && best < 0)
			reason = why;
		wd->in_func = !has_func ||
			      (wd->sfirst >= 0 &&
			       shape_map_in_func(pf, h, wd->map, wd->sfirst));
		if (wd->sfirst >= 0 && wd->in_func &&
		    (top < 0 || wd->score > win[top].score))
			top = (int)i;
	}
	if (top < 0 || win[top].score < MIN_SCORE) {
		/*
		 * Too little matches line for line: the context may have
		 * drifted in words (a renamed field).  Realign letting a
		 * context line match a similar one (FUZZY_SIM), then only a
		 * clean word merge may place the hunk.
		 */
		int ft = -1;

		for (i = 0; i < nwin; i++) {
			struct window *wd = &win[i];

			if (!wd->map || (size_t)(wd->hi - wd->lo) * (pre->n + 1) >
						MAX_FUZZY_CELLS)
				continue;
			wd->score = align(wd->map, pf, h, pre, w, wd->lo,
					  wd->hi, taken, 1, &den);
			wd->score = den > 0 ? wd->score / den : 0;
			trim_edges(wd->map, h, pf);
			window_span(wd, h);
			wd->valid = 0;
			wd->in_func = !has_func ||
				      (wd->sfirst >= 0 &&
				       shape_map_in_func(pf, h, wd->map, wd->sfirst));
			if (wd->sfirst >= 0 && wd->in_func &&
			    (ft < 0 || wd->score > win[ft].score))
				ft = (int)i;
		}
		/* places only alike are candidates, not placements */
		if (!alike && ft >= 0 &&
		    (!merge_at(out, pf, h, pre, win, nwin, ft, has_func,
			       expected, taken, &reason) ||
		     !lines_at(out, pf, h, win, nwin, ft, has_func, expected,
			       &reason)))
			ret = 0;
		goto done;
	}
	if (top >= 0 && (best < 0 || win[top].score > win[best].score)) {
		/*
		 * The best alignment is not valid (a removed line drifted,
		 * an insertion is ambiguous): merge words there or refuse;
		 * a weaker view of the same place or another place does
		 * not overrule it.
		 */
		if (!merge_at(out, pf, h, pre, win, nwin, top, has_func,
			      expected, taken, &reason))
			ret = 0;
		goto done;
	}
	if (best < 0)
		goto done;
	for (i = 0; i < nwin; i++) {
		if ((int)i == best || !win[i].map)
			continue;
		if (win[i].valid && win[i].last > win[best].first &&
		    win[i].first < win[best].last)
			continue; /* the same place seen twice */
		if (win[i].valid && (runner < 0 || win[i].score > win[runner].score))
			runner = (int)i;
	}
	if (win[best].score < MIN_SCORE) {
		reason = "best place matches too little of the context";
		goto done;
	}
	if (runner >= 0 && win[best].score - win[runner].score < MIN_MARGIN) {
		reason = "two places match about equally well";
		goto done;
	}
	{
		const char *why;
		size_t straight = 1;
		long p = -1;

		build_post(out, pf, h, win[best].map, 0, &why);
		place_reindent(out, pf, h, win[best].map);
		out->score = win[best].score;
		out->offset = out->pos - expected;
		set_fuzzed(out, h, win[best].map, pf);
		for (i = 0; i < h->nr; i++) {
			if (h->lines[i].kind == '+')
				continue;
			if (p < 0)
				p = out->pos;
			else
				p++;
			if (win[best].map[i] >= 0 && win[best].map[i] != p)
				straight = 0;
		}
		if (p + 1 != out->pos + out->len)
			straight = 0;
		out->tier = straight ? PLACE_FUZZ : PLACE_REALIGNED;
		ret = 0;
	}
done:
	if (ret) {
		/* the best few places, for the report: each window by the
		 * first line it aligns, a line named once */
		for (size_t k = 0; k < nwin && out->cand_nr < PLACE_MAX_CAND; k++) {
			size_t b = nwin;

			for (i = 0; i < nwin; i++) {
				int seen = 0;

				if (!win[i].map)
					continue;
				for (size_t c = 0; c < out->cand_nr; c++)
					if (out->cand[c].pos == window_line(&win[i], h))
						seen = 1;
				if (!seen && (b == nwin || win[i].score > win[b].score))
					b = i;
			}
			if (b == nwin)
				break;
			out->cand[out->cand_nr].pos = window_line(&win[b], h);
			out->cand[out->cand_nr++].score = win[b].score;
		}
		out->reason = reason;
	}
	for (i = 0; i < nwin; i++)
		free(win[i].map);
	free(win);
	free(votes);
	free(w);
	return ret;
}

/*
 * Whether lines of side s found nowhere else in the file pin the change:
 * a changed line of s, or a context line on each side of the changes.  A
 * unique line on one side only (the next item's header below an insertion)
 * says nothing of what the other side holds in the file: extra items may
 * sit between it and the change's true place.
 */
static int has_unique(const struct place_file *pf, const struct patch_hunk *h,
		      const struct side *s)
{
	size_t first, c0 = h->nr, c1 = 0;
	int before = 0, after = 0;

	for (size_t i = 0; i < h->nr; i++)
		if (h->lines[i].kind != ' ') {
			if (c0 == h->nr)
				c0 = i;
			c1 = i;
		}
	for (size_t k = 0; k < s->n; k++) {
		size_t i = s->idx[k];

		if (place_lookup(pf->bywh, pf->nr, s->wh[k], &first) != 1)
			continue;
		if (h->lines[i].kind != ' ')
			return 1;
		before |= i < c0;
		after |= i > c1;
	}
	return before && after;
}

/* locate(): the hunk was placed inside its @@ function (out is set). */
#define LOCATE_REALIGNED (-4)

/*
 * Find side s (exactly, or with whitespace ignored when ws) and choose
 * among the places (*pos, *nr: the caller frees *pos): the index chosen, or
 * choose()'s -1 or -2.  When the only place lies outside the @@ function
 * (choose's -3), realign the pre-image inside that function first
 * (LOCATE_REALIGNED) and fall back to that one place (0).
 */
static long locate(struct place_result *out, long **pos, size_t *nr,
		   const struct place_file *pf, const struct patch_hunk *h,
		   const struct side *s, const struct side *pre, int ws,
		   long expected, int func_known, const unsigned char *taken)
{
	long c;

	*nr = find_all(pos, pf, h, s, ws, taken);
	c = *nr ? choose(*pos, *nr, expected, pf, h->func, func_known,
			 has_unique(pf, h, s))
		: -1;
	if (c != -3)
		return c;
	if (!realign(out, pf, h, pre, expected, taken))
		return LOCATE_REALIGNED;
	place_result_release(out);
	return 0;
}

static int place_cascade(struct place_result *out,
			 const struct place_file *pf,
			 const struct patch_hunk *h, long expected,
			 const unsigned char *taken, int translated);

/*
 * A hunk no tier could place, written in the words its lines and the
 * file's around its best candidates show drifted (adapt.h), may place:
 * then that placement replaces the failure in out, with text of its
 * own.  Not by a word merge: that would replay edits on lines still
 * differing after the rewriting, one guess on another; nor by the
 * anchor tiers, which trust a few lines of the hunk, here rewritten.
 * (The rewritten hunk has none of the words left, so this recurses
 * once at most.)
 */
static void place_translated(struct place_result *out,
			     const struct place_file *pf,
			     const struct patch_hunk *h, long expected,
			     const unsigned char *taken)
{
	struct patch_hunk t;
	struct place_result r;
	char *buf, *note;

	if (!adapt_translate(&t, &buf, &note, pf, h, out->cand, out->cand_nr))
		return;
	place_cascade(&r, pf, &t, expected, taken, 1);
	if (r.tier == PLACE_FAILED || r.tier == PLACE_MERGED) {
		place_result_release(&r);
		free(note);
	} else {
		adapt_own_post(&r);
		if (r.adapted) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addf(&sb, "%s, %s", note, r.adapted);
			free(note);
			free(r.adapted);
			note = strbuf_detach(&sb, NULL);
		}
		r.adapted = note;
		r.translated = 1;
		place_result_release(out);
		*out = r;
	}
	free(t.lines);
	free(buf);
}

int place_hunk(struct place_result *out, const struct place_file *pf,
	       const struct patch_hunk *h, long expected,
	       const unsigned char *taken)
{
	return place_cascade(out, pf, h, expected, taken, 0);
}

/*
 * Whether hunk h only changes blanks at line ends (a whitespace cleanup):
 * its pre- and post-image are the same lines once those are dropped, and
 * no line it changes ends in a backslash, where the blanks after it decide
 * whether the line goes on.  Such a hunk changes nothing a build or a
 * reader sees: where it has no place (the file lacks the lines, or they
 * drifted), there is nothing to do.
 */
static int blanks_only(const struct patch_hunk *h)
{
	size_t i = 0, j = 0;

	for (;;) {
		size_t a, b;

		while (i < h->nr && h->lines[i].kind == '+')
			i++;
		while (j < h->nr && h->lines[j].kind == '-')
			j++;
		if (i == h->nr || j == h->nr)
			return i == h->nr && j == h->nr;
		a = place_rtrim_len(h->lines[i].text, h->lines[i].len);
		b = place_rtrim_len(h->lines[j].text, h->lines[j].len);
		if (a != b || memcmp(h->lines[i].text, h->lines[j].text, a) ||
		    ((h->lines[i].kind != ' ' || h->lines[j].kind != ' ') &&
		     a && h->lines[i].text[a - 1] == '\\'))
			return 0;
		i++;
		j++;
	}
}

/*
 * Put back the blank line the hunk keeps between a run of its added code
 * and the line after it, where the file has that line right after the
 * run but not the blank: the placement dropped the blank as context the
 * file lacks (it went with lines that drifted above), but it was
 * upstream's layout of the new lines (a blank after declarations, before
 * the next block), and without it they cling to that line.
 */
static void keep_blank_after(struct place_result *out,
			     const struct place_file *pf,
			     const struct patch_hunk *h)
{
	long end = out->pos + out->len;

	for (size_t i = 1; i + 2 < h->nr; i++) {
		const struct patch_line *l = &h->lines[i], *n = l + 1;
		const struct place_line *f;
		size_t k;

		if (l->kind != '+' || n->kind != ' ' || !place_blank_line(n) ||
		    n[1].kind == '+' || place_blank_line(l))
			continue;
		for (k = 0; k + 1 < out->post_nr && out->post[k].s != l->text;
		     k++)
			;
		if (k + 1 >= out->post_nr)
			continue;
		f = &out->post[k + 1];
		if (place_file_line_of(pf, f, out->pos, end) == end ||
		    !place_code_line(f->s, f->len) ||
		    !place_ws_equal(f->s, f->len, n[1].text, n[1].len))
			continue;
		out->post = xrealloc(out->post,
				     (out->post_nr + 1) * sizeof(*out->post));
		memmove(out->post + k + 2, out->post + k + 1,
			(out->post_nr - k - 1) * sizeof(*out->post));
		out->post[k + 1].s = n->text;
		out->post[k + 1].len = n->len;
		out->post_nr++;
	}
}

/* place_hunk; a translated hunk (place_translated) skips the anchors. */
static int place_cascade(struct place_result *out,
			 const struct place_file *pf,
			 const struct patch_hunk *h, long expected,
			 const unsigned char *taken, int translated)
{
	struct side pre, post;
	long *map = xcalloc(h->nr + 1, sizeof(*map));
	long *pos = NULL;
	const char *why = NULL;
	size_t nr;
	long c, at;
	int func_known;

	memset(out, 0, sizeof(*out));
	func_known = !shape_own_func(h) && shape_func_exists(pf, h->func);
	side_init(&pre, h, '+');
	side_init(&post, h, '-');
	if (!pre.n) {
		/* nothing to match: only an empty file or its start */
		if (h->old_start <= 1 && (!pf->nr || !h->old_start)) {
			size_t alloc = 0;

			out->tier = PLACE_EXACT;
			for (size_t i = 0; i < h->nr; i++)
				place_add_post(out, &alloc, h->lines[i].text,
					 h->lines[i].len);
			goto done;
		}
		out->reason = "the hunk has no context to place it by";
		goto done;
	}
	for (int ws = 0; ws <= 1; ws++) {
		c = locate(out, &pos, &nr, pf, h, &pre, &pre, ws, expected,
			   func_known, taken);
		if (c == LOCATE_REALIGNED)
			goto done;
		if (c >= 0) {
			map_straight(map, h, pos[c]);
			if (build_post(out, pf, h, map, 1, &why)) {
				/* an insertion at the file's end that is not
				 * at its end here: applied already, or no
				 * place */
				place_result_release(out);
				free(pos);
				pos = NULL;
				break;
			}
			if (ws)
				place_reindent(out, pf, h, map);
			out->tier = ws ? PLACE_WHITESPACE
				       : pos[c] == expected ? PLACE_EXACT
							    : PLACE_OFFSET;
			out->offset = pos[c] - expected;
			out->score = 1;
			goto done;
		}
		if (nr > 1 && c == -1) {
			for (size_t i = 0; i < nr && i < PLACE_MAX_CAND; i++) {
				out->cand[i].pos = pos[i];
				out->cand[i].score = 1;
			}
			out->cand_nr = nr < PLACE_MAX_CAND ? nr : PLACE_MAX_CAND;
			out->reason = "the context occurs at several places";
			goto done;
		}
		free(pos);
		pos = NULL;
	}
	/* already applied: the post-image is here, the pre-image is not */
	for (int ws = 0; ws <= 1 && post.n; ws++) {
		/* the post-image only outside the named function: that
		 * function may still want the change */
		c = locate(out, &pos, &nr, pf, h, &post, &pre, ws, expected,
			   func_known, taken);
		if (c == LOCATE_REALIGNED)
			goto done;
		if (c >= 0 && removed_stayed(&at, pf, h, pos[c], post.n)) {
			/* not made: place it as any other */
			free(pos);
			pos = NULL;
			break;
		}
		if (c >= 0) {
			out->tier = PLACE_ALREADY;
			out->pos = pos[c];
			out->len = 0;
			out->offset = pos[c] - expected;
			out->score = 1;
			goto done;
		}
		free(pos);
		pos = NULL;
	}
	if (realign(out, pf, h, &pre, expected, taken) && !translated &&
	    anchor_core(out, pf, h, &pre, expected, taken) &&
	    anchor_between(out, pf, h, &pre, expected, taken) &&
	    anchor_one_side(out, pf, h, expected, taken) &&
	    anchor_after_func(out, pf, h, expected, taken) &&
	    anchor_alike(out, pf, h, expected, taken) &&
	    anchor_header(out, pf, h, expected, taken) &&
	    anchor_adjacent(out, pf, h, expected, taken) &&
	    anchor_gone(out, pf, h, expected, taken) &&
	    anchor_removed(out, pf, h, expected, taken) &&
	    anchor_defs_gone(out, pf, h, expected, taken))
		anchor_run_deleted(out, pf, h, expected, taken);
done:
	if (out->tier == PLACE_FAILED && out->cand_nr)
		place_translated(out, pf, h, expected, taken);
	/* a safety net under every tier: never over another hunk's lines */
	if (taken && out->tier != PLACE_FAILED && out->tier != PLACE_ALREADY) {
		for (long i = out->pos; i < out->pos + out->len; i++) {
			if (!taken[i])
				continue;
			place_result_release(out);
			out->tier = PLACE_FAILED;
			out->reason = "it would overlap lines another hunk changed";
			break;
		}
	}
	if (out->tier != PLACE_FAILED && out->tier != PLACE_ALREADY &&
	    (why = place_wrong_code(out, pf, h))) {
		place_result_release(out);
		out->tier = PLACE_FAILED;
		out->reason = why;
	}
	if (place_applied_elsewhere(out, pf, h)) {
		place_result_release(out);
		out->tier = PLACE_FAILED;
		out->reason = "its result is only outside its function, which "
			      "still calls what it removes";
	}
	if (out->tier != PLACE_FAILED && out->tier != PLACE_ALREADY)
		keep_blank_after(out, pf, h);
	if (out->tier == PLACE_FAILED && blanks_only(h)) {
		/* cosmetic, and no place: made as far as it matters */
		place_result_release(out);
		out->tier = PLACE_ALREADY;
		out->cosmetic = 1;
		out->pos = expected < 0 ? 0 : expected;
		if ((size_t)out->pos > pf->nr)
			out->pos = (long)pf->nr;
	}
	if (out->tier != PLACE_FAILED && out->tier != PLACE_ALREADY)
		adapt_added(out, pf, h);
	free(pos);
	free(map);
	side_release(&pre);
	side_release(&post);
	return 0;
}

void place_result_release(struct place_result *r)
{
	if (!r)
		return;
	free(r->post);
	free(r->fuzzed);
	free(r->buf);
	free(r->abuf);
	free(r->adapted);
	memset(r, 0, sizeof(*r));
}
