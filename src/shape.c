/*
 * shape: what a C-like source file's lines say about where code is: the
 * function line git names in a hunk header, a function's extent, and
 * preprocessor conditionals a change must not straddle.  Used by the
 * placement cascade (place.c).
 */
#include "shape.h"
#include "usage.h"
#include "banned.h"

#include <stdlib.h>
#include <string.h>

static int starts_func(const struct place_line *l)
{
	char c = l->len ? l->s[0] : 0;

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$';
}

/*
 * The length of the macro name s[0..n) starts with, followed by "(": a
 * word of capitals, digits and underscores, of two characters or more,
 * with a capital; 0 when s does not start so.
 */
static size_t macro_len(const char *s, size_t n)
{
	size_t k = 0;
	int cap = 0;

	while (k < n && ((s[k] >= 'A' && s[k] <= 'Z') ||
			 (s[k] >= '0' && s[k] <= '9') || s[k] == '_')) {
		cap |= s[k] >= 'A' && s[k] <= 'Z';
		k++;
	}
	return k >= 2 && cap && k < n && s[k] == '(' ? k : 0;
}

/* The first argument of the call starting at s[0] == '(': *b and *e. */
static void first_arg(const char *s, size_t n, size_t *b, size_t *e)
{
	size_t k = 1;

	while (k < n && place_is_ws(s[k]))
		k++;
	*b = k;
	while (k < n && s[k] != ',' && s[k] != ')')
		k++;
	while (k > *b && place_is_ws(s[k - 1]))
		k--;
	*e = k;
}

/*
 * Whether file line l is the function line func names.  A function an
 * assembler macro declares ("FUNC(name)", "ENTRY(name)") is named by the
 * macro's first argument, whichever macro declares it.  When func has a
 * parameter list, the name before "(" decides (a backport may have changed
 * the parameters or qualifiers); so does the name before "[" of an array
 * func declares (a table whose attributes drifted: __read_mostly for
 * __ro_after_init); otherwise the whole text must prefix l.
 */
static int func_matches(const struct place_line *l, const char *func)
{
	/* a parameter list, or an array's size */
	const char *delim = strchr(func, '(');
	size_t n = strlen(func), m = macro_len(func, n), lm;

	if (!delim)
		delim = strchr(func, '[');
	if (m) {
		size_t b1, e1, b2, e2;

		if (!(lm = macro_len(l->s, l->len)))
			return 0;
		first_arg(func + m, n - m, &b1, &e1);
		first_arg(l->s + lm, l->len - lm, &b2, &e2);
		return e1 > b1 && e1 - b1 == e2 - b2 &&
		       !memcmp(func + m + b1, l->s + lm + b2, e1 - b1);
	}
	if (delim) {
		const char *e = delim, *b;

		while (e > func && place_is_ws(e[-1]))
			e--;
		for (b = e; b > func && place_is_word(b[-1]); b--)
			;
		if (e - b >= 2) {
			size_t k = (size_t)(e - b);

			for (size_t i = 0; i + k <= l->len; i++) {
				size_t j = i + k;

				if (memcmp(l->s + i, b, k) ||
				    (i && place_is_word(l->s[i - 1])))
					continue;
				while (j < l->len && place_is_ws(l->s[j]))
					j++;
				if (j < l->len && l->s[j] == *delim)
					return 1;
			}
			return 0;
		}
	}
	n = place_rtrim_len(func, n);
	return n && l->len >= n && !memcmp(l->s, func, n);
}

long shape_func_above(const struct place_file *pf, long pos)
{
	for (long i = pos - 1; i >= 0; i--)
		if (starts_func(&pf->line[i]))
			return i;
	return -1;
}

/* Whether the function line git would name for a hunk at pos is func. */
int shape_func_at(const struct place_file *pf, long pos, const char *func)
{
	long i = shape_func_above(pf, pos);

	return i >= 0 && func_matches(&pf->line[i], func);
}

/*
 * shape_func_at for an alignment starting at pos: git names the function
 * above the hunk's first line, which is above pos when leading lines of
 * the hunk did not align, and above the first changed line too.
 */
