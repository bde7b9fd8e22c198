#include "scan.h"
#include "gitutil.h"
#include "advisory.h"
#include "affected.h"
#include "history.h"
#include "mbox.h"
#include "reach.h"
#include "strbuf.h"
#include "usage.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int scan_resolve_source(struct repo *repo, const char *arg, char **out)
{
	struct strlist names = STRLIST_INIT;
	struct strbuf key = STRBUF_INIT, name = STRBUF_INIT;
	char abs[PATH_MAX];
	size_t base;
	char *p;
	int ret = -1;

	*out = NULL;
	if (repo_sources(repo, &names))
		return -1;
	if (!arg) {
		if (names.nr == 1)
			*out = xstrdup(names.items[0]);
		else
			error(names.nr ? "several sources configured: name one"
				       : "no source configured: give the path "
					 "of a git repository");
		ret = *out ? 0 : -1;
		goto done;
	}
	for (size_t i = 0; i < names.nr; i++)
		if (!strcmp(names.items[i], arg)) {
			*out = xstrdup(arg);
			ret = 0;
			goto done;
		}
	if (!realpath(arg, abs)) {
		error("'%s' is neither a configured source nor a directory", arg);
		goto done;
	}
	{
		git_repository *git = NULL;

		if (git_repository_open_ext(&git, abs,
					    GIT_REPOSITORY_OPEN_NO_SEARCH,
					    NULL) < 0) {
			error("'%s' is not a git repository", arg);
			goto done;
		}
		git_repository_free(git);
	}
	/* a path: reuse the source that has it, or add one named after it */
	for (size_t i = 0; i < names.nr; i++) {
		char *path = repo_source_path(repo, names.items[i]);
		int same = path && !strcmp(path, abs);

		free(path);
		if (same) {
			*out = xstrdup(names.items[i]);
			ret = 0;
			goto done;
		}
	}
	p = strrchr(abs, '/');
	strbuf_addstr(&name, p && p[1] ? p + 1 : "upstream");
	if (name.len > 4 && !strcmp(name.buf + name.len - 4, ".git"))
		strbuf_setlen(&name, name.len - 4);
	for (char *c = name.buf; *c; c++)
		if (*c == '"' || *c == '\\' || *c == '.' || *c == ' ')
			*c = '-';
	base = name.len;
	for (int n = 2;; n++) {
		char *taken = repo_source_path(repo, name.buf);

		if (!taken)
			break;
		free(taken);
		strbuf_setlen(&name, base);
		strbuf_addf(&name, "-%d", n);
	}
	strbuf_addf(&key, "source.%s.path", name.buf);
	if (git_config_set_string(repo->cfg, key.buf, abs) < 0) {
		gitutil_fail("cannot write secport.conf key", key.buf);
		goto done;
	}
	*out = strbuf_detach(&name, NULL);
	ret = 0;
done:
	strlist_clear(&names);
	strbuf_release(&key);
	strbuf_release(&name);
	return ret;
}

struct tip {
	char *name;
	git_oid oid;
};

struct tips {
	struct tip *items;
	size_t nr, alloc;
};

static void tips_add(struct tips *t, const char *name, const git_oid *oid)
{
	ALLOC_GROW(t->items, t->nr + 1, t->alloc);
	t->items[t->nr].name = xstrdup(name);
	t->items[t->nr++].oid = *oid;
}

static void tips_clear(struct tips *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->items[i].name);
	free(t->items);
	memset(t, 0, sizeof(*t));
}

static int peel_commit(git_repository *git, const char *spec, git_oid *out)
{
	git_object *obj = NULL, *peeled = NULL;
	int ret = -1;

	if (git_revparse_single(&obj, git, spec) < 0)
		return -1;
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		*out = *git_object_id(peeled);
		ret = 0;
	}
	git_object_free(obj);
	git_object_free(peeled);
	return ret;
}

