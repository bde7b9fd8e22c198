#include "index.h"
#include "strbuf.h"
#include "usage.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static const char schema[] =
	"CREATE TABLE commits(\n"
	"  n INTEGER PRIMARY KEY,      -- parents-first number\n"
	"  oid BLOB NOT NULL,\n"
	"  missing INTEGER NOT NULL,   -- parents absent (shallow history)\n"
	"  author_time INTEGER NOT NULL,\n"
	"  subject TEXT NOT NULL\n"
	") STRICT;\n"
	"CREATE UNIQUE INDEX commits_by_oid ON commits(oid);\n"
	/*
	 * The graph of the commits, in one row per scan batch (split at
	 * GRAPH_CHUNK): loading it is a few blob reads instead of a step
	 * per commit, which every matrix, status and scan pays.
	 */
	"CREATE TABLE graph(\n"
	"  first INTEGER PRIMARY KEY,  -- the number of its first commit\n"
	"  nr INTEGER NOT NULL,        -- commits in the chunk\n"
	"  oids BLOB NOT NULL,         -- their ids, 20 bytes each\n"
	"  parents BLOB NOT NULL       -- per commit: a count, then the\n"
	"                              -- parents' numbers; uint32 LE\n"
	") STRICT;\n"
	"CREATE TABLE facts(\n"
	"  n INTEGER NOT NULL REFERENCES commits(n),\n"
	"  kind INTEGER NOT NULL,      -- enum fact_kind\n"
	"  value TEXT NOT NULL,        -- advisory id, or the id as written\n"
	"  target BLOB                 -- resolved commit id, NULL if unknown\n"
	") STRICT;\n"
	"CREATE INDEX facts_by_n ON facts(n);\n"
	/* n too: reading every backport and revert reads only the index */
	"CREATE INDEX facts_by_target ON facts(kind, target, n);\n"
	"CREATE INDEX facts_by_value ON facts(kind, value);\n"
	"CREATE TABLE refs(\n"
	"  source TEXT NOT NULL,\n"
	"  name TEXT NOT NULL,\n"
	"  tip BLOB NOT NULL,\n"
	"  PRIMARY KEY(source, name)\n"
	") STRICT;\n";

int index_sql_fail(struct index *ix, const char *what)
{
	return error("index '%s': %s: %s", ix->path, what, sqlite3_errmsg(ix->db));
}

