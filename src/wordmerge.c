/*
 * wordmerge: tier 6 of the placement cascade; see wordmerge.h.
 */
#include "wordmerge.h"
#include "place-int.h"
#include "banned.h"
#include "strbuf.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>

/* Tokens: words ([A-Za-z0-9_] runs), single punctuation characters, runs
 * of blanks, line ends. */
enum { TK_WORD, TK_PUNCT, TK_WS, TK_NL };

struct tok {
	const char *s;
	unsigned len;
	unsigned char kind;
};

struct toks {
	struct tok *v;
	size_t nr, alloc;
	size_t *line; /* first token of each line, then the end */
	size_t line_nr, line_alloc;
};

#define MAX_MERGE_CELLS (2u << 20)

static void tok_add(struct toks *t, const char *s, size_t len, int kind)
{
	ALLOC_GROW(t->v, t->nr + 1, t->alloc);
	t->v[t->nr].s = s;
	t->v[t->nr].len = (unsigned)len;
	t->v[t->nr].kind = (unsigned char)kind;
	t->nr++;
}

/* Append one line's tokens and its line end. */
static void tokenize(struct toks *t, const char *s, size_t len)
{
	size_t i = 0;

	ALLOC_GROW(t->line, t->line_nr + 2, t->line_alloc);
	t->line[t->line_nr++] = t->nr;
	while (i < len) {
		size_t j = i + 1;

		if (place_is_ws(s[i])) {
			while (j < len && place_is_ws(s[j]))
				j++;
			tok_add(t, s + i, j - i, TK_WS);
		} else if (place_is_word(s[i])) {
			while (j < len && place_is_word(s[j]))
				j++;
			tok_add(t, s + i, j - i, TK_WORD);
		} else {
			tok_add(t, s + i, 1, TK_PUNCT);
		}
		i = j;
	}
	tok_add(t, "\n", 1, TK_NL);
	t->line[t->line_nr] = t->nr;
}

static void toks_release(struct toks *t)
{
	free(t->v);
	free(t->line);
}

static int tok_eq(const struct tok *a, const struct tok *b, int loose)
{
	if (a->kind != b->kind)
		return 0;
	if (loose && a->kind == TK_WS)
		return 1;
	return a->len == b->len && !memcmp(a->s, b->s, a->len);
}

/* Words decide an alignment more than punctuation, blanks least. */
static unsigned tok_weight(const struct tok *t)
{
	return t->kind == TK_WORD ? 16 : t->kind == TK_PUNCT ? 8 : 4;
}

/*
 * Weighted LCS of a[0..n) and b[0..m) (tok_weight; each pair adjacent to
 * the previous pair earns 1 more, so runs stay together: "d);" keeps its
 * ")" beside "d").  am[i] gets the index in b (plus boff) of a[i]'s
 * partner, or stays untouched.  Returns -1 when the tables would be too
 * big.
 */
static int tok_lcs(long *am, const struct tok *a, size_t n,
		   const struct tok *b, size_t m, long boff, int loose)
{
	size_t i, j, w = m + 1, cells = (n + 1) * (m + 1);
	unsigned *X, *M;
	unsigned char *cx, *cm;
	int state = 0;

	if (!n || !m)
		return 0;
	if (cells > MAX_MERGE_CELLS)
		return -1;
	X = xcalloc(cells, sizeof(*X));
	M = xcalloc(cells, sizeof(*M)); /* 0: no match ends here */
	cx = xcalloc(cells, 1);
	cm = xcalloc(cells, 1);
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			size_t c = i * w + j, d = (i - 1) * w + j - 1;

			if (tok_eq(&a[i - 1], &b[j - 1], loose)) {
				unsigned v = X[d];

				if (M[d] && M[d] + 1 >= v) {
					v = M[d] + 1;
					cm[c] = 1;
				}
				M[c] = v + tok_weight(&a[i - 1]);
			}
			X[c] = X[c - w];
			if (X[c - 1] > X[c]) {
				X[c] = X[c - 1];
				cx[c] = 1;
			}
			if (M[c] && M[c] >= X[c]) {
				X[c] = M[c];
				cx[c] = 2;
			}
		}
	for (i = n, j = m; i > 0 && j > 0;) {
		size_t c = i * w + j;

		if (state == 0 && cx[c] != 2) {
			if (cx[c] == 0)
				i--;
			else
				j--;
			continue;
		}
		am[i - 1] = boff + (long)j - 1;
		state = cm[c];
		i--;
		j--;
	}
	free(X);
	free(M);
	free(cx);
	free(cm);
	return 0;
}

/*
 * Word similarity of two lines, 0..1: twice the weighted LCS of their
 * non-blank tokens over their total weight.
 */
#define MAX_SIM_TOKENS 200
double wordmerge_line_sim(const char *a, size_t an, const char *b,
			  size_t bn)
{
	struct toks A = { 0 }, B = { 0 };
	unsigned *L = NULL, wa = 0, wb = 0;
	size_t i, j, n = 0, m = 0;
	double sim = 0;

	tokenize(&A, a, an);
	tokenize(&B, b, bn);
	/* keep words and punctuation */
	for (i = 0; i < A.nr; i++)
		if (A.v[i].kind == TK_WORD || A.v[i].kind == TK_PUNCT) {
			A.v[n++] = A.v[i];
			wa += tok_weight(&A.v[i]);
		}
	for (j = 0; j < B.nr; j++)
		if (B.v[j].kind == TK_WORD || B.v[j].kind == TK_PUNCT) {
			B.v[m++] = B.v[j];
			wb += tok_weight(&B.v[j]);
		}
	if (n < 3 || m < 3 || n > MAX_SIM_TOKENS || m > MAX_SIM_TOKENS)
		goto done;
	L = xcalloc((n + 1) * (m + 1), sizeof(*L));
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			unsigned v = L[(i - 1) * (m + 1) + j];

			if (L[i * (m + 1) + j - 1] > v)
				v = L[i * (m + 1) + j - 1];
			if (tok_eq(&A.v[i - 1], &B.v[j - 1], 0) &&
			    L[(i - 1) * (m + 1) + j - 1] +
					    tok_weight(&A.v[i - 1]) > v)
				v = L[(i - 1) * (m + 1) + j - 1] +
				    tok_weight(&A.v[i - 1]);
			L[i * (m + 1) + j] = v;
		}
	sim = 2.0 * L[n * (m + 1) + m] / (double)(wa + wb);
done:
	free(L);
	toks_release(&A);
	toks_release(&B);
	return sim;
}