static int list_tips(git_repository *git, const struct scan_options *o,
		     const char *path, struct tips *out)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	git_oid oid;

	if (o->nr_revs) {
		for (size_t i = 0; i < o->nr_revs; i++) {
			if (peel_commit(git, o->revs[i], &oid) < 0)
				return error("'%s' is not a commit in '%s'",
					     o->revs[i], path);
			tips_add(out, o->revs[i], &oid);
		}
		return 0;
	}
	if (git_reference_iterator_new(&it, git) < 0)
		return gitutil_fail("cannot list the refs of", path);
	while (git_reference_next(&ref, it) == 0) {
		const char *name = git_reference_name(ref);
		git_object *obj = NULL;

		/* replacement objects and notes are not the project's history */
		if (!strncmp(name, "refs/replace/", 13) ||
		    !strncmp(name, "refs/notes/", 11) ||
		    !strcmp(name, "refs/stash")) {
			git_reference_free(ref);
			continue;
		}

		/* peel tags; a tag of a tree or a blob is no history */
		if (!git_reference_peel(&obj, ref, GIT_OBJECT_ANY)) {
			if (git_object_type(obj) == GIT_OBJECT_COMMIT)
				tips_add(out, name, git_object_id(obj));
		} else {
			const git_oid *t = git_reference_target(ref);
			const git_error *e = git_error_last();
			char hex[GIT_OID_HEXSZ + 1] = "?";

			if (t)
				git_oid_tostr(hex, sizeof(hex), t);
			error("cannot read object '%s' of ref '%s' in '%s': %s",
			      hex, name, path, e ? e->message : "unknown error");
			git_reference_free(ref);
			git_reference_iterator_free(it);
			return -1;
		}
		git_object_free(obj);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (peel_commit(git, "HEAD", &oid) == 0)
		tips_add(out, "HEAD", &oid);
	return 0;
}

