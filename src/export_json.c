/*
 * export_json: CVE JSON 5 records, OSV files and OpenVEX documents from
 * the verdicts (export.h).  Every document is built with jansson in a
 * fixed key order and written by export_write_json().
 *
 *   cve5     <CVE-ID>.json per CVE id (the advisory's own, its aliases),
 *            "affected" in the kernel CNA's style: a git product (ranges
 *            introducer..fix per branch, backports included) and a release
 *            product (semver ranges per series) of the advisory's source
 *   osv      <ID>.json per advisory: one GIT range per fix commit (all of
 *            a multi-commit fix are needed, so each is its own range) and
 *            the affected release tags
 *   openvex  <source>.openvex.json per source with releases: per advisory
 *            one statement per status, its products the releases
 */
#include "advisory.h"
#include "export.h"
#include "jsonutil.h"
#include "stream.h"
#include "strbuf.h"
#include "usage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define CVE_DATA_VERSION "5.1.1"
#define OSV_SCHEMA_VERSION "1.6.0"
#define OPENVEX_CONTEXT "https://openvex.dev/ns/v0.2.0"
#define CVE_TITLE_MAX 256	 /* schema maxLength, in characters */
#define CVE_SUBJECT_MAX 3000	 /* description maxLength is 4096 */

/* ---- helpers ------------------------------------------------------------- */

static int is_cve(const char *s)
{
	size_t n;

	if (strncmp(s, "CVE-", 4))
		return 0;
	for (n = 0; isdigit((unsigned char)s[4 + n]); n++)
		;
	if (n != 4 || s[8] != '-')
		return 0;
	for (n = 0; isdigit((unsigned char)s[9 + n]); n++)
		;
	return n >= 4 && n <= 19 && !s[9 + n];
}

/* The id OSV accepts: prefixes of its registered databases are kept,
 * anything else (XSA-...) gets the schema's "x_" private prefix. */
static void osv_id(struct strbuf *out, const char *id)
{
	static const char *const known[] = { "CVE-", "GHSA-", "OSV-", "DSA-",
					     "DLA-", "DEBIAN-", "USN-",
					     "UBUNTU-", "RHSA-", "GO-",
					     "PYSEC-", "RUSTSEC-" };

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (!strncmp(id, known[i], strlen(known[i]))) {
			strbuf_addstr(out, id);
			return;
		}
	strbuf_addf(out, "x_%s", id);
}

/* The full id of alternative c of change ch (c == 0 is the commit the
 * record names, indexed or not); 0 when there is none. */
static int alt_hex(char *hex, const struct export_ctx *x,
		   const struct affected_change *ch, size_t c)
{
	uint32_t n = c < ch->nr ? ch->commits[c] : GRAPH_NONE;

	if (c == 0)
		git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &ch->named);
	else if (n < x->a.graph.nr)
		git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &x->a.graph.oids[n]);
	else
		return 0;
	return !git_oid_is_zero(&ch->named) || c;
}

static int array_has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

static void add_unique(json_t *arr, const char *s)
{
	if (!array_has_string(arr, s))
		json_array_append_new(arr, json_text(s));
}

/* Append the URLs naming the advisory and its aliases to advs, and the
 * web pages of its fix commits to fixes, each once. */
static void reference_urls(json_t *advs, json_t *fixes,
			   const struct export_ctx *x,
			   const struct export_adv *adv)
{
	const struct affected_advisory *aa = &x->a.advs[adv->idx];
	char hex[GIT_OID_HEXSZ + 1];

	for (size_t k = 0; k <= adv->nr_aliases; k++) {
		char *u = advisory_url(k ? adv->aliases[k - 1] : aa->id);

		if (u)
			add_unique(advs, u);
		free(u);
	}
	for (size_t k = 0; k < aa->nr_fix; k++)
		for (size_t c = 0; c < aa->fix[k].nr || c == 0; c++) {
			char *u;

			if (!alt_hex(hex, x, &aa->fix[k], c))
				continue;
			u = export_commit_url(x, adv->source, hex);
			if (u && !array_has_string(advs, u))
				add_unique(fixes, u);
			free(u);
		}
}

