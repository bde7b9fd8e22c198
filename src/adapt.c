/*
 * adapt: drift propagation into a placed hunk's added lines; see adapt.h.
 */
#include "adapt.h"
#include "strbuf.h"
#include "usage.h"
#include "banned.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LINE 1024 /* longer lines are not compared (tokens per line) */
#define MAX_CELLS (1u << 20)

struct wtok {
	const char *s;
	size_t len;
	int word;
};

/* The tokens of a line: words and single other characters, no blanks. */
static size_t tokenize(struct wtok *t, const char *s, size_t len)
{
	size_t n = 0, i = 0;

	if (len > MAX_LINE)
		return 0;
	while (i < len) {
		size_t j = i + 1;

		if (place_is_ws(s[i])) {
			i++;
			continue;
		}
		if (place_is_word(s[i]))
			while (j < len && place_is_word(s[j]))
				j++;
		t[n].s = s + i;
		t[n].len = j - i;
		t[n].word = place_is_word(s[i]);
		n++;
		i = j;
	}
	return n;
}

static int tok_same(const struct wtok *a, const struct wtok *b)
{
	return a->len == b->len && !memcmp(a->s, b->s, a->len);
}

struct line_toks {
	struct wtok *t;
	size_t n;
};

static void lines_tokenize(struct line_toks *out, const struct place_line *l,
			   size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		out[i].t = xcalloc(l[i].len + 1, sizeof(*out[i].t));
		out[i].n = tokenize(out[i].t, l[i].s, l[i].len);
	}
}

static void lines_release(struct line_toks *l, size_t nr)
{
	for (size_t i = 0; l && i < nr; i++)
		free(l[i].t);
	free(l);
}

/*
 * How well hunk line a pairs with file line b: 0 unless they have the
 * same tokens but for some words written otherwise (at most a third of
 * them, and every difference a word for a word); else the number of
 * tokens the same, one more when all are.
 */
static unsigned pair_weight(const struct line_toks *a,
			    const struct line_toks *b)
{
	size_t d = 0;

	if (!a->n || a->n != b->n)
		return 0;
	for (size_t k = 0; k < a->n; k++) {
		if (tok_same(&a->t[k], &b->t[k]))
			continue;
		if (!a->t[k].word || !b->t[k].word)
			return 0;
		d++;
	}
	if (!d)
		return (unsigned)a->n + 1;
	return 3 * d <= a->n ? (unsigned)(a->n - d) : 0;
}

struct subst {
	struct wtok from, to; /* owned text */
	int bad;  /* written two ways, a keyword, or in the file */
	int used; /* rewritten in the hunk being adapted */
	int seed; /* taught by another file (adapt_vocab_seed) */
};

struct adapt_vocab {
	struct subst *s;
	size_t nr, alloc;
	unsigned long changes; /* words added or found bad so far */
};

struct adapt_vocab *adapt_vocab_new(void)
{
	return xcalloc(1, sizeof(struct adapt_vocab));
}

unsigned long adapt_vocab_changes(const struct adapt_vocab *v)
{
	return v ? v->changes : 0;
}

void adapt_vocab_free(struct adapt_vocab *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nr; i++) {
		free((char *)v->s[i].from.s);
		free((char *)v->s[i].to.s);
	}
	free(v->s);
	free(v);
}

static struct subst *subst_find(const struct adapt_vocab *v,
				const struct wtok *from)
{
	for (size_t i = 0; i < v->nr; i++)
		if (tok_same(&v->s[i].from, from))
			return &v->s[i];
	return NULL;
}

static struct wtok tok_dup(const struct wtok *w)
{
	struct wtok t = *w;

	t.s = xstrndup(w->s, w->len);
	return t;
}