int shape_map_in_func(const struct place_file *pf, const struct patch_hunk *h,
		      const long *map, long pos)
{
	long lead = 0;

	for (size_t k = 0; k < h->nr; k++) {
		if (h->lines[k].kind == '+')
			continue;
		if (map[k] >= 0)
			break;
		lead++;
	}
	if (shape_func_at(pf, pos, h->func) ||
	    (lead && shape_func_at(pf, pos - lead, h->func)))
		return 1;
	/* or the function above the change itself (the hunk's context holds
	 * no function line: shape_own_func), whatever its edge lines matched */
	for (size_t k = 0, changed = 0; k < h->nr; k++) {
		changed |= h->lines[k].kind != ' ';
		if (changed && h->lines[k].kind != '+' && map[k] >= 0)
			return shape_func_at(pf, map[k], h->func);
	}
	return 0;
}

/*
 * Whether the hunk shows its own function line above its first change
 * (it starts at "int foo(void)"): then that line, aligned like any other,
 * says where the change is, and the @@ name (the function before it) does
 * not matter.
 */
int shape_own_func(const struct patch_hunk *h)
{
	for (size_t i = 0; i < h->nr && h->lines[i].kind == ' '; i++) {
		struct place_line l = { h->lines[i].text, h->lines[i].len };

		if (starts_func(&l))
			return 1;
	}
	return 0;
}

int shape_func_exists(const struct place_file *pf, const char *func)
{
	if (!func || !*func)
		return 0;
	for (size_t i = 0; i < pf->nr; i++)
		if (starts_func(&pf->line[i]) &&
		    func_matches(&pf->line[i], func))
			return 1;
	return 0;
}

/*
 * Preprocessor conditionals.  Extra file lines between two aligned lines
 * of a hunk may hold an #ifdef the upstream text never had: a change made
 * across them would land inside (or outside) a conditional block the
 * upstream change knew nothing about.  A run of lines is reduced to what
 * it leaves unmatched (closes and else branches it ends, then opens it
 * leaves pending), so a whole #if ... #endif block between two lines
 * reduces to nothing; two runs cross the same structure when their
 * reductions are equal.
 */
enum { CPP_NONE, CPP_OPEN, CPP_MID, CPP_CLOSE };

static int cpp_kind(const char *s, size_t len)
{
	size_t i = 0, b;

	while (i < len && place_is_ws(s[i]))
		i++;
	if (i == len || s[i++] != '#')
		return CPP_NONE;
	while (i < len && place_is_ws(s[i]))
		i++;
	for (b = i; i < len && place_is_word(s[i]); i++)
		;
#define KW(w) (i - b == sizeof(w) - 1 && !memcmp(s + b, w, i - b))
	if (KW("if") || KW("ifdef") || KW("ifndef"))
		return CPP_OPEN;
	if (KW("else") || KW("elif") || KW("elifdef") || KW("elifndef"))
		return CPP_MID;
	if (KW("endif"))
		return CPP_CLOSE;
#undef KW
	return CPP_NONE;
}

struct cpp_run {
	uint64_t ends; /* hash of the closes and else branches left unmatched */
	long open;     /* conditionals left open */
};

static void cpp_feed(struct cpp_run *r, const char *s, size_t len)
{
	switch (cpp_kind(s, len)) {
	case CPP_OPEN:
		r->open++;
		break;
	case CPP_MID:
		if (!r->open)
			r->ends = r->ends * 31 + 'm';
		break;
	case CPP_CLOSE:
		if (r->open)
			r->open--;
		else
			r->ends = r->ends * 31 + 'c';
		break;
	}
}

/*
 * Whether file lines (flo, fhi) and the pre-image lines of hunk lines
 * (hlo, hhi), both exclusive, cross the same conditional structure.  The
 * hunk's lines there did not align: a removed one may be in the file
 * drifted, or not at all (the word merge takes it as gone), so the hunk's
 * structure is taken with its removed lines or without them.
 */
