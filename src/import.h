/*
 * import: advisory-to-commit mappings from outside the history, for
 * histories whose messages never name the advisory (the Linux kernel: its
 * CNA assigns CVE ids after the fix lands).
 *
 * Formats:
 *   - the kernel CNA's published layout (a directory, searched
 *     recursively, or single files): CVE-*.sha1 (fixing commits, one per
 *     line), CVE-*.vulnerable (introducing commits), CVE-*.json (CVE JSON 5:
 *     the title, and git ranges whose lessThan commits other than the fix
 *     are its stable backports);
 *   - a plain list: "ID <commit>..." per line, '#' comments.
 * Entries are merged into the records (record.h): lists grow, nothing
 * written by hand is removed.
 */
#ifndef SECPORT_IMPORT_H
#define SECPORT_IMPORT_H

#include "repo.h"

struct import_entry {
	char *id;
	char *subject;            /* NULL when the source has none */
	struct strlist fixes;     /* full commit ids */
	struct strlist introduced;
	struct strlist backports; /* full commit ids of backported fixes */
};

struct import_set {
	struct import_entry *items;
	size_t nr, alloc;
};

/* Read FILE or DIR into set (entries of one id are merged). */
int import_read(struct import_set *set, const char *path);
/* Merge every entry into advisories/<id>/record; ids merged are added to
 * done. */
int import_apply(const struct repo *repo, const struct import_set *set,
		 struct strlist *done);
void import_set_clear(struct import_set *set);

#endif