struct edit {
	size_t pa, pb; /* pre tokens [pa, pb) ... */
	size_t qa, qb; /* ... become post tokens [qa, qb) */
	int done;      /* the file already has the post tokens */
	long at;       /* the F token where the replacement starts */
	long flen;     /* how many F tokens it replaces; -1: as many as the
			* pre tokens not gone */
};

struct merge;
static int alike(const struct tok *p, size_t pn, const struct tok *f, size_t fn,
		 const struct merge *m);

/* Append the edit of pre tokens [pa, pb) into post tokens [qa, qb). */
static void add_edit(struct edit **out, size_t *out_nr, size_t *alloc,
		     size_t pa, size_t pb, size_t qa, size_t qb)
{
	ALLOC_GROW(*out, *out_nr + 1, *alloc);
	(*out)[*out_nr].pa = pa;
	(*out)[*out_nr].pb = pb;
	(*out)[*out_nr].qa = qa;
	(*out)[*out_nr].qb = qb;
	(*out)[*out_nr].done = 0;
	(*out)[*out_nr].flen = -1;
	(*out_nr)++;
}

/* The edits of pre tokens [p0, p1) into post tokens [q0, q1): the gaps
 * between the pairs of their token LCS. */
static int token_edits(struct edit **out, size_t *out_nr, size_t *alloc,
		       const struct toks *P, const struct toks *Q, size_t p0,
		       size_t p1, size_t q0, size_t q1)
{
	long *am = xcalloc(p1 - p0 + 1, sizeof(*am));
	size_t a, b;

	for (a = 0; a < p1 - p0; a++)
		am[a] = -1;
	if (tok_lcs(am, P->v + p0, p1 - p0, Q->v + q0, q1 - q0, (long)q0, 0)) {
		free(am);
		return -1;
	}
	for (a = p0, b = q0;;) {
		size_t ea = a, eb;

		while (ea < p1 && am[ea - p0] < 0)
			ea++;
		eb = ea < p1 ? (size_t)am[ea - p0] : q1;
		if (ea > a || eb > b)
			add_edit(out, out_nr, alloc, a, ea, b, eb);
		if (ea >= p1)
			break;
		a = ea + 1;
		b = eb + 1;
	}
	free(am);
	return 0;
}

/* line pairs line_edits compares at most: each costs an alike() */
#define MAX_LINE_PAIRS 10000

/*
 * The edits of removed lines [r0, r1) (P lines) into added lines [a0, a1)
 * (Q lines) line by line: lines alike in words are paired in order (an
 * LCS of lines) and diffed token by token; the others are deleted or
 * added whole.  Returns -1 when the blocks are too big to pair.
 */
static int line_edits(struct edit **out, size_t *out_nr, size_t *alloc,
		      const struct toks *P, const struct toks *Q, size_t r0,
		      size_t r1, size_t a0, size_t a1)
{
	size_t nr = r1 - r0, na = a1 - a0, w = na + 1, i, j, ri = 0, ai = 0;
	unsigned *L;
	unsigned char *M; /* (i, j) alike */
	int ret = 0;

	if (nr * na > MAX_LINE_PAIRS)
		return -1;
	L = xcalloc((nr + 1) * w, sizeof(*L));
	M = xcalloc((nr + 1) * w, 1);

	for (i = nr; i-- > 0;)
		for (j = na; j-- > 0;) {
			size_t p = P->line[r0 + i], q = Q->line[a0 + j];
			unsigned v = L[(i + 1) * w + j];

			if (L[i * w + j + 1] > v)
				v = L[i * w + j + 1];
			M[i * w + j] = alike(P->v + p, P->line[r0 + i + 1] - p,
					     Q->v + q, Q->line[a0 + j + 1] - q,
					     NULL) != 0;
			if (M[i * w + j] && L[(i + 1) * w + j + 1] + 1 > v)
				v = L[(i + 1) * w + j + 1] + 1;
			L[i * w + j] = v;
		}
	for (i = 0, j = 0;;) {
		/* the next pair (i, j), or the blocks' ends */
		while (i < nr && j < na && L[i * w + j] &&
		       !(M[i * w + j] &&
			 L[i * w + j] == L[(i + 1) * w + j + 1] + 1)) {
			if (L[(i + 1) * w + j] >= L[i * w + j + 1])
				i++;
			else
				j++;
		}
		if (i == nr || j == na || !L[i * w + j]) {
			i = nr;
			j = na;
		}
		if (ri < i || ai < j)
			add_edit(out, out_nr, alloc, P->line[r0 + ri],
				 P->line[r0 + i], Q->line[a0 + ai],
				 Q->line[a0 + j]);
		if (i == nr)
			break;
		if (token_edits(out, out_nr, alloc, P, Q, P->line[r0 + i],
				P->line[r0 + i + 1], Q->line[a0 + j],
				Q->line[a0 + j + 1])) {
			ret = -1;
			break;
		}
		ri = ++i;
		ai = ++j;
	}
	free(L);
	free(M);
	return ret;
}

/*
 * The hunk's edits: the diff of each removed/added block, token by token,
 * or with by_lines, line by line first (line_edits).
 */
static int hunk_edits(struct edit **out, size_t *out_nr, const struct toks *P,
		      const struct toks *Q, const struct patch_hunk *h,
		      int by_lines)
{
	size_t pl = 0, ql = 0, i = 0, alloc = 0;
	int ret = 0;

	*out = NULL;
	*out_nr = 0;
	while (i < h->nr && !ret) {
		size_t pl0 = pl, ql0 = ql;

		if (h->lines[i].kind == ' ') {
			pl++;
			ql++;
			i++;
			continue;
		}
		for (; i < h->nr && h->lines[i].kind != ' '; i++) {
			if (h->lines[i].kind == '-')
				pl++;
			else
				ql++;
		}
		if (by_lines)
			ret = line_edits(out, out_nr, &alloc, P, Q, pl0, pl,
					 ql0, ql);
		else
			ret = token_edits(out, out_nr, &alloc, P, Q,
					  P->line[pl0], P->line[pl],
					  Q->line[ql0], Q->line[ql]);
	}
	return ret;
}

static int blank(const struct tok *t)
{
	return t->kind == TK_WS || t->kind == TK_NL;
}

/*
 * A pre-image line's tokens must land on one file line: a token LCS may
 * take the ";" of "u8 old;" from a later "return;" to chain it with what
 * follows, which would move an insertion past other code.  Tokens of a
 * line that fall outside the file line holding most of its weight are
 * unaligned (and whatever depends on them refused), but for a line next
 * to it that holds nothing but the line's own tokens, before or after
 * them: the file wraps that line in two.
 */
