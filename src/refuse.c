/*
 * refuse: the last word on a placement.  A hunk placed by any tier is
 * refused when its result would be code the fix never meant: new lines
 * between a braceless if or loop and its statement, or several where it
 * governs one; the body of another function than the hunk's; a removed
 * line taken beside other lines than the hunk's; a bool_t given no truth
 * value; a variable's only setting removed while it is read; a statement
 * after a return; a hunk "already applied" only outside its function.
 * Each check came from a wrong result some tier produced on the Xen
 * backports (tests/place/refuse-*), and reads only the file's and the
 * result's lines around the place: O(hunk + function) per hunk.
 */
#include "place.h"
#include "place-int.h"
#include "reindent.h"
#include "shape.h"
#include "banned.h"
#include "usage.h"

#include <string.h>

/* Text without its leading and trailing blanks: *n its length. */
static const char *trimmed(const char *s, size_t len, size_t *n)
{
	while (len && place_is_ws(*s)) {
		s++;
		len--;
	}
	*n = place_rtrim_len(s, len);
	return s;
}

/* s[0..n) without its leading and trailing blanks, in *b and *e. */
static void trim(const char *s, size_t n, size_t *b, size_t *e)
{
	*b = (size_t)(trimmed(s, n, &n) - s);
	*e = *b + n;
}

/* Whether s[0..n), after blanks and a "}", starts with the keyword kw. */
static int starts_kw(const char *s, size_t n, const char *kw)
{
	size_t b, e, k = strlen(kw);

	trim(s, n, &b, &e);
	if (b < e && s[b] == '}')
		for (b++; b < e && place_is_ws(s[b]); b++)
			;
	return e - b >= k && !memcmp(s + b, kw, k) &&
	       (e - b == k || !place_is_word(s[b + k]));
}

/* Whether s[b..e) starts with a loop macro's name ("for_each_vcpu"). */
static int loop_macro(const char *s, size_t b, size_t e)
{
	size_t w = b;

	while (w < e && place_is_word(s[w]))
		w++;
	for (size_t i = b; i + 8 <= w; i++)
		if (!memcmp(s + i, "for_each", 8))
			return w < e && memchr(s + w, '(', e - w) &&
			       !memchr(s + w, ';', e - w);
	return 0;
}

/*
 * Whether file line q is a whole C control line whose statement is the
 * next line, not a block: "if ( x )", "while ( x )", "for ( ;; )", a
 * loop macro "for_each_vcpu ( d, v )" (each ending in its ")"), or
 * "else".
 */
static int braceless_header(const struct place_file *pf, long q)
{
	const char *s = pf->line[q].s;
	size_t b, e, n = pf->line[q].len;

	trim(s, n, &b, &e);
	if (b == e)
		return 0;
	if (s[e - 1] == ')')
		return starts_kw(s, n, "if") || starts_kw(s, n, "while") ||
		       starts_kw(s, n, "for") || loop_macro(s, b, e);
	return starts_kw(s, n, "else") && e - b >= 4 &&
	       !memcmp(s + e - 4, "else", 4);
}

/* Whether line s is code: not blank, a comment or a preprocessor line. */
int place_code_line(const char *s, size_t n)
{
	size_t b, e;

	trim(s, n, &b, &e);
	if (e - b >= 2 && s[b] == '/' && (s[b + 1] == '*' || s[b + 1] == '/'))
		return 0;
	return b < e && s[b] != '#' && s[b] != '*';
}

/* Whether the hunk adds lines right after a line that is s but for blanks. */
static int adds_after(const struct patch_hunk *h, const struct place_line *s)
{
	for (size_t i = 1; i < h->nr; i++)
		if (h->lines[i].kind == '+' && h->lines[i - 1].kind != '+' &&
		    place_ws_equal(h->lines[i - 1].text, h->lines[i - 1].len,
				   s->s, s->len))
			return 1;
	return 0;
}

/*
 * Whether lines [k, m) of out->post, put between file lines q and q + 1,
 * come between a control line without a brace and its statement (q + 1,
 * indented deeper) as a statement of their own: their first code line
 * does not open a block.
 */