static int is_keyword(const struct wtok *w)
{
	static const char *const kw[] = {
		"auto", "break", "case", "char", "const", "continue",
		"default", "do", "double", "else", "enum", "extern", "float",
		"for", "goto", "if", "inline", "int", "long", "register",
		"restrict", "return", "short", "signed", "sizeof", "static",
		"struct", "switch", "typedef", "union", "unsigned", "void",
		"volatile", "while", "define", "undef", "ifdef", "ifndef",
		"endif", "elif", "include", NULL
	};

	for (size_t i = 0; kw[i]; i++)
		if (strlen(kw[i]) == w->len && !memcmp(kw[i], w->s, w->len))
			return 1;
	return 0;
}

/* Whether word w occurs as a whole word in line s. */
static int line_has_word(const char *s, size_t len, const struct wtok *w)
{
	for (size_t i = 0; i + w->len <= len; i++) {
		if (memcmp(s + i, w->s, w->len))
			continue;
		if ((i && place_is_word(s[i - 1])) ||
		    (i + w->len < len && place_is_word(s[i + w->len])))
			continue;
		return 1;
	}
	return 0;
}

/* Whether line s is an #include directive. */
static int is_include(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && place_is_ws(s[i]))
		i++;
	if (i == len || s[i++] != '#')
		return 0;
	while (i < len && place_is_ws(s[i]))
		i++;
	return len - i >= 7 && !memcmp(s + i, "include", 7) &&
	       (len - i == 7 || !place_is_word(s[i + 7]));
}

/*
 * Whether word w is in the code of line s (not in a comment or string);
 * *comment says whether a block comment is open, before and after it.
 */
static int code_has_word(const char *s, size_t len, const struct wtok *w,
			 int *comment)
{
	size_t i, start = 0;
	int quote = 0, found = 0;

	for (i = 0; i < len; i++) {
		if (*comment) {
			if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
				*comment = 0;
				start = ++i + 1;
			}
		} else if (quote) {
			if (s[i] == '\\') {
				i++;
			} else if (s[i] == quote) {
				quote = 0;
				start = i + 1;
			}
		} else if (s[i] == '"' || s[i] == '\'' ||
			   (s[i] == '/' && i + 1 < len &&
			    (s[i + 1] == '/' || s[i + 1] == '*'))) {
			found |= line_has_word(s + start, i - start, w);
			if (s[i] != '/') {
				quote = s[i];
			} else if (s[i + 1] == '/') {
				return found;
			} else {
				*comment = 1;
				i++;
			}
		}
	}
	if (!*comment && !quote)
		found |= line_has_word(s + start, len - start, w);
	return found;
}

/*
 * Whether word w is in the file's code: a word only in its comments, its
 * strings or the names of files it includes is no identifier it uses
 * ("pv" in "#include <asm/pv/mm.h>" is no member pv).
 */
static int file_has_word(const struct place_file *pf, const struct wtok *w)
{
	int comment = 0;

	for (size_t i = 0; i < pf->nr; i++) {
		if (!comment && is_include(pf->line[i].s, pf->line[i].len))
			continue;
		if (code_has_word(pf->line[i].s, pf->line[i].len, w, &comment))
			return 1;
	}
	return 0;
}

/* The end of a number's digits (its suffix starts there), else 0. */
static size_t digits_end(const struct wtok *w)
{
	size_t i = 0;

	if (w->s[0] < '0' || w->s[0] > '9')
		return 0;
	if (w->len > 2 && w->s[0] == '0' && (w->s[1] == 'x' || w->s[1] == 'X'))
		for (i = 2; i < w->len && strchr("0123456789abcdefABCDEF", w->s[i]);
		     i++)
			;
	else
		while (i < w->len && w->s[i] >= '0' && w->s[i] <= '9')
			i++;
	return i;
}

/*
 * Whether a and b are numbers of other values: 0x10U and 0x10 are the
 * same number written otherwise, 1 and 4 are not.
 */
static int other_value(const struct wtok *a, const struct wtok *b)
{
	size_t i = digits_end(a), j = digits_end(b);

	if (!i || !j)
		return 0;
	return i != j || strncasecmp(a->s, b->s, i);
}

/*
 * Where the code of line s ends: at a comment (backporters leave the
 * words of comments as upstream wrote them), 0 for a line continuing a
 * block comment (a star then a blank or "/"; "*ptr = 0;" is code).
 */