/*
 * Whether file line wl, next to line best, holds only tokens of pre-image
 * tokens [a, b) (its words and punctuation every one aligned to them),
 * all on the far side of those on best: best's line wrapped.
 */
static int wrapped(const long *pm, const struct toks *P, size_t a, size_t b,
		   const struct toks *F, const size_t *fl, size_t best,
		   size_t wl)
{
	size_t nf = 0, nm = 0, lo_w = b, hi_w = a, lo_b = b, hi_b = a;

	if ((wl + 1 != best && wl != best + 1) || wl >= F->line_nr)
		return 0;
	for (size_t t = F->line[wl]; t < F->line[wl + 1]; t++)
		nf += !blank(&F->v[t]);
	for (size_t u = a; u < b; u++) {
		if (pm[u] < 0)
			continue;
		if (fl[pm[u]] == wl) {
			nm += !blank(&P->v[u]);
			lo_w = u < lo_w ? u : lo_w;
			hi_w = u > hi_w ? u : hi_w;
		} else if (fl[pm[u]] == best) {
			lo_b = u < lo_b ? u : lo_b;
			hi_b = u > hi_b ? u : hi_b;
		}
	}
	if (!nf || nm != nf || lo_b == b)
		return 0;
	return wl > best ? lo_w > hi_b : hi_w < lo_b;
}

static void keep_lines_whole(long *pm, const struct toks *P,
			     const struct toks *F)
{
	size_t *fl = xcalloc(F->nr + 1, sizeof(*fl));

	for (size_t l = 0; l < F->line_nr; l++)
		for (size_t t = F->line[l]; t < F->line[l + 1]; t++)
			fl[t] = l;
	for (size_t l = 0; l < P->line_nr; l++) {
		size_t a = P->line[l], b = P->line[l + 1], best = 0;
		unsigned best_w = 0;
		int up, down;

		for (size_t t = a; t < b; t++) {
			unsigned w = 0;

			if (pm[t] < 0)
				continue;
			for (size_t u = a; u < b; u++)
				if (pm[u] >= 0 && fl[pm[u]] == fl[pm[t]])
					w += tok_weight(&P->v[u]);
			if (w > best_w) {
				best_w = w;
				best = fl[pm[t]];
			}
		}
		up = best > 0 && wrapped(pm, P, a, b, F, fl, best, best - 1);
		down = wrapped(pm, P, a, b, F, fl, best, best + 1);
		for (size_t t = a; t < b; t++)
			if (pm[t] >= 0 && fl[pm[t]] != best &&
			    !(up && fl[pm[t]] + 1 == best) &&
			    !(down && fl[pm[t]] == best + 1))
				pm[t] = -1;
	}
	free(fl);
}

/* Weight of a token for line coverage: blanks and line ends do not count. */
static unsigned real_weight(const struct tok *t)
{
	return t->kind == TK_WS || t->kind == TK_NL ? 0 : tok_weight(t);
}

/*
 * Whether anchor token t (aligned) sits on a file line that is recognisably
 * its own pre-image line: at least half of each line's words and
 * punctuation aligned to the other, and for a context line (pkind ' ')
 * starting in column 0 with a word (a function's header) every word.  A
 * lone comment opener matched inside another comment does not pin an
 * insertion.
 */
static int anchor_ok(const long *pm, const struct toks *P,
		     const struct toks *F, const char *pkind, size_t t)
{
	size_t pl = 0, fl = 0, fe, f = (size_t)pm[t];
	unsigned wp = 0, wf = 0, wa = 0;

	while (P->line[pl + 1] <= t)
		pl++;
	while (F->line[fl + 1] <= f)
		fl++;
	/* the file's lines of the pre-image line (two where it wraps) */
	fe = fl + 1;
	for (size_t u = P->line[pl]; u < P->line[pl + 1]; u++) {
		if (pm[u] < 0)
			continue;
		while (fl > 0 && pm[u] < (long)F->line[fl])
			fl--;
		while (pm[u] >= (long)F->line[fe])
			fe++;
	}
	for (size_t u = P->line[pl]; u < P->line[pl + 1]; u++) {
		wp += real_weight(&P->v[u]);
		if (pm[u] >= (long)F->line[fl] && pm[u] < (long)F->line[fe])
			wa += real_weight(&P->v[u]);
	}
	for (size_t u = F->line[fl]; u < F->line[fe]; u++)
		wf += real_weight(&F->v[u]);
	if (pkind[pl] == ' ' && place_is_word(P->v[P->line[pl]].s[0]) &&
	    P->v[P->line[pl]].kind == TK_WORD) {
		/* a function's first line pins only with the file's words:
		 * another function's header is another place */
		size_t nwp = 0, awp = 0, nwf = 0;

		for (size_t u = P->line[pl]; u < P->line[pl + 1]; u++)
			if (P->v[u].kind == TK_WORD) {
				nwp++;
				awp += pm[u] >= 0;
			}
		for (size_t u = F->line[fl]; u < F->line[fe]; u++)
			nwf += F->v[u].kind == TK_WORD;
		if (awp != nwp || awp != nwf)
			return 0;
	}
	return 2 * wa >= wp && 2 * wa >= wf;
}

/* The state of one replay: the hunk's pre- and post-image tokens, the
 * file region's, the hunk's edits and where each pre-image token went. */
struct merge {
	const struct place_file *pf;
	struct toks P, Q, F;
	struct edit *e;
	size_t e_nr;
	long *pm;            /* per P token: its F token, or -1 */
	unsigned char *gone; /* per P token: of a removed line already gone */
	char *pkind;         /* per P line: ' ' or '-' */
	char *qkind;         /* per Q line: ' ' or '+' */
};

/*
 * Map the pre-image's tokens line by line: each aligned line on its file
 * line and each gap between aligned lines on the file's gap, by LCS.
 */
static int map_by_lines(struct merge *m, const struct patch_hunk *h,
			const long *map, long lo, long hi)
{
	long prev_line = lo - 1, prev_pl = -1;
	size_t pl = 0;

	for (size_t i = 0; i <= h->nr; i++) {
		long fl = hi;
		size_t pa, pb, fa, fb;

		if (i < h->nr) {
			if (h->lines[i].kind == '+')
				continue;
			fl = map[i] >= lo && map[i] < hi ? map[i] : -1;
			if (fl < 0 || fl <= prev_line) {
				pl++;
				continue;
			}
		}
		pa = m->P.line[prev_pl + 1];
		pb = m->P.line[pl];
		fa = m->F.line[prev_line + 1 - lo];
		fb = m->F.line[fl - lo];
		if (tok_lcs(m->pm, m->P.v + pa, pb - pa, m->F.v + fa, fb - fa,
			    (long)fa, 1))
			return -1;
		if (i == h->nr)
			break;
		if (tok_lcs(m->pm, m->P.v + pb, m->P.line[pl + 1] - pb,
			    m->F.v + fb, m->F.line[fl - lo + 1] - fb, (long)fb,
			    1))
			return -1;
		prev_line = fl;
		prev_pl = (long)pl;
		pl++;
	}
	return 0;
}

