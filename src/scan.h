/*
 * scan: bring the index and the advisory records up to date with one
 * upstream source.
 *
 *   1. list the tips (every ref, or the revisions asked for);
 *   2. walk the commits not reachable from any tip scanned before
 *      (history.h) and add them to the index in one transaction, with the
 *      tips, so an interrupted scan leaves the index as it was;
 *   3. update the records and patches of the advisories the new commits
 *      name, or whose fixes they backport or revert (advisory.h);
 *   4. rewrite their Needed-For and Fixed-In (affected.h) - every record's
 *      when the release tags changed.
 * A rescan therefore costs time proportional to the new commits.
 */
#ifndef SECPORT_SCAN_H
#define SECPORT_SCAN_H

#include "index.h"
#include "repo.h"

struct scan_options {
	const char *source;  /* configured name */
	char **revs;         /* NULL: every ref */
	size_t nr_revs;
	int progress;
	int rewrite_all;     /* rewrite every advisory, not only touched ones */
};

struct scan_stats {
	size_t new_commits;
	size_t missing_parents;
	size_t truncated;
	size_t advisories;   /* records considered */
	size_t written;      /* records whose bytes changed */
	size_t patches_written;
	struct strlist dangling; /* "<backport> <target>": target not indexed */
	size_t annotated;    /* records whose Needed-For/Fixed-In changed */
	int shallow;
};

int scan_run(struct repo *repo, struct index *ix, const struct scan_options *o,
	     struct scan_stats *st);

/* Resolve SOURCE (a configured name or a repository path, then added to the
 * configuration) to a configured name; *out malloc'ed. */
int scan_resolve_source(struct repo *repo, const char *arg, char **out);

/* Rewrite the records and patches of ids (e.g. just imported) from the
 * index and source. */
int scan_update(struct repo *repo, struct index *ix, const char *source,
		const struct strlist *ids, struct scan_stats *st);

#endif
