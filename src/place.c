/*
 * place: the hunk placement cascade; see place.h for the contract.
 */
#include "place.h"
#include "banned.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>

struct place_key {
	uint64_t h;
	size_t pos;
};

/* Thresholds for realignment (tier 5); see doc/secport-apply.1. */
#define MIN_SCORE 0.4    /* weighted fraction of the pre-image aligned */
#define MIN_MARGIN 0.2    /* best minus the runner-up elsewhere */
#define MAX_VOTES 64      /* a line seen more often does not vote */
#define MAX_WINDOWS 8
#define MAX_ALIGN_CELLS (4u << 20)

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static uint64_t hash_line(const char *s, size_t n, int ignore_ws)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		if (ignore_ws && is_ws(s[i]))
			continue;
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	}
	return h;
}

int place_ws_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < alen && is_ws(a[i]))
			i++;
		while (j < blen && is_ws(b[j]))
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
	for (size_t i = 0; i < nr; i++) {
		pf->h[i] = hash_line(line[i].s, line[i].len, 0);
		pf->wh[i] = hash_line(line[i].s, line[i].len, 1);
		pf->byh[i].h = pf->h[i];
		pf->byh[i].pos = i;
		pf->bywh[i].h = pf->wh[i];
		pf->bywh[i].pos = i;
	}
	qsort(pf->byh, nr, sizeof(*pf->byh), key_cmp);
	qsort(pf->bywh, nr, sizeof(*pf->bywh), key_cmp);
}

void place_file_release(struct place_file *pf)
{
	if (!pf)
		return;
	free(pf->h);
	free(pf->wh);
	free(pf->byh);
	free(pf->bywh);
	memset(pf, 0, sizeof(*pf));
}

/* Lines of the file with hash h: their count, the first at *first. */
static size_t lookup(const struct place_key *k, size_t nr, uint64_t h,
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
	default:
		return "failed";
	}
}

/* One side (pre- or post-image) of a hunk: hunk line indices and hashes. */
struct side {
	size_t n;
	size_t *idx;
	uint64_t *h, *wh;
};

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
		s->h[s->n] = hash_line(l->text, l->len, 0);
		s->wh[s->n] = hash_line(l->text, l->len, 1);
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

static int range_free(const unsigned char *taken, size_t pos, size_t n)
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
		size_t c = lookup(keys, pf->nr, ws ? s->wh[k] : s->h[k],
				  &first);

		if (c < best_nr) {
			best_nr = c;
			best = k;
		}
		if (!c)
			return 0;
	}
	lookup(keys, pf->nr, ws ? s->wh[best] : s->h[best], &first);
	for (size_t o = first; o < first + best_nr; o++) {
		size_t q = keys[o].pos, k;

		if (q < best || q - best + s->n > pf->nr)
			continue;
		q -= best;
		for (k = 0; k < s->n; k++)
			if (!line_eq(pf, q + k, &h->lines[s->idx[k]], s->h[k],
				     s->wh[k], ws))
				break;
		if (k < s->n || !range_free(taken, q, s->n))
			continue;
		ALLOC_GROW(res, nr + 1, alloc);
		res[nr++] = (long)q;
	}
	*out = res;
	return nr;
}

static int starts_func(const struct place_line *l)
{
	char c = l->len ? l->s[0] : 0;

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$';
}

static int func_matches(const struct place_line *l, const char *func)
{
	size_t n = strlen(func);

	while (n && is_ws(func[n - 1]))
		n--;
	return n && l->len >= n && !memcmp(l->s, func, n);
}

/* Whether the function line git would name for a hunk at pos is func. */
static int func_at(const struct place_file *pf, long pos, const char *func)
{
	for (long i = pos - 1; i >= 0; i--)
		if (starts_func(&pf->line[i]))
			return func_matches(&pf->line[i], func);
	return 0;
}

static int func_exists(const struct place_file *pf, const char *func)
{
	if (!func || !*func)
		return 0;
	for (size_t i = 0; i < pf->nr; i++)
		if (starts_func(&pf->line[i]) &&
		    func_matches(&pf->line[i], func))
			return 1;
	return 0;
}

static long dist(long a, long b)
{
	return a > b ? a - b : b - a;
}

/*
 * Choose among exact candidates: the expected position; else those inside
 * the @@ function, then the nearest, unless the next is about as near.
 * Returns the index or -1 (ambiguous).
 */