/*
 * A removed line none of whose words is in the file is already gone
 * (upstream had an #ifdef the target never had): deleting it is a no-op.
 * Marks its tokens gone; returns whether any line was.
 */
static int mark_gone(struct merge *m, const struct patch_hunk *h)
{
	int any = 0;

	for (size_t i = 0, pl = 0; i < h->nr; i++) {
		size_t ta, tb, t, seen = 0, aligned = 0;

		if (h->lines[i].kind == '+')
			continue;
		ta = m->P.line[pl];
		tb = m->P.line[pl + 1];
		pl++;
		if (h->lines[i].kind != '-')
			continue;
		for (int kind = TK_WORD; kind <= TK_NL && !seen; kind++)
			for (t = ta; t < tb; t++)
				if (m->P.v[t].kind == kind) {
					seen++;
					aligned += m->pm[t] >= 0;
				}
		if (seen && !aligned)
			for (t = ta; t < tb; t++) {
				m->gone[t] = 1;
				m->pm[t] = -1;
				any = 1;
			}
	}
	return any;
}

/* Map the pre-image's tokens again, without those gone: they held on to
 * blanks. */
static void remap_without_gone(struct merge *m)
{
	struct tok *pv = xcalloc(m->P.nr + 1, sizeof(*pv));
	size_t *ix = xcalloc(m->P.nr + 1, sizeof(*ix)), n2 = 0;
	long *pm2;

	for (size_t t = 0; t < m->P.nr; t++)
		if (!m->gone[t]) {
			pv[n2] = m->P.v[t];
			ix[n2++] = t;
		}
	pm2 = xcalloc(n2 + 1, sizeof(*pm2));
	for (size_t t = 0; t < n2; t++)
		pm2[t] = -1;
	tok_lcs(pm2, pv, n2, m->F.v, m->F.nr, 0, 1);
	for (size_t t = 0; t < m->P.nr; t++)
		m->pm[t] = -1;
	for (size_t t = 0; t < n2; t++)
		m->pm[ix[t]] = pm2[t];
	free(pv);
	free(ix);
	free(pm2);
}

/*
 * Whether the file's words and punctuation strictly between file tokens
 * fa and fb are edit e's post tokens: the edit is already made there.
 */
static int edit_done(const struct merge *m, const struct edit *e, long fa,
		     long fb)
{
	size_t q = e->qa;

	for (long f = fa + 1; f < fb; f++) {
		if (blank(&m->F.v[f]))
			continue;
		while (q < e->qb && blank(&m->Q.v[q]))
			q++;
		if (q == e->qb || !tok_eq(&m->F.v[f], &m->Q.v[q], 0))
			return 0;
		q++;
	}
	while (q < e->qb && blank(&m->Q.v[q]))
		q++;
	return q == e->qb;
}

/* Whether some pre-image token maps to F token f. */
static int f_taken(const struct merge *m, long f)
{
	for (size_t t = 0; t < m->P.nr; t++)
		if (m->pm[t] == f)
			return 1;
	return 0;
}

/*
 * An edit that replaces words the file has, pinned on one side only
 * (a, b: its nearest non-blank tokens): the other anchor drifted in
 * place, the file holding beside the edit's words another token of the
 * same kind that no pre-image token accounts for ("bool" became
 * "bool_t").  The edit's own removed words, consecutive with the good
 * anchor, then pin it.  Not an anchor merely separated from the edit by
 * tokens the file inserted: "a + b;" edited to "a + c;" must not turn
 * "a + b * d;" into "a + c * d;".  Returns the F token where the
 * replacement starts, or -1.
 */
static long one_anchor(const struct merge *m, const struct edit *e, long a,
		       long b)
{
	const struct toks *P = &m->P;
	int left = a >= 0 && m->pm[a] >= 0, right = m->pm[b] >= 0, word = 0;
	long lo = left ? a : (long)e->pa, hi = right ? b : (long)e->pb - 1;
	long x, prev = -1;

	if (left == right || a < 0 || e->pa == e->pb)
		return -1;
	for (size_t t = e->pa; t < e->pb; t++) {
		if (m->gone[t])
			return -1;
		word |= P->v[t].kind == TK_WORD;
	}
	if (!word ||
	    !anchor_ok(m->pm, P, &m->F, m->pkind, (size_t)(left ? a : b)))
		return -1;
	for (long t = lo; t <= hi; t++) {
		if (m->pm[t] < 0 || (prev >= 0 && m->pm[t] != prev + 1))
			return -1;
		prev = m->pm[t];
	}
	/* the file's token where the drifted anchor was */
	if (left)
		for (x = m->pm[e->pb - 1] + 1;
		     x < (long)m->F.nr && blank(&m->F.v[x]); x++)
			;
	else
		for (x = m->pm[e->pa] - 1; x >= 0 && blank(&m->F.v[x]); x--)
			;
	if (x < 0 || x >= (long)m->F.nr || f_taken(m, x) ||
	    m->F.v[x].kind != P->v[left ? b : a].kind)
		return -1;
	return left ? m->pm[e->pa - 1] + 1 : m->pm[e->pa];
}

/* Whether word t is a number. */
static int is_number(const struct tok *t)
{
	return t->s[0] >= '0' && t->s[0] <= '9';
}

/* Whether words a and b are numbers of other values ("0x0409" and
 * "0x040a"; not "1UL" and "1ul"). */
static int other_number(const struct tok *a, const struct tok *b)
{
	if (!is_number(a) || !is_number(b))
		return 0;
	if (a->len != b->len)
		return 1;
	for (unsigned i = 0; i < a->len; i++)
		if ((a->s[i] | 0x20) != (b->s[i] | 0x20))
			return 1;
	return 0;
}

/* Whether word w is among the tokens of the hunk's added lines. */
static int in_added(const struct merge *m, const struct tok *w)
{
	for (size_t ql = 0; ql < m->Q.line_nr; ql++)
		for (size_t q = m->Q.line[ql]; m->qkind[ql] == '+' &&
					       q < m->Q.line[ql + 1];
		     q++)
			if (tok_eq(&m->Q.v[q], w, 0))
				return 1;
	return 0;
}

/* Whether every word of the pre-image line holding token t is one an
 * edit removes: upstream rewrote that line whole. */