/* A URI for repo: URLs as they are, local paths as file:// URLs. */
static void repo_uri(struct strbuf *out, const char *repo)
{
	if (strstr(repo, "://") || *repo != '/')
		strbuf_addstr(out, repo);
	else
		strbuf_addf(out, "file://%s", repo);
}

/* ---- ancestry ------------------------------------------------------------ */

/*
 * Which of targets[0..nt-1] are from or its ancestors: found[t] set.
 * Commits are numbered parents first, so nothing below the smallest target
 * can lead to one: the walk stops there, and when all are found.
 */
static void ancestors(struct export_ctx *x, uint32_t from,
		      const uint32_t *targets, size_t nt, unsigned char *found)
{
	const struct graph *g = &x->a.graph;
	uint32_t *stack = NULL, lo = UINT32_MAX;
	size_t nr = 0, alloc = 0, left = nt;

	memset(found, 0, nt);
	if (!nt || from >= g->nr)
		return;
	if (!x->mark)
		x->mark = xcalloc(g->nr, sizeof(*x->mark));
	if (++x->gen == 0) {
		memset(x->mark, 0, g->nr * sizeof(*x->mark));
		x->gen = 1;
	}
	for (size_t t = 0; t < nt; t++)
		if (targets[t] < lo)
			lo = targets[t];
	ALLOC_GROW(stack, nr + 1, alloc);
	stack[nr++] = from;
	while (nr && left) {
		uint32_t n = stack[--nr];

		if (x->mark[n] == x->gen)
			continue;
		x->mark[n] = x->gen;
		for (size_t t = 0; t < nt; t++)
			if (targets[t] == n && !found[t]) {
				found[t] = 1;
				left--;
			}
		for (uint32_t p = g->parent_start[n]; p < g->parent_start[n + 1];
		     p++) {
			uint32_t q = g->parents[p];

			if (q >= lo && x->mark[q] != x->gen) {
				ALLOC_GROW(stack, nr + 1, alloc);
				stack[nr++] = q;
			}
		}
	}
	free(stack);
}

/* ---- CVE JSON 5 ---------------------------------------------------------- */

static void cve_version(json_t *arr, const char *version, const char *less,
			const char *status, const char *type, int or_equal)
{
	json_t *o = json_object();
	size_t i;
	json_t *v;

	json_object_set_new(o, "version", json_text(version));
	if (less)
		json_object_set_new(o, or_equal ? "lessThanOrEqual" : "lessThan",
				    json_text(less));
	json_object_set_new(o, "status", json_string(status));
	if (type)
		json_object_set_new(o, "versionType", json_string(type));
	json_array_foreach(arr, i, v)
		if (json_equal(v, o)) {
			json_decref(o);
			return;
		}
	json_array_append_new(arr, o);
}

/* Git ranges: every fix commit (upstream and backports) after each
 * introducer (or its backport) it descends from, "0" when none is known;
 * introducers no fix descends from are affected with no end. */