static int has_name(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

/*
 * Branch containment: which configured branches hold each commit.  The
 * branches are the local ones and, in a clone, the remote-tracking ones
 * (named without their remote) matching source.<name>.branch; the source's
 * HEAD comes last, as its main line (not listed as a branch).
 */
static int load_branches(git_repository *git, struct repo *repo,
			 const char *source, const struct graph *g,
			 struct reach_result *res, struct strlist *names,
			 int *has_mainline)
{
	static const char *const globs_of_refs[] = { "refs/heads/*",
						     "refs/remotes/*" };
	struct strlist globs = STRLIST_INIT;
	struct strbuf key = STRBUF_INIT;
	uint32_t *at = NULL;
	size_t alloc = 0;
	git_oid oid;
	uint32_t n;
	int ret = -1;

	strbuf_addf(&key, "source.%s.branch", source);
	if (repo_config_multivar(repo, key.buf, &globs))
		goto done;
	if (!globs.nr) {
		strlist_add(&globs, "stable*");
		strlist_add(&globs, "linux-*");
		strlist_add(&globs, "*.y");
	}
	for (size_t k = 0; k < ARRAY_SIZE(globs_of_refs); k++) {
		git_reference_iterator *it = NULL;
		git_reference *ref;

		if (git_reference_iterator_glob_new(&it, git, globs_of_refs[k]) < 0) {
			gitutil_fail("cannot list the branches of", source);
			goto done;
		}
		while (git_reference_next(&ref, it) == 0) {
			const char *name = git_reference_shorthand(ref);
			int match = 0;

			if (k == 1) { /* "origin/stable-4.17" -> "stable-4.17" */
				const char *slash = strchr(name, '/');

				name = slash ? slash + 1 : name;
			}
			for (size_t i = 0; i < globs.nr && !match; i++)
				match = !fnmatch(globs.items[i], name, 0);
			if (match && !has_name(names, name) &&
			    !peel_commit(git, git_reference_name(ref), &oid) &&
			    (n = graph_find(g, &oid)) != GRAPH_NONE) {
				ALLOC_GROW(at, names->nr + 1, alloc);
				at[names->nr] = n;
				strlist_add(names, name);
			}
			git_reference_free(ref);
		}
		git_reference_iterator_free(it);
	}
	*has_mainline = !peel_commit(git, "HEAD", &oid) &&
			(n = graph_find(g, &oid)) != GRAPH_NONE;
	if (*has_mainline) {
		ALLOC_GROW(at, names->nr + 1, alloc);
		at[names->nr] = n;
	}
	ret = reach_contained(res, g, at, names->nr + (size_t)*has_mainline);
done:
	free(at);
	strlist_clear(&globs);
	strbuf_release(&key);
	return ret;
}

/* Needed-For and Fixed-In of ids (NULL: every advisory), into the held
 * records or the files of the others; g, when loaded already, is taken
 * over. */
static int annotate(struct repo *repo, struct index *ix,
		    const struct strlist *ids, struct graph *g,
		    struct advisory_batch *held, struct scan_stats *st)
{
	struct affected a = AFFECTED_INIT;
	size_t changed = 0;
	int ret;

	if (ids && !ids->nr)
		return 0;
	if (affected_load_graph(&a, repo, ix, g && g->nr ? g : NULL, held,
				ids ? ids->items : NULL, ids ? ids->nr : 0))
		return -1;
	ret = affected_write(&a, repo, held, &changed);
	affected_release(&a);
	st->annotated = changed;
	trace("scan: %zu records annotated", changed);
	return ret;
}

/* A commit that names an advisory and is no backport or revert. */
static int may_fix(const struct hist_commit *c)
{
	for (size_t r = 0; r < c->nr_refs; r++)
		if (c->refs[r].ref.kind == FACT_BACKPORT ||
		    c->refs[r].ref.kind == FACT_REVERT)
			return 0;
	return c->nr_adv > 0;
}

/*
 * The new commits likely to be fixes, to diff ahead (mbox.h): those that
 * state an advisory, are no backport or revert, and are reachable from
 * the source's HEAD, where advisory_update takes fixes from.  On Xen: 757
 * commits, of which 756 are fixes, out of 815 fixes.
 */
static git_oid *likely_fixes(const struct history *h, git_repository *git,
			     size_t *nr)
{
	unsigned char *on_head;
	git_oid head, *out;
	size_t stating = 0;

	*nr = 0;
	for (size_t k = 0; k < h->nr && !stating; k++)
		stating = h->commits[k].nr_adv;
	if (!stating || peel_commit(git, "HEAD", &head))
		return NULL;
	on_head = xcalloc(h->nr + 1, 1);
	/* h is parents first: children first, one pass marks the ancestors */
	for (size_t k = h->nr; k-- > 0;) {
		const struct hist_commit *c = &h->commits[k];

		if (!on_head[k] && !git_oid_equal(&c->oid, &head))
			continue;
		on_head[k] = 1;
		for (unsigned p = 0; p < c->nr_parents; p++)
			if (c->parent_pos[p] != HIST_OUTSIDE)
				on_head[c->parent_pos[p]] = 1;
	}
	out = xmalloc((h->nr + 1) * sizeof(*out));
	for (size_t k = 0; k < h->nr; k++)
		if (on_head[k] && may_fix(&h->commits[k]))
			out[(*nr)++] = h->commits[k].oid;
	free(on_head);
	return out;
}

/* The walk parsed c: diff it ahead if it may be a fix. */
static void diff_ahead(const struct hist_commit *c, void *ahead)
{
	if (may_fix(c))
		mbox_ahead_add(ahead, &c->oid);
}

/* Which records get Needed-For and Fixed-In written after an update. */
enum annotate_what {
	ANNOTATE_NONE,
	ANNOTATE_UPDATED, /* the records the update touched */
	ANNOTATE_ALL,	  /* every record: the releases changed */
};

/*
 * Update the records of ids in memory, annotate them (and, per what, the
 * others), then write each record file once.  Meanwhile threads write the
 * patches of each advisory as soon as its record is updated: a first scan
 * is mostly diffing fix commits.
 */
static int update_advisories(struct repo *repo, struct index *ix,
			     git_repository *git, const char *source,
			     const struct strlist *ids, enum annotate_what what,
			     struct mbox_ahead *ahead, struct scan_stats *st)
{
	struct reach_result br = REACH_RESULT_INIT;
	struct strlist branches = STRLIST_INIT, prim = STRLIST_INIT;
	struct strlist updated = STRLIST_INIT;
	struct graph g = GRAPH_INIT;
	struct advisory_ctx ctx = { 0 };
	int mainline = 0;
	int ret = -1;

	if (!ids->nr)
		goto annotate;
	if (index_load_graph(ix, &g) ||
	    load_branches(git, repo, source, &g, &br, &branches, &mainline))
		goto done;
	trace("scan: graph and branches loaded");
	ctx.repo = repo;
	ctx.ix = ix;
	ctx.git = git;
	ctx.graph = &g;
	ctx.branches = &br;
	ctx.branch_names = branches.items;
	ctx.nr_branches = branches.nr;
	ctx.mainline = mainline ? branches.nr : SIZE_MAX;
	ctx.ahead = ahead;

	/* each id's primary (CVE ids stated beside an XSA are its aliases) */
	for (size_t i = 0; i < ids->nr; i++) {
		char *p;

		if (advisory_primary(&ctx, ids->items[i], &p))
			goto done;
		/* never deleted: it may hold hand edits */
		if (strcmp(p, ids->items[i]) && advisory_exists(repo, ids->items[i]))
			warning("'%s' is now an alias of %s: merge what its "
				"record adds into advisories/%s/record and remove "
				"advisories/%s", ids->items[i], p, p,
				ids->items[i]);
		strlist_add(&prim, p);
		free(p);
	}
	/* a record with a syntax error stops the scan before any is written */
	for (size_t i = 0; i < prim.nr; i++)
		if (advisory_check(repo, prim.items[i]))
			goto done;
	/* the patch writers and this thread fail together on a full disk */
	usage_first_error_only(1);
	advisory_start_patches(&ctx, git_repository_path(git),
			       (int)sysconf(_SC_NPROCESSORS_ONLN));
	for (size_t i = 0; i < ids->nr; i++) {
		struct strlist aliases = STRLIST_INIT;
		int seen = 0, rc;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(prim.items[j], prim.items[i]);
		if (seen)
			continue;
		for (size_t j = i; j < ids->nr; j++)
			if (!strcmp(prim.items[j], prim.items[i]) &&
			    strcmp(ids->items[j], prim.items[i]))
				strlist_add(&aliases, ids->items[j]);
		rc = advisory_update(&ctx, prim.items[i], aliases.items,
				     aliases.nr);
		strlist_clear(&aliases);
		if (rc)
			goto done;
		strlist_add(&updated, prim.items[i]);
		st->advisories++;
	}
	trace("scan: %zu records updated", updated.nr);
annotate:
	if (what != ANNOTATE_NONE &&
	    annotate(repo, ix, what == ANNOTATE_ALL ? NULL : &updated, &g,
		     &ctx.records, st))
		goto done;
	if (advisory_batch_write(&ctx.records, &st->written))
		goto done;
	trace("scan: %zu records written", st->written);
	ret = 0;
done:
	if (advisory_finish_patches(&ctx))
		ret = -1;
	usage_first_error_only(0);
	trace("scan: patches written");
	st->patches_written = ctx.patches_written;
	advisory_ctx_release(&ctx);
	reach_result_release(&br);
	strlist_clear(&branches);
	strlist_clear(&prim);
	strlist_clear(&updated);
	graph_release(&g);
	return ret;
}

/* Do the tags of tips differ from the tags scanned before? */
static int tags_differ(struct index *ix, const char *source,
		      const struct tips *tips, int *out)
{
	struct strlist names = STRLIST_INIT;
	git_oid *old = NULL;
	size_t nr = 0;

	if (index_list_refs(ix, source, "refs/tags/", &names, &old))
		return -1;
	*out = 0;
	for (size_t i = 0; i < tips->nr; i++) {
		const char *name = tips->items[i].name;
		int same = 0;

		if (strncmp(name, "refs/tags/", 10))
			continue;
		nr++;
		for (size_t k = 0; k < names.nr && !same; k++)
			same = !strcmp(names.items[k], name) &&
			       git_oid_equal(&old[k], &tips->items[i].oid);
		if (!same)
			*out = 1;
	}
	if (nr != names.nr)
		*out = 1;
	strlist_clear(&names);
	free(old);
	return 0;
}

static int known(const git_oid *oid, void *ix)
{
	return index_has_commit(ix, oid);
}

int scan_run(struct repo *repo, struct index *ix, const struct scan_options *o,
	     struct scan_stats *st)
{
	struct history_options ho = { 0 };
	struct history h = { 0 };
	struct trailer_rules rules = TRAILER_RULES_INIT;
	struct strlist adv = STRLIST_INIT, bp = STRLIST_INIT, ids = STRLIST_INIT;
	enum annotate_what what;
	struct mbox_ahead *ahead = NULL;
	git_oid *fixes = NULL;
	size_t nr_fixes = 0;
	int tags_changed;
	struct tips tips = { 0 };
	git_repository *git = NULL;
	git_oid *tip_oids = NULL;
	uint32_t from_n = 0;
	char *path = repo_source_path(repo, o->source);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = cpus > 2 ? (int)cpus - 1 : 1; /* diffing ahead */
	int ret = -1;

	memset(st, 0, sizeof(*st));
	if (!path) {
		error("source '%s' has no path in secport.conf", o->source);
		goto done;
	}
	if (git_repository_open_ext(&git, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0) {
		error("'%s' is not a git repository", path);
		goto done;
	}
	st->shallow = git_repository_is_shallow(git) == 1;
	if (repo_config_multivar(repo, "advisory.pattern", &adv) ||
	    repo_config_multivar(repo, "trailer.backport", &bp) ||
	    trailer_rules_init(&rules, adv.items, adv.nr, bp.items, bp.nr))
		goto done;
	if (list_tips(git, o, path, &tips))
		goto done;
	tip_oids = xmalloc((tips.nr + 1) * sizeof(*tip_oids));
	for (size_t i = 0; i < tips.nr; i++)
		tip_oids[i] = tips.items[i].oid;
	if (index_next_number(ix, &from_n))
		goto done;
	ho.repo_path = git_repository_path(git);
	ho.rules = &rules;
	ho.tips = tip_oids;
	ho.nr_tips = tips.nr;
	if (from_n) { /* an empty index knows no commit: skip the lookups */
		ho.known = known;
		ho.known_payload = ix;
	}
	ho.progress = o->progress;
	/*
	 * A first scan is mostly diffing fix commits: a core that would idle
	 * while the walk reads commits one by one (no commit-graph), and
	 * then while the index and records are updated, diffs them instead.
	 */
	if (!from_n) {
		ahead = mbox_ahead_open(git_repository_path(git), threads);
		ho.parsed = diff_ahead;
		ho.parsed_payload = ahead;
	}
	trace("scan: walking");
	if (history_walk(&h, &ho))
		goto done;
	st->new_commits = h.nr;
	st->truncated = h.truncated;

	trace("scan: walked %zu commits", h.nr);
	fixes = likely_fixes(&h, git, &nr_fixes);
	if (ahead)
		mbox_ahead_close(ahead, fixes, nr_fixes);
	else if (nr_fixes)
		ahead = mbox_ahead_start(git_repository_path(git), fixes,
					 nr_fixes, threads);
	/*
	 * One transaction for the new commits and the records they change:
	 * when a record cannot be updated (a syntax error in a hand edit),
	 * the index forgets the batch too, so the next scan retries it.
	 */
	if (tags_differ(ix, o->source, &tips, &tags_changed) ||
	    index_exec(ix, "BEGIN IMMEDIATE"))
		goto done;
	if (index_add_history(ix, &h, &st->missing_parents))
		goto rollback;
	for (size_t i = 0; i < tips.nr; i++)
		if (index_set_ref(ix, o->source, tips.items[i].name,
				  &tips.items[i].oid))
			goto rollback;
	trace("scan: indexed");
	history_release(&h);
	if (index_advisory_ids(ix, o->rewrite_all ? 0 : from_n, &ids) ||
	    index_dangling(ix, from_n, &st->dangling))
		goto rollback;
	if (o->rewrite_all && advisory_list(repo, &ids))
		goto rollback;
	/* releases changed: every record's Needed-For; else the touched ones */
	what = !st->new_commits && !o->rewrite_all ? ANNOTATE_NONE :
	       tags_changed || o->rewrite_all ? ANNOTATE_ALL : ANNOTATE_UPDATED;
	if (update_advisories(repo, ix, git, o->source, &ids, what, ahead, st))
		goto rollback;
	if (index_exec(ix, "COMMIT"))
		goto rollback;
	trace("scan: committed");
	ret = 0;
	goto done;
rollback:
	/* a failed COMMIT may have rolled back already */
	if (!sqlite3_get_autocommit(ix->db))
		index_exec(ix, "ROLLBACK");
done:
	mbox_ahead_finish(ahead);
	free(fixes);
	history_release(&h);
	trailer_rules_release(&rules);
	strlist_clear(&adv);
	strlist_clear(&bp);
	strlist_clear(&ids);
	tips_clear(&tips);
	free(tip_oids);
	free(path);
	git_repository_free(git);
	return ret;
}

int scan_update(struct repo *repo, struct index *ix, const char *source,
		const struct strlist *ids, struct scan_stats *st)
{
	git_repository *git = NULL;
	char *path = repo_source_path(repo, source);
	int ret;

	memset(st, 0, sizeof(*st));
	if (!path || git_repository_open_ext(&git, path,
					     GIT_REPOSITORY_OPEN_NO_SEARCH,
					     NULL) < 0) {
		ret = error("source '%s': '%s' is not a git repository", source,
			    path ? path : "(no path)");
		free(path);
		return ret;
	}
	ret = update_advisories(repo, ix, git, source, ids, ANNOTATE_UPDATED,
				NULL, st);
	git_repository_free(git);
	free(path);
	return ret;
}
