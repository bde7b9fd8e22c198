/* lines.h: text split into place_lines, for the placement unit tests. */
#ifndef SECPORT_TEST_LINES_H
#define SECPORT_TEST_LINES_H

#include "place.h"

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

#endif