static size_t code_len(const char *s, size_t len)
{
	size_t i = 0;
	int quote = 0;

	while (i < len && place_is_ws(s[i]))
		i++;
	if (i < len && s[i] == '*' &&
	    (i + 1 == len || place_is_ws(s[i + 1]) || s[i + 1] == '/'))
		return 0;
	for (; i < len; i++) {
		if (quote) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			quote = s[i];
		} else if (s[i] == '/' && i + 1 < len &&
			   (s[i + 1] == '*' || s[i + 1] == '/')) {
			return i;
		}
	}
	return len;
}

/* A new entry of v, x written y. */
static struct subst *vocab_add(struct adapt_vocab *v, const struct wtok *x,
			       const struct wtok *y)
{
	struct subst *s;

	if (v->nr == v->alloc) {
		v->alloc = v->alloc ? 2 * v->alloc : 8;
		v->s = xrealloc(v->s, v->alloc * sizeof(*v->s));
	}
	s = &v->s[v->nr++];
	memset(s, 0, sizeof(*s));
	s->from = tok_dup(x);
	s->to = tok_dup(y);
	v->changes++;
	return s;
}

/* Rewrite s nowhere: v changed when s was rewritable. */
static void forbid(struct adapt_vocab *v, struct subst *s)
{
	if (!s->bad) {
		s->bad = 1;
		v->changes++;
	}
}

/* Whether v knows word x already; then x taught another way than y is
 * rewritten nowhere. */
static int knows(struct adapt_vocab *v, const struct wtok *x,
		 const struct wtok *y)
{
	struct subst *s = subst_find(v, x);

	if (s && !tok_same(&s->to, y))
		forbid(v, s);
	return s != NULL;
}

/* Record that the file writes word x as y; returns the new entry, or
 * NULL when v knew x. */
static struct subst *teach(struct adapt_vocab *v, const struct place_file *pf,
			   const struct wtok *x, const struct wtok *y)
{
	struct subst *s;

	if (knows(v, x, y))
		return NULL;
	s = vocab_add(v, x, y);
	s->bad = is_keyword(x) || is_keyword(y) || file_has_word(pf, x);
	return s;
}

static int tok_is(const struct wtok *t, char c)
{
	return t->len == 1 && t->s[0] == c;
}

/*
 * The tokens of the member path right before word k of t, "a->b." or
 * "a.b." (5 or 4), or 0 when there is none.
 */
static size_t path_before(const struct wtok *t, size_t k)
{
	if (k < 4 || !tok_is(&t[k - 1], '.') || !t[k - 2].word)
		return 0;
	if (tok_is(&t[k - 3], '.') && t[k - 4].word)
		return 4;
	if (k >= 5 && tok_is(&t[k - 3], '>') && tok_is(&t[k - 4], '-') &&
	    t[k - 5].word)
		return 5;
	return 0;
}

/* Whether word k of t is a struct itself: a member of it follows. */
static int member_follows(const struct wtok *t, size_t n, size_t k)
{
	return (k + 1 < n && tok_is(&t[k + 1], '.')) ||
	       (k + 2 < n && tok_is(&t[k + 1], '-') && tok_is(&t[k + 2], '>'));
}

/*
 * Whether, after the path p (np tokens), the file's code names exactly
 * one struct member whose name is m's and more ("pv_domain" for "pv");
 * *out is set to it (pointing into the file's text).
 */
static int file_member(struct wtok *out, const struct place_file *pf,
		       const struct wtok *p, size_t np, const struct wtok *m)
{
	struct wtok *t = NULL;
	size_t alloc = 0;
	int found = 0;

	for (size_t i = 0; i < pf->nr && found >= 0; i++) {
		size_t len = code_len(pf->line[i].s, pf->line[i].len), n, k;

		if (len + 1 > alloc) {
			alloc = len + 1;
			t = xrealloc(t, alloc * sizeof(*t));
		}
		n = tokenize(t, pf->line[i].s, len);
		for (k = np; k < n; k++) {
			size_t j;

			if (!t[k].word || t[k].len <= m->len + 1 ||
			    memcmp(t[k].s, m->s, m->len) ||
			    t[k].s[m->len] != '_' || !member_follows(t, n, k))
				continue;
			for (j = 0; j < np && tok_same(&t[k - np + j], &p[j]);
			     j++)
				;
			if (j < np)
				continue;
			if (found && !tok_same(out, &t[k])) {
				found = -1;
				break;
			}
			*out = t[k];
			found = 1;
		}
	}
	free(t);
	return found > 0;
}

