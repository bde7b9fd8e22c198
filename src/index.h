/*
 * index: the local SQLite cache, .secport/index.sqlite.
 *
 * Holds what the scan learnt so later commands read no git objects:
 *   commits(n, oid, missing, author_time, subject)
 *                                 n: parents-first number
 *   graph(first, nr, oids, parents)  the commits' ids and parents, a row
 *                                 per scan batch
 *   facts(n, kind, value, target) advisory ids and references
 *   refs(source, name, tip)       what was scanned, at which tip
 * STRICT tables, PRAGMA user_version = INDEX_VERSION.  An index from another
 * version, or one that fails to open or check, is deleted and rebuilt (the
 * next scan refills it): deleting it loses nothing.
 */
#ifndef SECPORT_INDEX_H
#define SECPORT_INDEX_H

#include "graph.h"
#include "history.h"
#include "repo.h"

#include <git2.h>
#include <sqlite3.h>
#include <stddef.h>

#define INDEX_VERSION 4 /* also bumped when extraction changes */

struct index {
	sqlite3 *db;
	char *path;
	/* statements prepared once and reused, keyed by their SQL */
	struct index_stmt {
		const char *sql;
		sqlite3_stmt *st;
	} stmts[16];         /* one per query that calls cached() */
	size_t nr_stmts;
};

int index_open(struct index *out, const char *path);
/* The index of repository r: .secport/index.sqlite. */
int index_open_repo(struct index *out, const struct repo *r);
void index_close(struct index *ix);

/* The whole commit graph, parents first.  Reads only the index. */
int index_load_graph(struct index *ix, struct graph *out);

/* Commits whose message references `target` with a fact of `kind`
 * (FACT_BACKPORT: backports of target; FACT_REVERT: reverts of target).
 * *out is malloc'ed (free it); *nr may be 0. */
int index_referrers(struct index *ix, enum fact_kind kind,
		    const git_oid *target, git_oid **out, size_t *nr);

/* Run SQL (no results); report and return -1 on failure. */
int index_exec(struct index *ix, const char *sql);
/* Report the last SQLite error of ix, prefixed by what; returns -1. */
int index_sql_fail(struct index *ix, const char *what);

/* The number the next new commit gets. */
int index_next_number(struct index *ix, uint32_t *out);
/* Add a walked batch (history.h) in parents-first order; parents not in
 * the index are counted in *missing_parents.  Call inside a transaction. */
int index_add_history(struct index *ix, const struct history *h,
		      size_t *missing_parents);
/* Remember that ref `name` of `source` was scanned up to tip. */
int index_set_ref(struct index *ix, const char *source, const char *name,
		  const git_oid *tip);
/* Commits whose message states advisory id, parents first; when none
 * does, the commits that mention it. */
int index_mentions(struct index *ix, const char *id, git_oid **out,
		   size_t *nr);

struct index_fact {
	enum fact_kind kind;
	char *value;
	git_oid target;
	int resolved;
};
/* The facts of one commit; free with index_facts_free. */
int index_commit_facts(struct index *ix, const git_oid *oid,
		       struct index_fact **out, size_t *nr);
void index_facts_free(struct index_fact *f, size_t nr);
/* The number and subject (malloc'ed; may pass NULL) of a commit; *n_out is
 * -1 when the commit is not indexed. */
int index_commit_info(struct index *ix, const git_oid *oid, int64_t *n_out,
		      char **subject_out);
/* Advisory ids stated by commits numbered from_n or later (or only
 * mentioned, when no commit states them), or by the targets of their
 * backport and revert references (sorted, distinct). */
int index_advisory_ids(struct index *ix, int64_t from_n, struct strlist *out);

/* Other advisory ids stated by the commits stating id, shortest first. */
int index_costated(struct index *ix, const char *id, struct strlist *out);
/* Other advisory ids stated or mentioned by the commits mentioning id. */
int index_comentioned(struct index *ix, const char *id, struct strlist *out);
/* Does a commit state id?  1 yes, 0 no (at most mentioned), -1 error. */
int index_states(struct index *ix, const char *id);

/*
 * The scanned refs of source (NULL: every source) whose name starts with
 * prefix ("refs/tags/" for the tags; their tips are peeled to commits), by
 * name: names are appended to *names and (*tips)[i] is the tip of the i-th
 * name appended; *tips is malloc'ed.  Reads only the index.
 */
int index_list_refs(struct index *ix, const char *source, const char *prefix,
		    struct strlist *names, git_oid **tips);

/* Is commit oid in the index?  1 or 0 (errors count as 0). */
int index_has_commit(struct index *ix, const git_oid *oid);

/* Every resolved backport and revert reference in one query (what
 * index_referrers gives per target, for all targets at once); *out is
 * malloc'ed. */
struct index_ref {
	enum fact_kind kind; /* FACT_BACKPORT or FACT_REVERT */
	git_oid target;
	int64_t n;           /* the referring commit's number */
};
int index_referrers_all(struct index *ix, struct index_ref **out, size_t *nr);

/* Backport references of commits numbered from_n or later whose target is
 * not in the index: "<commit> <target as written>" lines, appended. */
int index_dangling(struct index *ix, int64_t from_n, struct strlist *out);

#endif