static json_t *cve_git_versions(struct export_ctx *x,
				const struct export_adv *adv)
{
	const struct affected_advisory *aa = &x->a.advs[adv->idx];
	json_t *arr = json_array();
	uint32_t *targets = NULL;
	unsigned char *found = NULL, *paired = NULL;
	size_t nt = 0, alloc = 0;
	char fhex[GIT_OID_HEXSZ + 1], ihex[GIT_OID_HEXSZ + 1];

	for (size_t k = 0; !aa->intro_unknown && k < aa->nr_intro; k++)
		for (size_t c = 0; c < aa->intro[k].nr; c++) {
			uint32_t n = aa->intro[k].commits[c];
			int dup = n >= x->a.graph.nr;

			for (size_t t = 0; t < nt && !dup; t++)
				dup = targets[t] == n;
			if (dup)
				continue;
			ALLOC_GROW(targets, nt + 1, alloc);
			targets[nt++] = n;
		}
	found = xcalloc(nt + 1, 1);
	paired = xcalloc(nt + 1, 1);
	for (size_t k = 0; k < aa->nr_fix; k++)
		for (size_t c = 0; c < aa->fix[k].nr || c == 0; c++) {
			uint32_t f = c < aa->fix[k].nr ? aa->fix[k].commits[c]
						       : GRAPH_NONE;
			int any = 0;

			if (!alt_hex(fhex, x, &aa->fix[k], c))
				continue;
			ancestors(x, f, targets, nt, found);
			for (size_t t = 0; t < nt; t++) {
				if (!found[t])
					continue;
				git_oid_tostr(ihex, sizeof(ihex),
					      &x->a.graph.oids[targets[t]]);
				cve_version(arr, ihex, fhex, "affected", "git", 0);
				paired[t] = any = 1;
			}
			if (!any)
				cve_version(arr, "0", fhex, "affected", "git", 0);
		}
	for (size_t t = 0; t < nt; t++)
		if (!paired[t]) {
			git_oid_tostr(ihex, sizeof(ihex),
				      &x->a.graph.oids[targets[t]]);
			cve_version(arr, ihex, NULL, "affected", "git", 0);
		}
	free(targets);
	free(found);
	free(paired);
	return arr;
}

/* Release ranges of the advisory's source, per series, and the status of
 * releases not listed (that of its newest release). */
static json_t *cve_release_versions(struct export_ctx *x,
				    const struct export_adv *adv,
				    const char **default_status)
{
	const struct reach_releases *rel = &x->a.releases;
	const struct reach_verdict *v = affected_verdicts(&x->a, adv->idx);
	struct reach_ranges ranges = REACH_RANGES_INIT;
	struct strbuf star = STRBUF_INIT;
	json_t *arr = json_array();

	*default_status = "unaffected";
	for (size_t r = rel->nr; r-- > 0;)
		if (x->rel_source[r] == adv->source) {
			if (v[r].state == REACH_VULNERABLE)
				*default_status = "affected";
			break;
		}
	reach_ranges_build(&ranges, rel, v);
	for (size_t k = 0; k < ranges.nr; k++) {
		const struct reach_range *r = &ranges.items[k];
		const char *first = reach_version(rel->items[r->first].name);
		const char *last = reach_version(rel->items[r->last].name);

		if (x->rel_source[r->first] != adv->source)
			continue;
		strbuf_reset(&star);
		strbuf_addf(&star, "%s.*", rel->series[r->series]);
		switch (r->kind) {
		case REACH_RANGE_UNAFFECTED:
		case REACH_RANGE_FIXED_BEFORE:
			cve_version(arr, first, star.buf, "unaffected",
				    "semver", 1);
			break;
		case REACH_RANGE_FIXED_IN: {
			const char *fixed =
				reach_version(rel->items[r->fixed_in].name);

			cve_version(arr, first, fixed, "affected", "semver", 0);
			cve_version(arr, fixed, star.buf, "unaffected",
				    "semver", 1);
			break;
		}
		case REACH_RANGE_OPEN:
			cve_version(arr, first, star.buf, "affected", "semver",
				    1);
			break;
		case REACH_RANGE_AFFECTED:
			cve_version(arr, first, last, "affected", "semver", 1);
			break;
		}
	}
	reach_ranges_clear(&ranges);
	strbuf_release(&star);
	return arr;
}

static json_t *cve_product(const struct export_ctx *x,
			   const struct export_adv *adv, const char *repo,
			   const char *default_status, json_t *versions)
{
	const char *source = x->sources.nr ? x->sources.items[adv->source]
					   : "unknown";
	json_t *p = json_object();

	json_object_set_new(p, "vendor", json_text(x->vendor ? x->vendor
							    : source));
	json_object_set_new(p, "product", json_text(source));
	if (repo)
		json_object_set_new(p, "repo", json_text(repo));
	if (!json_array_size(versions) && !strcmp(default_status, "unaffected"))
		default_status = "unknown";
	json_object_set_new(p, "defaultStatus", json_string(default_status));
	if (json_array_size(versions))
		json_object_set(p, "versions", versions);
	json_decref(versions);
	return p;
}