static int takes_statement(const struct place_result *out,
			   const struct place_file *pf,
			   const struct patch_hunk *h, long q, size_t k,
			   size_t m)
{
	const struct place_line *l;
	size_t b, e;

	if ((size_t)q + 1 >= pf->nr || !braceless_header(pf, q) ||
	    reindent_width(pf->line[q + 1].s, pf->line[q + 1].len) <=
		    reindent_width(pf->line[q].s, pf->line[q].len))
		return 0;
	while (k < m && !place_code_line(out->post[k].s, out->post[k].len))
		k++;
	if (k == m)
		return 0;
	l = &out->post[k];
	trim(l->s, l->len, &b, &e);
	return l->s[b] != '{' && !adds_after(h, &pf->line[q]);
}

/* The file line in [q, end) that post line l is, or end: l is new. */
long place_file_line_of(const struct place_file *pf,
			const struct place_line *l, long q, long end)
{
	while (q < end && pf->line[q].s != l->s)
		q++;
	return q;
}

/*
 * Whether out replaces the one statement a file line opening an if, a
 * loop or an else without a brace governs (the next file line, indented
 * deeper) with several statements one under the other: only the first
 * would be governed, the others would run whatever the condition (the
 * hunk's loop had braces, the file's has none).  Unless the hunk adds its
 * lines right after that line itself, or they open a block.
 */
static int splits_body(const struct place_result *out,
		       const struct place_file *pf, const struct patch_hunk *h)
{
	long end = out->pos + out->len;

	/* k is the post line after the header: the header is the file line
	 * right above the placement, or a post line kept from the file */
	for (size_t k = 0; k < out->post_nr; k++) {
		long q = k ? place_file_line_of(pf, &out->post[k - 1], out->pos, end)
			   : out->pos - 1;
		size_t m, n = 0, first = 0, b, e;
		long depth = 0;
		int done = 0;

		if (q < 0 || (k && q >= end) || q + 1 >= end ||
		    q + 1 < out->pos || !braceless_header(pf, q) ||
		    reindent_width(pf->line[q + 1].s, pf->line[q + 1].len) <=
			    reindent_width(pf->line[q].s, pf->line[q].len) ||
		    place_file_line_of(pf, &out->post[k], q + 1, q + 2) == q + 1 ||
		    adds_after(h, &pf->line[q]))
			continue;
		/* a C statement, on its line (not a shell "else" branch) */
		trim(pf->line[q + 1].s, pf->line[q + 1].len, &b, &e);
		if (b == e || pf->line[q + 1].s[e - 1] != ';')
			continue;
		for (m = k;
		     m < out->post_nr &&
		     place_file_line_of(pf, &out->post[m], out->pos, end) == end;
		     m++) {
			const struct place_line *l = &out->post[m];
			long w = reindent_width(l->s, l->len), before = depth;

			if (!place_code_line(l->s, l->len))
				continue;
			trim(l->s, l->len, &b, &e);
			for (size_t c = b; c < e; c++)
				depth += (l->s[c] == '{') - (l->s[c] == '}');
			if (before > 0) {
				done = depth <= 0;
				continue;
			}
			if (!n++) {
				if (l->s[b] == '{')
					break;
				first = (size_t)w;
			} else if ((size_t)w == first && done &&
				   l->s[b] != '{' && l->s[b] != '}' &&
				   !starts_kw(l->s, l->len, "else")) {
				return 1;
			}
			done = (l->s[e - 1] == ';' || l->s[e - 1] == '}') &&
			       depth <= 0;
		}
	}
	return 0;
}

/*
 * Whether out puts lines of its own between a file line that opens an
 * if, a loop or an else without a brace and the one statement it
 * governs (the next file line, indented deeper, kept): the first of
 * them would become the governed statement and the file's statement
 * would run whatever the condition.  The hunk's "{" the file lacks (it
 * made the statement one of a block) is how this comes about.  Unless
 * the hunk adds its lines right after that line itself, or they open a
 * block of their own.
 */
static int steals_body(const struct place_result *out,
		       const struct place_file *pf, const struct patch_hunk *h)
{
	long q = out->pos, end = out->pos + out->len, prev = -1, f;
	size_t k = 0, m;

	while (k < out->post_nr) {
		f = place_file_line_of(pf, &out->post[k], q, end);
		if (f < end) {
			prev = f;
			q = f + 1;
			k++;
			continue;
		}
		for (m = k + 1; m < out->post_nr; m++)
			if ((f = place_file_line_of(pf, &out->post[m], q, end)) < end)
				break;
		if (prev >= 0 && (m < out->post_nr ? f : end) == prev + 1 &&
		    takes_statement(out, pf, h, prev, k, m))
			return 1;
		prev = -1;
		k = m;
	}
	return 0;
}

