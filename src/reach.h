/*
 * reach: which releases contain which commits, and what that means for an
 * advisory (vulnerable, fixed, not affected) in every release.
 *
 * Containment (reach_contained): release R contains commit c iff c is an
 * ancestor of R's tagged commit, or that commit itself.  One pass over the
 * graph, children first (numbers nr-1 down to 0, the reverse of the graph's
 * parents-first order): set(c) = releases tagged at c, united with the sets
 * of c's children, which are all final by then; set(c) is then united into
 * each parent's pending set.  Sets are hash-consed: each commit holds a
 * 4-byte id into a table of distinct release bitsets, and unions of two ids
 * are memoised, so the usual edge (a commit with one child, or a child whose
 * set already covers the parent's) costs one comparison.
 *   time:   O(commits + edges) plus O(releases/64) per new distinct union;
 *   memory: 4 bytes per commit + (releases/8 bytes) per distinct set.
 * On kernel-shaped history (1.3M commits, 3,700 releases) distinct sets are
 * a few thousand (one per release cycle and per stable point release), so
 * the table is a few MB; the worst case (every commit tagged) is quadratic.
 *
 * Verdicts (reach_verdicts), per release, for one advisory:
 *   a commit "counts" in R when R contains it and no revert of it counts in
 *   R (a revert of a revert restores it);
 *   introduced: some introducer, or a backport of one, counts;
 *   fixed: for every fix, the fix or one of its backports counts;
 *   FIXED when introduced and fixed, VULNERABLE when introduced and not
 *   fixed, NOT_AFFECTED otherwise.  With no introducer known, every release
 *   not fixed is VULNERABLE with REACH_INTRO_UNKNOWN set.
 *   time: O(releases x commits named by the advisory).
 *
 * Ranges (reach_ranges_build) compact the verdicts per release series in
 * the kernel CNA's style: "4.17.0–4.17.3 affected, fixed in 4.17.4 (<id>)".
 *
 * Everything here is pure computation: no I/O, no printing.
 */
#ifndef SECPORT_REACH_H
#define SECPORT_REACH_H

#include "graph.h"
#include "strbuf.h"

#include <stddef.h>
#include <stdint.h>

/* ---- releases ---------------------------------------------------------- */

struct reach_release {
	char *name;	 /* tag name, e.g. "RELEASE-4.17.3" or "v6.1.5" */
	uint32_t commit; /* commit number in the graph */
	size_t series;	 /* index into reach_releases.series */
};

struct reach_releases {
	struct reach_release *items;
	size_t nr, alloc;
	char **series; /* series names ("4.17"), in order of first release */
	size_t nr_series, alloc_series;
};
#define REACH_RELEASES_INIT { NULL, 0, 0, NULL, 0, 0 }

/* Add a release (name copied).  Call reach_releases_sort() when done. */
void reach_releases_add(struct reach_releases *rel, const char *name,
			uint32_t commit);
/*
 * Order the releases by version (reach_version_cmp, ties by name), then
 * group them by series, keeping version order within a series and ordering
 * series by their first release; fills .series and each item's .series.
 */
void reach_releases_sort(struct reach_releases *rel);
void reach_releases_clear(struct reach_releases *rel);

/*
 * Compare two version strings like `sort -V` (Debian version order: runs of
 * digits compare numerically, letters before other characters), except that
 * "-rc" and "~" sort before the end of the string, so v6.1-rc1 < v6.1 <
 * v6.1.1.  Returns <0, 0 or >0.
 */
int reach_version_cmp(const char *a, const char *b);

/* The version part of a tag name: from its first digit ("v6.1" -> "6.1"),
 * or the whole name when it has no digit. */
const char *reach_version(const char *name);

/*
 * The series of a release: the first two components of its version, with
 * any "-rc" suffix dropped ("RELEASE-4.17.3" -> "4.17", "v6.1" -> "6.1",
 * "v6.2-rc3" -> "6.2"); for 2.6 kernels the first three ("v2.6.32.8" ->
 * "2.6.32").  Appended to out.
 */
void reach_series(struct strbuf *out, const char *name);

/* ---- containment ------------------------------------------------------- */

struct reach_result {
	uint32_t nr_commits;
	size_t nr_releases;
	size_t words;	  /* 64-bit words per set */
	uint32_t *set_of; /* nr_commits set ids */
	uint64_t *sets;	  /* nr_sets * words; set 0 is the empty set */
	size_t nr_sets, alloc_sets;
};
#define REACH_RESULT_INIT { 0, 0, 0, NULL, NULL, 0, 0 }

