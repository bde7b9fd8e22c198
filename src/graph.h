/*
 * graph: the commit graph as integer arrays, the input of the reachability
 * engine (reach.h).
 *
 * Commits are numbered 0..nr-1 so that every parent has a smaller number
 * than its children (parents first).  Parents missing from the graph
 * (shallow or grafted history) are simply absent.  Memory: 20 bytes per
 * commit for the ids plus 4 bytes per commit and per parent edge; for the
 * Linux kernel (1.3M commits, 1.4M edges) about 37 MB.
 *
 * Producers: index_load_graph() (index.h, from the SQLite index: no git
 * objects read) and graph_load_git() (graph.c, a libgit2 walk, for tests).
 */
#ifndef SECPORT_GRAPH_H
#define SECPORT_GRAPH_H

#include <git2.h>
#include <stdint.h>

struct graph {
	uint32_t nr;
	git_oid *oids;          /* nr ids, oids[i] is commit i */
	uint32_t *parent_start; /* nr+1 offsets into parents[] */
	uint32_t *parents;      /* parents of i: parents[parent_start[i] ..
				   parent_start[i+1]-1], each < i */
	uint32_t *by_oid;       /* commit numbers sorted by oid, for lookup */
};

#define GRAPH_INIT { 0, NULL, NULL, NULL, NULL }
#define GRAPH_NONE UINT32_MAX

/* Build by_oid; call once after filling oids (producers do). */
void graph_finish(struct graph *g);
/* The number of commit id, or GRAPH_NONE. O(log nr). */
uint32_t graph_find(const struct graph *g, const git_oid *id);
void graph_release(struct graph *g);

/*
 * Load the history reachable from refs (a NULL-terminated list of
 * revisions, e.g. "refs/tags/v1.0" or "master"; NULL for every reference
 * that peels to a commit) by reading the commits from repo.  out is
 * initialised here and owned by the caller (graph_release).  Returns 0, or
 * -1 having reported the error; out is then empty.
 */
int graph_load_git(struct graph *out, git_repository *repo, const char **refs);

#endif