static int line_rewritten(const struct merge *m, size_t t)
{
	size_t l = 0;

	while (l + 1 < m->P.line_nr && m->P.line[l + 1] <= t)
		l++;
	for (size_t u = m->P.line[l]; u < m->P.line[l + 1]; u++) {
		size_t k;

		if (m->P.v[u].kind != TK_WORD)
			continue;
		for (k = 0; k < m->e_nr; k++)
			if (u >= m->e[k].pa && u < m->e[k].pb)
				break;
		if (k == m->e_nr)
			return 0;
	}
	return 1;
}

/*
 * Whether edit e replaces words that drifted in place between its two
 * good anchors (a, b: its nearest non-blank tokens, both aligned): the
 * file's tokens between the anchors pair one for one, kind for kind,
 * with the pre-image's, equal but for words of the edit's removed tokens
 * no other pre-image token accounts for and no added line holds ("1"
 * where upstream removed "true"; a word the hunk adds back is moved, not
 * replaced).  The edit's result takes their place.  For an edit whose
 * removed tokens span lines, only numbers written otherwise ("1ul" for
 * "1UL"): lines removed at one place and added at another with a name
 * drifted are a moved block.  The line end between an edit within one
 * line and its anchor on the line above or below ("{" before "bool
 * okay;") is not the edit's when upstream rewrote that line whole
 * ("unsigned int ver;"): the file's line is upstream's old one with a
 * word drifted, all of whose words upstream replaced.
 */
static int drifted_between(const struct merge *m, const struct edit *e,
			   long a, long b)
{
	long fa = m->pm[a], fb = m->pm[b], drift = 0, words = 0, lines = 0;

	if (e->pa == e->pb || fb - fa != b - a)
		return 0;
	for (long t = a + 1, f = fa + 1; t < b; t++, f++) {
		const struct tok *p = &m->P.v[t], *x = &m->F.v[f];
		int inside = t >= (long)e->pa && t < (long)e->pb;

		if (m->gone[t] || p->kind != x->kind)
			return 0;
		lines += p->kind == TK_NL &&
			 (inside || !line_rewritten(m, e->pa));
		if (tok_eq(p, x, 1))
			continue;
		if (!inside || p->kind != TK_WORD || m->pm[t] >= 0 ||
		    f_taken(m, f) || in_added(m, p) ||
		    other_number(p, x))
			return 0;
		drift++;
		words += !is_number(p);
	}
	return drift > 0 && (!lines || !words);
}

/* Whether t[0..n) holds a word. */
static int has_word(const struct tok *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].kind == TK_WORD)
			return 1;
	return 0;
}

/*
 * The words and punctuation of t[0..n) into out[] (MAX_SIM_TOKENS at
 * most); returns how many there are, more than MAX_SIM_TOKENS when they
 * do not fit.
 */
static size_t nonblank(const struct tok **out, const struct tok *t, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k <= MAX_SIM_TOKENS; i++)
		if (!blank(&t[i])) {
			if (k < MAX_SIM_TOKENS)
				out[k] = &t[i];
			k++;
		}
	return k;
}

/*
 * Whether tokens p[0..pn) and f[0..fn) (a line each) are recognisably
 * one line: a weighted LCS of their words and punctuation holds at least
 * half the weight of each (two blank lines are one too): 1, or 2 when it
 * holds all of both (the same line).  With m, a word of p left out of it
 * (drifted) must not be among the hunk's added lines: the hunk writes it
 * again, and the file's word would be lost.
 */
static int alike(const struct tok *p, size_t pn, const struct tok *f,
		 size_t fn, const struct merge *m)
{
	const struct tok *pv[MAX_SIM_TOKENS], *fv[MAX_SIM_TOKENS];
	size_t n = nonblank(pv, p, pn), k = nonblank(fv, f, fn), w;
	unsigned wp = 0, wf = 0, *L;
	int ok;

	if (n > MAX_SIM_TOKENS || k > MAX_SIM_TOKENS)
		return 0;
	if (!n || !k)
		return !n && !k ? 2 : 0;
	for (size_t i = 0; i < n; i++)
		wp += tok_weight(pv[i]);
	for (size_t j = 0; j < k; j++)
		wf += tok_weight(fv[j]);
	if (wp > 2 * wf || wf > 2 * wp)
		return 0; /* no LCS holds half of the heavier */
	w = k + 1;
	L = xcalloc((n + 1) * w, sizeof(*L));
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= k; j++) {
			unsigned v = L[(i - 1) * w + j];

			if (L[i * w + j - 1] > v)
				v = L[i * w + j - 1];
			if (tok_eq(pv[i - 1], fv[j - 1], 0) &&
			    L[(i - 1) * w + j - 1] + tok_weight(pv[i - 1]) > v)
				v = L[(i - 1) * w + j - 1] + tok_weight(pv[i - 1]);
			L[i * w + j] = v;
		}
	ok = 2 * L[n * w + k] >= wp && 2 * L[n * w + k] >= wf;
	for (size_t i = n, j = k; ok && m && i > 0;) {
		if (j > 0 && tok_eq(pv[i - 1], fv[j - 1], 0) &&
		    L[i * w + j] == L[(i - 1) * w + j - 1] +
					    tok_weight(pv[i - 1])) {
			i--;
			j--;
		} else if (j > 0 && L[i * w + j] == L[i * w + j - 1]) {
			j--;
		} else {
			if (pv[i - 1]->kind == TK_WORD && in_added(m, pv[i - 1]))
				ok = 0;
			i--;
		}
	}
	if (ok && L[n * w + k] == wp && wp == wf)
		ok = 2;
	free(L);
	return ok;
}

/*
 * Whether most of P lines [l0, l1) that hold a word are recognisably
 * (alike) lines the patch adds to the file: the block is moved, and the
 * moved copy would not keep the file's words.
 */
static int moved_lines(const struct merge *m, size_t l0, size_t l1)
{
	struct toks A = { 0 }; /* the lines the patch adds to the file */
	size_t worded = 0, added = 0, left;

	for (size_t l = l0; l < l1; l++)
		worded += has_word(m->P.v + m->P.line[l],
				   m->P.line[l + 1] - m->P.line[l]);
	for (size_t k = 0; k < m->pf->hunk_nr; k++)
		for (size_t i = 0; i < m->pf->hunks[k].nr; i++)
			if (m->pf->hunks[k].lines[i].kind == '+')
				tokenize(&A, m->pf->hunks[k].lines[i].text,
					 m->pf->hunks[k].lines[i].len);
	left = worded;
	for (size_t l = l0; l < l1 && 2 * added <= worded &&
			    2 * (added + left) > worded;
	     l++) {
		const struct tok *pv = m->P.v + m->P.line[l];
		size_t pn = m->P.line[l + 1] - m->P.line[l];

		if (!has_word(pv, pn))
			continue;
		left--;
		for (size_t k = 0; k < A.line_nr; k++)
			if (alike(pv, pn, A.v + A.line[k],
				  A.line[k + 1] - A.line[k], NULL)) {
				added++;
				break;
			}
	}
	toks_release(&A);
	return 2 * added > worded;
}

