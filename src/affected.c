/*
 * affected: per-advisory inputs for the reachability engine, verdicts for
 * every advisory and release, and the Needed-For / Fixed-In fields.  See
 * affected.h for the inputs and costs.
 */
#include "affected.h"
#include "advisory.h"
#include "fileio.h"
#include "record.h"
#include "trailers.h"
#include "usage.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Bounds on what one record can make us follow: chains of backports of
 * backports, and reverts of reverts, are short in real histories. */
#define MAX_ALTS 1024
#define MAX_REVERT_DEPTH 8

/* ---- references ---------------------------------------------------------- */

/* A backport or revert reference: referrer's message names target. */
struct ref_fact {
	git_oid target;
	uint32_t referrer;
	int kind; /* FACT_BACKPORT or FACT_REVERT */
};

struct ref_facts {
	struct ref_fact *items;
	size_t nr, alloc;
};

static int ref_cmp(const void *va, const void *vb)
{
	const struct ref_fact *a = va, *b = vb;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	c = git_oid_cmp(&a->target, &b->target);
	if (c)
		return c;
	return a->referrer < b->referrer ? -1 : a->referrer > b->referrer;
}

/* Every resolved backport and revert reference, sorted for refs_of(). */
static int load_refs(struct index *ix, const struct graph *g,
		     struct ref_facts *out)
{
	struct index_ref *r = NULL;
	size_t nr = 0;

	if (index_referrers_all(ix, &r, &nr))
		return -1;
	for (size_t i = 0; i < nr; i++) {
		struct ref_fact *f;

		if (r[i].n < 0 || r[i].n >= g->nr)
			continue;
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		f = &out->items[out->nr++];
		f->kind = r[i].kind;
		f->target = r[i].target;
		f->referrer = (uint32_t)r[i].n;
	}
	free(r);
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), ref_cmp);
	return 0;
}

/* The references of kind naming target: *nr entries from the result. */
static const struct ref_fact *refs_of(const struct ref_facts *refs, int kind,
				      const git_oid *target, size_t *nr)
{
	size_t lo = 0, hi = refs->nr, end;

	while (lo < hi) { /* first entry >= (kind, target) */
		size_t mid = lo + (hi - lo) / 2;
		const struct ref_fact *f = &refs->items[mid];
		int c = f->kind != kind ? (f->kind < kind ? -1 : 1)
					: git_oid_cmp(&f->target, target);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < refs->nr && refs->items[end].kind == kind &&
		       !git_oid_cmp(&refs->items[end].target, target);
	     end++)
		;
	*nr = end - lo;
	return refs->items + lo;
}

/* ---- building one advisory ----------------------------------------------- */

static int change_has(const struct affected_change *c, uint32_t n)
{
	for (size_t i = 0; i < c->nr; i++)
		if (c->commits[i] == n)
			return 1;
	return 0;
}

static void change_add(struct affected_change *c, uint32_t n, int evidence)
{
	if (c->nr && (n == GRAPH_NONE || change_has(c, n)))
		return;
	if (c->nr >= MAX_ALTS)
		return;
	ALLOC_GROW(c->commits, c->nr + 1, c->alloc);
	c->evidence = xrealloc(c->evidence, c->alloc);
	c->commits[c->nr] = n;
	c->evidence[c->nr++] = (unsigned char)evidence;
}

/* Add the backports of commits[from..] (and of the ones added) to c. */
static void add_backports(struct affected_change *c, const struct graph *g,
			  const struct ref_facts *refs, size_t from)
{
	for (size_t i = from; i < c->nr; i++) {
		const git_oid *t = c->commits[i] == GRAPH_NONE
					   ? &c->named
					   : &g->oids[c->commits[i]];
		size_t nr;
		const struct ref_fact *f =
		    refs_of(refs, FACT_BACKPORT, t, &nr);

		for (size_t k = 0; k < nr; k++)
			change_add(c, f[k].referrer, AFFECTED_BACKPORT);
	}
}

static void change_clear(struct affected_change *c)
{
	free(c->commits);
	free(c->evidence);
}

static void add_revert(struct affected_advisory *adv, uint32_t revert,
		       uint32_t target)
{
	for (size_t i = 0; i < adv->nr_reverts; i++)
		if (adv->reverts[i].revert == revert &&
		    adv->reverts[i].target == target)
			return;
	ALLOC_GROW(adv->reverts, adv->nr_reverts + 1, adv->alloc_reverts);
	adv->reverts[adv->nr_reverts].revert = revert;
	adv->reverts[adv->nr_reverts++].target = target;
}