int index_exec(struct index *ix, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(ix->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error("index '%s': %s", ix->path, msg ? msg : "failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int user_version(struct index *ix, int *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(ix->db, "PRAGMA user_version", -1, &st, NULL))
		return -1;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Is this SQLite error about the file's content (rebuild it) rather than
 * the system (disk full, permissions, a lock: report it, keep the file)? */
static int content_error(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT ||
	       rc == SQLITE_SCHEMA || rc == SQLITE_MISMATCH;
}

static int quiet_exec(struct index *ix, const char *sql)
{
	return sqlite3_exec(ix->db, sql, NULL, NULL, NULL);
}

/*
 * Open, check and if need be create.  Returns 0; 1 when the file is not a
 * usable index (not a database, corrupt, another version: rebuild it); or
 * -1 having reported an error that rebuilding would not cure.
 */
static int try_open(struct index *ix)
{
	int v, rc;

	/* one thread uses a connection: no mutex around every column read */
	rc = sqlite3_open_v2(ix->path, &ix->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(ix->db, 30000);
		rc = user_version(ix, &v) ? sqlite3_errcode(ix->db) : SQLITE_OK;
	}
	if (rc == SQLITE_OK && v == INDEX_VERSION) /* not quick_check: slow */
		rc = quiet_exec(ix, "SELECT count(*) FROM sqlite_schema");
	if (rc != SQLITE_OK) {
		if (content_error(rc))
			return 1;
		return index_sql_fail(ix, "cannot open");
	}
	if (v == INDEX_VERSION)
		return 0;
	if (v != 0) {
		warning("index '%s' has version %d, this secport uses %d: "
			"rebuilding it", ix->path, v, INDEX_VERSION);
		return 1;
	}
	if (quiet_exec(ix, "BEGIN") || quiet_exec(ix, schema) ||
	    quiet_exec(ix, "PRAGMA user_version = " STR(INDEX_VERSION)) ||
	    quiet_exec(ix, "COMMIT")) {
		rc = sqlite3_errcode(ix->db);
		if (content_error(rc))
			return 1;
		return index_sql_fail(ix, "cannot create");
	}
	return 0;
}

/* Delete the index file and its WAL companions. */
static int remove_index(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };

	for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
		struct strbuf p = STRBUF_INIT;
		int bad;

		strbuf_addf(&p, "%s%s", path, suffix[i]);
		bad = unlink(p.buf) < 0 && errno != ENOENT;
		if (bad)
			error("cannot remove '%s': %s", p.buf, strerror(errno));
		strbuf_release(&p);
		if (bad)
			return -1;
	}
	return 0;
}

int index_open(struct index *out, const char *path)
{
	int rc;

	out->path = xstrdup(path);
	out->db = NULL;
	out->nr_stmts = 0;
	rc = try_open(out);
	if (rc > 0) {
		sqlite3_close(out->db);
		out->db = NULL;
		warning("index '%s' is unusable: rebuilding it", path);
		if (remove_index(path))
			goto fail;
		rc = try_open(out);
		if (rc > 0)
			index_sql_fail(out, "cannot create");
	}
	if (rc || index_exec(out, "PRAGMA journal_mode = WAL"))
		goto fail;
	quiet_exec(out, "PRAGMA synchronous = NORMAL");
	/* a bulk first scan inserts millions of random-keyed rows */
	quiet_exec(out, "PRAGMA cache_size = -262144");
	quiet_exec(out, "PRAGMA foreign_keys = OFF");
	/*
	 * Reads from mapped pages instead of a pread per page: the graph
	 * blobs and the facts that every matrix, status and scan loads
	 * (2 of a 31 ms `secport matrix` on Xen).
	 */
	quiet_exec(out, "PRAGMA mmap_size = 2147418112");
	return 0;
fail:
	index_close(out);
	return -1;
}

int index_open_repo(struct index *out, const struct repo *r)
{
	char *path = repo_path(r, ".secport/index.sqlite");
	int ret = index_open(out, path);

	free(path);
	return ret;
}

void index_close(struct index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nr_stmts; i++)
		sqlite3_finalize(ix->stmts[i].st);
	ix->nr_stmts = 0;
	sqlite3_close(ix->db);
	ix->db = NULL;
	free(ix->path);
	ix->path = NULL;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_u32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff,
			       v >> 24 };

	strbuf_add(sb, b, sizeof(b));
}

/* Append one chunk's commits to g; -1 if its blobs do not add up. */
static int load_chunk(struct graph *g, size_t *alloc_p, uint32_t nr,
		      const unsigned char *oids, size_t oids_len,
		      const unsigned char *par, size_t par_len)
{
	size_t np = g->parent_start[g->nr], at = 0;

	if (oids_len != (size_t)nr * GIT_OID_RAWSZ)
		return -1;
	for (uint32_t i = 0; i < nr; i++, g->nr++) {
		uint32_t count;

		if (par_len - at < 4)
			return -1;
		count = get_u32(par + at);
		at += 4;
		if ((par_len - at) / 4 < count)
			return -1;
		memcpy(g->oids[g->nr].id, oids + (size_t)i * GIT_OID_RAWSZ,
		       GIT_OID_RAWSZ);
		ALLOC_GROW(g->parents, np + count + 1, *alloc_p);
		for (uint32_t k = 0; k < count; k++, at += 4)
			g->parents[np++] = get_u32(par + at);
		g->parent_start[g->nr + 1] = (uint32_t)np;
	}
	return at == par_len ? 0 : -1;
}