static long choose(const long *pos, size_t nr, long expected,
		   const struct place_file *pf, const char *func)
{
	long best = -1, second = -1;
	int use_func = 0;

	for (size_t i = 0; i < nr; i++)
		if (pos[i] == expected)
			return (long)i;
	if (nr == 1)
		return 0;
	if (func && *func)
		for (size_t i = 0; i < nr; i++)
			if (func_at(pf, pos[i], func))
				use_func = 1;
	for (size_t i = 0; i < nr; i++) {
		if (use_func && !func_at(pf, pos[i], func))
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

static void add_post(struct place_result *out, size_t *alloc,
		     const char *s, size_t len)
{
	ALLOC_GROW(out->post, out->post_nr + 1, *alloc);
	out->post[out->post_nr].s = s;
	out->post[out->post_nr].len = len;
	out->post_nr++;
}

static void add_file_lines(struct place_result *out, size_t *alloc,
			   const struct place_file *pf, long from, long to)
{
	for (long q = from; q < to; q++)
		add_post(out, alloc, pf->line[q].s, pf->line[q].len);
}

/*
 * Build the replacement from an alignment: map[i] is the file line of
 * hunk line i (context or removed) or -1.  Context comes from the file,
 * insertions from the hunk.  Returns -1 with *reason when a removed line
 * is unaligned or an insertion is not pinned on both sides.
 */
static int build_post(struct place_result *out, const struct place_file *pf,
		      const struct patch_hunk *h, const long *map,
		      int contiguous, const char **reason)
{
	size_t alloc = 0, i;
	long first = -1, last = -1, cur;

	out->post_nr = 0;
	for (i = 0; i < h->nr; i++) {
		if (h->lines[i].kind == '+')
			continue;
		if (map[i] < 0) {
			if (h->lines[i].kind == '-') {
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
	cur = first;
	for (i = 0; i < h->nr;) {
		const struct patch_line *l = &h->lines[i];
		long prev = -1, next = -1, ip, g;
		size_t u1 = 0, u2 = 0, k, end;

		if (l->kind == ' ' || l->kind == '-') {
			if (map[i] >= 0) {
				add_file_lines(out, &alloc, pf, cur, map[i]);
				if (l->kind == ' ')
					add_file_lines(out, &alloc, pf, map[i],
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
				break;
			}
			u1++;
		}
		for (k = end; k < h->nr; k++) {
			if (h->lines[k].kind == '+')
				continue;
			if (map[k] >= 0) {
				next = map[k];
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
		/* a contiguous match, or the file's start or end, pins too */
		else if (prev < 0 && next >= 0 && !u2 && (contiguous || next == 0))
			ip = next;
		else if (next < 0 && prev >= 0 && !u1 &&
			 (contiguous || prev == (long)pf->nr - 1))
			ip = prev + 1;
		else if (prev < 0 || next < 0) {
			*reason = "an insertion is not pinned on both sides";
			return -1;
		} else if ((g = next - prev - 1) == 0)
			ip = prev + 1;
		else if ((size_t)g == u1 + u2)
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
		add_file_lines(out, &alloc, pf, cur, ip);
		for (k = i; k < end; k++)
			add_post(out, &alloc, h->lines[k].text,
				 h->lines[k].len);
		cur = ip;
		i = end;
	}
	add_file_lines(out, &alloc, pf, cur, last + 1);
	out->pos = first;
	out->len = last - first + 1;
	return 0;
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
	long first, last;
};

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
static double align(long *map, const struct place_file *pf,
		    const struct patch_hunk *h, const struct side *pre,
		    const double *w, long lo, long hi,
		    const unsigned char *taken)
{
	size_t n = pre->n, m = (size_t)(hi - lo), i, j, cells = (n + 1) * (m + 1);
	double *X = xcalloc(cells, sizeof(*X)), *M = xcalloc(cells, sizeof(*M));
	unsigned char *cx = xcalloc(cells, 1), *cm = xcalloc(cells, 1);
	double total = 0;
	int state = 0; /* 0: in X, 1: in M */

#define AT(a, b) ((a) * (m + 1) + (b))
	for (i = 0; i < cells; i++)
		M[i] = -1;
	for (i = 1; i <= n; i++) {
		const struct patch_line *l = &h->lines[pre->idx[i - 1]];

		for (j = 1; j <= m; j++) {
			size_t q = (size_t)lo + j - 1, c = AT(i, j);

			if ((!taken || !taken[q]) &&
			    line_eq(pf, q, l, pre->h[i - 1], pre->wh[i - 1], 1)) {
				double d = X[AT(i - 1, j - 1)];

				cm[c] = 0;
				if (M[AT(i - 1, j - 1)] >= 0 &&
				    M[AT(i - 1, j - 1)] + ADJ_BONUS >= d) {
					d = M[AT(i - 1, j - 1)] + ADJ_BONUS;
					cm[c] = 1;
				}
				M[c] = d + w[i - 1];
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
		total += w[i - 1];
		state = cm[c];
		i--;
		j--;
	}
#undef AT
	free(X);
	free(M);
	free(cx);
	free(cm);
	return total;
}

/* Tier 5; returns 0 when placed (out filled), -1 otherwise. */
static int realign(struct place_result *out, const struct place_file *pf,
		   const struct patch_hunk *h, const struct side *pre,
		   long expected, const unsigned char *taken)
{
	double *w = xcalloc(pre->n + 1, sizeof(*w)), wsum = 0;
	struct vote *votes = NULL;
	struct window *win = NULL;
	size_t nvotes = 0, valloc = 0, nwin = 0, walloc = 0, i;
	long n = (long)pre->n, slack = n / 2 + 3;
	int best = -1, runner = -1, ret = -1, has_func;
	const char *reason = "no place matches well enough";

	for (i = 0; i < pre->n; i++) {
		size_t first, c = lookup(pf->bywh, pf->nr, pre->wh[i], &first);

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
	has_func = func_exists(pf, h->func);
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
				  taken) / wsum;
		if (!build_post(&tmp, pf, h, wd->map, 0, &why)) {
			wd->valid = 1;
			wd->first = tmp.pos;
			wd->last = tmp.pos + tmp.len;
			if (has_func && !func_at(pf, tmp.pos, h->func))
				wd->valid = 0, why = "not inside the function "
						     "named by the hunk";
		}
		free(tmp.post);
		if (wd->valid && (best < 0 || wd->score > win[best].score))
			best = (int)i;
		else if (why && best < 0)
			reason = why;
	}
	if (best < 0)
		goto fail;
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
		goto fail;
	}
	if (runner >= 0 && win[best].score - win[runner].score < MIN_MARGIN) {
		reason = "two places match about equally well";
		goto fail;
	}
	{
		const char *why;
		size_t straight = 1;
		long p = -1;

		build_post(out, pf, h, win[best].map, 0, &why);
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
fail:
	if (ret) {
		/* the best few places, for the report */
		for (size_t k = 0; k < nwin && out->cand_nr < PLACE_MAX_CAND; k++) {
			size_t b = nwin;

			for (i = 0; i < nwin; i++) {
				int seen = 0;

				if (!win[i].map)
					continue;
				for (size_t c = 0; c < out->cand_nr; c++)
					if (out->cand[c].pos == win[i].lo)
						seen = 1;
				if (!seen && (b == nwin || win[i].score > win[b].score))
					b = i;
			}
			if (b == nwin)
				break;
			out->cand[out->cand_nr].pos = win[b].lo;
			for (i = 0; i < h->nr; i++)
				if (win[b].map[i] >= 0) {
					out->cand[out->cand_nr].pos =
						win[b].map[i];
					break;
				}
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

int place_hunk(struct place_result *out, const struct place_file *pf,
	       const struct patch_hunk *h, long expected,
	       const unsigned char *taken)
{
	struct side pre, post;
	long *map = xcalloc(h->nr + 1, sizeof(*map));
	long *pos = NULL;
	const char *why = NULL;
	size_t nr;
	long c;

	memset(out, 0, sizeof(*out));
	side_init(&pre, h, '+');
	side_init(&post, h, '-');
	if (!pre.n) {
		/* nothing to match: only an empty file or its start */
		if (h->old_start <= 1 && (!pf->nr || !h->old_start)) {
			size_t alloc = 0;

			out->tier = PLACE_EXACT;
			for (size_t i = 0; i < h->nr; i++)
				add_post(out, &alloc, h->lines[i].text,
					 h->lines[i].len);
			goto done;
		}
		out->reason = "the hunk has no context to place it by";
		goto done;
	}
	for (int ws = 0; ws <= 1; ws++) {
		nr = find_all(&pos, pf, h, &pre, ws, taken);
		c = nr ? choose(pos, nr, expected, pf, h->func) : -1;
		if (c >= 0) {
			map_straight(map, h, pos[c]);
			if (build_post(out, pf, h, map, 1, &why)) {
				out->reason = why;
				goto done;
			}
			out->tier = ws ? PLACE_WHITESPACE
				       : pos[c] == expected ? PLACE_EXACT
							    : PLACE_OFFSET;
			out->offset = pos[c] - expected;
			out->score = 1;
			goto done;
		}
		if (nr > 1) {
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
		nr = find_all(&pos, pf, h, &post, ws, taken);
		c = nr ? choose(pos, nr, expected, pf, h->func) : -1;
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
	realign(out, pf, h, &pre, expected, taken);
done:
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
	memset(r, 0, sizeof(*r));
}