/* Reverts of c, reverts of those, ... up to MAX_REVERT_DEPTH. */
static void add_reverts(struct affected_advisory *adv, const struct graph *g,
			const struct ref_facts *refs, uint32_t c, int depth)
{
	size_t nr;
	const struct ref_fact *f;

	if (c == GRAPH_NONE || depth >= MAX_REVERT_DEPTH)
		return;
	f = refs_of(refs, FACT_REVERT, &g->oids[c], &nr);
	for (size_t k = 0; k < nr; k++) {
		if (f[k].referrer == c)
			continue;
		add_revert(adv, f[k].referrer, c);
		add_reverts(adv, g, refs, f[k].referrer, depth + 1);
	}
}

static int parse_oid(git_oid *out, const char *w)
{
	return strlen(w) == GIT_OID_HEXSZ && !git_oid_fromstr(out, w) ? 0 : -1;
}

/* One change per commit id of value. */
static void read_changes(struct affected_advisory *adv,
			 struct affected_change **out, size_t *nr,
			 const char *value, const struct graph *g,
			 const struct ref_facts *refs)
{
	char **w;
	size_t nw;

	record_words(value, &w, &nw);
	*out = xcalloc(nw ? nw : 1, sizeof(**out));
	*nr = 0;
	for (size_t k = 0; k < nw; k++) {
		struct affected_change *c = &(*out)[*nr];
		git_oid oid;
		int dup = 0;

		if (!strcasecmp(w[k], "unknown"))
			continue;
		if (parse_oid(&oid, w[k])) {
			adv->bad_ids++;
			continue;
		}
		for (size_t j = 0; j < *nr; j++)
			dup |= !git_oid_cmp(&(*out)[j].named, &oid);
		if (dup)
			continue;
		c->named = oid;
		change_add(c, graph_find(g, &oid), AFFECTED_ANCESTRY);
		if (c->commits[0] == GRAPH_NONE)
			adv->unindexed++;
		add_backports(c, g, refs, 0);
		(*nr)++;
	}
	record_words_free(w, nw);
}

/* The record's Backports lines: "<branch> <backport> <upstream>". */
static void read_record_backports(struct affected_advisory *adv,
				  const char *value, const struct graph *g,
				  const struct ref_facts *refs)
{
	const char *p = value;

	while (p && *p) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		char **w;
		size_t nw;
		git_oid bp, up;

		record_words(line, &w, &nw);
		if (nw >= 3 && !parse_oid(&bp, w[1]) && !parse_oid(&up, w[2])) {
			uint32_t b = graph_find(g, &bp);

			for (size_t i = 0; i < adv->nr_fix; i++) {
				struct affected_change *c = &adv->fix[i];
				size_t from = c->nr;

				if (git_oid_cmp(&c->named, &up))
					continue;
				if (b == GRAPH_NONE) {
					adv->unindexed++;
					continue;
				}
				change_add(c, b, AFFECTED_RECORD);
				add_backports(c, g, refs, from);
			}
		} else if (nw) {
			adv->bad_ids++;
		}
		record_words_free(w, nw);
		free(line);
		p += n + (p[n] == '\n');
	}
}