int index_load_graph(struct index *ix, struct graph *g)
{
	sqlite3_stmt *st = NULL;
	size_t alloc_p = 0;
	uint32_t total;
	int rc;

	memset(g, 0, sizeof(*g));
	if (index_next_number(ix, &total))
		return -1;
	g->oids = xmalloc(((size_t)total + 1) * sizeof(*g->oids));
	g->parent_start = xcalloc((size_t)total + 2, sizeof(uint32_t));
	if (sqlite3_prepare_v2(ix->db, "SELECT first, nr, oids, parents "
			       "FROM graph ORDER BY first", -1, &st, NULL)) {
		graph_release(g);
		return index_sql_fail(ix, "cannot read the graph");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t first = sqlite3_column_int64(st, 0);
		int64_t nr = sqlite3_column_int64(st, 1);

		if (first != g->nr || nr < 0 || nr > total - g->nr ||
		    load_chunk(g, &alloc_p, (uint32_t)nr,
			       sqlite3_column_blob(st, 2),
			       (size_t)sqlite3_column_bytes(st, 2),
			       sqlite3_column_blob(st, 3),
			       (size_t)sqlite3_column_bytes(st, 3)))
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW || (rc == SQLITE_DONE && g->nr != total)) {
		rc = error("index '%s' is inconsistent at commit %u; "
			   "delete it and scan again", ix->path, g->nr);
		graph_release(g);
		return rc;
	}
	if (rc != SQLITE_DONE) {
		graph_release(g);
		return index_sql_fail(ix, "cannot read the graph");
	}
	graph_finish(g);
	return 0;
}

/*
 * The statement for sql (a string literal: its address is the key),
 * prepared on first use and kept until index_close.  The queries a scan
 * asks once per advisory or per commit cost more to prepare than to run.
 * Finish with reuse().  NULL when it cannot be prepared.
 */
static sqlite3_stmt *cached(struct index *ix, const char *sql)
{
	struct index_stmt *s;

	for (size_t i = 0; i < ix->nr_stmts; i++)
		if (ix->stmts[i].sql == sql)
			return ix->stmts[i].st;
	if (ix->nr_stmts == ARRAY_SIZE(ix->stmts))
		die("BUG: index: more cached statements than room for");
	s = &ix->stmts[ix->nr_stmts];
	if (sqlite3_prepare_v3(ix->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &s->st, NULL))
		return NULL;
	s->sql = sql;
	ix->nr_stmts++;
	return s->st;
}

/* Ready a cached statement for its next use (and drop its bindings,
 * which may point at the caller's memory). */
static void reuse(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int index_referrers(struct index *ix, enum fact_kind kind,
		    const git_oid *target, git_oid **out, size_t *nr)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*nr = 0;
	if (!(st = cached(ix, "SELECT c.oid FROM facts f JOIN commits c "
			      "ON c.n = f.n WHERE f.kind = ? AND f.target = ? "
			      "ORDER BY c.n")))
		return index_sql_fail(ix, "cannot read facts");
	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_blob(st, 2, target->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*out, *nr + 1, alloc);
		memcpy((*out)[(*nr)++].id, sqlite3_column_blob(st, 0),
		       GIT_OID_RAWSZ);
	}
	reuse(st);
	if (rc != SQLITE_DONE)
		return index_sql_fail(ix, "cannot read facts");
	return 0;
}

/* Statements used while adding a batch, and its graph chunk. */
struct add_ctx {
	sqlite3_stmt *find, *commit, *fact, *chunk;
	uint32_t base; /* the number of the batch's first commit */
	uint32_t chunk_first, chunk_nr;
	struct strbuf oids, parents;
};

/* Commits in one row of the graph table at most (a 20 MiB blob of ids). */
#define GRAPH_CHUNK (1u << 20)

static int add_chunk(struct index *ix, struct add_ctx *a)
{
	int rc;

	if (!a->chunk_nr)
		return 0;
	sqlite3_bind_int64(a->chunk, 1, a->chunk_first);
	sqlite3_bind_int64(a->chunk, 2, a->chunk_nr);
	sqlite3_bind_blob(a->chunk, 3, a->oids.buf, (int)a->oids.len,
			  SQLITE_STATIC);
	sqlite3_bind_blob(a->chunk, 4, a->parents.buf, (int)a->parents.len,
			  SQLITE_STATIC);
	rc = sqlite3_step(a->chunk);
	sqlite3_reset(a->chunk);
	if (rc != SQLITE_DONE)
		return index_sql_fail(ix, "cannot add to the graph");
	a->chunk_first += a->chunk_nr;
	a->chunk_nr = 0;
	strbuf_reset(&a->oids);
	strbuf_reset(&a->parents);
	return 0;
}

