/*
 * cgraph: read git's commit-graph file (objects/info/commit-graph), so the
 * history walk learns a commit's parents without inflating it.
 *
 * git writes the file on gc (gc.writeCommitGraph, on by default) and on
 * `git commit-graph write`.  Only the single-file form is read; a split
 * graph (objects/info/commit-graphs/) or a file that does not check out
 * is simply not used: the walk then reads the commits themselves.
 * Format: Documentation/gitformat-commit-graph.txt in git.  Cost: one
 * mmap; a lookup is a fan-out step and a binary search (O(log n)).
 */
#ifndef SECPORT_CGRAPH_H
#define SECPORT_CGRAPH_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

struct cgraph {
	const unsigned char *map;
	size_t size;
	uint32_t nr;
	const unsigned char *fanout, *oids, *data, *edges;
	size_t nr_edges;
};

#define CGRAPH_NONE UINT32_MAX

/* Open the commit-graph of a repository's objects directory.  Returns 0,
 * or 1 when there is none (or it is not usable): *out is then empty. */
int cgraph_open(struct cgraph *out, const char *objects_dir);
void cgraph_close(struct cgraph *g);

/* The position of id in the graph, or CGRAPH_NONE. */
uint32_t cgraph_find(const struct cgraph *g, const git_oid *id);

/* The parents of the commit at pos, appended to *out (grown with
 * ALLOC_GROW semantics through *alloc).  Returns 0, or -1 when the file is
 * inconsistent (then do not trust the graph). */
int cgraph_parents(const struct cgraph *g, uint32_t pos, git_oid **out,
		   unsigned *nr, size_t *alloc);

#endif
