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
#include "mbox.h"
#include "reach.h"
#include "record.h"
#include "repo.h"

#include <git2.h>
#include <pthread.h>

/*
 * Records updated in memory and not yet written: a scan updates records,
 * then their Needed-For and Fixed-In (affected.h), and writes each file
 * once.  Found by id once sorted (advisory_batch_find sorts).
 */
struct advisory_batch {
	struct batch_record {
		char *id;
		char *path; /* advisories/<id>/record under the repository */
		struct record rec;
	} *items;
	size_t nr, alloc, sorted;
};

/* The held record of id, or NULL. */
struct record *advisory_batch_find(struct advisory_batch *b, const char *id);
/* Write every held record (unchanged files are left alone); *written
 * counts the files whose bytes changed.  0, or -1 having reported. */
int advisory_batch_write(struct advisory_batch *b, size_t *written);
void advisory_batch_release(struct advisory_batch *b);

/* The patches of one advisory, for the threads of advisory_start_patches. */
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
	struct advisory_batch records; /* updated by advisory_update */
	struct mbox_ahead *ahead; /* diffs computed ahead, may be NULL */
	/* patches queued by advisory_update, taken by the patch threads */
	struct patch_job *jobs;
	size_t nr_jobs, alloc_jobs, next_job;
	int closed;		 /* no more jobs will come */
	pthread_mutex_t lock;	 /* guards the five fields above */
	pthread_cond_t more;	 /* a job was queued, or closed was set */
	struct patch_worker *workers;
	int nr_workers;
	/* counters for the summary */
	size_t patches_written;
	/* advisory_primary's answers so far, sorted by id */
	struct primary_memo *memo;
	size_t nr_memo, alloc_memo;
};

/*
 * The primary advisory id for id: id itself, unless id is a CVE stated by
 * a commit that also states a non-CVE id (XSA-...): then the smallest such.
 * *out is malloc'ed.  Answers are remembered for ctx's lifetime: the index
 * must not change meanwhile.
 */
int advisory_primary(struct advisory_ctx *ctx, const char *id, char **out);

/* Update the record of primary id and the aliases given into
 * ctx->records (advisory_batch_write writes it), and queue its patches for
 * the patch threads. */
int advisory_update(struct advisory_ctx *ctx, const char *id,
		    char *const *aliases, size_t nr_aliases);

/*
 * Start `threads` threads that write each advisory's patches (git
 * format-patch mbox with DEP-3 fields) as soon as advisory_update queues
 * them, and remove the patches no longer in its record: a first scan
 * diffs its fix commits while it is still writing records.  Each thread
 * opens git_path itself (libgit2 objects are not shared across threads).
 * Call before advisory_update.
 */
void advisory_start_patches(struct advisory_ctx *ctx, const char *git_path,
			    int threads);
/* Wait for the patch threads to write every queued patch (also when the
 * caller failed: then call it before advisory_ctx_release).  Returns 0, or
 * -1 when a patch could not be written (reported). */
int advisory_finish_patches(struct advisory_ctx *ctx);
void advisory_ctx_release(struct advisory_ctx *ctx);

/* The URL of an advisory id, or NULL when secport knows none. */
char *advisory_url(const char *id);

/* A file-name slug of a subject, as git format-patch makes them. */
void advisory_slug(struct strbuf *out, const char *subject);

/* The advisory ids with a record, in id order (CVE-2024-9 before
 * CVE-2024-10). */
int advisory_list(const struct repo *repo, struct strlist *out);
/* Sort ids in that order, dropping duplicates. */
void advisory_sort_ids(struct strlist *ids);
/* The advisory whose id or alias is id (any case); *out malloc'ed. */
int advisory_find(const struct repo *repo, const char *id, char **out);

/* Does advisories/<id>/record, if it exists, parse?  Reports if not. */
int advisory_check(const struct repo *repo, const char *id);
/* Is there a record for id? */
int advisory_exists(const struct repo *repo, const char *id);

#endif