/* The identifier right before the first "(" of s, in *len; NULL if none. */
static const char *called_name(const char *s, size_t n, size_t *len)
{
	const char *p = memchr(s, '(', n), *e;

	if (!p)
		return NULL;
	while (p > s && place_is_ws(p[-1]))
		p--;
	e = p;
	while (p > s && place_is_word(p[-1]))
		p--;
	*len = (size_t)(e - p);
	return *len ? p : NULL;
}

/*
 * Whether out puts a hunk that opens its @@ function's body (its first
 * line the "{" right under the function line git names) at the "{" of
 * another function, the file having none of the @@ name: a function
 * alike in its first lines (a vmx_add_msr() for a vmx_del_msr() the
 * branch never got) is still another function.  A function the branch
 * names otherwise is refused too; that fails safe.
 */
static int other_function(const struct place_result *out,
			  const struct place_file *pf,
			  const struct patch_hunk *h)
{
	const struct place_line *f;
	const char *a, *b;
	size_t al, bl;
	long q;

	if (!h->func || !*h->func || shape_own_func(h) ||
	    shape_func_exists(pf, h->func) || !h->nr ||
	    h->lines[0].kind != ' ' || h->lines[0].len != 1 ||
	    h->lines[0].text[0] != '{' || out->pos < 1 ||
	    (size_t)out->pos >= pf->nr || pf->line[out->pos].len != 1 ||
	    pf->line[out->pos].s[0] != '{')
		return 0;
	if ((q = shape_func_above(pf, out->pos)) < 0)
		return 0;
	f = &pf->line[q];
	a = called_name(h->func, strlen(h->func), &al);
	b = called_name(f->s, f->len, &bl);
	return a && b && (al != bl || memcmp(a, b, al));
}

static int same_trimmed(const char *a, size_t al, const char *b, size_t bl)
{
	size_t an, bn;

	a = trimmed(a, al, &an);
	b = trimmed(b, bl, &bn);
	return an == bn && !memcmp(a, b, an);
}

/* Whether l says something on its own: not blank, not a lone brace. */
static int telling_line(const struct patch_line *l)
{
	size_t n;
	const char *t = trimmed(l->text, l->len, &n);

	return n > 1 || (n == 1 && *t != '{' && *t != '}');
}

/*
 * Whether out removes a line beside which the hunk shows a context line
 * the file lacks there (fuzzed), while the file has the two lines side by
 * side elsewhere: the line removed here is another copy of it, under
 * another condition ("goto put_both;" after "rc = -EINVAL;" for the one
 * after "rc = -EXDEV;"), and the copy the fix changes would stay.
 */
static int removes_other_copy(const struct place_result *out,
			      const struct place_file *pf,
			      const struct patch_hunk *h)
{
	for (size_t i = 0; i < h->nr; i++) {
		const struct patch_line *r = &h->lines[i];

		if (r->kind != '-' || !telling_line(r))
			continue;
		for (int side = -1; side <= 1; side += 2) {
			const struct patch_line *c, *up, *down;
			size_t j = i + side, f;

			if (j >= h->nr || h->lines[j].kind != ' ' ||
			    !telling_line(&h->lines[j]))
				continue;
			for (f = 0; f < out->fuzzed_nr && out->fuzzed[f] != j;
			     f++)
				;
			if (f == out->fuzzed_nr)
				continue;
			c = &h->lines[j];
			up = side < 0 ? c : r;
			down = side < 0 ? r : c;
			for (size_t k = 0; k + 1 < pf->nr; k++) {
				const struct place_line *a = &pf->line[k];

				if ((long)k + 1 >= out->pos &&
				    (long)k < out->pos + out->len)
					continue;
				if (same_trimmed(a->s, a->len, up->text,
						 up->len) &&
				    same_trimmed(a[1].s, a[1].len, down->text,
						 down->len))
					return 1;
			}
		}
	}
	return 0;
}

/*
 * If s (n bytes) is an assignment "x = v;" (x a name, maybe with "." or
 * "->"), the length of x's text from s on and v in *v, *vn; else 0.
 */
static size_t assignment(const char *s, size_t n, const char **v, size_t *vn)
{
	size_t i = 0, x;

	s = trimmed(s, n, &n);
	while (i < n && (place_is_word(s[i]) || s[i] == '.' ||
			 (s[i] == '-' && i + 1 < n && s[i + 1] == '>' && ++i)))
		i++;
	x = i;
	while (i < n && place_is_ws(s[i]))
		i++;
	if (!x || i + 1 >= n || s[i] != '=' || s[i + 1] == '=' ||
	    s[n - 1] != ';')
		return 0;
	*v = trimmed(s + i + 1, n - i - 2, vn);
	return x;
}

