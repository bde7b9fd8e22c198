/*
 * reindent: inserted lines in the file's indentation; see reindent.h.
 */
#include "reindent.h"
#include "banned.h"
#include "strbuf.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>

#define MAX_INDENT 1024 /* columns; past it the mapping is nonsense */

struct indent_pair {
	long uw, tw;    /* widths, a tab to the next multiple of 8 */
	int utab;       /* upstream's indent has a tab */
	const char *ts; /* the file's indent */
	size_t tlen;
};

/* Length of the leading blanks of s, *width their width; -1 if s is blank. */
static long indent_of(const char *s, size_t len, long *width)
{
	size_t i;

	*width = 0;
	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		*width = s[i] == '\t' ? (*width / 8 + 1) * 8 : *width + 1;
	/* blank, or led by blanks other than spaces and tabs */
	if (i == len || place_is_ws(s[i]))
		return -1;
	return (long)i;
}

long reindent_width(const char *s, size_t len)
{
	long w;

	return indent_of(s, len, &w) < 0 ? -1 : w;
}

/*
 * Add the pairs of the aligned lines among hunk lines [lo, hi) to p[*n]
 * (one per upstream width; with kept, of context lines only); -1 when one
 * upstream width has two indents in the file (the file is not re-indented
 * one way).  *differ: whether any pair differs.
 */
static int indent_pairs(struct indent_pair *p, long *n, int *differ,
			const struct place_file *pf, const struct patch_hunk *h,
			const long *map, size_t lo, size_t hi, int kept)
{
	for (size_t i = lo; i < hi; i++) {
		const struct patch_line *l = &h->lines[i];
		const struct place_line *f;
		long ul, tl, uw, tw, k;

		if (l->kind == '+' || (kept && l->kind == '-') || map[i] < 0)
			continue;
		f = &pf->line[map[i]];
		if (!place_ws_equal(f->s, f->len, l->text, l->len) ||
		    (ul = indent_of(l->text, l->len, &uw)) < 0 ||
		    (tl = indent_of(f->s, f->len, &tw)) < 0)
			continue;
		if (ul != tl || memcmp(l->text, f->s, (size_t)ul))
			*differ = 1;
		for (k = 0; k < *n && p[k].uw != uw; k++)
			;
		if (k < *n) {
			if (p[k].tlen != (size_t)tl ||
			    memcmp(p[k].ts, f->s, (size_t)tl))
				return -1;
			continue;
		}
		p[k].uw = uw;
		p[k].tw = tw;
		p[k].utab = !!memchr(l->text, '\t', (size_t)ul);
		p[k].ts = f->s;
		p[k].tlen = (size_t)tl;
		(*n)++;
	}
	return 0;
}

/*
 * The stretch of hunk lines from k (aligned) going dir (-1 up, +1 down)
 * whose file lines follow one another: its far end, inclusive.
 */
static size_t indent_run_end(const struct patch_hunk *h, const long *map,
			     size_t k, int dir)
{
	size_t last = k;

	for (size_t j = k; dir < 0 ? j-- > 0 : ++j < h->nr;) {
		if (h->lines[j].kind == '+')
			continue;
		if (map[j] < 0 || map[j] != map[last] + dir)
			break;
		last = j;
	}
	return last;
}

/*
 * The pairs for inserted lines [i, end) alone, from the stretch they sit
 * in: the hunk's lines around them that correspond to the file line for
 * line.  Extra or missing lines end a stretch: there the file may open or
 * close a block, and the depth changes.  A replacement belongs to the
 * stretch of the lines it replaces.  Returns -1 when the pairs disagree.
 */
static int indent_local(struct indent_pair *p, long *n, int *differ,
			const struct place_file *pf,
			const struct patch_hunk *h, const long *map, size_t i,
			size_t end)
{
	size_t a = i, b = end;
	int up, down;

	while (a > 0 && h->lines[a - 1].kind == '+')
		a--;
	while (b < h->nr && h->lines[b].kind == '+')
		b++;
	up = a > 0 && map[a - 1] >= 0;
	down = b < h->nr && map[b] >= 0;
	*n = 0;
	*differ = 0;
	if (up && down && map[b] != map[a - 1] + 1) {
		/* not one stretch: the one of the replaced lines */
		if (h->lines[i - 1].kind == '-')
			down = 0;
		else if (end < h->nr && h->lines[end].kind == '-')
			up = 0;
	}
	if (up && indent_pairs(p, n, differ, pf, h, map,
			       indent_run_end(h, map, a - 1, -1), a, 0))
		return -1;
	if (down && indent_pairs(p, n, differ, pf, h, map, b,
				 indent_run_end(h, map, b, 1) + 1, 0))
		return -1;
	return 0;
}