/* Whether edit e only deletes whole pre-image lines, none of them gone. */
static int deletes_lines(const struct merge *m, const struct edit *e)
{
	if (e->qa != e->qb || e->pa == e->pb ||
	    m->P.v[e->pb - 1].kind != TK_NL || m->P.v[e->pa - 1].kind != TK_NL)
		return 0;
	for (size_t u = e->pa; u < e->pb; u++)
		if (m->gone[u])
			return 0;
	return 1;
}

/*
 * Whether edit e deletes whole lines whose words drifted (a, b: its
 * nearest non-blank tokens, both aligned): the file has, between them, as
 * many lines as the pre-image, each recognisably its pre-image line
 * (alike), and with most_same most of those holding a word the same.
 * Those file lines go; sets e->at and e->flen.
 */
static int lines_drifted(const struct merge *m, struct edit *e, long a,
			 long b, int most_same)
{
	long f = m->pm[a], fb = m->pm[b], t = a, at = -1, flen = -1;
	int worded = 0, same = 0;

	if (!deletes_lines(m, e))
		return 0;
	{
		size_t l0 = 0, l1;

		while (m->P.line[l0] < e->pa)
			l0++;
		for (l1 = l0; m->P.line[l1] < e->pb; l1++)
			;
		if (moved_lines(m, l0, l1))
			return 0;
	}
	/* walk the lines of P (a, b) and F (pm[a], pm[b]) side by side, the
	 * parts beside a and b included: all blank in P, so in F too */
	for (;;) {
		long te = t + 1, fe = f + 1;
		int how;

		while (te < b && m->P.v[te].kind != TK_NL)
			te++;
		while (fe < fb && m->F.v[fe].kind != TK_NL)
			fe++;
		how = (te < b) == (fe < fb) ?
			      alike(m->P.v + t + 1, (size_t)(te - t - 1),
				    m->F.v + f + 1, (size_t)(fe - f - 1), m) :
			      0;
		if (!how)
			return 0;
		if (t + 1 >= (long)e->pa && te < (long)e->pb &&
		    has_word(m->P.v + t + 1, (size_t)(te - t - 1))) {
			worded++;
			same += how == 2;
		}
		if (te == b)
			break;
		if (t + 1 == (long)e->pa)
			at = f + 1;
		if (te + 1 == (long)e->pb)
			flen = fe + 1 - at;
		t = te;
		f = fe;
	}
	if (most_same && 2 * same <= worded)
		return 0;
	e->at = at;
	e->flen = flen;
	return 1;
}

/*
 * Whether edit e deletes whole lines (a, b: its nearest non-blank tokens,
 * both aligned) that the file has between them word for word, only
 * wrapped otherwise ("if ( rc ) {" for "if ( rc )" and "{"): the same
 * words and punctuation in the same order, on lines of their own, with as
 * many blank lines at either end as the edit deletes there.  Nothing of
 * the file's is lost: those file lines go.  Sets e->at and e->flen.
 */
static int lines_rewrapped(const struct merge *m, struct edit *e, long a,
			   long b)
{
	const struct toks *P = &m->P, *F = &m->F;
	long fa = m->pm[a], fb = m->pm[b], t = a + 1, f = fa + 1, f1, f2;
	size_t lead = 0, tail = 0, nl = 0;
	int words = 0;

	if (!deletes_lines(m, e))
		return 0;
	for (;;) {
		while (t < b && blank(&P->v[t]))
			t++;
		while (f < fb && blank(&F->v[f]))
			f++;
		if (t == b || f == fb)
			break;
		if (!tok_eq(&P->v[t], &F->v[f], 0))
			return 0;
		t++;
		f++;
		words = 1;
	}
	if (t != b || f != fb || !words)
		return 0;
	/* blank lines the edit deletes before its first line with words and
	 * after its last (whose own line end is not one) */
	for (size_t u = e->pa; blank(&P->v[u]); u++)
		lead += P->v[u].kind == TK_NL;
	for (size_t u = e->pb; blank(&P->v[u - 1]); u--)
		tail += P->v[u - 1].kind == TK_NL;
	tail--;
	for (f1 = fa + 1; blank(&F->v[f1]); f1++)
		;
	for (f2 = fb - 1; blank(&F->v[f2]); f2--)
		;
	/* back from f1 past lead blank lines to a line start, forward from
	 * f2 past its line end and tail blank lines: whole lines, never
	 * reaching the anchors' own */
	for (; f1 > fa + 1; f1--) {
		if (F->v[f1 - 1].kind != TK_NL)
			continue;
		if (nl++ == lead)
			break;
	}
	if (f1 == fa + 1)
		return 0;
	for (nl = 0, f2++; f2 < fb && nl < tail + 1; f2++)
		nl += F->v[f2].kind == TK_NL;
	if (nl < tail + 1)
		return 0;
	e->at = f1;
	e->flen = f2 - f1;
	return 1;
}

/*
 * Whether the file's tokens between edit e's anchors (a, b: both aligned)
 * are the pre-image's less some punctuation or blanks of the edit's
 * removed tokens (".macro X insn:req arg" where upstream removes
 * "insn:req,"): nothing of the file's would be lost, and the edit
 * replaces what the file has of them.  Sets e->at and e->flen.
 */
static int removed_less_punct(const struct merge *m, struct edit *e,
			      long a, long b)
{
	long t = a + 1, f = m->pm[a] + 1, fb = m->pm[b], at = -1, end = -1;
	int skipped = 0;

	if (e->pa == e->pb)
		return 0;
	for (;;) {
		int inside = t >= (long)e->pa && t < (long)e->pb;

		if (t == (long)e->pa && at < 0)
			at = f;
		if (t == (long)e->pb)
			end = f;
		if (t == b || f == fb)
			break;
		if (m->gone[t])
			return 0;
		if (tok_eq(&m->P.v[t], &m->F.v[f], 1)) {
			t++;
			f++;
		} else if (inside && m->P.v[t].kind != TK_WORD &&
			   m->P.v[t].kind != TK_NL) {
			t++;
			skipped = 1;
		} else {
			return 0;
		}
	}
	if (t != b || f != fb || at < 0 || end < 0 || !skipped)
		return 0;
	e->at = at;
	e->flen = end - at;
	return 1;
}