static int build_advisory(struct affected_advisory *adv, const struct repo *repo,
			  struct advisory_batch *held, const struct graph *g,
			  const struct ref_facts *refs)
{
	struct record own = RECORD_INIT;
	const struct record *rec = held ? advisory_batch_find(held, adv->id) : NULL;
	struct strbuf path = STRBUF_INIT;
	size_t nr_indexed = 0;
	int ret = -1;

	if (!rec) {
		strbuf_addf(&path, "%s/advisories/%s/record", repo->root,
			    adv->id);
		if (record_read(&own, path.buf))
			goto done;
		rec = &own;
	}
	read_changes(adv, &adv->intro, &adv->nr_intro,
		     record_get(rec, "Introduced-By"), g, refs);
	read_changes(adv, &adv->fix, &adv->nr_fix,
		     record_get(rec, "Fixed-By"), g, refs);
	read_record_backports(adv, record_get(rec, "Backports"), g, refs);

	for (size_t i = 0; i < adv->nr_intro; i++)
		nr_indexed += adv->intro[i].commits[0] != GRAPH_NONE ||
			      adv->intro[i].nr > 1;
	adv->intro_unknown = !nr_indexed;

	for (size_t i = 0; i < adv->nr_intro + adv->nr_fix; i++) {
		const struct affected_change *c =
		    i < adv->nr_intro ? &adv->intro[i]
				      : &adv->fix[i - adv->nr_intro];

		for (size_t k = 0; k < c->nr; k++)
			add_reverts(adv, g, refs, c->commits[k], 0);
	}
	adv->alts = xcalloc(adv->nr_intro + adv->nr_fix + 1,
			    sizeof(*adv->alts));
	for (size_t i = 0; i < adv->nr_intro + adv->nr_fix; i++) {
		const struct affected_change *c =
		    i < adv->nr_intro ? &adv->intro[i]
				      : &adv->fix[i - adv->nr_intro];

		adv->alts[i].commits = c->commits;
		adv->alts[i].nr = c->nr;
	}
	ret = 0;
done:
	record_release(&own);
	strbuf_release(&path);
	return ret;
}

static void engine_input(struct reach_advisory *out,
			 const struct affected_advisory *adv)
{
	out->introducers = adv->intro_unknown ? NULL : adv->alts;
	out->nr_introducers = adv->intro_unknown ? 0 : adv->nr_intro;
	out->fixes = adv->alts + adv->nr_intro;
	out->nr_fixes = adv->nr_fix;
	out->reverts = adv->reverts;
	out->nr_reverts = adv->nr_reverts;
}

/* ---- releases ------------------------------------------------------------ */

static int load_releases(struct reach_releases *out, const struct repo *repo,
			 struct index *ix, const struct graph *g)
{
	struct strlist sources = STRLIST_INIT;
	int ret = -1;

	if (repo_sources(repo, &sources))
		goto done;
	for (size_t s = 0; s < sources.nr; s++) {
		struct strlist globs = STRLIST_INIT, names = STRLIST_INIT;
		git_oid *tips = NULL;
		int rc = repo_release_globs(repo, sources.items[s], &globs) ||
			 index_list_refs(ix, sources.items[s], "refs/tags/",
					 &names, &tips);

		for (size_t i = 0; !rc && i < names.nr; i++) {
			const char *name = names.items[i] + strlen("refs/tags/");
			uint32_t n = graph_find(g, &tips[i]);
			int match = 0, dup = 0;

			for (size_t k = 0; k < globs.nr && !match; k++)
				match = !fnmatch(globs.items[k], name, 0);
			if (!match || n == GRAPH_NONE)
				continue;
			for (size_t k = 0; k < out->nr && !dup; k++)
				dup = !strcmp(out->items[k].name, name);
			if (!dup)
				reach_releases_add(out, name, n);
		}
		free(tips);
		strlist_clear(&globs);
		strlist_clear(&names);
		if (rc)
			goto done;
	}
	reach_releases_sort(out);
	ret = 0;
done:
	strlist_clear(&sources);
	return ret;
}

/* ---- fixes on stable branches only --------------------------------------- */

/* The containment of every source's HEAD, as recorded by its last scan. */
static int load_heads(struct reach_result *out, const struct repo *repo,
		      struct index *ix, const struct graph *g)
{
	struct strlist sources = STRLIST_INIT;
	uint32_t *heads = NULL;
	size_t nr = 0;
	int ret = -1;

	if (repo_sources(repo, &sources))
		goto done;
	heads = xmalloc((sources.nr + 1) * sizeof(*heads));
	for (size_t s = 0; s < sources.nr; s++) {
		struct strlist names = STRLIST_INIT;
		git_oid *tips = NULL;
		int rc = index_list_refs(ix, sources.items[s], "HEAD", &names,
					 &tips);

		for (size_t i = 0; !rc && i < names.nr; i++)
			if (!strcmp(names.items[i], "HEAD") &&
			    graph_find(g, &tips[i]) != GRAPH_NONE)
				heads[nr++] = graph_find(g, &tips[i]);
		free(tips);
		strlist_clear(&names);
		if (rc)
			goto done;
	}
	ret = reach_contained(out, g, heads, nr);
done:
	free(heads);
	strlist_clear(&sources);
	return ret;
}