/*
 * Whether every use of word m in lines l is as a member after a path,
 * a struct itself.
 */
static int only_member(const struct line_toks *l, size_t nr,
		       const struct wtok *m)
{
	for (size_t i = 0; i < nr; i++)
		for (size_t k = 0; k < l[i].n; k++)
			if (tok_same(&l[i].t[k], m) &&
			    (!path_before(l[i].t, k) ||
			     !member_follows(l[i].t, l[i].n, k)))
				return 0;
	return 1;
}

/*
 * Learn the struct members the hunk's added lines name by a name the
 * file never uses, where the file names one member after the same path
 * by that name and more: upstream shortened the name ("d->arch.pv." for
 * the file's "d->arch.pv_domain."), and a backport writes the old one.
 * Only members that are structs themselves (another member follows);
 * a name the file writes two ways on two paths ("d->arch.pv_domain.",
 * "v->arch.pv_vcpu.") is written neither, and one the hunk also uses
 * otherwise may be a new name: it is not rewritten.
 */
static void learn_members(struct adapt_vocab *v, const struct place_file *pf,
			  const struct patch_hunk *h)
{
	struct place_line *pl = xcalloc(h->nr + 1, sizeof(*pl));
	struct line_toks *lt;
	size_t np = 0, known = v->nr, i, k;

	for (i = 0; i < h->nr; i++) {
		if (h->lines[i].kind != '+' ||
		    is_include(h->lines[i].text, h->lines[i].len))
			continue;
		pl[np].s = h->lines[i].text;
		pl[np++].len = code_len(h->lines[i].text, h->lines[i].len);
	}
	lt = xcalloc(np + 1, sizeof(*lt));
	lines_tokenize(lt, pl, np);
	for (i = 0; i < np; i++)
		for (k = 0; k < lt[i].n; k++) {
			const struct wtok *t = lt[i].t;
			size_t p = path_before(t, k);
			struct wtok to;

			if (p && !is_keyword(&t[k]) &&
			    member_follows(t, lt[i].n, k) &&
			    !file_has_word(pf, &t[k]) &&
			    file_member(&to, pf, t + k - p, p, &t[k]))
				teach(v, pf, &t[k], &to);
		}
	for (i = known; i < v->nr; i++)
		if (!only_member(lt, np, &v->s[i].from))
			forbid(v, &v->s[i]);
	lines_release(lt, np);
	free(pl);
}

/*
 * Record the words one aligned pair writes otherwise.  A word the file
 * has (also: one an aligned line keeps) or a keyword is never rewritten;
 * neither is one written two ways.
 */
static void learn_pair(struct adapt_vocab *v, const struct place_file *pf,
		       const struct line_toks *p, const struct line_toks *f)
{
	size_t kept = 0;

	/* another header included is another line, not a respelling (the
	 * words of its name are no code's: file_has_word) */
	if (p->n > 1 && tok_is(&p->t[0], '#') && p->t[1].len == 7 &&
	    !memcmp(p->t[1].s, "include", 7))
		return;
	/* a line differing also in a word the file has, or in a number's
	 * value, or keeping no word but keywords, is another line (or
	 * another use of the same one): it teaches nothing */
	for (size_t k = 0; k < p->n; k++) {
		if (tok_same(&p->t[k], &f->t[k])) {
			kept += p->t[k].word && !is_keyword(&p->t[k]);
			continue;
		}
		if (is_keyword(&p->t[k]) || file_has_word(pf, &p->t[k]) ||
		    other_value(&p->t[k], &f->t[k]))
			return;
	}
	if (!kept)
		return;
	for (size_t k = 0; k < p->n; k++)
		if (p->t[k].word && !tok_same(&p->t[k], &f->t[k]))
			teach(v, pf, &p->t[k], &f->t[k]);
}