static json_t *cve_record(const struct export_ctx *x,
			  const struct export_adv *adv, const char *cve,
			  json_t *affected)
{
	const struct affected_advisory *aa = &x->a.advs[adv->idx];
	const char *source = x->sources.nr ? x->sources.items[adv->source]
					   : "the source";
	json_t *rec = json_object(), *meta = json_object(),
	       *containers = json_object(), *cna = json_object(),
	       *prov = json_object(), *descs = json_array(),
	       *desc = json_object(), *refs = json_array(),
	       *urls = json_array(), *gen = json_object();
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	json_t *u;

	json_object_set_new(meta, "cveId", json_string(cve));
	json_object_set_new(meta, "assignerOrgId", json_text(x->assigner));
	json_object_set_new(meta, "state", json_string("PUBLISHED"));
	json_object_set_new(prov, "orgId", json_text(x->assigner));
	json_object_set_new(cna, "providerMetadata", prov);
	if (*adv->subject && strlen(adv->subject) <= CVE_TITLE_MAX)
		json_object_set_new(cna, "title", json_text(adv->subject));
	strbuf_addf(&sb, "In %s, the following vulnerability has been "
		    "resolved:\n\n%.*s", source, CVE_SUBJECT_MAX, adv->subject);
	strbuf_addf(&sb, "\n\nThis is %s", aa->id);
	for (size_t k = 0; k < adv->nr_aliases; k++)
		strbuf_addf(&sb, " / %s", adv->aliases[k]);
	strbuf_addch(&sb, '.');
	json_object_set_new(desc, "lang", json_string("en"));
	json_object_set_new(desc, "value", json_text(sb.buf));
	json_array_append_new(descs, desc);
	json_object_set_new(cna, "descriptions", descs);
	json_object_set(cna, "affected", affected);
	reference_urls(urls, urls, x, adv);
	json_array_foreach(urls, i, u) {
		json_t *r = json_object();

		json_object_set(r, "url", u);
		json_array_append_new(refs, r);
	}
	json_decref(urls);
	json_object_set_new(cna, "references", refs);
	json_object_set_new(gen, "engine", json_string("secport"));
	json_object_set_new(cna, "x_generator", gen);
	json_object_set_new(containers, "cna", cna);
	json_object_set_new(rec, "dataType", json_string("CVE_RECORD"));
	json_object_set_new(rec, "dataVersion", json_string(CVE_DATA_VERSION));
	json_object_set_new(rec, "cveMetadata", meta);
	json_object_set_new(rec, "containers", containers);
	strbuf_release(&sb);
	return rec;
}

int export_cve5(struct export_ctx *x)
{
	struct strlist done = STRLIST_INIT;
	struct strbuf name = STRBUF_INIT, uri = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; !ret && i < x->nr; i++) {
		const struct export_adv *adv = &x->advs[i];
		const char *id = x->a.advs[adv->idx].id, *def;
		json_t *affected = NULL;

		for (size_t k = 0; !ret && k <= adv->nr_aliases; k++) {
			const char *cve = k ? adv->aliases[k - 1] : id;
			int dup = 0;
			json_t *rec;

			if (!is_cve(cve))
				continue;
			for (size_t d = 0; d < done.nr && !dup; d++)
				dup = !strcmp(done.items[d], cve);
			if (dup) {
				x->stats->duplicates++;
				continue;
			}
			strlist_add(&done, cve);
			if (!affected) {
				json_t *rv;

				strbuf_reset(&uri);
				if (x->sources.nr)
					repo_uri(&uri, x->repo_url[adv->source]);
				affected = json_array();
				json_array_append_new(
				    affected,
				    cve_product(x, adv, uri.len ? uri.buf : NULL,
						"unaffected",
						cve_git_versions(x, adv)));
				rv = cve_release_versions(x, adv, &def);
				if (json_array_size(rv))
					json_array_append_new(
					    affected,
					    cve_product(x, adv, NULL, def, rv));
				else
					json_decref(rv);
			}
			rec = cve_record(x, adv, cve, affected);
			strbuf_reset(&name);
			strbuf_addf(&name, "%s.json", cve);
			ret = export_write_json(x, name.buf, rec);
			json_decref(rec);
		}
		json_decref(affected);
	}
	strlist_clear(&done);
	strbuf_release(&name);
	strbuf_release(&uri);
	return ret;
}

