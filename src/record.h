/*
 * record: one advisory's deb822 record, advisories/<ID>/record.
 *
 *   Advisory: XSA-507
 *   Aliases: CVE-2026-62434
 *   Subject: x86/pod: fix ...
 *   Fixed-By: <40-hex>            (one commit per line, continuation lines)
 *   Introduced-By: <40-hex>... | unknown
 *   Backports:
 *    stable-4.17 <backport-40-hex> <upstream-40-hex>
 *   Notes: free text
 *
 * Field names are case-insensitive, order is kept; unknown fields are kept
 * verbatim.  Multi-line values are stored with '\n' between lines, without
 * the leading space of continuation lines.  See doc/secport-repo.5.
 */
#ifndef SECPORT_RECORD_H
#define SECPORT_RECORD_H

#include "strbuf.h"

#include <stddef.h>

struct record_field {
	char *name;
	char *value;
};

struct record {
	struct record_field *fields;
	size_t nr, alloc;
};
#define RECORD_INIT { NULL, 0, 0 }

/* Parse buf; on error returns -1 having reported "'<path>' line N: ...". */
int record_parse(struct record *out, const char *path, const char *buf,
		 size_t len);
/* Read and parse a file. */
int record_read(struct record *out, const char *path);
/* The value of a field, or NULL. */
const char *record_get(const struct record *r, const char *name);
/* Set (replace, or append at the end) a field; NULL value deletes it. */
void record_set(struct record *r, const char *name, const char *value);
/* Serialise in deb822 form. */
void record_format(const struct record *r, struct strbuf *out);
void record_release(struct record *r);

/* Split a multi-line/space-separated value into words (malloc'ed). */
void record_words(const char *value, char ***out, size_t *nr);
void record_words_free(char **w, size_t nr);

#endif
