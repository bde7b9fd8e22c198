/*
 * patch: unified diff parser; see patch.h.
 */
#include "patch.h"
#include "banned.h"
#include "strbuf.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>

struct cursor {
	const char *name;
	char *p, *end;
	long lineno; /* of the current line */
	const char *line;
	size_t len;  /* without '\n' */
	size_t hlen; /* without '\n' and a trailing '\r', for headers */
};

/* Advance to the next line; 0 at end of input. */
static int next_line(struct cursor *c)
{
	char *nl;

	if (c->p >= c->end)
		return 0;
	nl = memchr(c->p, '\n', c->end - c->p);
	c->line = c->p;
	c->len = nl ? (size_t)(nl - c->p) : (size_t)(c->end - c->p);
	c->p = nl ? nl + 1 : c->end;
	c->hlen = c->len;
	if (c->hlen && c->line[c->hlen - 1] == '\r')
		c->hlen--;
	c->lineno++;
	return 1;
}

/* Look at the next line without consuming it. */
static int peek_starts(const struct cursor *c, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(c->end - c->p) >= n && !memcmp(c->p, prefix, n);
}

static int starts(const struct cursor *c, const char *prefix)
{
	size_t n = strlen(prefix);

	return c->hlen >= n && !memcmp(c->line, prefix, n);
}

static int parse_error(const struct cursor *c, const char *what)
{
	return error("cannot parse patch '%s': line %ld: %s", c->name,
		     c->lineno, what);
}

/*
 * Copy a path out of s[0..len): C-quoted ("a\tb") as git writes unusual
 * names, else up to a tab (GNU diff's timestamp).  Returns NULL when the
 * quoting is broken.
 */
static char *get_path(const char *s, size_t len, const char **rest)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (len && s[0] == '"') {
		for (i = 1; i < len && s[i] != '"'; i++) {
			char ch = s[i];

			if (ch == '\\' && i + 1 < len) {
				ch = s[++i];
				if (ch >= '0' && ch <= '3' && i + 2 < len &&
				    s[i + 1] >= '0' && s[i + 1] <= '7' &&
				    s[i + 2] >= '0' && s[i + 2] <= '7') {
					/* three octal digits: one byte */
					ch = (char)((unsigned)(s[i] - '0') << 6 |
						    (unsigned)(s[i + 1] - '0') << 3 |
						    (unsigned)(s[i + 2] - '0'));
					i += 2;
				} else if (ch >= '0' && ch <= '7') {
					strbuf_release(&sb);
					return NULL; /* a broken octal escape */
				} else if (ch == 't') {
					ch = '\t';
				} else if (ch == 'n') {
					ch = '\n';
				} else if (ch == 'r') {
					ch = '\r';
				} else if (ch == 'a') {
					ch = '\a';
				} else if (ch == 'b') {
					ch = '\b';
				} else if (ch == 'f') {
					ch = '\f';
				} else if (ch == 'v') {
					ch = '\v';
				}
			}
			strbuf_addch(&sb, ch);
		}
		if (i >= len) {
			strbuf_release(&sb);
			return NULL;
		}
		if (rest)
			*rest = s + i + 1;
		return strbuf_detach(&sb, NULL);
	}
	for (i = 0; i < len && s[i] != '\t'; i++)
		;
	/* GNU diff separates a timestamp with a tab; trailing blanks go */
	while (i > 0 && s[i - 1] == ' ' && memchr(s, '\t', len))
		i--;
	if (rest)
		*rest = s + i;
	return xstrndup(s, i);
}

/*
 * Drop strip leading components of path (freeing it).  "/dev/null" gives
 * NULL with *dev_null set.  Returns NULL with *bad set when too short.
 */