/* The number of parent p of c: in the batch, or indexed before; -1 when
 * absent. */
static int64_t number_of(struct add_ctx *a, const struct hist_commit *c,
			 unsigned p)
{
	int64_t n = -1;

	if (c->parent_pos[p] != HIST_OUTSIDE)
		return a->base + (int64_t)c->parent_pos[p];
	if (!a->base) /* the index was empty */
		return -1;
	sqlite3_bind_blob(a->find, 1, c->parents[p].id, GIT_OID_RAWSZ,
			  SQLITE_STATIC);
	if (sqlite3_step(a->find) == SQLITE_ROW)
		n = sqlite3_column_int64(a->find, 0);
	sqlite3_reset(a->find);
	return n;
}

static int add_fact(struct index *ix, struct add_ctx *a, int64_t n,
		    enum fact_kind kind, const char *value,
		    const git_oid *target)
{
	sqlite3_bind_int64(a->fact, 1, n);
	sqlite3_bind_int(a->fact, 2, kind);
	sqlite3_bind_text(a->fact, 3, value, -1, SQLITE_STATIC);
	if (target)
		sqlite3_bind_blob(a->fact, 4, target->id, GIT_OID_RAWSZ,
				  SQLITE_STATIC);
	else
		sqlite3_bind_null(a->fact, 4);
	if (sqlite3_step(a->fact) != SQLITE_DONE) {
		sqlite3_reset(a->fact);
		return index_sql_fail(ix, "cannot add a fact");
	}
	sqlite3_reset(a->fact);
	return 0;
}

int index_next_number(struct index *ix, uint32_t *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(ix->db, "SELECT coalesce(max(n) + 1, 0) FROM commits",
			       -1, &st, NULL))
		return index_sql_fail(ix, "cannot read commits");
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : index_sql_fail(ix, "cannot read commits");
}

/* Commits from which a first batch builds its oid index at the end. */
#define BULK_COMMITS 10000