/*
 * The file's width for upstream width uw on the straight line through the
 * n pairs, or -1: re-indenting keeps the order of depths, so the line must
 * rise (slope above 0) and hold every pair; a line that lost its block in
 * the file (upstream's "if" gone, its body one level out) breaks it.  One
 * width seen shows no slope: only a shift, and only when upstream and the
 * file indent that line alike (both with tabs, or both without).
 */
static long indent_line(const struct indent_pair *p, long n, long uw)
{
	const struct indent_pair *a = &p[0], *b = &p[0];
	long du, dt, num;

	for (long k = 1; k < n; k++) {
		if (p[k].uw < a->uw)
			a = &p[k];
		if (p[k].uw > b->uw)
			b = &p[k];
	}
	du = b->uw - a->uw;
	dt = b->tw - a->tw;
	if (!du)
		return uw == a->uw || a->utab == !!memchr(a->ts, '\t', a->tlen)
			       ? uw + a->tw - a->uw
			       : -1;
	if (dt <= 0)
		return -1;
	for (long k = 0; k < n; k++)
		if ((p[k].tw - a->tw) * du != dt * (p[k].uw - a->uw))
			return -1;
	num = dt * (uw - a->uw);
	if (num % du)
		return -1;
	return a->tw + num / du;
}

/*
 * Whether the file's indents use tabs (1), spaces only (0), or both for a
 * tab's width or more (-1: no style to write a new width in).
 */
static int indent_tabs(const struct indent_pair *p, long n)
{
	int tabs = 0, spaces = 0;

	for (long k = 0; k < n; k++) {
		if (memchr(p[k].ts, '\t', p[k].tlen))
			tabs = 1;
		else if (p[k].tw >= 8)
			spaces = 1;
	}
	return tabs && spaces ? -1 : tabs;
}

/*
 * The file's indent for inserted line l into sb; -1 when the pairs do
 * not say.  A line at the margin stays there unless a pair says otherwise:
 * preprocessor lines, labels and function headers do not nest.
 */
static int indent_new(struct strbuf *sb, const struct indent_pair *p, long n,
		      const struct patch_line *l)
{
	const struct indent_pair *seen = NULL;
	long uw, tw, ul = indent_of(l->text, l->len, &uw);
	int tabs;

	for (long k = 0; k < n && ul >= 0; k++)
		if (p[k].uw == uw)
			seen = &p[k];
	if (ul < 0 || (!uw && !seen)) { /* blank, or at the margin */
		strbuf_add(sb, l->text, l->len);
		return 0;
	}
	if ((tw = indent_line(p, n, uw)) < 0)
		return -1;
	if (seen) {
		strbuf_add(sb, seen->ts, seen->tlen);
	} else {
		if (tw > MAX_INDENT || (tabs = indent_tabs(p, n)) < 0)
			return -1;
		for (; tabs && tw >= 8; tw -= 8)
			strbuf_addch(sb, '\t');
		for (; tw > 0; tw--)
			strbuf_addch(sb, ' ');
	}
	strbuf_add(sb, l->text + ul, l->len - (size_t)ul);
	return 0;
}

/* Display column after s[0..n), a tab to the next multiple of 8. */
static long col_of(const char *s, size_t n)
{
	long c = 0;

	for (size_t i = 0; i < n; i++)
		c = s[i] == '\t' ? (c / 8 + 1) * 8 : c + 1;
	return c;
}

/* Offset of the non-blank character of s that has nb others before it. */
static long nth_mark(const char *s, size_t len, size_t nb)
{
	for (size_t i = 0; i < len; i++)
		if (!place_is_ws(s[i]) && !nb--)
			return (long)i;
	return -1;
}

/*
 * Where the file's version f of hunk line k puts the token that follows a
 * blank run ending at column c in k (the same character, after blanks),
 * or -1: k must say so too and be f but for whitespace.  *tabs: whether
 * the file's run holds a tab.
 */
