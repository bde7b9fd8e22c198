/* lines.h: text split into place_lines and joined back, for the placement
 * unit tests. */
#ifndef SECPORT_TEST_LINES_H
#define SECPORT_TEST_LINES_H

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

#endif