static char *strip_path(char *path, int strip, int *dev_null, int *bad)
{
	const char *s = path;
	char *res;

	*dev_null = 0;
	if (!strcmp(path, "/dev/null")) {
		free(path);
		*dev_null = 1;
		return NULL;
	}
	for (int i = 0; i < strip; i++) {
		const char *slash = strchr(s, '/');

		if (!slash) {
			free(path);
			*bad = 1;
			return NULL;
		}
		s = slash + 1;
		while (*s == '/')
			s++;
	}
	res = xstrdup(s);
	free(path);
	return res;
}

static unsigned parse_mode(const char *s, size_t len)
{
	unsigned m = 0;

	for (size_t i = 0; i < len && s[i] >= '0' && s[i] <= '7'; i++)
		m = m * 8 + (unsigned)(s[i] - '0');
	return m;
}

static int parse_num(const char **s, const char *end, long *out)
{
	long v = 0;
	const char *p = *s;

	if (p >= end || *p < '0' || *p > '9')
		return -1;
	while (p < end && *p >= '0' && *p <= '9') {
		if (v > 100000000)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	*s = p;
	*out = v;
	return 0;
}

/* "@@ -a[,b] +c[,d] @@ func" */
static int parse_hunk_header(struct patch_hunk *h, const struct cursor *c)
{
	const char *p = c->line + 3, *end = c->line + c->hlen;

	h->old_count = h->new_count = 1;
	if (p >= end || *p++ != '-' || parse_num(&p, end, &h->old_start))
		return -1;
	if (p < end && *p == ',' && (p++, parse_num(&p, end, &h->old_count)))
		return -1;
	if (p >= end || *p++ != ' ' || p >= end || *p++ != '+' ||
	    parse_num(&p, end, &h->new_start))
		return -1;
	if (p < end && *p == ',' && (p++, parse_num(&p, end, &h->new_count)))
		return -1;
	if (end - p < 3 || memcmp(p, " @@", 3))
		return -1;
	p += 3;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	h->func = xstrndup(p, end - p);
	return 0;
}

static int parse_hunk(struct patch_file *f, struct cursor *c)
{
	struct patch_hunk *h;
	long old_rem, new_rem;

	ALLOC_GROW(f->hunks, f->nr + 1, f->alloc);
	h = &f->hunks[f->nr++];
	memset(h, 0, sizeof(*h));
	h->lineno = c->lineno;
	if (parse_hunk_header(h, c))
		return parse_error(c, "hunk header malformed");
	old_rem = h->old_count;
	new_rem = h->new_count;
	while (old_rem > 0 || new_rem > 0) {
		struct patch_line *l;
		char kind;

		if (!next_line(c))
			return parse_error(c, "patch ends in the middle of a hunk");
		if (c->len && c->line[0] == '\\') {
			if (h->nr)
				h->lines[h->nr - 1].no_eol = 1;
			continue;
		}
		kind = c->hlen ? c->line[0] : ' ';
		if (kind == ' ') {
			old_rem--;
			new_rem--;
		} else if (kind == '-') {
			old_rem--;
		} else if (kind == '+') {
			new_rem--;
		} else {
			return parse_error(c, "hunk has fewer lines than its "
					      "header says");
		}
		if (old_rem < 0 || new_rem < 0)
			return parse_error(c, "hunk has more lines than its "
					      "header says");
		ALLOC_GROW(h->lines, h->nr + 1, h->alloc);
		l = &h->lines[h->nr++];
		l->kind = kind;
		l->no_eol = 0;
		l->text = c->len ? c->line + 1 : c->line;
		l->len = c->len ? c->len - 1 : 0;
	}
	if (peek_starts(c, "\\")) {
		next_line(c);
		if (h->nr)
			h->lines[h->nr - 1].no_eol = 1;
	}
	return 0;
}

static int set_path(char **slot, char *raw, int strip, const struct cursor *c)
{
	int dev_null, bad = 0;
	char *p;

	if (!raw)
		return parse_error(c, "file name quoting malformed");
	p = strip_path(raw, strip, &dev_null, &bad);
	if (bad)
		return parse_error(c, "file name has too few components "
				      "for -p");
	free(*slot);
	*slot = p;
	return 0;
}

/* "diff --git a/x b/x": the names when no ---/+++ lines follow. */
static int git_header_names(struct patch_file *f, const struct cursor *c,
			    int strip)
{
	const char *s = c->line + 11;
	size_t n = c->hlen - 11;
	const char *rest;
	char *a, *b;

	if (n && s[0] == '"') {
		a = get_path(s, n, &rest);
		if (!a)
			return parse_error(c, "file name quoting malformed");
		while (*rest == ' ')
			rest++;
		b = get_path(rest, n - (rest - s), NULL);
	} else {
		/* symmetric names: split in the middle */
		size_t mid = n / 2;

		if (n % 2 && s[mid] == ' ') {
			a = xstrndup(s, mid);
			b = xstrndup(s + mid + 1, mid);
		} else {
			const char *sp = memchr(s, ' ', n);

			if (!sp)
				return parse_error(c, "diff --git line malformed");
			a = xstrndup(s, sp - s);
			b = xstrndup(sp + 1, n - (sp + 1 - s));
		}
	}
	if (set_path(&f->old_path, a, strip, c)) {
		free(b);
		return -1;
	}
	return set_path(&f->new_path, b, strip, c);
}

static int parse_file(struct patch *p, struct cursor *c, int strip, int git)
{
	struct patch_file *f;

	ALLOC_GROW(p->files, p->nr + 1, p->alloc);
	f = &p->files[p->nr++];
	memset(f, 0, sizeof(*f));
	f->lineno = c->lineno;
	f->is_git = git;
	if (git) {
		if (git_header_names(f, c, strip))
			return -1;
		while (next_line(c)) {
			const char *v;

			if (starts(c, "old mode ")) {
				f->old_mode = parse_mode(c->line + 9, c->hlen - 9);
			} else if (starts(c, "new mode ")) {
				f->new_mode = parse_mode(c->line + 9, c->hlen - 9);
			} else if (starts(c, "deleted file mode ")) {
				f->is_delete = 1;
				f->old_mode = parse_mode(c->line + 18,
							 c->hlen - 18);
			} else if (starts(c, "new file mode ")) {
				f->is_new = 1;
				f->new_mode = parse_mode(c->line + 14,
							 c->hlen - 14);
			} else if (starts(c, "rename from ") ||
				   starts(c, "copy from ")) {
				v = memchr(c->line, ' ', c->hlen);
				v = memchr(v + 1, ' ', c->hlen - (v + 1 - c->line));
				if (set_path(&f->old_path,
					     get_path(v + 1,
						      c->hlen - (v + 1 - c->line),
						      NULL),
					     strip > 0 ? strip - 1 : 0, c))
					return -1;
				if (c->line[0] == 'r')
					f->is_rename = 1;
				else
					f->is_copy = 1;
			} else if (starts(c, "rename to ") ||
				   starts(c, "copy to ")) {
				v = memchr(c->line, ' ', c->hlen);
				v = memchr(v + 1, ' ', c->hlen - (v + 1 - c->line));
				if (set_path(&f->new_path,
					     get_path(v + 1,
						      c->hlen - (v + 1 - c->line),
						      NULL),
					     strip > 0 ? strip - 1 : 0, c))
					return -1;
			} else if (starts(c, "similarity index ") ||
				   starts(c, "dissimilarity index ") ||
				   starts(c, "index ")) {
				;
			} else if (starts(c, "Binary files ") ||
				   starts(c, "GIT binary patch")) {
				f->is_binary = 1;
				/* skip the encoded data up to the next file */
				while (c->p < c->end && !peek_starts(c, "diff "))
					next_line(c);
				return 0;
			} else if (starts(c, "--- ")) {
				break;
			} else {
				/* no hunks: the line belongs to what follows */
				c->p = (char *)c->line;
				c->lineno--;
				return 0;
			}
		}
		if (!starts(c, "--- "))
			return 0;
	}
	/* at "--- " */
	if (!peek_starts(c, "+++ "))
		return parse_error(c, "'---' line not followed by '+++'");
	{
		int dn_old, dn_new, bad = 0;
		char *o = get_path(c->line + 4, c->hlen - 4, NULL);
		char *n;

		if (!o)
			return parse_error(c, "file name quoting malformed");
		o = strip_path(o, strip, &dn_old, &bad);
		if (bad) {
			free(o);
			return parse_error(c, "file name has too few "
					      "components for -p");
		}
		next_line(c);
		n = get_path(c->line + 4, c->hlen - 4, NULL);
		if (!n) {
			free(o);
			return parse_error(c, "file name quoting malformed");
		}
		n = strip_path(n, strip, &dn_new, &bad);
		if (bad) {
			free(o);
			return parse_error(c, "file name has too few "
					      "components for -p");
		}
		free(f->old_path);
		free(f->new_path);
		f->old_path = o;
		f->new_path = n;
		if (dn_old)
			f->is_new = 1;
		if (dn_new)
			f->is_delete = 1;
		if (!f->old_path && !f->new_path)
			return parse_error(c, "both file names are /dev/null");
	}
	while (peek_starts(c, "@@ ")) {
		next_line(c);
		if (parse_hunk(f, c))
			return -1;
	}
	if (!f->nr)
		return parse_error(c, "file section has no hunks");
	return 0;
}

int patch_parse(struct patch *out, const char *buf, size_t len,
		const char *name, int strip)
{
	struct cursor c = { 0 };

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	out->buf = xmalloc(len + 1);
	memcpy(out->buf, buf, len);
	out->buf[len] = '\0';
	c.name = out->name;
	c.p = out->buf;
	c.end = out->buf + len;
	if (len > PATCH_MAX_SIZE) {
		error("cannot parse patch '%s': larger than %u bytes", name,
		      PATCH_MAX_SIZE);
		goto fail;
	}
	while (next_line(&c)) {
		if (starts(&c, "diff --git ")) {
			if (parse_file(out, &c, strip, 1))
				goto fail;
		} else if (starts(&c, "--- ") && peek_starts(&c, "+++ ")) {
			if (parse_file(out, &c, strip, 0))
				goto fail;
		} else if (starts(&c, "@@ -")) {
			parse_error(&c, "hunk outside a file section");
			goto fail;
		} else if (starts(&c, "Binary files ")) {
			parse_error(&c, "binary patch; cannot apply binary "
					"changes");
			goto fail;
		}
	}
	if (!out->nr) {
		error("cannot parse patch '%s': no file changes found", name);
		goto fail;
	}
	return 0;
fail:
	patch_release(out);
	return -1;
}

void patch_release(struct patch *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nr; i++) {
		struct patch_file *f = &p->files[i];

		for (size_t j = 0; j < f->nr; j++) {
			free((char *)f->hunks[j].func);
			free(f->hunks[j].lines);
		}
		free(f->hunks);
		free(f->old_path);
		free(f->new_path);
	}
	free(p->files);
	free(p->buf);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

const char *patch_file_path(const struct patch_file *f)
{
	return f->new_path ? f->new_path : f->old_path;
}

int patch_hunk_insertion(const struct patch_hunk *h, size_t *start,
			 size_t *end)
{
	size_t i, e;

	for (i = 0; i < h->nr && h->lines[i].kind == ' '; i++)
		;
	for (e = i; e < h->nr && h->lines[e].kind == '+'; e++)
		;
	if (!i || e == i || e == h->nr)
		return 0;
	for (size_t k = e; k < h->nr; k++)
		if (h->lines[k].kind != ' ')
			return 0;
	*start = i;
	*end = e;
	return 1;
}