/* ---- OSV ----------------------------------------------------------------- */

static json_t *osv_event(const char *kind, const char *hex)
{
	json_t *e = json_object();

	json_object_set_new(e, kind, json_string(hex));
	return e;
}

static void osv_refs(json_t *refs, json_t *urls, const char *type)
{
	size_t i;
	json_t *u;

	json_array_foreach(urls, i, u) {
		json_t *r = json_object();

		json_object_set_new(r, "type", json_string(type));
		json_object_set(r, "url", u);
		json_array_append_new(refs, r);
	}
}

static json_t *osv_document(const struct export_ctx *x,
			    const struct export_adv *adv)
{
	const struct affected_advisory *aa = &x->a.advs[adv->idx];
	const struct reach_releases *rel = &x->a.releases;
	const struct reach_verdict *v = affected_verdicts(&x->a, adv->idx);
	const char *repo = x->sources.nr ? x->repo_url[adv->source] : ".";
	json_t *doc = json_object(), *aliases = json_array(),
	       *affected = json_array(), *pkg = json_object(),
	       *ranges = json_array(), *versions = json_array(),
	       *intros = json_array(), *refs = json_array(),
	       *urls = json_array(), *fixes = json_array();
	struct strbuf sb = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int stable_only = 0;
	size_t i;
	json_t *u;

	for (size_t k = 0; k < adv->nr_aliases; k++)
		add_unique(aliases, adv->aliases[k]);
	for (size_t r = 0; r < rel->nr; r++)
		stable_only |= (v[r].flags & REACH_STABLE_ONLY) != 0;
	for (size_t k = 0; !aa->intro_unknown && k < aa->nr_intro; k++)
		for (size_t c = 0; c < aa->intro[k].nr || c == 0; c++)
			if (alt_hex(hex, x, &aa->intro[k], c))
				add_unique(intros, hex);
	if (!json_array_size(intros))
		add_unique(intros, "0");
	/* one range per fix commit: a release needs all of them */
	for (size_t k = 0; k < aa->nr_fix || (k == 0 && !aa->nr_fix); k++) {
		json_t *range = json_object(), *events = json_array(), *fixed;

		json_array_foreach(intros, i, u)
			json_array_append_new(events,
					      osv_event("introduced",
							json_string_value(u)));
		fixed = json_array();
		for (size_t c = 0; k < aa->nr_fix && (c < aa->fix[k].nr || c == 0);
		     c++)
			if (alt_hex(hex, x, &aa->fix[k], c))
				add_unique(fixed, hex);
		json_array_foreach(fixed, i, u)
			json_array_append_new(events,
					      osv_event("fixed",
							json_string_value(u)));
		/* fixed on stable branches only: the commits before those
		 * fixes, and no others (the main line never had the bug) */
		json_array_foreach(fixed, i, u)
			if (stable_only)
				json_array_append_new(
					events,
					osv_event("limit", json_string_value(u)));
		json_decref(fixed);
		json_object_set_new(range, "type", json_string("GIT"));
		json_object_set_new(range, "repo", json_text(repo));
		json_object_set_new(range, "events", events);
		json_array_append_new(ranges, range);
	}
	for (size_t r = 0; r < rel->nr; r++)
		if (v[r].state == REACH_VULNERABLE &&
		    x->rel_source[r] == adv->source)
			json_array_append_new(versions,
					      json_text(rel->items[r].name));
	json_object_set_new(pkg, "ranges", ranges);
	json_object_set_new(pkg, "versions", versions);
	json_array_append_new(affected, pkg);

	reference_urls(urls, fixes, x, adv);
	osv_refs(refs, urls, "ADVISORY");
	osv_refs(refs, fixes, "FIX");
	json_decref(urls);
	json_decref(fixes);

	strbuf_reset(&sb);
	osv_id(&sb, aa->id);
	json_object_set_new(doc, "schema_version", json_string(OSV_SCHEMA_VERSION));
	json_object_set_new(doc, "id", json_text(sb.buf));
	strbuf_reset(&sb);
	export_timestamp(&sb, adv->modified);
	json_object_set_new(doc, "modified", json_string(sb.buf));
	json_object_set_new(doc, "aliases", aliases);
	json_object_set_new(doc, "summary", json_text(adv->subject));
	strbuf_reset(&sb);
	affected_fixed_in(&sb, &x->a, adv->idx);
	if (sb.len)
		json_object_set_new(doc, "details", json_text(sb.buf));
	json_object_set_new(doc, "affected", affected);
	if (json_array_size(refs))
		json_object_set(doc, "references", refs);
	json_decref(refs);
	json_decref(intros);
	strbuf_release(&sb);
	return doc;
}