static int text_is(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && !memcmp(s, w, n);
}

/* Whether expression v (n bytes) is a truth value (0 or 1) as written. */
static int truth_value(const char *v, size_t n)
{
	if (!n || *v == '!' || text_is(v, n, "true") ||
	    text_is(v, n, "false") || text_is(v, n, "0") || text_is(v, n, "1"))
		return 1;
	for (size_t i = 0; i + 1 < n; i++)
		if ((v[i] == '=' && v[i + 1] == '=') ||
		    (v[i] == '!' && v[i + 1] == '=') || v[i] == '<' ||
		    v[i] == '>' || (v[i] == '&' && v[i + 1] == '&') ||
		    (v[i] == '|' && v[i + 1] == '|') || v[i] == '?')
			return 1;
	return 0;
}

/*
 * Whether out sets a variable the hunk sets from true or false (that the
 * file sets from 1 or 0 there: a bool_t, a char in older trees) to a
 * value that is no truth value: upstream's bool makes it 0 or 1, a char
 * keeps its low byte ("sync_guest = this_cpu(root_pgt);", a pointer to a
 * page, is 0).
 */
static int truth_to_char(const struct place_result *out,
			 const struct place_file *pf,
			 const struct patch_hunk *h)
{
	for (size_t i = 0; i < h->nr; i++) {
		const struct patch_line *r = &h->lines[i];
		const char *x, *v;
		size_t xn, vn, n;
		int seen = 0;

		if (r->kind != '-' ||
		    !(xn = assignment(r->text, r->len, &v, &vn)) ||
		    (!text_is(v, vn, "true") && !text_is(v, vn, "false")))
			continue;
		x = trimmed(r->text, r->len, &n);
		for (long k = out->pos; k < out->pos + out->len; k++) {
			const struct place_line *f = &pf->line[k];
			const char *fx = trimmed(f->s, f->len, &n);

			if (assignment(f->s, f->len, &v, &vn) == xn &&
			    !memcmp(fx, x, xn) &&
			    (text_is(v, vn, "1") || text_is(v, vn, "0")))
				seen = 1;
		}
		for (size_t k = 0; seen && k < out->post_nr; k++) {
			const struct place_line *p = &out->post[k];
			const char *px = trimmed(p->s, p->len, &n);

			if (assignment(p->s, p->len, &v, &vn) == xn &&
			    !memcmp(px, x, xn) && !truth_value(v, vn))
				return 1;
		}
	}
	return 0;
}

/* Whether s (n bytes) is a whole return, break, continue or goto. */
static int jump_statement(const char *s, size_t n)
{
	static const char *const kw[] = { "return", "break", "continue",
					  "goto" };

	s = trimmed(s, n, &n);
	if (!n || s[n - 1] != ';')
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(kw); i++) {
		size_t l = strlen(kw[i]);

		if (n > l && !memcmp(s, kw[i], l) && !place_is_word(s[l]))
			return 1;
	}
	return 0;
}

/*
 * Whether s (n bytes) can follow a jump at its depth and be reached: a
 * label ("case", "default", "out:"), a block's end, a preprocessor line
 * or a comment.
 */
static int reachable_after_jump(const char *s, size_t n)
{
	s = trimmed(s, n, &n);
	if (!n || *s == '}' || *s == '#' || *s == '/' || *s == '*' ||
	    s[n - 1] == ':' ||
	    (n > 4 && !memcmp(s, "case", 4) && !place_is_word(s[4])))
		return 1;
	return n >= 7 && !memcmp(s, "default", 7) && !place_is_word(s[7]);
}

/* Whether the file has a line a followed (but for blanks) by a line b. */
static int follow_in_file(const struct place_file *pf,
			  const struct place_line *a,
			  const struct place_line *b)
{
	for (size_t k = 0; k < pf->nr; k++) {
		size_t m = k + 1;

		if (!same_trimmed(pf->line[k].s, pf->line[k].len, a->s, a->len))
			continue;
		while (m < pf->nr &&
		       place_blank_text(pf->line[m].s, pf->line[m].len))
			m++;
		if (m < pf->nr &&
		    same_trimmed(pf->line[m].s, pf->line[m].len, b->s, b->len))
			return 1;
	}
	return 0;
}