int index_add_history(struct index *ix, const struct history *h,
		      size_t *missing_parents)
{
	struct add_ctx a = { 0 };
	uint32_t *par = NULL;
	size_t par_alloc = 0;
	int bulk, ret = -1;

	*missing_parents = 0;
	if (index_next_number(ix, &a.base))
		return -1;
	a.chunk_first = a.base;
	strbuf_init(&a.oids, 0);
	strbuf_init(&a.parents, 0);
	if (sqlite3_prepare_v2(ix->db, "SELECT n FROM commits WHERE oid = ?",
			       -1, &a.find, NULL) ||
	    sqlite3_prepare_v2(ix->db,
			       "INSERT INTO commits(n, oid, missing, "
			       "author_time, subject) VALUES (?, ?, ?, ?, ?)",
			       -1, &a.commit, NULL) ||
	    sqlite3_prepare_v2(ix->db,
			       "INSERT INTO graph(first, nr, oids, parents) "
			       "VALUES (?, ?, ?, ?)", -1, &a.chunk, NULL) ||
	    sqlite3_prepare_v2(ix->db,
			       "INSERT INTO facts(n, kind, value, target) "
			       "VALUES (?, ?, ?, ?)", -1, &a.fact, NULL)) {
		index_sql_fail(ix, "cannot prepare");
		goto done;
	}
	/*
	 * A first scan of a big history: building the oid index once at the
	 * end (a sort) is faster than a million random inserts into it, and
	 * nothing reads it meanwhile (number_of: the index was empty).
	 */
	bulk = !a.base && h->nr >= BULK_COMMITS;
	if (bulk && index_exec(ix, "DROP INDEX commits_by_oid"))
		goto done;

	for (size_t i = 0; i < h->nr; i++) {
		const struct hist_commit *c = &h->commits[i];
		int64_t n = a.base + (int64_t)i;
		size_t np = 0, missing = 0;

		ALLOC_GROW(par, (size_t)c->nr_parents + 1, par_alloc);
		for (unsigned j = 0; j < c->nr_parents; j++) {
			int64_t p = number_of(&a, c, j);

			if (p < 0 || p >= n)
				missing++;
			else
				par[np++] = (uint32_t)p;
		}
		*missing_parents += missing;
		if (a.chunk_nr == GRAPH_CHUNK && add_chunk(ix, &a))
			goto done;
		strbuf_add(&a.oids, c->oid.id, GIT_OID_RAWSZ);
		put_u32(&a.parents, (uint32_t)np);
		for (size_t j = 0; j < np; j++)
			put_u32(&a.parents, par[j]);
		a.chunk_nr++;
		sqlite3_bind_int64(a.commit, 1, n);
		sqlite3_bind_blob(a.commit, 2, c->oid.id, GIT_OID_RAWSZ, SQLITE_STATIC);
		sqlite3_bind_int64(a.commit, 3, (int64_t)missing);
		sqlite3_bind_int64(a.commit, 4, c->author_time);
		sqlite3_bind_text(a.commit, 5, c->subject, -1, SQLITE_STATIC);
		if (sqlite3_step(a.commit) != SQLITE_DONE) {
			index_sql_fail(ix, "cannot add a commit");
			goto done;
		}
		sqlite3_reset(a.commit);
		for (size_t j = 0; j < c->nr_adv; j++)
			if (add_fact(ix, &a, n, FACT_ADVISORY, c->advisories[j],
				     NULL))
				goto done;
		for (size_t j = 0; j < c->nr_mention; j++)
			if (add_fact(ix, &a, n, FACT_MENTION, c->mentions[j],
				     NULL))
				goto done;
		for (size_t j = 0; j < c->nr_refs; j++)
			if (add_fact(ix, &a, n, c->refs[j].ref.kind,
				     c->refs[j].ref.hex,
				     c->refs[j].resolved ? &c->refs[j].target
							 : NULL))
				goto done;
	}
	if (add_chunk(ix, &a))
		goto done;
	if (bulk && index_exec(ix, "CREATE UNIQUE INDEX commits_by_oid ON "
			       "commits(oid)"))
		goto done;
	ret = 0;
done:
	sqlite3_finalize(a.find);
	sqlite3_finalize(a.commit);
	sqlite3_finalize(a.fact);
	sqlite3_finalize(a.chunk);
	strbuf_release(&a.oids);
	strbuf_release(&a.parents);
	free(par);
	return ret;
}

int index_set_ref(struct index *ix, const char *source, const char *name,
		  const git_oid *tip)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(ix->db,
			       "INSERT OR REPLACE INTO refs(source, name, tip) "
			       "VALUES (?, ?, ?)", -1, &st, NULL))
		return index_sql_fail(ix, "cannot prepare");
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, tip->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : index_sql_fail(ix, "cannot record a ref");
}

/* Run a one-blob-column query with an optional text parameter. */
static int oid_query(struct index *ix, const char *sql, const char *param,
		     git_oid **out, size_t *nr)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*nr = 0;
	if (!(st = cached(ix, sql)))
		return index_sql_fail(ix, "cannot prepare");
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != GIT_OID_RAWSZ)
			continue;
		ALLOC_GROW(*out, *nr + 1, alloc);
		memcpy((*out)[(*nr)++].id, sqlite3_column_blob(st, 0),
		       GIT_OID_RAWSZ);
	}
	reuse(st);
	return rc == SQLITE_DONE ? 0 : index_sql_fail(ix, "cannot query");
}

