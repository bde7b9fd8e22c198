/*
 * history: walk an upstream git history and extract what each new commit
 * says (trailers.h), fast.
 *
 * One depth-first walk from the tips finds the new commits; commits the
 * caller already knows (the index) are boundaries, so a rescan costs time
 * proportional to the new commits.  Where git's commit-graph file knows a
 * commit (cgraph.h), its parents come from there and its object is read
 * afterwards, by one thread per core; other commits are read on the spot
 * (one inflate, as `git log` does).  Packed commits are read by pack.h,
 * which takes no lock, so a thread diffing beside the walk does not slow
 * it; the rest by git_odb_read.  Parents that are not in the object store
 * (a shallow clone) are counted and skipped.  The result is put in
 * parents-first order by a second, in-memory DFS.
 * Memory: the parsed commits (subject, parents, facts) and a hash of ids,
 * not the messages.  Messages longer than HISTORY_MAX_MESSAGE bytes are
 * parsed in part (counted in .truncated).
 */
#ifndef SECPORT_HISTORY_H
#define SECPORT_HISTORY_H

#include "trailers.h"

#include <git2.h>
#include <stdint.h>

#define HISTORY_MAX_MESSAGE (1u << 20)

struct hist_ref {
	struct msg_ref ref;
	git_oid target; /* valid when resolved */
	int resolved;
};

/* A parent_pos of a parent this walk did not read (known or missing). */
#define HIST_OUTSIDE UINT32_MAX

struct hist_commit {
	git_oid oid;
	git_oid *parents;
	uint32_t *parent_pos; /* each parent's index in commits, or
				 HIST_OUTSIDE */
	unsigned nr_parents;
	int64_t author_time;
	char *subject;
	char **advisories;
	size_t nr_adv;
	char **mentions;
	size_t nr_mention;
	struct hist_ref *refs;
	size_t nr_refs;
};

struct history_options {
	const char *repo_path;
	const struct trailer_rules *rules;
	const git_oid *tips;  /* commits to walk from */
	size_t nr_tips;
	/* commits already scanned: the walk stops there (may be NULL) */
	int (*known)(const git_oid *oid, void *payload);
	void *known_payload;
	int progress;         /* show progress on stderr */
	/*
	 * Called with each commit the walk reads itself, as soon as it is
	 * parsed (may be NULL): every commit when there is no commit-graph;
	 * with one, threads read the messages after the walk, unreported.
	 */
	void (*parsed)(const struct hist_commit *c, void *payload);
	void *parsed_payload;
};

struct history {
	struct hist_commit *commits; /* parents first */
	size_t nr;
	size_t truncated;            /* messages cut at HISTORY_MAX_MESSAGE */
	size_t missing;              /* parents not in the object store */
};

int history_walk(struct history *out, const struct history_options *opts);
void history_release(struct history *h);

#endif