int shape_cpp_same(const struct place_file *pf, long flo, long fhi,
		   const struct patch_hunk *h, size_t hlo, size_t hhi)
{
	struct cpp_run f = { 0, 0 }, u = { 0, 0 }, c = { 0, 0 };

	for (long q = flo + 1; q < fhi; q++)
		cpp_feed(&f, pf->line[q].s, pf->line[q].len);
	for (size_t k = hlo + 1; k < hhi; k++) {
		if (h->lines[k].kind == '+')
			continue;
		cpp_feed(&u, h->lines[k].text, h->lines[k].len);
		if (h->lines[k].kind == ' ')
			cpp_feed(&c, h->lines[k].text, h->lines[k].len);
	}
	return (f.ends == u.ends && f.open == u.open) ||
	       (f.ends == c.ends && f.open == c.open);
}

/*
 * Whether the removed lines keep their conditional structure: two aligned
 * removed lines, consecutive in the pre-image, must not have the file's
 * extra lines between them open, close or switch a conditional (the
 * replacement would straddle it).
 */
int shape_cpp_removal_ok(const struct place_file *pf,
			 const struct patch_hunk *h, const long *map)
{
	size_t prev = h->nr;

	for (size_t k = 0; k < h->nr; k++) {
		if (h->lines[k].kind == '+' || map[k] < 0)
			continue;
		if (prev < h->nr && h->lines[k].kind == '-' &&
		    h->lines[prev].kind == '-' &&
		    !shape_cpp_same(pf, map[prev], map[k], h, prev, k))
			return 0;
		prev = k;
	}
	return 1;
}

/*
 * The word merge's version: edits are replayed token by token, so any gap
 * a change touches (a changed line at either end or between) must hold
 * the same conditional structure in the file as in the hunk.
 */
int shape_cpp_change_ok(const struct place_file *pf,
			const struct patch_hunk *h, const long *map)
{
	size_t prev = h->nr;
	int changed = 0;

	for (size_t k = 0; k < h->nr; k++) {
		if (h->lines[k].kind == '+' || map[k] < 0) {
			changed |= h->lines[k].kind != ' ';
			continue;
		}
		if (prev < h->nr &&
		    (changed || h->lines[k].kind == '-' ||
		     h->lines[prev].kind == '-') &&
		    !shape_cpp_same(pf, map[prev], map[k], h, prev, k))
			return 0;
		prev = k;
		changed = 0;
	}
	return 1;
}

/*
 * Whether the function line at f only declares it: a line ending in ";"
 * comes before a "{" in the first column (a prototype, maybe over several
 * lines, rather than the definition).
 */
static int func_decl(const struct place_file *pf, size_t f)
{
	for (size_t q = f; q < pf->nr && q < f + 16; q++) {
		const struct place_line *l = &pf->line[q];
		size_t n = place_rtrim_len(l->s, l->len);

		if (l->len && l->s[0] == '{')
			return 0;
		if (n && l->s[n - 1] == ';')
			return 1;
	}
	return 0;
}

/*
 * The file line of the @@ function when exactly one line of the file is
 * it (forward declarations aside when it is also defined), else -1.
 */
long shape_func_line(const struct place_file *pf, const char *func)
{
	long at = -1, decl = -1;
	int defs = 0, decls = 0;

	if (!func || !*func)
		return -1;
	for (size_t i = 0; i < pf->nr; i++) {
		if (!starts_func(&pf->line[i]) ||
		    !func_matches(&pf->line[i], func))
			continue;
		if (func_decl(pf, i)) {
			decls++;
			decl = (long)i;
		} else {
			defs++;
			at = (long)i;
		}
	}
	if (defs)
		return defs == 1 ? at : -1;
	return decls == 1 ? decl : -1;
}

/*
 * The end (exclusive) of the function whose line is f: its closing brace
 * in the first column.  A file with no such brace gives the file's end:
 * a wider extent only finds more places, never fewer.
 */
int shape_cpp_line(const struct place_line *l)
{
	return cpp_kind(l->s, l->len) != CPP_NONE;
}

/* Whether s[0..n) is blank or a comment's line ("/" "*", "*", "//"). */
static int blank_or_comment(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && place_is_ws(s[i]))
		i++;
	if (i == n || s[i] == '*')
		return 1;
	return s[i] == '/' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '/');
}