/*
 * Align the hunk's pre-image lines to the placed file lines (an LCS that
 * prefers lines the same to lines rewritten) and learn from each pair.
 */
static void learn(struct adapt_vocab *v, const struct place_file *pf,
		  const struct patch_hunk *h, long lo, long hi)
{
	size_t np = 0, nf = (size_t)(hi - lo), i, j;
	struct place_line *pl;
	struct line_toks *pt = NULL, *ft = NULL;
	unsigned *dp = NULL;

	pl = xcalloc(h->nr + 1, sizeof(*pl));
	for (i = 0; i < h->nr; i++) {
		if (h->lines[i].kind == '+')
			continue;
		pl[np].s = h->lines[i].text;
		pl[np++].len = h->lines[i].len;
	}
	if (!np || !nf || (np + 1) * (nf + 1) > MAX_CELLS)
		goto done;
	pt = xcalloc(np, sizeof(*pt));
	ft = xcalloc(nf, sizeof(*ft));
	lines_tokenize(pt, pl, np);
	lines_tokenize(ft, pf->line + lo, nf);
	dp = xcalloc((np + 1) * (nf + 1), sizeof(*dp));
#define DP(x, y) dp[(x) * (nf + 1) + (y)]
	for (i = np; i-- > 0;)
		for (j = nf; j-- > 0;) {
			unsigned best = DP(i + 1, j) > DP(i, j + 1) ? DP(i + 1, j)
								   : DP(i, j + 1);
			unsigned k = pair_weight(&pt[i], &ft[j]);

			if (k && DP(i + 1, j + 1) + k > best)
				best = DP(i + 1, j + 1) + k;
			DP(i, j) = best;
		}
	for (i = 0, j = 0; i < np && j < nf;) {
		unsigned k = pair_weight(&pt[i], &ft[j]);

		if (k && DP(i, j) == DP(i + 1, j + 1) + k) {
			learn_pair(v, pf, &pt[i], &ft[j]);
			i++;
			j++;
		} else if (DP(i, j) == DP(i + 1, j)) {
			i++;
		} else {
			j++;
		}
	}
#undef DP
done:
	free(dp);
	lines_release(pt, np);
	lines_release(ft, nf);
	free(pl);
}

/*
 * Append line s with every rewritable word of its code (not of its
 * strings or comments, nor of an #include) rewritten; returns how many
 * were.
 */
static int rewrite(struct strbuf *sb, struct adapt_vocab *v, const char *s,
		   size_t len)
{
	size_t i = 0, code = is_include(s, len) ? 0 : code_len(s, len);
	int n = 0, quote = 0;

	while (i < code) {
		size_t j = i + 1;
		struct wtok w;
		struct subst *st;

		if (quote || !place_is_word(s[i])) {
			if (quote && s[i] == '\\' && j < code)
				j++;
			else if (quote && s[i] == quote)
				quote = 0;
			else if (!quote && (s[i] == '"' || s[i] == '\''))
				quote = s[i];
			strbuf_add(sb, s + i, j - i);
			i = j;
			continue;
		}
		while (j < code && place_is_word(s[j]))
			j++;
		w.s = s + i;
		w.len = j - i;
		w.word = 1;
		st = subst_find(v, &w);
		if (st && !st->bad) {
			strbuf_add(sb, st->to.s, st->to.len);
			st->used = 1;
			n++;
		} else {
			strbuf_add(sb, w.s, w.len);
		}
		i = j;
	}
	strbuf_add(sb, s + code, len - code);
	return n;
}

/*
 * "true" and "false" are one pair: a file that writes one of them as
 * its number (having neither word in its code) writes the other so too.
 */
