/* lines.h: text split into place_lines and joined back, and a file with a
 * diff to place in it, for the placement unit tests. */
#ifndef SECPORT_TEST_LINES_H
#define SECPORT_TEST_LINES_H

#include "patch.h"
#include "place.h"

#include <stdlib.h>
#include <string.h>

/* Split text into lines (borrowing it); l must have room for them. */
static inline size_t split(struct place_line *l, char *text)
{
	size_t n = 0;

	for (char *p = text; *p;) {
		char *nl = strchr(p, '\n');

		l[n].s = p;
		l[n].len = nl ? (size_t)(nl - p) : strlen(p);
		n++;
		p = nl ? nl + 1 : p + strlen(p);
	}
	return n;
}

/* A placed hunk's replacement lines as one string, each ending in '\n'
 * (malloc'ed). */
static inline char *join_post(const struct place_result *r)
{
	size_t len = 1;
	char *out, *w;

	for (size_t i = 0; i < r->post_nr; i++)
		len += r->post[i].len + 1;
	out = w = malloc(len);
	for (size_t i = 0; out && i < r->post_nr; i++) {
		memcpy(w, r->post[i].s, r->post[i].len);
		w += r->post[i].len;
		*w++ = '\n';
	}
	if (out)
		*w = '\0';
	return out;
}

/* A file's text and a diff for one test: its lines, place_file, patch. */
struct hunk_case {
	struct patch p;
	struct place_line l[256];
	struct place_file pf;
	char *copy;
};

/* 0, or -1 when diff does not parse (nothing to close then). */
static inline int case_open(struct hunk_case *c, const char *text,
			    const char *diff)
{
	struct patch p = PATCH_INIT;

	c->p = p;
	if (patch_parse(&c->p, diff, strlen(diff), "t", 1)) {
		patch_release(&c->p);
		return -1;
	}
	c->copy = strdup(text);
	place_file_init(&c->pf, c->l, split(c->l, c->copy));
	return 0;
}

static inline void case_close(struct hunk_case *c)
{
	place_file_release(&c->pf);
	patch_release(&c->p);
	free(c->copy);
}

#endif