int shape_cpp_tail(const struct place_file *pf, long q)
{
	if (q < 0 || q >= (long)pf->nr ||
	    cpp_kind(pf->line[q].s, pf->line[q].len) != CPP_CLOSE)
		return 0;
	for (q++; q < (long)pf->nr; q++)
		if (cpp_kind(pf->line[q].s, pf->line[q].len) != CPP_CLOSE &&
		    !blank_or_comment(pf->line[q].s, pf->line[q].len))
			return 0;
	return 1;
}

long shape_func_end(const struct place_file *pf, long f)
{
	for (long q = f + 1; q < (long)pf->nr; q++)
		if (pf->line[q].len && pf->line[q].s[0] == '}')
			return q + 1;
	return (long)pf->nr;
}

/* Whether s[0..n) is blank (whitespace at most). */
int shape_cpp_outside(const struct place_file *pf, long lo, long hi)
{
	long first = -1, last = -1, q;
	int opens = 0, closes = 0;

	for (q = lo; q < hi; q++) {
		int k = cpp_kind(pf->line[q].s, pf->line[q].len);

		if (k == CPP_NONE)
			continue;
		opens |= k == CPP_OPEN;
		closes |= k == CPP_CLOSE;
		if (first < 0)
			first = q;
		last = q;
	}
	if (opens == closes)
		return 0;
	/* nothing but blanks between the cpp lines and the side they leave */
	for (q = closes ? last + 1 : lo; q < (closes ? hi : first); q++)
		if (!place_blank_text(pf->line[q].s, pf->line[q].len))
			return 0;
	/* the conditional ends (starts) right at the pin it is beside */
	for (q = closes ? lo : last + 1; q < (closes ? first : hi); q++)
		if (!place_blank_text(pf->line[q].s, pf->line[q].len))
			return 0;
	return closes ? 1 : -1;
}

/*
 * Whether a line starts a top-level item: text in the first column that
 * neither closes a block nor continues or closes a conditional (#else,
 * #elif, #endif: code after such a line sits in another branch).
 */
static int top_item(const char *s, size_t n)
{
	return n && !place_is_ws(s[0]) && s[0] != '}' &&
	       cpp_kind(s, n) != CPP_MID && cpp_kind(s, n) != CPP_CLOSE;
}

/* Whether the first non-blank of hunk lines [a, b) starts a top-level
 * item (all blank: nothing to say, so yes). */
static int first_top(const struct patch_hunk *h, size_t a, size_t b)
{
	for (size_t q = a; q < b; q++)
		if (!place_blank_text(h->lines[q].text, h->lines[q].len))
			return top_item(h->lines[q].text, h->lines[q].len);
	return 1;
}

/*
 * Whether the item upstream has after the insertion, whose first line is
 * l, is missing from the file: a function line whose function the file
 * does not have, or another line found nowhere (whitespace aside).  When
 * the file has that item elsewhere, it pins the insertion as well as the
 * function before does (the insertion may belong right above it).
 */
static int next_gone(const struct place_file *pf, const struct patch_line *l)
{
	struct place_line pl = { l->text, l->len };
	int gone = 1;

	if (starts_func(&pl)) {
		char *name = xstrndup(l->text, l->len);

		gone = !shape_func_exists(pf, name);
		free(name);
		return gone;
	}
	for (size_t q = 0; q < pf->nr && gone; q++)
		gone = !place_ws_equal(pf->line[q].s, pf->line[q].len, l->text,
				       l->len);
	return gone;
}

/* Whether file line q is the item whose first line is l (a function of
 * the same name, though its parameters or qualifiers drifted). */
static int next_here(const struct place_file *pf, long q,
		     const struct patch_line *l)
{
	struct place_line pl = { l->text, l->len };
	char *name;
	int here;

	if (pf->line[q].len == l->len && !memcmp(pf->line[q].s, l->text, l->len))
		return 1;
	if (!starts_func(&pl) || !starts_func(&pf->line[q]))
		return 0;
	name = xstrndup(l->text, l->len);
	here = func_matches(&pf->line[q], name);
	free(name);
	return here;
}

/*
 * Where the next item upstream has after the insertion (hunk lines [end,
 * h->nr)), found further down in the file than the function's end ip,
 * pins the insertion: right above it the new items come before the item
 * that may use them and after every item the file has before it, as
 * upstream has them (the file's extra items between say nothing of the
 * new ones).  Its first line, right after the insertion, is a function
 * line the file has once, below ip, and the trailing context follows it
 * line for line; above it the file has the nb blanks (at least one) the
 * hunk has and a line in the first column, the end of another top-level
 * item; and no conditional stands between ip and it (the new items would
 * land in a branch upstream never had).  Returns the file line to insert
 * before, or -1.
 */