/* The same in the hunk's post-image. */
static int follow_in_hunk(const struct patch_hunk *h,
			  const struct place_line *a,
			  const struct place_line *b)
{
	for (size_t k = 0; k < h->nr; k++) {
		const struct patch_line *l = &h->lines[k];
		size_t m = k + 1;

		if (l->kind == '-' ||
		    !same_trimmed(l->text, l->len, a->s, a->len))
			continue;
		while (m < h->nr &&
		       (h->lines[m].kind == '-' ||
			place_blank_text(h->lines[m].text, h->lines[m].len)))
			m++;
		if (m < h->nr && same_trimmed(h->lines[m].text, h->lines[m].len,
					      b->s, b->len))
			return 1;
	}
	return 0;
}

/*
 * Whether out leaves a statement right after a return, break, continue
 * or goto at the same depth (no label between), where neither the file
 * nor the hunk has the two one after the other: the lines between went
 * (a "case" label the file's statement belonged to), and the statement
 * would never run.
 */
static int code_after_jump(const struct place_result *out,
			   const struct place_file *pf,
			   const struct patch_hunk *h)
{
	for (size_t k = 0; k < out->post_nr; k++) {
		const struct place_line *a = &out->post[k], *b;
		size_t m = k + 1;

		if (!jump_statement(a->s, a->len))
			continue;
		while (m < out->post_nr &&
		       place_blank_text(out->post[m].s, out->post[m].len))
			m++;
		if (m == out->post_nr)
			continue;
		b = &out->post[m];
		if (reachable_after_jump(b->s, b->len) ||
		    reindent_width(a->s, a->len) !=
			    reindent_width(b->s, b->len) ||
		    follow_in_file(pf, a, b) || follow_in_hunk(h, a, b))
			continue;
		return 1;
	}
	return 0;
}

/*
 * How name x (xn bytes) occurs in s: 0 not at all, 1 read, 2 set or its
 * address taken ("x = ", "x += ", "&x", "x++"), 3 declared without a
 * value ("int x;", "int a, x;": a line holding no "=", "(" or "return").
 */
static int use_of(const char *s, size_t n, const char *x, size_t xn)
{
	int how = 0;

	for (size_t i = 0; i + xn <= n; i++) {
		size_t j = i + xn;

		if (memcmp(s + i, x, xn) || (i && place_is_word(s[i - 1])) ||
		    (j < n && place_is_word(s[j])))
			continue;
		if (i && s[i - 1] == '&')
			return 2;
		while (j < n && place_is_ws(s[j]))
			j++;
		if (j + 1 < n &&
		    ((s[j] == '=' && s[j + 1] != '=') ||
		     (strchr("+-*/|&^", s[j]) && s[j + 1] == '=') ||
		     (s[j] == '+' && s[j + 1] == '+') ||
		     (s[j] == '-' && s[j + 1] == '-')))
			return 2;
		if (j < n && (s[j] == ';' || s[j] == ',') &&
		    !memchr(s, '=', n) && !memchr(s, '(', n) &&
		    !memmem(s, n, "return", 6))
			how = 3;
		else if (!how)
			how = 1;
	}
	return how;
}

/*
 * Whether h removes a line reading x ("if ( !rc )") that the file lacks
 * where out puts h, the placement being no exact one.
 */
static int reads_gone(const struct place_result *out,
		      const struct place_file *pf, const struct patch_hunk *h,
		      const char *x, size_t xn)
{
	if (out->tier == PLACE_EXACT || out->tier == PLACE_OFFSET)
		return 0;
	for (size_t i = 0; i < h->nr; i++) {
		const struct patch_line *l = &h->lines[i];
		long k;

		if (l->kind != '-' || use_of(l->text, l->len, x, xn) != 1)
			continue;
		for (k = out->pos; k < out->pos + out->len; k++)
			if (same_trimmed(pf->line[k].s, pf->line[k].len,
					 l->text, l->len))
				break;
		if (k == out->pos + out->len)
			return 1;
	}
	return 0;
}

/*
 * Whether out removes a statement setting a variable ("rc = f(d);") that
 * its function, as placed, declares without a value, sets nowhere else
 * and still reads: upstream set it elsewhere too (an "if ( !rc )" shows
 * it), the file not, and the read would take an unset value.
 */