int export_osv(struct export_ctx *x)
{
	struct strbuf name = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; !ret && i < x->nr; i++) {
		json_t *doc = osv_document(x, &x->advs[i]);

		strbuf_reset(&name);
		osv_id(&name, x->a.advs[x->advs[i].idx].id);
		strbuf_addstr(&name, ".json");
		ret = export_write_json(x, name.buf, doc);
		json_decref(doc);
	}
	strbuf_release(&name);
	return ret;
}

/* ---- OpenVEX ------------------------------------------------------------- */

/* A package URL of release version ver of source: pkg:generic/name@ver,
 * with what purl does not allow percent-encoded. */
static void purl(struct strbuf *out, const char *source, const char *ver)
{
	strbuf_addstr(out, "pkg:generic/");
	for (int part = 0; part < 2; part++) {
		for (const char *p = part ? ver : source; *p; p++) {
			unsigned char c = (unsigned char)*p;

			if (isalnum(c) || c == '.' || c == '-' || c == '_' ||
			    c == '~')
				strbuf_addch(out, part ? (char)c : (char)tolower(c));
			else
				strbuf_addf(out, "%%%02X", c);
		}
		if (!part)
			strbuf_addch(out, '@');
	}
}

static const char *vex_status(enum reach_state s)
{
	switch (s) {
	case REACH_VULNERABLE:
		return "affected";
	case REACH_FIXED:
		return "fixed";
	case REACH_NOT_AFFECTED:
		break;
	}
	return "not_affected";
}

/* The statements of one advisory about the releases of source s, one per
 * status, appended to statements. */
