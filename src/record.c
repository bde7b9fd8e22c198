#include "record.h"
#include "usage.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RECORD_MAX_SIZE (4u << 20)

static struct record_field *find(const struct record *r, const char *name)
{
	for (size_t i = 0; i < r->nr; i++)
		if (!strcasecmp(r->fields[i].name, name))
			return &r->fields[i];
	return NULL;
}

const char *record_get(const struct record *r, const char *name)
{
	struct record_field *f = find(r, name);

	return f ? f->value : NULL;
}

void record_set(struct record *r, const char *name, const char *value)
{
	struct record_field *f = find(r, name);

	if (!value) {
		if (f) {
			size_t i = (size_t)(f - r->fields);

			free(f->name);
			free(f->value);
			memmove(f, f + 1, (r->nr - i - 1) * sizeof(*f));
			r->nr--;
		}
		return;
	}
	if (f) {
		char *v = xstrdup(value);

		free(f->value);
		f->value = v;
		return;
	}
	ALLOC_GROW(r->fields, r->nr + 1, r->alloc);
	r->fields[r->nr].name = xstrdup(name);
	r->fields[r->nr].value = xstrdup(value);
	r->nr++;
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static int valid_name(const char *s, size_t n)
{
	if (!n || s[0] == '-' || s[0] == '#')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

int record_parse(struct record *out, const char *path, const char *buf,
		 size_t len)
{
	const char *end = buf + len;
	struct strbuf val = STRBUF_INIT;
	struct record_field *cur = NULL;
	int lineno = 0, blank_seen = 0;

	if (memchr(buf, '\0', len))
		return error("'%s': record contains a NUL byte", path);
	for (const char *p = buf; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (!eol)
			eol = end;
		n = (size_t)(eol - p);
		while (n && p[n - 1] == '\r') /* CRLF, even CR CR LF */
			n--;
		lineno++;
		if (is_blank(p, n)) {
			blank_seen = 1;
		} else if (p[0] == '#') {
			/* comment line: ignored, as in deb822 files */
		} else if (blank_seen) {
			goto bad_para;
		} else if (p[0] == ' ' || p[0] == '\t') {
			const char *q = p, *qe = p + n, *te = qe;

			if (!cur)
				goto bad_cont;
			while (q < qe && (*q == ' ' || *q == '\t'))
				q++;
			/* " . " is an empty line too (trailing space as
			 * strbuf_rtrim sees it), so no value ends in a "."
			 * line that record_format would write back as " ." */
			while (te > q && isspace((unsigned char)te[-1]))
				te--;
			strbuf_addch(&val, '\n');
			if (!(te - q == 1 && *q == '.'))
				strbuf_add(&val, q, (size_t)(qe - q));
		} else {
			const char *colon = memchr(p, ':', n);
			const char *v;
			char *name;

			if (!colon || !valid_name(p, (size_t)(colon - p)))
				goto bad_field;
			if (cur) {
				strbuf_rtrim(&val);
				cur->value = strbuf_detach(&val, NULL);
			}
			name = xstrndup(p, (size_t)(colon - p));
			if (find(out, name)) {
				error("'%s' line %d: duplicate field '%s'", path,
				      lineno, name);
				free(name);
				goto fail;
			}
			ALLOC_GROW(out->fields, out->nr + 1, out->alloc);
			cur = &out->fields[out->nr++];
			cur->name = name;
			cur->value = NULL;
			v = colon + 1;
			while (v < p + n && (*v == ' ' || *v == '\t'))
				v++;
			strbuf_add(&val, v, (size_t)(p + n - v));
		}
		p = eol + 1;
	}
	if (cur) {
		strbuf_rtrim(&val);
		cur->value = strbuf_detach(&val, NULL);
	}
	strbuf_release(&val);
	return 0;

bad_para:
	error("'%s' line %d: a record has one paragraph (no blank lines "
	      "between fields)", path, lineno);
	goto fail;
bad_cont:
	error("'%s' line %d: continuation line before any field", path, lineno);
	goto fail;
bad_field:
	error("'%s' line %d: expected 'Field: value'", path, lineno);
fail:
	if (cur && !cur->value)
		cur->value = strbuf_detach(&val, NULL);
	strbuf_release(&val);
	record_release(out);
	return -1;
}

int record_read(struct record *out, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (strbuf_read_file(&sb, path, RECORD_MAX_SIZE) < 0) {
		ret = error("cannot read '%s': %s", path,
			    errno == EFBIG ? "record larger than 4 MiB"
					   : strerror(errno));
		strbuf_release(&sb);
		return ret;
	}
	ret = record_parse(out, path, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

void record_format(const struct record *r, struct strbuf *out)
{
	for (size_t i = 0; i < r->nr; i++) {
		const char *v = r->fields[i].value;
		const char *nl = strchr(v, '\n');

		strbuf_addstr(out, r->fields[i].name);
		strbuf_addch(out, ':');
		if (!nl)
			nl = v + strlen(v);
		if (nl > v) {
			strbuf_addch(out, ' ');
			strbuf_add(out, v, (size_t)(nl - v));
		}
		strbuf_addch(out, '\n');
		while (*nl) {
			const char *line = nl + 1;

			nl = strchr(line, '\n');
			if (!nl)
				nl = line + strlen(line);
			strbuf_addch(out, ' ');
			if (nl == line)
				strbuf_addch(out, '.');
			else
				strbuf_add(out, line, (size_t)(nl - line));
			strbuf_addch(out, '\n');
		}
	}
}

void record_release(struct record *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		free(r->fields[i].name);
		free(r->fields[i].value);
	}
	free(r->fields);
	r->fields = NULL;
	r->nr = r->alloc = 0;
}

void record_words(const char *value, char ***out, size_t *nr)
{
	size_t alloc = 0;

	*out = NULL;
	*nr = 0;
	if (!value)
		return;
	for (const char *p = value; *p;) {
		size_t n;

		p += strspn(p, " \t\n,");
		n = strcspn(p, " \t\n,");
		if (!n)
			break;
		ALLOC_GROW(*out, *nr + 1, alloc);
		(*out)[(*nr)++] = xstrndup(p, n);
		p += n;
	}
}

void record_words_free(char **w, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(w[i]);
	free(w);
}