/*
 * An advisory with no introducer known whose fixes all went to stable
 * branches: the main line took no fix because it did not have the bug
 * (Xen commits an XSA to each branch that needs it; Linux's stable rules
 * take a fix upstream first unless upstream lacks the bug).  The series
 * after the newest one with a fixed release are then not affected, rather
 * than vulnerable for want of an introducer: Xen's XSA-215 (fixed on
 * stable-4.5 and 4.6) was listed as needed by every release to 4.22.
 */
static int stable_only(struct affected *a, const struct repo *repo,
		       struct index *ix)
{
	const struct reach_releases *rel = &a->releases;
	struct reach_result heads = REACH_RESULT_INIT;
	int loaded = 0;

	for (size_t i = 0; i < a->nr; i++) {
		const struct affected_advisory *adv = &a->advs[i];
		struct reach_verdict *v = a->verdicts + i * rel->nr;
		size_t last = SIZE_MAX;
		int on_main = 0;

		if (!adv->intro_unknown || !adv->nr_fix)
			continue;
		for (size_t r = 0; r < rel->nr; r++) /* version order */
			if (v[r].state == REACH_FIXED)
				last = rel->items[r].series;
		if (last == SIZE_MAX)
			continue;
		if (!loaded++ && load_heads(&heads, repo, ix, &a->graph))
			return -1;
		for (size_t k = 0; k < adv->nr_fix; k++)
			for (size_t c = 0; c < adv->fix[k].nr; c++)
				for (size_t h = 0; h < heads.nr_releases; h++)
					on_main |= adv->fix[k].commits[c] !=
							   GRAPH_NONE &&
						   reach_contains(
							   &heads, h,
							   adv->fix[k].commits[c]);
		if (on_main || !heads.nr_releases)
			continue;
		for (size_t r = 0; r < rel->nr; r++)
			if (v[r].state == REACH_VULNERABLE &&
			    rel->items[r].series > last) {
				v[r].state = REACH_NOT_AFFECTED;
				v[r].flags = REACH_STABLE_ONLY;
				v[r].fixed_by = GRAPH_NONE;
			}
	}
	reach_result_release(&heads);
	return 0;
}

/* ---- loading ------------------------------------------------------------- */

int affected_load(struct affected *out, const struct repo *repo,
		  struct index *ix, char *const *ids, size_t nr_ids)
{
	return affected_load_graph(out, repo, ix, NULL, NULL, ids, nr_ids);
}

int affected_load_graph(struct affected *out, const struct repo *repo,
			struct index *ix, struct graph *graph,
			struct advisory_batch *held, char *const *ids,
			size_t nr_ids)
{
	struct affected empty = AFFECTED_INIT;
	struct strlist all = STRLIST_INIT;
	struct ref_facts refs = { 0 };
	uint32_t *tips = NULL;
	size_t nrel;
	int ret = -1;

	*out = empty;
	if (graph) {
		out->graph = *graph; /* taken over */
		memset(graph, 0, sizeof(*graph));
	} else if (index_load_graph(ix, &out->graph)) {
		goto done;
	}
	trace("affected: graph of %u commits", (unsigned)out->graph.nr);
	if (load_releases(&out->releases, repo, ix, &out->graph))
		goto done;
	nrel = out->releases.nr;
	tips = xmalloc((nrel ? nrel : 1) * sizeof(*tips));
	for (size_t i = 0; i < nrel; i++)
		tips[i] = out->releases.items[i].commit;
	if (reach_contained(&out->reach, &out->graph, tips, nrel))
		goto done;
	trace("affected: containment in %zu releases (%zu sets)", nrel,
	      out->reach.nr_sets);
	if (load_refs(ix, &out->graph, &refs))
		goto done;
	if (!ids) {
		if (advisory_list(repo, &all))
			goto done;
		/* and the held records not written yet */
		for (size_t i = 0; held && i < held->nr; i++)
			strlist_add(&all, held->items[i].id);
		advisory_sort_ids(&all);
		ids = all.items;
		nr_ids = all.nr;
	}
	out->advs = xcalloc(nr_ids ? nr_ids : 1, sizeof(*out->advs));
	out->verdicts = xcalloc(nr_ids * nrel + 1, sizeof(*out->verdicts));
	for (size_t i = 0; i < nr_ids; i++) {
		struct affected_advisory *adv = &out->advs[out->nr++];
		struct reach_advisory in;

		adv->id = xstrdup(ids[i]);
		if (build_advisory(adv, repo, held, &out->graph, &refs))
			goto done;
		engine_input(&in, adv);
		reach_verdicts(out->verdicts + i * nrel, &out->reach, &in);
	}
	if (stable_only(out, repo, ix))
		goto done;
	trace("affected: %zu advisories", out->nr);
	ret = 0;
done:
	if (ret)
		affected_release(out);
	free(refs.items);
	free(tips);
	strlist_clear(&all);
	return ret;
}