static void learn_truth(struct adapt_vocab *v, const struct place_file *pf)
{
	static const struct wtok word[2] = { { "false", 5, 1 },
					     { "true", 4, 1 } };
	static const struct wtok num[2] = { { "0", 1, 1 }, { "1", 1, 1 } };

	for (int k = 0; k < 2; k++) {
		struct subst *s = subst_find(v, &word[k]);

		if (s && !s->bad && tok_same(&s->to, &num[k]) &&
		    !subst_find(v, &word[!k]))
			teach(v, pf, &word[!k], &num[!k]);
	}
}

/*
 * Settle what v teaches: one word taught for two, or a word taught that
 * is itself rewritten, is rewritten nowhere.  Clears the used marks;
 * returns whether any word is rewritten.
 */
static int vocab_settle(struct adapt_vocab *v)
{
	int any = 0;

	for (size_t i = 0; i < v->nr; i++) {
		struct subst *s = &v->s[i];

		for (size_t j = 0; j < v->nr && !s->bad; j++)
			if (j != i && (tok_same(&v->s[j].to, &s->to) ||
				       tok_same(&v->s[j].from, &s->to)))
				forbid(v, s);
		s->used = 0;
		any |= !s->bad;
	}
	return any;
}

/* The rewritings marked used, "from -> to, ..." (malloc'ed). */
static char *vocab_note(const struct adapt_vocab *v)
{
	struct strbuf note = STRBUF_INIT;

	for (size_t i = 0; i < v->nr; i++)
		if (v->s[i].used)
			strbuf_addf(&note, "%s%.*s -> %.*s", note.len ? ", " : "",
				    (int)v->s[i].from.len, v->s[i].from.s,
				    (int)v->s[i].to.len, v->s[i].to.s);
	return strbuf_detach(&note, NULL);
}

/*
 * Rewrite nr lines into one owned buffer; where line i changed,
 * line[i] is pointed at its new text.  Lines that are file lines
 * [lo, hi) of pf themselves (pf may be NULL when lo == hi) are kept: a
 * word only in the file's comments or strings may be rewritten, not the
 * file.
 * Returns the words rewritten and sets *buf (malloc'ed; NULL when none).
 */
static int rewrite_lines(char **buf, struct adapt_vocab *v,
			 struct place_line *line, size_t nr,
			 const struct place_file *pf, long lo, long hi)
{
	struct strbuf sb = STRBUF_INIT;
	size_t *off = xcalloc(nr + 1, sizeof(*off));
	size_t *len = xcalloc(nr + 1, sizeof(*len)), i;
	int n = 0;

	*buf = NULL;
	for (i = 0; i < nr; i++) {
		size_t start = sb.len;
		long q = lo;
		int k;

		while (q < hi && pf->line[q].s != line[i].s)
			q++;
		if (q < hi)
			continue;
		k = rewrite(&sb, v, line[i].s, line[i].len);
		if (!k) {
			strbuf_setlen(&sb, start);
			continue;
		}
		off[i] = start;
		len[i] = sb.len - start;
		n += k;
	}
	if (n) {
		*buf = strbuf_detach(&sb, NULL);
		for (i = 0; i < nr; i++) {
			if (!len[i])
				continue;
			line[i].s = *buf + off[i];
			line[i].len = len[i];
		}
	}
	free(off);
	free(len);
	strbuf_release(&sb);
	return n;
}

/* The file lines around [pos, pos + len) a hunk's lines may align with. */
static void around(long *lo, long *hi, const struct place_file *pf,
		   const struct patch_hunk *h, long pos, long len)
{
	*lo = pos > (long)h->nr ? pos - (long)h->nr : 0;
	*hi = pos + len + (long)h->nr;
	if (*hi > (long)pf->nr)
		*hi = (long)pf->nr;
}