static long pad_col(int *tabs, const struct patch_line *k,
		    const struct place_line *f, long c, char ch)
{
	size_t nb = 0;
	long i, fi, fs, kc = 0;

	if (!place_ws_equal(k->text, k->len, f->s, f->len))
		return -1;
	for (i = 0; i < (long)k->len && kc < c; i++) {
		nb += !place_is_ws(k->text[i]);
		kc = k->text[i] == '\t' ? (kc / 8 + 1) * 8 : kc + 1;
	}
	if (i == 0 || i >= (long)k->len || kc != c || k->text[i] != ch ||
	    !place_is_ws(k->text[i - 1]))
		return -1;
	fi = nth_mark(f->s, f->len, nb);
	if (fi <= 0 || !place_is_ws(f->s[fi - 1]))
		return -1;
	for (fs = fi; fs > 0 && place_is_ws(f->s[fs - 1]); fs--)
		;
	*tabs = !!memchr(f->s + fs, '\t', (size_t)(fi - fs));
	return col_of(f->s, (size_t)fi);
}

/*
 * The column the file gives a token that inserted line i, after a run of
 * two blanks or more ending at column c, lines up with the same token of
 * the nearest context line above or below (or a removed line on the way)
 * that the file has (a continuation backslash, an "||", a comment); -1
 * when none has it there.
 */
static long pad_target(int *tabs, const struct place_file *pf,
		       const struct patch_hunk *h, const long *map, size_t i,
		       long c, char ch)
{
	for (int dir = -1; dir <= 1; dir += 2) {
		for (size_t k = i; dir < 0 ? k-- > 0 : ++k < h->nr;) {
			long t;

			if (h->lines[k].kind == '+')
				continue;
			if (map[k] < 0)
				break;
			t = pad_col(tabs, &h->lines[k], &pf->line[map[k]], c,
				    ch);
			if (t >= 0)
				return t;
			if (h->lines[k].kind == ' ')
				break;
		}
	}
	return -1;
}

/* Blanks from column cc to tgt into sb (tabs first if tabs), at least one. */
static void pad_to(struct strbuf *sb, long cc, long tgt, int tabs)
{
	long start = cc;

	for (; tabs && (cc / 8 + 1) * 8 <= tgt; cc = (cc / 8 + 1) * 8)
		strbuf_addch(sb, '\t');
	for (; cc < tgt; cc++)
		strbuf_addch(sb, ' ');
	if (cc == start)
		strbuf_addch(sb, ' ');
}

/*
 * Re-pad the alignment runs of inserted line i, written at sb[from..):
 * upstream lined its tokens up with its neighbours' columns, and the
 * file's neighbours have those tokens at columns of their own.  Returns
 * whether the line changed.
 */
static int pad_line(struct strbuf *sb, size_t from,
		    const struct place_file *pf, const struct patch_hunk *h,
		    const long *map, size_t i)
{
	const struct patch_line *l = &h->lines[i];
	struct strbuf nw = STRBUF_INIT;
	size_t nb = 0, u = 0, o = from, olen = sb->len;
	int changed;

	if (l->len > MAX_INDENT) /* no code lined up; keeps this linear */
		return 0;

	/* upstream's line and the written one differ only in indent */
	while (u < l->len && place_is_ws(l->text[u]))
		u++;
	while (o < olen && place_is_ws(sb->buf[o]))
		strbuf_addch(&nw, sb->buf[o++]);
	while (u < l->len && o < olen) {
		size_t ue = u, oe = o;
		long tgt = -1;
		int tabs = 0;

		if (!place_is_ws(l->text[u])) {
			strbuf_addch(&nw, sb->buf[o]);
			nb++, u++, o++;
			continue;
		}
		while (ue < l->len && place_is_ws(l->text[ue]))
			ue++;
		while (oe < olen && place_is_ws(sb->buf[oe]))
			oe++;
		if (nb && ue - u >= 2 && ue < l->len)
			tgt = pad_target(&tabs, pf, h, map, i,
					 col_of(l->text, ue), l->text[ue]);
		if (tgt < 0)
			strbuf_add(&nw, sb->buf + o, oe - o);
		else
			pad_to(&nw, col_of(nw.buf, nw.len), tgt, tabs);
		u = ue;
		o = oe;
	}
	strbuf_add(&nw, sb->buf + o, olen - o);
	changed = nw.len != olen - from ||
		  memcmp(nw.buf, sb->buf + from, nw.len);
	if (changed) {
		strbuf_setlen(sb, from);
		strbuf_add(sb, nw.buf, nw.len);
	}
	strbuf_release(&nw);
	return changed;
}