int index_mentions(struct index *ix, const char *id, git_oid **out, size_t *nr)
{
	if (oid_query(ix, "SELECT c.oid FROM facts f JOIN commits c "
			  "ON c.n = f.n WHERE f.kind = 1 AND f.value = ? "
			  "ORDER BY c.n", id, out, nr))
		return -1;
	if (*nr)
		return 0;
	free(*out);
	return oid_query(ix, "SELECT c.oid FROM facts f JOIN commits c "
			     "ON c.n = f.n WHERE f.kind = 5 AND f.value = ? "
			     "ORDER BY c.n", id, out, nr);
}

int index_commit_facts(struct index *ix, const git_oid *oid,
		       struct index_fact **out, size_t *nr)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*nr = 0;
	if (!(st = cached(ix, "SELECT f.kind, f.value, f.target FROM facts f "
			      "JOIN commits c ON c.n = f.n WHERE c.oid = ? "
			      "ORDER BY f.rowid")))
		return index_sql_fail(ix, "cannot prepare");
	sqlite3_bind_blob(st, 1, oid->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct index_fact *f;

		ALLOC_GROW(*out, *nr + 1, alloc);
		f = &(*out)[(*nr)++];
		f->kind = sqlite3_column_int(st, 0);
		f->value = xstrdup((const char *)sqlite3_column_text(st, 1));
		f->resolved = sqlite3_column_bytes(st, 2) == GIT_OID_RAWSZ;
		if (f->resolved)
			memcpy(f->target.id, sqlite3_column_blob(st, 2),
			       GIT_OID_RAWSZ);
	}
	reuse(st);
	return rc == SQLITE_DONE ? 0 : index_sql_fail(ix, "cannot query");
}

void index_facts_free(struct index_fact *f, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(f[i].value);
	free(f);
}

