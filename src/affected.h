/*
 * affected: which releases need each advisory's fix, for every advisory of
 * the repository and every release at once.
 *
 * Inputs, all read without touching a git object:
 *   the commit graph and the scanned tags, from the index (index.h);
 *   the release globs of every configured source (repo.h): the releases
 *   are the scanned tags matching them, named without "refs/tags/";
 *   each advisory's record (record.h): Fixed-By, Introduced-By, Backports;
 *   the backport and revert references of the index (one query for all).
 * For each advisory the engine's input (reach.h) is built as:
 *   introducers: every Introduced-By commit with its backports;
 *   fixes: every Fixed-By commit with its backports, the backports being
 *   the commits whose trailer names it (and, transitively, backports of
 *   those) plus the record's Backports lines naming it as upstream;
 *   reverts: of every commit above, and reverts of those reverts.
 * Then one containment pass (reach_contained) and reach_verdicts per
 * advisory.  Cost: reading the graph (about 1 s per million commits),
 * O(commits + edges) for containment, O(releases x named commits) per
 * advisory; memory: the graph, 4 bytes per commit, one verdict per
 * advisory and release.
 *
 * affected_annotate() writes the answers into the records as Needed-For and
 * Fixed-In; nothing else here prints, and only it writes.
 */
#ifndef SECPORT_AFFECTED_H
#define SECPORT_AFFECTED_H

#include "advisory.h"
#include "graph.h"
#include "index.h"
#include "reach.h"
#include "repo.h"
#include "strbuf.h"

#include <stddef.h>
#include <stdint.h>

/* Why a commit stands for a change. */
enum affected_evidence {
	AFFECTED_ANCESTRY = 0, /* the commit the record names */
	AFFECTED_BACKPORT = 1, /* a backport found by its trailer (index) */
	AFFECTED_RECORD = 2,   /* a backport listed only in the record */
};

/* One change (an introducer or a fix) and its equivalents. */
struct affected_change {
	git_oid named;		/* the commit the record names */
	uint32_t *commits;	/* [0]: named (GRAPH_NONE when not indexed),
				   then its backports, all in the graph */
	unsigned char *evidence; /* enum affected_evidence, per commit */
	size_t nr, alloc;
};

struct affected_advisory {
	char *id;
	struct affected_change *intro, *fix;
	size_t nr_intro, nr_fix;
	struct reach_revert *reverts;
	size_t nr_reverts, alloc_reverts;
	struct reach_alts *alts; /* nr_intro + nr_fix views of the above */
	/* Introduced-By is "unknown" or absent, or names no indexed commit:
	 * every release without the fix counts as vulnerable. */
	int intro_unknown;
	size_t unindexed; /* named commits that are not in the index */
	size_t bad_ids;	  /* words of the record that are not commit ids */
};

struct affected {
	struct graph graph;
	struct reach_releases releases; /* sorted; release i is bit i */
	struct reach_result reach;
	struct affected_advisory *advs; /* in advisory_list() order */
	size_t nr;
	struct reach_verdict *verdicts; /* nr x releases.nr, by advisory */
};
#define AFFECTED_INIT { GRAPH_INIT, REACH_RELEASES_INIT, REACH_RESULT_INIT, \
			NULL, 0, NULL }

/*
 * Compute the verdicts of the advisories ids[0..nr_ids-1] (record
 * directory names, as advisory_find() returns them), or of every advisory
 * when ids is NULL, in every release.  out is initialised here and owned by
 * the caller (affected_release).  Returns 0, or -1 having reported the
 * error (an unreadable index or record); out is then empty.
 */
int affected_load(struct affected *out, const struct repo *repo,
		  struct index *ix, char *const *ids, size_t nr_ids);
/* The same, taking over a graph the caller loaded from ix already (graph
 * is emptied; NULL: load it), with the records held in memory by a scan
 * (held, may be NULL) read instead of their files: with ids NULL, the
 * advisories are those with a record file and those held. */
int affected_load_graph(struct affected *out, const struct repo *repo,
			struct index *ix, struct graph *graph,
			struct advisory_batch *held, char *const *ids,
			size_t nr_ids);
void affected_release(struct affected *a);

/* The verdicts of advisory i, one per release. */
static inline const struct reach_verdict *
affected_verdicts(const struct affected *a, size_t i)
{
	return a->verdicts + i * a->releases.nr;
}

/* The release named tag ("RELEASE-4.17.3", or with "refs/tags/"), or -1. */
long affected_find_release(const struct affected *a, const char *tag);

/*
 * The releases that need advisory i's fix, as one line per series with
 * vulnerable releases, runs of consecutive releases shortened to
 * "first–last" ("4.17.0–4.17.3, 4.17.6"); "none" when no release does.
 * Lines are separated by '\n' and appended to out.
 */
void affected_needed_for(struct strbuf *out, const struct affected *a,
			 size_t i);

/*
 * The per-series ranges of advisory i (reach_range_format), one per line,
 * with consecutive series that never had the bug merged into one line
 * ("4.0.x–4.14.x unaffected").  Appended to out, '\n' between lines.
 */
void affected_fixed_in(struct strbuf *out, const struct affected *a, size_t i);

/* Why advisory i has its verdict in release rel, per change. */
struct affected_why {
	int is_fix;	 /* 0: an introducer, 1: a fix */
	const struct affected_change *change;
	uint32_t commit; /* the commit of change that counts in the release
			    (GRAPH_NONE: none does) */
	enum affected_evidence evidence; /* of commit, when it counts */
};

/*
 * Fill out[0 .. nr_intro + nr_fix - 1] (introducers first) for advisory
 * i in release rel.  Costs O(releases x commits named) per change.
 */
void affected_explain(struct affected_why *out, const struct affected *a,
		      size_t i, size_t rel);

/* "ancestry", "backport" or "record". */
const char *affected_evidence_name(enum affected_evidence e);

/*
 * Write Needed-For and Fixed-In into the record of every advisory of a (as
 * loaded), replacing what an earlier run wrote: into the held record when
 * held has it (the caller writes it), else into the file, which is not
 * rewritten when neither field changes.  *changed (if given) counts the
 * records whose fields changed.  The caller holds the repository lock.
 * Returns 0 or -1 having reported.
 */
int affected_write(const struct affected *a, const struct repo *repo,
		   struct advisory_batch *held, size_t *changed);

/*
 * affected_load() for every advisory + affected_write(): what `secport
 * affected --annotate` runs, and what the end of a scan can call.
 */
int affected_annotate(const struct repo *repo, struct index *ix,
		      size_t *changed);

#endif
