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

/* Append the mail for commit c (diffed against its first parent, or the
 * empty tree) to out; extra_headers are whole lines ending in '\n'. */
int mbox_format(struct strbuf *out, git_repository *repo, git_commit *c,
		const char *extra_headers);

#endif