void affected_release(struct affected *a)
{
	struct affected empty = AFFECTED_INIT;

	if (!a)
		return;
	for (size_t i = 0; i < a->nr; i++) {
		struct affected_advisory *adv = &a->advs[i];

		for (size_t k = 0; k < adv->nr_intro; k++)
			change_clear(&adv->intro[k]);
		for (size_t k = 0; k < adv->nr_fix; k++)
			change_clear(&adv->fix[k]);
		free(adv->intro);
		free(adv->fix);
		free(adv->reverts);
		free(adv->alts);
		free(adv->id);
	}
	free(a->advs);
	free(a->verdicts);
	reach_result_release(&a->reach);
	reach_releases_clear(&a->releases);
	graph_release(&a->graph);
	*a = empty;
}

long affected_find_release(const struct affected *a, const char *tag)
{
	if (!strncmp(tag, "refs/tags/", 10))
		tag += 10;
	for (size_t i = 0; i < a->releases.nr; i++)
		if (!strcmp(a->releases.items[i].name, tag))
			return (long)i;
	return -1;
}

/* ---- text ---------------------------------------------------------------- */

#define EN_DASH "\xe2\x80\x93"

void affected_needed_for(struct strbuf *out, const struct affected *a,
			 size_t i)
{
	const struct reach_releases *rel = &a->releases;
	const struct reach_verdict *v = affected_verdicts(a, i);
	size_t r = 0, start = out->len;

	/* every release would count: that says nothing */
	if (!a->advs[i].nr_fix && !a->advs[i].unindexed &&
	    a->advs[i].intro_unknown) {
		strbuf_addstr(out, "unknown (no fix or introducing commit known)");
		return;
	}
	while (r < rel->nr) {
		size_t end = r, runs = 0;

		while (end < rel->nr &&
		       rel->items[end].series == rel->items[r].series)
			end++;
		for (size_t j = r; j < end; j++) {
			size_t k = j;

			if (v[j].state != REACH_VULNERABLE)
				continue;
			while (k + 1 < end && v[k + 1].state == REACH_VULNERABLE)
				k++;
			if (!runs++ && out->len > start)
				strbuf_addch(out, '\n');
			else if (runs > 1)
				strbuf_addstr(out, ", ");
			strbuf_addstr(out, reach_version(rel->items[j].name));
			if (k > j) {
				strbuf_addstr(out, EN_DASH);
				strbuf_addstr(out,
					      reach_version(rel->items[k].name));
			}
			j = k;
		}
		r = end;
	}
	if (out->len == start)
		strbuf_addstr(out, "none");
}

void affected_fixed_in(struct strbuf *out, const struct affected *a, size_t i)
{
	struct reach_ranges ranges = REACH_RANGES_INIT;
	const struct reach_releases *rel = &a->releases;

	reach_ranges_build(&ranges, rel, affected_verdicts(a, i));
	for (size_t k = 0; k < ranges.nr; k++) {
		const struct reach_range *r = &ranges.items[k];
		size_t last = k;

		if (k)
			strbuf_addch(out, '\n');
		while (r->kind == REACH_RANGE_UNAFFECTED &&
		       last + 1 < ranges.nr &&
		       ranges.items[last + 1].kind == REACH_RANGE_UNAFFECTED &&
		       ranges.items[last + 1].flags == r->flags)
			last++;
		if (last > k) {
			strbuf_addf(out, "%s.x" EN_DASH "%s.x unaffected%s",
				    rel->series[r->series],
				    rel->series[ranges.items[last].series],
				    r->flags & REACH_STABLE_ONLY ?
					    " (fixed on stable branches only)" :
					    "");
			k = last;
			continue;
		}
		reach_range_format(out, rel, r, &a->graph);
	}
	reach_ranges_clear(&ranges);
}