static void vex_statements(json_t *statements, const struct export_ctx *x,
			   const struct export_adv *adv, size_t s)
{
	static const enum reach_state order[] = { REACH_VULNERABLE, REACH_FIXED,
						  REACH_NOT_AFFECTED };
	const struct affected_advisory *aa = &x->a.advs[adv->idx];
	const struct reach_releases *rel = &x->a.releases;
	const struct reach_verdict *v = affected_verdicts(&x->a, adv->idx);
	struct strbuf sb = STRBUF_INIT;

	for (size_t o = 0; o < ARRAY_SIZE(order); o++) {
		json_t *st, *vuln, *aliases, *products = json_array(),
		       *seen = json_array();
		unsigned flags = 0;
		char *url;

		for (size_t r = 0; r < rel->nr; r++) {
			json_t *p;

			if (x->rel_source[r] != s || v[r].state != order[o])
				continue;
			strbuf_reset(&sb);
			purl(&sb, x->sources.items[s],
			     reach_version(rel->items[r].name));
			if (array_has_string(seen, sb.buf))
				continue; /* two tags of one version */
			add_unique(seen, sb.buf);
			p = json_object();
			json_object_set_new(p, "@id", json_text(sb.buf));
			json_array_append_new(products, p);
			flags |= v[r].flags;
		}
		json_decref(seen);
		if (!json_array_size(products)) {
			json_decref(products);
			continue;
		}
		st = json_object();
		vuln = json_object();
		url = advisory_url(aa->id);
		if (url)
			json_object_set_new(vuln, "@id", json_text(url));
		free(url);
		json_object_set_new(vuln, "name", json_text(aa->id));
		if (adv->nr_aliases) {
			aliases = json_array();
			for (size_t k = 0; k < adv->nr_aliases; k++)
				add_unique(aliases, adv->aliases[k]);
			json_object_set_new(vuln, "aliases", aliases);
		}
		if (*adv->subject)
			json_object_set_new(vuln, "description",
					    json_text(adv->subject));
		json_object_set_new(st, "vulnerability", vuln);
		json_object_set_new(st, "products", products);
		json_object_set_new(st, "status",
				    json_string(vex_status(order[o])));
		if (order[o] == REACH_NOT_AFFECTED)
			json_object_set_new(st, "justification",
					    json_string("vulnerable_code_not_present"));
		if (order[o] == REACH_VULNERABLE) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "apply the patches of %s (%s/*.patch in "
				    "the patch repository)", aa->id, aa->id);
			json_object_set_new(st, "action_statement",
					    json_text(sb.buf));
			if (flags & REACH_INTRO_UNKNOWN)
				json_object_set_new(
				    st, "status_notes",
				    json_string("the introducing commit is "
						"unknown: every release without "
						"the fix is assumed affected"));
		}
		json_array_append_new(statements, st);
	}
	strbuf_release(&sb);
}

/* An OpenVEX document holding statements (taken over), written to
 * "<name with '/' and '.' as '-'><suffix>"; its @id is urn:secport:openvex:
 * <kind><name, escaped>. */
static int write_vex(struct export_ctx *x, const char *kind, const char *name,
		     const char *suffix, int64_t newest, json_t *statements)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *doc = json_object();
	int ret;

	json_object_set_new(doc, "@context", json_string(OPENVEX_CONTEXT));
	strbuf_addf(&sb, "urn:secport:openvex:%s", kind);
	for (const char *p = name; *p; p++)
		if (isalnum((unsigned char)*p) || *p == '-' || *p == '.')
			strbuf_addch(&sb, *p);
		else
			strbuf_addf(&sb, "%%%02X", (unsigned char)*p);
	json_object_set_new(doc, "@id", json_text(sb.buf));
	json_object_set_new(doc, "author", json_text(x->author));
	strbuf_reset(&sb);
	export_timestamp(&sb, newest);
	json_object_set_new(doc, "timestamp", json_string(sb.buf));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "tooling", json_string("secport"));
	json_object_set_new(doc, "statements", statements);
	strbuf_reset(&sb);
	for (const char *p = name; *p; p++)
		strbuf_addch(&sb, *p == '/' || *p == '.' ? '-' : *p);
	strbuf_addstr(&sb, suffix);
	ret = export_write_json(x, sb.buf, doc);
	json_decref(doc);
	strbuf_release(&sb);
	return ret;
}

int export_openvex(struct export_ctx *x)
{
	int ret = 0;

	for (size_t s = 0; !ret && s < x->sources.nr; s++) {
		json_t *statements = json_array();
		int64_t newest = 0;

		for (size_t i = 0; i < x->nr; i++) {
			size_t before = json_array_size(statements);

			vex_statements(statements, x, &x->advs[i], s);
			if (json_array_size(statements) > before &&
			    x->advs[i].modified > newest)
				newest = x->advs[i].modified;
		}
		if (!json_array_size(statements)) {
			json_decref(statements);
			continue; /* the schema wants one statement at least */
		}
		ret = write_vex(x, "", x->sources.items[s], ".openvex.json",
				newest, statements);
	}
	return ret;
}