/*
 * Whether edit e only resizes one run of blanks inside a line (upstream
 * realigning a backslash or a comment after code it edited) where the
 * file's run differs from upstream's old one: the file aligns that line
 * its own way, and the run stays the file's.
 */
static int ws_realign(const struct merge *m, const struct edit *e)
{
	const struct toks *P = &m->P;
	long f;

	if (e->pb != e->pa + 1 || e->qb != e->qa + 1 ||
	    P->v[e->pa].kind != TK_WS || m->Q.v[e->qa].kind != TK_WS ||
	    e->pa == 0 || blank(&P->v[e->pa - 1]) || e->pb >= P->nr ||
	    blank(&P->v[e->pb]))
		return 0;
	f = m->pm[e->pa];
	return f >= 0 && m->F.v[f].kind == TK_WS &&
	       !tok_eq(&m->F.v[f], &P->v[e->pa], 0);
}

/*
 * Whether edit e and its anchors map to consecutive file tokens, or its
 * removed words drifted in place between them (drifted_between), or the
 * anchors hold exactly the edit's result (part of the hunk is in the file
 * already: the edit is marked done), or its own words pin it
 * (one_anchor).  Sets e->at (and e->done).
 */
static int edit_clean(const struct merge *m, struct edit *e)
{
	const struct toks *P = &m->P;
	long a = (long)e->pa - 1, b = (long)e->pb, prev = -1;
	long t;
	int ok_a, ok_b;

	while (a >= 0 && blank(&P->v[a]))
		a--;
	while (b < (long)P->nr && blank(&P->v[b]))
		b++;
	if (b >= (long)P->nr)
		return 0;
	if (a < 0 || m->pm[a] < 0 || m->pm[b] < 0)
		return (e->at = one_anchor(m, e, a, b)) >= 0;
	ok_a = anchor_ok(m->pm, P, &m->F, m->pkind, (size_t)a);
	ok_b = anchor_ok(m->pm, P, &m->F, m->pkind, (size_t)b);
	/* with one anchor not the hunk's own line, the file's text of a
	 * deletion pins it: lines each alike, most of them the same */
	if (!ok_a || !ok_b)
		return (ok_a || ok_b) && lines_drifted(m, e, a, b, 1);
	e->at = m->pm[e->pa - 1] + 1;
	for (t = a; t <= b; t++) {
		int inside = t >= (long)e->pa && t < (long)e->pb;

		if (inside && m->gone[t])
			continue;
		if (m->pm[t] < 0 || (prev >= 0 && m->pm[t] != prev + 1))
			break;
		prev = m->pm[t];
	}
	if (t <= b && !drifted_between(m, e, a, b) &&
	    !lines_drifted(m, e, a, b, 0) && !lines_rewrapped(m, e, a, b) &&
	    !removed_less_punct(m, e, a, b)) {
		if (!edit_done(m, e, m->pm[a], m->pm[b]))
			return 0;
		e->done = 1;
	}
	if (ws_realign(m, e))
		e->done = 1;
	return 1;
}

/*
 * Whether pre-image tokens [p, p + n) are the post tokens [q, q + n), on
 * one line.
 */
static int same_run(const struct merge *m, size_t p, size_t q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m->Q.v[q + i].kind == TK_NL ||
		    !tok_eq(&m->P.v[p + i], &m->Q.v[q + i], 0))
			return 0;
	return 1;
}

/*
 * Edit k inserts tokens the pre-image has right beside it ("%s" into a
 * run of "%s"): put anywhere in that run, it gives the same text, and the
 * file's run may be shorter or longer.  Slides it over the run, within
 * the gap between its neighbour edits, to the first place where it is
 * clean.
 */
static int slide_clean(struct merge *m, size_t k)
{
	struct edit *e = &m->e[k];
	size_t n = e->qb - e->qa;
	size_t lo = k ? m->e[k - 1].pb : 0;
	size_t hi = k + 1 < m->e_nr ? m->e[k + 1].pa : m->P.nr;

	if (e->pa != e->pb || !n)
		return 0;
	for (int dir = -1; dir <= 1; dir += 2) {
		struct edit s = *e;

		while (dir > 0 ? s.pa + n < hi && same_run(m, s.pa, s.qa, n)
			       : s.pa >= lo + n + 1 &&
					 same_run(m, s.pa - n, s.qa, n)) {
			s.pa = s.pb = dir > 0 ? s.pa + n : s.pa - n;
			if (edit_clean(m, &s)) {
				*e = s;
				return 1;
			}
		}
	}
	return 0;
}

/* Whether every edit is clean (edit_clean, or slide_clean). */
static int edits_clean(struct merge *m)
{
	for (size_t k = 0; k < m->e_nr; k++)
		if (!edit_clean(m, &m->e[k]) && !slide_clean(m, k))
			return 0;
	return 1;
}

/*
 * The column just after the innermost "(" that s[0..len) leaves open (a
 * tab to the next multiple of 8; quoted text skipped), or -1.
 */
static long open_paren_col(const char *s, size_t len)
{
	long col = 0, stack[64];
	size_t depth = 0;
	char quote = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (quote && c == '\\')
			i++, col++;
		else if (quote && c == quote)
			quote = 0;
		else if (!quote && (c == '"' || c == '\''))
			quote = c;
		else if (!quote && c == '(' && depth < 64)
			stack[depth++] = col + 1;
		else if (!quote && c == ')' && depth)
			depth--;
		col = c == '\t' ? (col / 8 + 1) * 8 : col + 1;
	}
	return depth && !quote ? stack[depth - 1] : -1;
}

/*
 * Write the indent of a line the edit adds, Q token q (blanks after a line
 * end).  Upstream lines it up under the "(" its line above leaves open;
 * the line above here (sb's last) may open it at another column, and the
 * new line goes under it there.  Where neither line leaves one open and
 * upstream indents the new line as the one above (a continuation in its
 * column), it takes the indent of the file's line above.  Otherwise
 * upstream's indent.
 */
