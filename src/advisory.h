/*
 * advisory: build and update one advisory's record and patches from the
 * index (index.h) and the upstream repository.
 *
 * For advisory ID (and the CVE ids that are its aliases):
 *   Fixed-By      commits stating the id that are not backports or
 *                 reverts, plus the upstream commits of backports stating
 *                 it, plus whatever the record already lists (hand edits);
 *   Introduced-By the resolved "Fixes:" targets of those commits;
 *                 "unknown" when there are none;
 *   Backports     "<branch> <backport> <upstream>" for every indexed commit
 *                 whose trailer names a Fixed-By commit, on the configured
 *                 branches that contain the backport but not the fix.
 * The update merges: fields the scanner does not own are kept, Fixed-By,
 * Aliases and Backports are unions, and Introduced-By only gains the
 * Fixes: targets of fix commits new to the record, so a correction made
 * by hand survives every later scan.  Files are rewritten only when their
 * bytes change (fileio_write_atomic).
 */
#ifndef SECPORT_ADVISORY_H
#define SECPORT_ADVISORY_H

#include "graph.h"
#include "index.h"
#include "reach.h"
#include "repo.h"

#include <git2.h>

/* The patches of one advisory, to be written by advisory_write_patches. */
struct patch_job {
	char *dir;
	char *id;
	struct strlist aliases;
	git_oid *fixes;
	size_t nr_fixes;
};

struct advisory_ctx {
	struct repo *repo;
	struct index *ix;
	git_repository *git;     /* the upstream source, may be NULL */
	const struct graph *graph;
	const struct reach_result *branches; /* branch containment */
	char **branch_names;     /* release i of branches = branch_names[i] */
	size_t nr_branches;
	size_t mainline;         /* the source's HEAD in branches, or SIZE_MAX */
	struct patch_job *jobs;  /* queued by advisory_update */
	size_t nr_jobs, alloc_jobs;
	/* counters for the summary */
	size_t written, unchanged, patches_written;
};

/*
 * The primary advisory id for id: id itself, unless id is a CVE stated by
 * a commit that also states a non-CVE id (XSA-...): then the smallest such.
 * *out is malloc'ed.
 */
int advisory_primary(struct advisory_ctx *ctx, const char *id, char **out);

/* Update advisories/<id>/record for primary id and the aliases given, and
 * queue its patches in ctx->jobs. */
int advisory_update(struct advisory_ctx *ctx, const char *id,
		    char *const *aliases, size_t nr_aliases);

/*
 * Write the queued patches (git format-patch mbox with DEP-3 fields) with
 * `threads` threads, each opening git_path itself (libgit2 objects are not
 * shared across threads); patches no longer in a record are removed.
 */
int advisory_write_patches(struct advisory_ctx *ctx, const char *git_path,
			   int threads);
void advisory_ctx_release(struct advisory_ctx *ctx);

/* The URL of an advisory id, or NULL when secport knows none. */
char *advisory_url(const char *id);

/* A file-name slug of a subject, as git format-patch makes them. */
void advisory_slug(struct strbuf *out, const char *subject);

/* The advisory ids with a record, in id order (CVE-2024-9 before
 * CVE-2024-10). */
int advisory_list(const struct repo *repo, struct strlist *out);
/* The advisory whose id or alias is id (any case); *out malloc'ed. */
int advisory_find(const struct repo *repo, const char *id, char **out);

/* Does advisories/<id>/record, if it exists, parse?  Reports if not. */
int advisory_check(const struct repo *repo, const char *id);

#endif