/*
 * For every commit of g, the set of releases containing it; release i is
 * tagged at release_commits[i] (a commit number of g).  out is initialised
 * here; free it with reach_result_release().  Returns 0, or -1 having
 * reported an error (a release commit outside the graph, a graph that is
 * not parents-first); out is then empty.
 */
int reach_contained(struct reach_result *out, const struct graph *g,
		    const uint32_t *release_commits, size_t nr_releases);
void reach_result_release(struct reach_result *res);

/* The releases containing commit, as res->words words of bits (bit i of
 * word i/64 is release i), valid until res is released. */
static inline const uint64_t *reach_releases_of(const struct reach_result *res,
						uint32_t commit)
{
	return res->sets + (size_t)res->set_of[commit] * res->words;
}

/* Does release contain commit?  A commit of GRAPH_NONE is in no release. */
static inline int reach_contains(const struct reach_result *res, size_t release,
				 uint32_t commit)
{
	if (commit >= res->nr_commits)
		return 0;
	return (reach_releases_of(res, commit)[release / 64] >>
		(release % 64)) &
	       1;
}

/* ---- verdicts ---------------------------------------------------------- */

/* One change and its equivalents: commits[0] is the upstream commit, the
 * rest its backports; any one of them counts.  GRAPH_NONE entries (commits
 * not in the graph) are in no release. */
struct reach_alts {
	const uint32_t *commits;
	size_t nr;
};

/* revert reverts target (both commit numbers). */
struct reach_revert {
	uint32_t revert;
	uint32_t target;
};

struct reach_advisory {
	const struct reach_alts *introducers; /* none: introducer unknown */
	size_t nr_introducers;
	const struct reach_alts *fixes; /* all are needed */
	size_t nr_fixes;
	const struct reach_revert *reverts; /* of any commit named above, and
					       reverts of those reverts */
	size_t nr_reverts;
};

enum reach_state {
	REACH_NOT_AFFECTED = 0,
	REACH_VULNERABLE = 1,
	REACH_FIXED = 2,
};

/* "vulnerable", "fixed" or "not affected". */
const char *reach_state_name(enum reach_state s);

#define REACH_INTRO_UNKNOWN 1u /* vulnerable assumed: no introducer known */
#define REACH_VIA_BACKPORT 2u  /* a fix counted only through a backport */
#define REACH_STABLE_ONLY 4u   /* not affected assumed: no introducer known,
				  and every fix went to stable branches only
				  (affected.c) */

struct reach_verdict {
	enum reach_state state;
	unsigned flags;
	/* FIXED: the fix commit present in the release (the upstream commit
	 * when it counts, else a backport); with several fixes, the one with
	 * the highest number.  GRAPH_NONE otherwise. */
	uint32_t fixed_by;
};

/* Fill out[0..res->nr_releases-1], one verdict per release. */
void reach_verdicts(struct reach_verdict *out, const struct reach_result *res,
		    const struct reach_advisory *adv);

/* ---- per-series ranges ------------------------------------------------- */

enum reach_range_kind {
	REACH_RANGE_UNAFFECTED,	  /* the whole series never had the bug */
	REACH_RANGE_FIXED_BEFORE, /* fixed, with no affected release before */
	REACH_RANGE_FIXED_IN,	  /* affected, then fixed in fixed_in */
	REACH_RANGE_OPEN,	  /* affected to the series' last release */
	REACH_RANGE_AFFECTED,	  /* affected, then not affected (reverted
				     introducer) */
};

struct reach_range {
	enum reach_range_kind kind;
	size_t series;	    /* index into reach_releases.series */
	size_t first, last; /* releases (indexes), in version order */
	size_t fixed_in;    /* FIXED_IN: the first fixed release */
	uint32_t fixed_by;  /* FIXED_IN: the fix commit in fixed_in */
	unsigned flags;	    /* union of the verdicts' flags in first..last */
};

struct reach_ranges {
	struct reach_range *items;
	size_t nr, alloc;
};
#define REACH_RANGES_INIT { NULL, 0, 0 }

/* Compact v (one verdict per release of rel, rel sorted) into ranges,
 * appended to out in series order. */
void reach_ranges_build(struct reach_ranges *out,
			const struct reach_releases *rel,
			const struct reach_verdict *v);
void reach_ranges_clear(struct reach_ranges *r);

/*
 * Append one range as text, e.g. "4.17.0–4.17.3 affected, fixed in 4.17.4
 * (0123456789ab)", "4.19.0 and later unaffected (fixed before release)",
 * "4.12.x affected, no fix in series", "4.11.x unaffected".  Commit ids
 * come from g (12 hex digits); with g NULL they are left out.
 */
void reach_range_format(struct strbuf *out, const struct reach_releases *rel,
			const struct reach_range *r, const struct graph *g);

#endif
