/*
 * mbox: a commit as a `git format-patch` mail, with extra header fields.
 *
 * libgit2's git_email_create_from_commit() computes the diff twice (once
 * for the patch, once again for the diffstat), and its tree-to-tree diff
 * reads every subtree of both sides; here the changed files are found as
 * git's diff-tree finds them (equal subtrees skipped by id), each file's
 * patch is generated once with git_patch_from_blobs(), and its line counts
 * feed the diffstat.  The layout
 * follows git format-patch: "From <id> Mon Sep 17 00:00:00 2001", From,
 * Date (RFC 2822), Subject "[PATCH] <summary>", the extra header lines,
 * the body, "---", the diffstat, the diff, and a "-- " signature.
 * Cost: the trees on the changed paths and one patch per changed file.
 */
#ifndef SECPORT_MBOX_H
#define SECPORT_MBOX_H

#include "strbuf.h"

#include <git2.h>

struct mbox_ahead;

/* Append the mail for commit c (diffed against its first parent, or the
 * empty tree) to out; extra_headers are whole lines ending in '\n'.  The
 * diff comes from ahead when it has it (ahead may be NULL).  Returns 0;
 * 1, appending nothing, when c changes no file (git format-patch skips such
 * commits too); -1 having reported an error. */
int mbox_format(struct strbuf *out, git_repository *repo, git_commit *c,
		const char *extra_headers, struct mbox_ahead *ahead);

/*
 * Diffs computed ahead: `threads` threads (each opening git_path) diff
 * commits in the order they are added (history's keeps the pack cache
 * warm) while the caller does other work, for mbox_format to take later.
 * A scan without a commit-graph adds each commit that names an advisory
 * as its walk parses it, on a core that would idle; at the end of the
 * walk it closes the list with the likely fixes: those not added yet are
 * added, those added and not wanted are dropped unless started.  With a
 * commit-graph the walk uses every core, and the list is given whole
 * after it (mbox_ahead_start).  Memory: the diffs, until finish.
 */
struct mbox_ahead *mbox_ahead_open(const char *git_path, int threads);
void mbox_ahead_add(struct mbox_ahead *a, const git_oid *oid);
void mbox_ahead_close(struct mbox_ahead *a, const git_oid *oids, size_t nr);
/* open, then close with oids[0..nr) */
struct mbox_ahead *mbox_ahead_start(const char *git_path, const git_oid *oids,
				    size_t nr, int threads);
/* Append the diff of oid to out and return 1, waiting for it if a thread
 * is computing it; 0 when it was not asked for, failed, or no thread has
 * started it (then the caller computes it, and no thread will), or the
 * list is not closed yet. */
int mbox_ahead_take(struct mbox_ahead *a, const git_oid *oid,
		    struct strbuf *out);
/* Stop the threads and free everything (a may be NULL). */
void mbox_ahead_finish(struct mbox_ahead *a);

#endif