static void add_indent(struct strbuf *sb, const struct toks *Q, size_t q)
{
	size_t a = q - 1, lstart = sb->len - 1, lend;
	struct strbuf up = STRBUF_INIT;
	long ucol, ocol;
	int same;

	while (a > 0 && Q->v[a - 1].kind != TK_NL)
		a--;
	same = a < q - 1 && tok_eq(&Q->v[a], &Q->v[q], 0);
	for (; a < q - 1; a++)
		strbuf_add(&up, Q->v[a].s, Q->v[a].len);
	while (lstart > 0 && sb->buf[lstart - 1] != '\n')
		lstart--;
	ucol = open_paren_col(up.buf, up.len);
	ocol = open_paren_col(sb->buf + lstart, sb->len - 1 - lstart);
	strbuf_release(&up);
	for (lend = lstart; lend < sb->len && place_is_ws(sb->buf[lend]);)
		lend++;
	if (ucol < 0 && ocol < 0 && same && lend > lstart &&
	    lend < sb->len - 1) {
		for (size_t i = lstart; i < lend; i++)
			strbuf_addch(sb, sb->buf[i]); /* sb->buf may move */
		return;
	}
	if (ucol < 0 || ocol < 0 || ucol == ocol || memchr(Q->v[q].s, '\t',
							    Q->v[q].len) ||
	    (long)Q->v[q].len != ucol) {
		strbuf_add(sb, Q->v[q].s, Q->v[q].len);
		return;
	}
	for (long c = 0; c < ocol; c++)
		strbuf_addch(sb, ' ');
}

/* The file region's text with every edit replayed (edits_clean held). */
static char *replay(const struct merge *m)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cur = 0;

	for (size_t k = 0; k <= m->e_nr; k++) {
		size_t to = k < m->e_nr ? (size_t)m->e[k].at : m->F.nr;

		if (k < m->e_nr && m->e[k].done)
			continue;
		for (; cur < to; cur++)
			strbuf_add(&sb, m->F.v[cur].s, m->F.v[cur].len);
		if (k == m->e_nr)
			break;
		for (size_t q = m->e[k].qa; q < m->e[k].qb; q++) {
			if (q > m->e[k].qa && m->Q.v[q].kind == TK_WS &&
			    m->Q.v[q - 1].kind == TK_NL && sb.len)
				add_indent(&sb, &m->Q, q);
			else
				strbuf_add(&sb, m->Q.v[q].s, m->Q.v[q].len);
		}
		if (m->e[k].flen >= 0)
			cur += (size_t)m->e[k].flen;
		else
			for (size_t t = m->e[k].pa; t < m->e[k].pb; t++)
				cur += !m->gone[t];
	}
	return strbuf_detach(&sb, NULL);
}

/* Per hunk line, the file line holding most of its tokens' weight. */
static void line_map(long *lmap, const struct merge *m,
		     const struct patch_hunk *h, long lo)
{
	size_t *fl = xcalloc(m->F.nr + 1, sizeof(*fl));

	for (size_t l = 0; l < m->F.line_nr; l++)
		for (size_t t = m->F.line[l]; t < m->F.line[l + 1]; t++)
			fl[t] = l;
	for (size_t i = 0, pl = 0; i < h->nr; i++) {
		unsigned best_w = 0;

		lmap[i] = -1;
		if (h->lines[i].kind == '+')
			continue;
		for (size_t t = m->P.line[pl]; t < m->P.line[pl + 1]; t++) {
			unsigned w = 0;

			if (m->pm[t] < 0)
				continue;
			for (size_t u = m->P.line[pl]; u < m->P.line[pl + 1];
			     u++)
				if (m->pm[u] >= 0 &&
				    fl[m->pm[u]] == fl[m->pm[t]])
					w += real_weight(&m->P.v[u]);
			if (w > best_w) {
				best_w = w;
				lmap[i] = lo + (long)fl[m->pm[t]];
			}
		}
		pl++;
	}
	free(fl);
}

int wordmerge_replay(char **out, const struct place_file *pf,
		     const struct patch_hunk *h, const long *map, long lo,
		     long hi)
{
	return wordmerge_replay_lines(out, NULL, pf, h, map, lo, hi);
}

int wordmerge_replay_lines(char **out, long *lmap,
			   const struct place_file *pf,
			   const struct patch_hunk *h, const long *map,
			   long lo, long hi)
{
	struct merge m = { 0 };
	int global = 0, ret = -1;
	size_t i, pl, ql;

	m.pf = pf;
	for (i = 0; i < h->nr; i++) {
		const struct patch_line *l = &h->lines[i];

		if (l->kind != '+')
			tokenize(&m.P, l->text, l->len);
		if (l->kind != '-')
			tokenize(&m.Q, l->text, l->len);
	}
	for (long q = lo; q < hi; q++)
		tokenize(&m.F, pf->line[q].s, pf->line[q].len);
	/* nothing left after the hunk (a file emptied): only where the file
	 * has the whole pre-image line for line, never by words */
	if (!m.P.line_nr || !m.Q.line_nr || !m.F.line_nr)
		goto done;
	if (hunk_edits(&m.e, &m.e_nr, &m.P, &m.Q, h, 0) || !m.e_nr)
		goto done;
	m.pm = xcalloc(m.P.nr + 1, sizeof(*m.pm));
	for (i = 0; i < m.P.nr; i++)
		m.pm[i] = -1;
	/*
	 * One token LCS over the region when small enough (line anchors can
	 * be chance matches of blanks and braces); otherwise aligned lines
	 * token by token and the gaps between them by LCS.
	 */
	if (tok_lcs(m.pm, m.P.v, m.P.nr, m.F.v, m.F.nr, 0, 1) == 0)
		global = 1;
	else if (map_by_lines(&m, h, map, lo, hi))
		goto done;
	m.gone = xcalloc(m.P.nr + 1, 1);
	if (mark_gone(&m, h) && global)
		remap_without_gone(&m);
	keep_lines_whole(m.pm, &m.P, &m.F);
	m.pkind = xcalloc(m.P.line_nr + 1, 1);
	m.qkind = xcalloc(m.Q.line_nr + 1, 1);
	for (i = 0, pl = 0, ql = 0; i < h->nr; i++) {
		if (h->lines[i].kind != '+')
			m.pkind[pl++] = h->lines[i].kind;
		if (h->lines[i].kind != '-')
			m.qkind[ql++] = h->lines[i].kind;
	}
	if (!edits_clean(&m)) {
		/* a block's token diff may pair words of lines upstream
		 * dropped with those of a line it rewrote: line by line */
		free(m.e);
		if (hunk_edits(&m.e, &m.e_nr, &m.P, &m.Q, h, 1) || !m.e_nr ||
		    !edits_clean(&m))
			goto done;
	}
	if (lmap)
		line_map(lmap, &m, h, lo);
	*out = replay(&m);
	ret = 0;
done:
	free(m.pkind);
	free(m.qkind);
	free(m.gone);
	free(m.pm);
	free(m.e);
	toks_release(&m.P);
	toks_release(&m.Q);
	toks_release(&m.F);
	return ret;
}