static int leaves_unset(const struct place_result *out,
			const struct place_file *pf, const struct patch_hunk *h)
{
	long f = shape_func_above(pf, out->pos), e;

	if (f < 0 || (e = shape_func_end(pf, f)) < out->pos + out->len)
		return 0;
	for (size_t i = 0; i < h->nr; i++) {
		const struct patch_line *r = &h->lines[i];
		const char *v, *x;
		size_t xn, vn;
		int decl = 0, set = 0, read = 0, how;

		if (r->kind != '-' ||
		    !(xn = assignment(r->text, r->len, &v, &vn)))
			continue;
		x = trimmed(r->text, r->len, &vn);
		for (size_t k = 0; k < xn; k++)
			if (!place_is_word(x[k]))
				xn = 0;
		if (!xn || !reads_gone(out, pf, h, x, xn))
			continue;
		for (long k = f + 1; k < e; k++) {
			const struct place_line *l = &pf->line[k];

			if (k == out->pos)
				for (size_t m = 0; m < out->post_nr; m++) {
					how = use_of(out->post[m].s,
						     out->post[m].len, x, xn);
					decl |= how == 3;
					set |= how == 2;
					read |= how == 1;
				}
			if (k >= out->pos && k < out->pos + out->len)
				continue;
			how = use_of(l->s, l->len, x, xn);
			decl |= how == 3;
			set |= how == 2;
			read |= how == 1;
		}
		if (decl && !set && read)
			return 1;
	}
	return 0;
}

/* Why out, placed, would make code the fix never meant; NULL if not. */
const char *place_wrong_code(const struct place_result *out,
			     const struct place_file *pf,
			     const struct patch_hunk *h)
{
	if (steals_body(out, pf, h))
		return "its lines would come between an if or a loop and the "
		       "statement it governs";
	if (splits_body(out, pf, h))
		return "it would put several statements where an if or a loop "
		       "without braces governs one: the rest would run "
		       "whatever the condition";
	if (other_function(out, pf, h))
		return "it would open the body of another function than the "
		       "hunk's, which the file lacks";
	if (removes_other_copy(out, pf, h))
		return "a line it removes is here beside other lines than the "
		       "hunk's, and the file has it beside the hunk's own "
		       "elsewhere";
	if (truth_to_char(out, pf, h))
		return "it would set a variable the file sets to 1 or 0 (where "
		       "upstream has true or false) to no truth value: a "
		       "bool_t may keep only its low byte";
	if (leaves_unset(out, pf, h))
		return "it would remove the only statement setting a variable "
		       "the function still reads";
	if (code_after_jump(out, pf, h))
		return "a statement would come right after a return, break, "
		       "continue or goto, where it never runs";
	return NULL;
}

/*
 * Whether out takes h as applied at a place outside its @@ function,
 * which the file has, while that function still has a statement calling
 * what a line the hunk removes calls ("xpti_init_default(0);" for
 * "xpti_init_default(false);") and no line the hunk keeps or adds calls
 * it: the look-alike lines elsewhere are another function's, and the
 * change is not made where it belongs.
 */
int place_applied_elsewhere(const struct place_result *out,
			    const struct place_file *pf,
			    const struct patch_hunk *h)
{
	long f, e;

	if (out->tier != PLACE_ALREADY || out->cosmetic || !h->func ||
	    !*h->func || shape_own_func(h) ||
	    (f = shape_func_line(pf, h->func)) < 0 ||
	    shape_func_at(pf, out->pos, h->func))
		return 0;
	e = shape_func_end(pf, f);
	for (size_t i = 0; i < h->nr; i++) {
		const struct patch_line *r = &h->lines[i];
		const char *a, *b;
		size_t al, bl, j;

		if (r->kind != '-' ||
		    !(a = called_name(r->text, r->len, &al)) ||
		    a != trimmed(r->text, r->len, &bl))
			continue;
		for (j = 0; j < h->nr; j++) {
			const struct patch_line *l = &h->lines[j];

			if (l->kind != '-' &&
			    (b = called_name(l->text, l->len, &bl)) &&
			    al == bl && !memcmp(a, b, al))
				break;
		}
		if (j < h->nr)
			continue;
		for (long k = f + 1; k < e && k < (long)pf->nr; k++) {
			const struct place_line *l = &pf->line[k];

			if ((b = called_name(l->s, l->len, &bl)) && al == bl &&
			    !memcmp(a, b, al) &&
			    b == trimmed(l->s, l->len, &bl))
				return 1;
		}
	}
	return 0;
}