static long next_below(const struct place_file *pf, long ip,
		       const struct patch_hunk *h, size_t end, size_t nb)
{
	struct place_line pl = { h->lines[end].text, h->lines[end].len };
	long y = -1, q;

	if (!starts_func(&pl))
		return -1;
	for (q = 0; q < (long)pf->nr; q++) {
		if (pf->line[q].len != pl.len || memcmp(pf->line[q].s, pl.s, pl.len))
			continue;
		if (y >= 0)
			return -1;
		y = q;
	}
	if (y <= ip + (long)nb || y + (long)(h->nr - end) > (long)pf->nr)
		return -1;
	for (size_t k = end; k < h->nr; k++) {
		const struct place_line *l = &pf->line[y + (long)(k - end)];

		if (!place_ws_equal(l->s, l->len, h->lines[k].text,
				    h->lines[k].len))
			return -1;
	}
	for (q = y - (long)nb; q < y; q++)
		if (!place_blank_text(pf->line[q].s, pf->line[q].len))
			return -1;
	q = y - (long)nb - 1;
	if (!nb || !pf->line[q].len || place_is_ws(pf->line[q].s[0]))
		return -1;
	for (q = ip; q < y; q++)
		if (shape_cpp_line(&pf->line[q]))
			return -1;
	return y;
}

long shape_after_func(const struct place_file *pf, const struct patch_hunk *h,
		      size_t *nlead)
{
	size_t i, end, k, nb;
	long f, e, ip, y;
	int first;

	if (!patch_hunk_insertion(h, &i, &end))
		return -1;
	/* the leading context ends with a closing brace and blanks */
	for (k = i; k > 0 &&
		    place_blank_text(h->lines[k - 1].text, h->lines[k - 1].len);
	     k--)
		;
	if (!k || !h->lines[k - 1].len || h->lines[k - 1].text[0] != '}')
		return -1;
	nb = i - k;
	/* the insertion and what follows it are top-level items */
	if (!first_top(h, i, end) || !first_top(h, end, h->nr))
		return -1;
	if (shape_own_func(h) || (f = shape_func_line(pf, h->func)) < 0)
		return -1;
	e = shape_func_end(pf, f);
	if (e - (long)k <= f)
		return -1;
	/* the function ends in the file as the hunk shows it */
	for (size_t q = 0; q < k; q++) {
		const struct place_line *l = &pf->line[e - (long)k + (long)q];

		if (l->len != h->lines[q].len ||
		    memcmp(l->s, h->lines[q].text, l->len))
			return -1;
	}
	for (ip = e; ip < e + (long)nb; ip++)
		if (ip >= (long)pf->nr ||
		    !place_blank_text(pf->line[ip].s, pf->line[ip].len))
			return -1;
	if (ip >= (long)pf->nr ||
	    !top_item(pf->line[ip].s, pf->line[ip].len))
		return -1;
	/* the next items: the file's own there, or nowhere in the file */
	first = 1;
	for (size_t q = end; q < h->nr; q++) {
		const struct patch_line *l = &h->lines[q];
		struct place_line pl = { l->text, l->len };

		if (place_blank_text(l->text, l->len))
			continue;
		if (first && next_here(pf, ip, l))
			break;
		if (first && q == end && (y = next_below(pf, ip, h, end, nb)) >= 0) {
			ip = y;
			break;
		}
		if ((first || starts_func(&pl)) && !next_gone(pf, l))
			return -1;
		first = 0;
	}
	*nlead = k;
	return ip;
}

int shape_search_range(const struct place_file *pf, const struct patch_hunk *h,
		       long *f, long *e)
{
	if (shape_own_func(h) || !shape_func_exists(pf, h->func)) {
		*f = -1;
		*e = (long)pf->nr;
		return 0;
	}
	if ((*f = shape_func_line(pf, h->func)) < 0)
		return -1;
	*e = shape_func_end(pf, *f);
	return 0;
}