int adapt_added(struct place_result *out, const struct place_file *pf,
		const struct patch_hunk *h)
{
	struct adapt_vocab *local = NULL, *v = pf->vocab;
	char *buf;
	long lo, hi;
	int n = 0;

	if (out->len <= 0 || out->pos < 0 ||
	    (size_t)(out->pos + out->len) > pf->nr)
		return 0;
	if (!v)
		v = local = adapt_vocab_new();
	/* the placed lines and as many around them as the hunk has lines:
	 * a tier may have placed the change by part of its context only */
	around(&lo, &hi, pf, h, out->pos, out->len);
	learn(v, pf, h, lo, hi);
	learn_members(v, pf, h);
	learn_truth(v, pf);
	if (vocab_settle(v) &&
	    (n = rewrite_lines(&buf, v, out->post, out->post_nr, pf, out->pos,
			       out->pos + out->len))) {
		free(out->abuf);
		out->abuf = buf;
		free(out->adapted);
		out->adapted = vocab_note(v);
	}
	adapt_vocab_free(local);
	return n;
}

int adapt_translate(struct patch_hunk *out, char **buf, char **note,
		    const struct place_file *pf, const struct patch_hunk *h,
		    const struct place_candidate *cand, size_t cand_nr)
{
	struct adapt_vocab *v = adapt_vocab_new();
	struct place_line *line = xcalloc(h->nr + 1, sizeof(*line));
	long lo, hi;
	size_t i;
	int n = 0;

	*buf = *note = NULL;
	for (i = 0; i < h->nr; i++) {
		line[i].s = h->lines[i].text;
		line[i].len = h->lines[i].len;
	}
	/* around every candidate: words taught two ways are no drift */
	for (i = 0; i < cand_nr; i++) {
		if (cand[i].pos < 0 || (size_t)cand[i].pos > pf->nr)
			continue;
		around(&lo, &hi, pf, h, cand[i].pos, 0);
		learn(v, pf, h, lo, hi);
	}
	if (vocab_settle(v) &&
	    (n = rewrite_lines(buf, v, line, h->nr, NULL, 0, 0))) {
		*out = *h;
		out->lines = xcalloc(h->nr + 1, sizeof(*out->lines));
		out->alloc = h->nr;
		for (i = 0; i < h->nr; i++) {
			out->lines[i] = h->lines[i];
			out->lines[i].text = line[i].s;
			out->lines[i].len = line[i].len;
		}
		*note = vocab_note(v);
	}
	free(line);
	adapt_vocab_free(v);
	return n;
}

void adapt_own_post(struct place_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	size_t *off = xcalloc(r->post_nr + 1, sizeof(*off)), i;

	for (i = 0; i < r->post_nr; i++) {
		off[i] = sb.len;
		strbuf_add(&sb, r->post[i].s, r->post[i].len);
	}
	free(r->abuf);
	r->abuf = strbuf_detach(&sb, NULL);
	for (i = 0; i < r->post_nr; i++)
		r->post[i].s = r->abuf + off[i];
	free(off);
}

void adapt_vocab_seed(struct adapt_vocab *v, const struct place_file *pf,
		      const struct adapt_vocab *shared)
{
	for (size_t i = 0; shared && i < shared->nr; i++) {
		struct subst *s;

		if (!shared->s[i].bad &&
		    (s = teach(v, pf, &shared->s[i].from, &shared->s[i].to)))
			s->seed = 1;
	}
}

void adapt_vocab_gather(struct adapt_vocab *shared, const struct adapt_vocab *v)
{
	for (size_t i = 0; shared && v && i < v->nr; i++) {
		const struct subst *s = &v->s[i];

		if (!s->bad && !s->seed && !knows(shared, &s->from, &s->to))
			vocab_add(shared, &s->from, &s->to);
	}
}

int adapt_vocab_news(const struct adapt_vocab *shared,
		     const struct adapt_vocab *own, const struct patch_hunk *h,
		     size_t nr)
{
	for (size_t i = 0; shared && i < shared->nr; i++) {
		const struct subst *s = &shared->s[i];

		if (s->bad || (own && subst_find(own, &s->from)))
			continue;
		for (size_t j = 0; j < nr; j++)
			for (size_t k = 0; k < h[j].nr; k++)
				if (h[j].lines[k].kind == '+' &&
				    line_has_word(h[j].lines[k].text,
						  h[j].lines[k].len, &s->from))
					return 1;
	}
	return 0;
}