/*
 * The inserted lines of h into sb in the file's indentation, off[i] where
 * line i starts (off[h->nr] the end); each as upstream has it when
 * nothing says how.  Returns whether any changed.
 */
static int indent_all(struct strbuf *sb, size_t *off,
		      const struct place_file *pf, const struct patch_hunk *h,
		      const long *map)
{
	struct indent_pair *p = xcalloc(h->nr + 1, sizeof(*p));
	size_t i, j, end;
	long n = 0;
	int differ = 0, whole, changed = 0, none;

	/*
	 * The whole hunk's lines, when they agree; else the lines it keeps,
	 * when those agree (a removed line may be odd in the file's layout,
	 * which is often why it goes); else each stretch's.
	 */
	whole = !indent_pairs(p, &n, &differ, pf, h, map, 0, h->nr, 0);
	if (!whole) {
		n = 0;
		differ = 0;
		whole = !indent_pairs(p, &n, &differ, pf, h, map, 0, h->nr, 1);
	}
	none = whole && (!n || !differ);
	for (i = 0; i < h->nr; i = end) {
		size_t keep = sb->len;
		int bad = none;

		for (end = i; end < h->nr && h->lines[end].kind == '+'; end++)
			;
		if (end == i) {
			off[i] = sb->len;
			end = i + 1;
			continue;
		}
		if (!whole && !bad &&
		    (indent_local(p, &n, &differ, pf, h, map, i, end) || !n ||
		     !differ))
			bad = 1;
		for (j = i; j < end && !bad; j++) {
			off[j] = sb->len;
			bad = indent_new(sb, p, n, &h->lines[j]);
		}
		if (bad && whole && !none) { /* one mapping for all, or none */
			none = 1;
			changed = 0;
			strbuf_setlen(sb, 0);
			end = 0;
			continue;
		}
		if (bad) {
			strbuf_setlen(sb, keep);
			for (j = i; j < end; j++) {
				off[j] = sb->len;
				strbuf_add(sb, h->lines[j].text,
					   h->lines[j].len);
			}
		} else {
			changed = 1;
		}
	}
	off[h->nr] = sb->len;
	free(p);
	return changed;
}

/* Re-pad the inserted lines in sb (off as indent_all left it). */
static int pad_all(struct strbuf *sb, size_t *off,
		   const struct place_file *pf, const struct patch_hunk *h,
		   const long *map)
{
	struct strbuf nw = STRBUF_INIT;
	int changed = 0;

	for (size_t i = 0; i < h->nr; i++) {
		size_t a = off[i], b = off[i + 1];

		off[i] = nw.len;
		if (h->lines[i].kind != '+')
			continue;
		strbuf_add(&nw, sb->buf + a, b - a);
		changed |= pad_line(&nw, off[i], pf, h, map, i);
	}
	off[h->nr] = nw.len;
	strbuf_release(sb);
	*sb = nw;
	return changed;
}

void place_reindent(struct place_result *out, const struct place_file *pf,
		    const struct patch_hunk *h, const long *map)
{
	size_t *off = xcalloc(h->nr + 1, sizeof(*off));
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, len;
	int changed;

	if (out->buf)
		goto done;
	changed = indent_all(&sb, off, pf, h, map);
	changed |= pad_all(&sb, off, pf, h, map);
	if (!changed)
		goto done;
	out->buf = strbuf_detach(&sb, &len);
	/* build_post put the inserted lines in the hunk's order */
	for (i = 0, j = 0; j < out->post_nr; j++) {
		while (i < h->nr && h->lines[i].kind != '+')
			i++;
		if (i == h->nr)
			break;
		if (out->post[j].s != h->lines[i].text)
			continue;
		out->post[j].s = out->buf + off[i];
		out->post[j].len = off[i + 1] - off[i];
		i++;
	}
done:
	strbuf_release(&sb);
	free(off);
}
