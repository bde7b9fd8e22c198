/*
 * history: walk an upstream git history and extract what each new commit
 * says (trailers.h), fast.
 *
 * The walk (libgit2 revwalk, topological and parents first, hiding the tips
 * scanned before) only lists commit ids; it reads parents from the
 * commit-graph file when the repository has one.  The raw commit objects
 * are then read and parsed by HISTORY_THREADS threads, each with its own
 * git_repository, so inflating the messages - the dominant cost - uses every
 * core.  Memory: the parsed commits (subject, parents, facts), not the
 * messages.  Messages longer than HISTORY_MAX_MESSAGE bytes are truncated
 * for parsing (with a warning).
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

struct hist_commit {
	git_oid oid;
	git_oid *parents;
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
	const git_oid *hide;  /* commits (and ancestors) already scanned */
	size_t nr_hide;
	int threads;          /* 0: one per core, at most 8 */
	int progress;         /* show progress on stderr */
};

struct history {
	struct hist_commit *commits; /* parents first */
	size_t nr;
	size_t truncated;            /* messages cut at HISTORY_MAX_MESSAGE */
};

int history_walk(struct history *out, const struct history_options *opts);
void history_release(struct history *h);

#endif