const char *affected_evidence_name(enum affected_evidence e)
{
	switch (e) {
	case AFFECTED_ANCESTRY:
		return "ancestry";
	case AFFECTED_BACKPORT:
		return "backport";
	case AFFECTED_RECORD:
		return "record";
	}
	return "?";
}

/*
 * The first commit of c that counts in rel, by asking the engine about an
 * advisory with c's commits, one at a time, as its only fix: the engine's
 * own rule for reverts decides, not a copy of it.
 */
static size_t counting(const struct affected *a,
		       const struct affected_advisory *adv,
		       const struct affected_change *c, size_t rel,
		       struct reach_verdict *scratch)
{
	for (size_t k = 0; k < c->nr; k++) {
		struct reach_alts one = { &c->commits[k], 1 };
		struct reach_advisory in = { NULL, 0, &one, 1, adv->reverts,
					     adv->nr_reverts };

		if (c->commits[k] == GRAPH_NONE ||
		    !reach_contains(&a->reach, rel, c->commits[k]))
			continue;
		reach_verdicts(scratch, &a->reach, &in);
		if (scratch[rel].state == REACH_FIXED)
			return k;
	}
	return c->nr;
}

void affected_explain(struct affected_why *out, const struct affected *a,
		      size_t i, size_t rel)
{
	const struct affected_advisory *adv = &a->advs[i];
	struct reach_verdict *scratch =
	    xmalloc((a->releases.nr + 1) * sizeof(*scratch));

	for (size_t k = 0; k < adv->nr_intro + adv->nr_fix; k++) {
		struct affected_why *w = &out[k];
		size_t idx;

		w->is_fix = k >= adv->nr_intro;
		w->change = w->is_fix ? &adv->fix[k - adv->nr_intro]
				      : &adv->intro[k];
		idx = counting(a, adv, w->change, rel, scratch);
		w->commit = idx < w->change->nr ? w->change->commits[idx]
						: GRAPH_NONE;
		w->evidence = idx < w->change->nr ? w->change->evidence[idx]
						  : AFFECTED_ANCESTRY;
	}
	free(scratch);
}

/* ---- records ------------------------------------------------------------- */

/* Set field to value in rec; 1 when that changed it. */
static int set_field(struct record *rec, const char *field, const char *value)
{
	const char *old = record_get(rec, field);

	if (old && !strcmp(old, value))
		return 0;
	record_set(rec, field, value);
	return 1;
}

int affected_write(const struct affected *a, const struct repo *repo,
		   struct advisory_batch *held, size_t *changed)
{
	struct strbuf path = STRBUF_INIT, val = STRBUF_INIT, text = STRBUF_INIT;
	int ret = -1;

	if (changed)
		*changed = 0;
	for (size_t i = 0; i < a->nr; i++) {
		struct record own = RECORD_INIT;
		struct record *rec = held ? advisory_batch_find(held, a->advs[i].id)
					  : NULL;
		int ch;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/advisories/%s/record", repo->root,
			    a->advs[i].id);
		if (!rec && record_read(&own, path.buf)) {
			record_release(&own);
			goto done;
		}
		strbuf_reset(&val);
		affected_needed_for(&val, a, i);
		ch = set_field(rec ? rec : &own, "Needed-For", val.buf);
		strbuf_reset(&val);
		affected_fixed_in(&val, a, i);
		ch |= set_field(rec ? rec : &own, "Fixed-In", val.buf);
		if (!rec) { /* not held: written here, when it changed */
			strbuf_reset(&text);
			record_format(&own, &text);
			record_release(&own);
			if (ch && fileio_write_atomic(path.buf, text.buf,
						      text.len, NULL))
				goto done;
		}
		if (changed && ch)
			(*changed)++;
	}
	ret = 0;
done:
	strbuf_release(&path);
	strbuf_release(&val);
	strbuf_release(&text);
	return ret;
}

int affected_annotate(const struct repo *repo, struct index *ix,
		      size_t *changed)
{
	struct affected a = AFFECTED_INIT;
	int ret;

	if (changed)
		*changed = 0;
	if (affected_load(&a, repo, ix, NULL, 0))
		return -1;
	ret = affected_write(&a, repo, NULL, changed);
	affected_release(&a);
	return ret;
}