/* The export advisory whose id is id, or NULL (embargoed, say). */
static const struct export_adv *find_adv(const struct export_ctx *x,
					 const char *id)
{
	for (size_t i = 0; i < x->nr; i++)
		if (!strcmp(x->a.advs[x->advs[i].idx].id, id))
			return &x->advs[i];
	return NULL;
}

/*
 * One OpenVEX document for a stream: a statement per component and
 * advisory of its source, the product being the component's package at
 * the stream's version; fixed (applied in the target, or in its series),
 * affected (pending: the action is the stream release), not_affected (the
 * base release never needed it).  Embargoed advisories are left out
 * unless asked for, like everywhere else.
 */
int export_openvex_stream(struct export_ctx *x, struct index *ix)
{
	struct stream st = STREAM_INIT;
	struct strbuf sb = STRBUF_INIT;
	json_t *statements = json_array();
	int64_t newest = 0;
	int ret = -1;

	if (stream_load(&st, x->repo, x->opts->stream) ||
	    stream_plan(&st, x->repo, ix, x->opts->now))
		goto done;
	for (size_t c = 0; c < st.nr; c++) {
		const struct stream_component *comp = &st.comps[c];

		for (size_t i = 0; i < comp->nr; i++) {
			const struct stream_row *row = &comp->rows[i];
			const struct export_adv *ea = find_adv(x, row->adv->id);
			json_t *s, *vuln, *p, *products;
			char *url;

			if (row->embargoed && !x->opts->include_embargoed)
				continue;
			if (ea && ea->modified > newest)
				newest = ea->modified;
			vuln = json_object();
			url = advisory_url(row->adv->id);
			if (url)
				json_object_set_new(vuln, "@id", json_text(url));
			free(url);
			json_object_set_new(vuln, "name", json_text(row->adv->id));
			if (row->aliases.nr) {
				json_t *al = json_array();

				for (size_t k = 0; k < row->aliases.nr; k++)
					add_unique(al, row->aliases.items[k]);
				json_object_set_new(vuln, "aliases", al);
			}
			if (row->subject && *row->subject)
				json_object_set_new(vuln, "description",
						    json_text(row->subject));
			strbuf_reset(&sb);
			strbuf_addf(&sb, "pkg:deb/%s@%s", comp->package,
				    st.version);
			p = json_object();
			json_object_set_new(p, "@id", json_text(sb.buf));
			products = json_array();
			json_array_append_new(products, p);
			s = json_object();
			json_object_set_new(s, "vulnerability", vuln);
			json_object_set_new(s, "products", products);
			switch (row->state) {
			case STREAM_NOT_AFFECTED:
				json_object_set_new(s, "status",
						    json_string("not_affected"));
				json_object_set_new(
				    s, "justification",
				    json_string("vulnerable_code_not_present"));
				if (row->reason)
					json_object_set_new(s, "impact_statement",
							    json_text(row->reason));
				break;
			case STREAM_APPLIED:
			case STREAM_RELEASED:
				json_object_set_new(s, "status", json_string("fixed"));
				break;
			case STREAM_PENDING:
				json_object_set_new(s, "status",
						    json_string("affected"));
				strbuf_reset(&sb);
				strbuf_addf(&sb, "secport stream release %s applies "
					    "the patches of %s to %s", st.name,
					    row->adv->id, comp->package);
				json_object_set_new(s, "action_statement",
						    json_text(sb.buf));
				break;
			}
			json_array_append_new(statements, s);
		}
	}
	if (!json_array_size(statements)) {
		ret = error("stream '%s' has no advisory to state", st.name);
		goto done;
	}
	ret = write_vex(x, "stream:", st.name, ".stream.openvex.json", newest,
			statements);
	statements = NULL;
done:
	json_decref(statements);
	strbuf_release(&sb);
	stream_release(&st);
	return ret;
}