int index_commit_info(struct index *ix, const git_oid *oid, int64_t *n_out,
		      char **subject_out)
{
	sqlite3_stmt *st;
	int rc;

	*n_out = -1;
	if (subject_out)
		*subject_out = NULL;
	if (!(st = cached(ix, "SELECT n, subject FROM commits WHERE oid = ?")))
		return index_sql_fail(ix, "cannot prepare");
	sqlite3_bind_blob(st, 1, oid->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n_out = sqlite3_column_int64(st, 0);
		if (subject_out)
			*subject_out = xstrdup(
				(const char *)sqlite3_column_text(st, 1));
	}
	reuse(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? 0
		       : index_sql_fail(ix, "cannot query");
}

int index_advisory_ids(struct index *ix, int64_t from_n, struct strlist *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(ix->db,
			       "SELECT DISTINCT value FROM facts WHERE kind = 1 "
			       "AND n >= ?1 UNION SELECT DISTINCT m.value FROM "
			       "facts m WHERE m.kind = 5 AND m.n >= ?1 AND NOT "
			       "EXISTS (SELECT 1 FROM facts s WHERE s.kind = 1 "
			       "AND s.value = m.value) UNION SELECT DISTINCT a.value FROM "
			       "facts r JOIN commits c ON c.oid = r.target "
			       "JOIN facts a ON a.n = c.n AND a.kind = 1 "
			       "WHERE r.kind IN (3, 4) AND r.n >= ?1 ORDER BY 1",
			       -1, &st, NULL))
		return index_sql_fail(ix, "cannot prepare");
	sqlite3_bind_int64(st, 1, from_n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strlist_add(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : index_sql_fail(ix, "cannot query");
}

/* The text column of the cached query sql, bound to id, added to out. */
static int text_query(struct index *ix, const char *sql, const char *id,
		      struct strlist *out)
{
	sqlite3_stmt *st;
	int rc;

	if (!(st = cached(ix, sql)))
		return index_sql_fail(ix, "cannot prepare");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strlist_add(out, (const char *)sqlite3_column_text(st, 0));
	reuse(st);
	return rc == SQLITE_DONE ? 0 : index_sql_fail(ix, "cannot query");
}

int index_costated(struct index *ix, const char *id, struct strlist *out)
{
	return text_query(ix, "SELECT DISTINCT b.value FROM facts a JOIN facts b "
			      "ON b.n = a.n AND b.kind = 1 WHERE a.kind = 1 AND "
			      "a.value = ? AND b.value <> a.value "
			      "ORDER BY length(b.value), b.value", id, out);
}

int index_comentioned(struct index *ix, const char *id, struct strlist *out)
{
	return text_query(ix, "SELECT DISTINCT b.value FROM facts a JOIN facts b "
			      "ON b.n = a.n AND b.kind IN (1, 5) WHERE a.kind = 5 "
			      "AND a.value = ? AND b.value <> a.value "
			      "ORDER BY b.value", id, out);
}

int index_states(struct index *ix, const char *id)
{
	sqlite3_stmt *st;
	int rc;

	if (!(st = cached(ix, "SELECT 1 FROM facts WHERE kind = 1 AND value = ? "
			      "LIMIT 1")))
		return index_sql_fail(ix, "cannot prepare");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	reuse(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return index_sql_fail(ix, "cannot query");
	return rc == SQLITE_ROW;
}

int index_list_refs(struct index *ix, const char *source, const char *prefix,
		    struct strlist *names, git_oid **tips)
{
	sqlite3_stmt *st;
	size_t alloc = 0, n0 = names->nr;
	int rc;

	*tips = NULL;
	if (sqlite3_prepare_v2(ix->db,
			       "SELECT name, tip FROM refs WHERE (?1 IS NULL OR "
			       "source = ?1) AND substr(name, 1, length(?2)) = ?2 "
			       "ORDER BY name", -1, &st, NULL))
		return index_sql_fail(ix, "cannot prepare");
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, prefix ? prefix : "", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 1) != GIT_OID_RAWSZ)
			continue;
		ALLOC_GROW(*tips, names->nr - n0 + 1, alloc);
		memcpy((*tips)[names->nr - n0].id, sqlite3_column_blob(st, 1),
		       GIT_OID_RAWSZ);
		strlist_add(names, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : index_sql_fail(ix, "cannot query");
}

int index_has_commit(struct index *ix, const git_oid *oid)
{
	int found;

	sqlite3_stmt *st = cached(ix, "SELECT 1 FROM commits WHERE oid = ?");

	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, oid->id, GIT_OID_RAWSZ, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	reuse(st);
	return found;
}

int index_referrers_all(struct index *ix, struct index_ref **out, size_t *nr)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*nr = 0;
	if (sqlite3_prepare_v2(ix->db,
			       "SELECT kind, target, n FROM facts "
			       "WHERE kind IN (?1, ?2) AND target IS NOT NULL",
			       -1, &st, NULL))
		return index_sql_fail(ix, "cannot read facts");
	sqlite3_bind_int(st, 1, FACT_BACKPORT);
	sqlite3_bind_int(st, 2, FACT_REVERT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct index_ref *r;

		if (sqlite3_column_bytes(st, 1) != GIT_OID_RAWSZ)
			continue;
		ALLOC_GROW(*out, *nr + 1, alloc);
		r = &(*out)[(*nr)++];
		r->kind = sqlite3_column_int(st, 0);
		memcpy(r->target.id, sqlite3_column_blob(st, 1), GIT_OID_RAWSZ);
		r->n = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : index_sql_fail(ix, "cannot read facts");
}

int index_dangling(struct index *ix, int64_t from_n, struct strlist *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(ix->db,
			       "SELECT hex(c.oid), f.value FROM facts f "
			       "JOIN commits c ON c.n = f.n WHERE f.kind = ?1 "
			       "AND f.n >= ?2 AND (f.target IS NULL OR NOT "
			       "EXISTS (SELECT 1 FROM commits t WHERE t.oid = "
			       "f.target)) ORDER BY f.n, f.rowid", -1, &st, NULL))
		return index_sql_fail(ix, "cannot read facts");
	sqlite3_bind_int(st, 1, FACT_BACKPORT);
	sqlite3_bind_int64(st, 2, from_n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s %s", sqlite3_column_text(st, 0),
			    sqlite3_column_text(st, 1));
		for (char *p = sb.buf; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		strlist_add(out, sb.buf);
		strbuf_release(&sb);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : index_sql_fail(ix, "cannot read facts");
}
