/*
 * secport affected [--json] ID... | --release TAG [--all] | --annotate
 * secport matrix [--format text|csv|json]
 *
 * Which releases need each fix (affected.h), per advisory, per release, or
 * as the whole grid.
 */
#include "advisory.h"
#include "affected.h"
#include "cmd.h"
#include "index.h"
#include "jsonutil.h"
#include "repo.h"
#include "strbuf.h"
#include "usage.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER)

static const char *range_kind_name(enum reach_range_kind k)
{
	switch (k) {
	case REACH_RANGE_UNAFFECTED:
		return "unaffected";
	case REACH_RANGE_FIXED_BEFORE:
		return "fixed-before";
	case REACH_RANGE_FIXED_IN:
		return "fixed-in";
	case REACH_RANGE_OPEN:
		return "open";
	case REACH_RANGE_AFFECTED:
		break;
	}
	return "affected";
}

static json_t *json_oid(const struct graph *g, uint32_t n)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (n >= g->nr)
		return json_null();
	git_oid_tostr(hex, sizeof(hex), &g->oids[n]);
	return json_string(hex);
}

static void short_oid(char *hex, const git_oid *oid)
{
	git_oid_tostr(hex, 13, oid);
}

/* Open the repository and index and load the verdicts of ids (NULL: all). */
static int load(struct affected *a, struct repo *repo, int lock,
		char *const *ids, size_t nr_ids)
{
	struct index ix = { 0 };
	int ret = -1;

	if (lock && repo_lock(repo, lock_timeout()))
		return -1;
	trace("affected: start");
	if (index_open_repo(&ix, repo))
		goto done;
	trace("affected: index open");
	if (affected_load(a, repo, &ix, ids, nr_ids))
		goto done;
	if (!a->graph.nr) {
		error("the index is empty: run 'secport scan' first");
		affected_release(a);
		goto done;
	}
	ret = 0;
done:
	index_close(&ix);
	return ret;
}

static void warn_inputs(const struct affected *a)
{
	for (size_t i = 0; i < a->nr; i++) {
		const struct affected_advisory *adv = &a->advs[i];

		if (adv->unindexed)
			warning("%s: %zu commits named by the record are not in "
				"the index", adv->id, adv->unindexed);
		if (adv->bad_ids)
			warning("%s: %zu words of Fixed-By, Introduced-By or "
				"Backports are not full commit ids", adv->id,
				adv->bad_ids);
	}
	if (!a->releases.nr)
		warning("no scanned tag matches the release globs");
}

/* ---- secport affected ID... ---------------------------------------------- */

static json_t *advisory_json(const struct affected *a, size_t i)
{
	const struct reach_verdict *v = affected_verdicts(a, i);
	const struct reach_releases *rel = &a->releases;
	struct reach_ranges ranges = REACH_RANGES_INIT;
	struct strbuf sb = STRBUF_INIT;
	json_t *o = json_object(), *need = json_array(), *ra = json_array(),
	       *verdicts = json_object();

	for (size_t r = 0; r < rel->nr; r++) {
		if (v[r].state == REACH_VULNERABLE)
			json_array_append_new(need,
					      json_text(rel->items[r].name));
		json_object_set_new(verdicts, rel->items[r].name,
				    json_string(reach_state_name(v[r].state)));
	}
	reach_ranges_build(&ranges, rel, v);
	for (size_t k = 0; k < ranges.nr; k++) {
		const struct reach_range *r = &ranges.items[k];
		json_t *ro = json_object();

		strbuf_reset(&sb);
		reach_range_format(&sb, rel, r, &a->graph);
		json_object_set_new(ro, "series", json_text(rel->series[r->series]));
		json_object_set_new(ro, "kind", json_string(range_kind_name(r->kind)));
		json_object_set_new(ro, "first", json_text(rel->items[r->first].name));
		json_object_set_new(ro, "last", json_text(rel->items[r->last].name));
		if (r->kind == REACH_RANGE_FIXED_IN) {
			json_object_set_new(ro, "fixed_in",
					    json_text(rel->items[r->fixed_in].name));
			json_object_set_new(ro, "fixed_by",
					    json_oid(&a->graph, r->fixed_by));
		}
		json_object_set_new(ro, "introducer_unknown",
				    json_boolean(r->flags & REACH_INTRO_UNKNOWN));
		json_object_set_new(ro, "stable_only",
				    json_boolean(r->flags & REACH_STABLE_ONLY));
		json_object_set_new(ro, "text", json_text(sb.buf));
		json_array_append_new(ra, ro);
	}
	json_object_set_new(o, "id", json_text(a->advs[i].id));
	json_object_set_new(o, "introducer_unknown",
			    json_boolean(a->advs[i].intro_unknown));
	json_object_set_new(o, "needed_for", need);
	json_object_set_new(o, "ranges", ra);
	json_object_set_new(o, "verdicts", verdicts);
	reach_ranges_clear(&ranges);
	strbuf_release(&sb);
	return o;
}

static void advisory_text(const struct affected *a, size_t i)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	affected_needed_for(&sb, a, i);
	printf("%s: needed for ", a->advs[i].id);
	for (p = sb.buf; *p; p++)
		if (*p == '\n')
			fputs(", ", stdout);
		else
			putchar(*p);
	putchar('\n');
	if (a->advs[i].intro_unknown)
		printf("  introducer unknown: every release without the fix "
		       "is assumed affected\n");
	strbuf_reset(&sb);
	affected_fixed_in(&sb, a, i);
	for (p = sb.buf; *p;) {
		size_t n = strcspn(p, "\n");

		printf("  %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	strbuf_release(&sb);
}

static int affected_ids(struct repo *repo, char **args, size_t nr, int json)
{
	struct affected a = AFFECTED_INIT;
	struct strlist ids = STRLIST_INIT;
	int ret = EXIT_FATAL, missing = 0;

	for (size_t i = 0; i < nr; i++) {
		char *id;

		if (advisory_find(repo, args[i], &id)) {
			missing = 1;
			continue;
		}
		strlist_add(&ids, id);
		free(id);
	}
	if (!ids.nr) {
		ret = EXIT_NEGATIVE;
		goto done;
	}
	if (load(&a, repo, 0, ids.items, ids.nr))
		goto done;
	warn_inputs(&a);
	if (json) {
		json_t *arr = json_array();

		for (size_t i = 0; i < a.nr; i++)
			json_array_append_new(arr, advisory_json(&a, i));
		json_dumpf(arr, stdout, JSON_FLAGS);
		putchar('\n');
		json_decref(arr);
	} else {
		for (size_t i = 0; i < a.nr; i++) {
			if (i)
				putchar('\n');
			advisory_text(&a, i);
		}
	}
	ret = missing ? EXIT_NEGATIVE : 0;
done:
	affected_release(&a);
	strlist_clear(&ids);
	return ret;
}

/* ---- secport affected --release TAG --------------------------------------- */

static void why_text(struct strbuf *out, const struct affected *a,
		     const struct affected_advisory *adv,
		     const struct affected_why *w, size_t nr)
{
	char hex[GIT_OID_HEXSZ + 1], named[GIT_OID_HEXSZ + 1];

	if (adv->intro_unknown)
		strbuf_addstr(out, "introducer unknown");
	for (size_t k = 0; k < nr; k++) {
		short_oid(named, &w[k].change->named);
		if (!w[k].is_fix && (adv->intro_unknown || w[k].commit == GRAPH_NONE))
			continue;
		if (out->len)
			strbuf_addstr(out, "; ");
		if (w[k].commit == GRAPH_NONE) {
			strbuf_addf(out, "lacks fix %s", named);
			continue;
		}
		short_oid(hex, &a->graph.oids[w[k].commit]);
		strbuf_addf(out, "%s %s (%s", w[k].is_fix ? "has fix" : "introduced by",
			    hex, affected_evidence_name(w[k].evidence));
		if (w[k].evidence != AFFECTED_ANCESTRY)
			strbuf_addf(out, " of %s", named);
		strbuf_addch(out, ')');
	}
	if (!out->len)
		strbuf_addstr(out, "no introducer in release");
}

static json_t *why_json(const struct affected *a,
			const struct affected_why *w, size_t nr)
{
	json_t *arr = json_array();

	for (size_t k = 0; k < nr; k++) {
		json_t *o = json_object();
		char hex[GIT_OID_HEXSZ + 1];
		int present = w[k].commit != GRAPH_NONE;

		git_oid_tostr(hex, sizeof(hex), &w[k].change->named);
		json_object_set_new(o, "role",
				    json_string(w[k].is_fix ? "fix" : "introducer"));
		json_object_set_new(o, "commit", json_string(hex));
		json_object_set_new(o, "present", json_boolean(present));
		json_object_set_new(o, "evidence",
				    present ? json_string(affected_evidence_name(
						  w[k].evidence))
					    : json_null());
		json_object_set_new(o, "by", json_oid(&a->graph, w[k].commit));
		json_array_append_new(arr, o);
	}
	return arr;
}

static int affected_release_tag(struct repo *repo, const char *tag, int all,
				int json)
{
	struct affected a = AFFECTED_INIT;
	struct affected_why *why = NULL;
	struct strbuf sb = STRBUF_INIT;
	json_t *arr = NULL;
	size_t needed = 0;
	long rel;
	int ret = EXIT_FATAL;

	if (load(&a, repo, 0, NULL, 0))
		goto done;
	rel = affected_find_release(&a, tag);
	if (rel < 0) {
		error("'%s' is not a release (a scanned tag matching the "
		      "release globs)", tag);
		goto done;
	}
	if (json)
		arr = json_array();
	for (size_t i = 0; i < a.nr; i++) {
		const struct affected_advisory *adv = &a.advs[i];
		const struct reach_verdict *v = &affected_verdicts(&a, i)[rel];
		size_t nw = adv->nr_intro + adv->nr_fix;

		needed += v->state == REACH_VULNERABLE;
		if (!all && v->state != REACH_VULNERABLE)
			continue;
		why = xrealloc(why, (nw + 1) * sizeof(*why));
		affected_explain(why, &a, i, (size_t)rel);
		if (json) {
			json_t *o = json_object();

			json_object_set_new(o, "id", json_text(adv->id));
			json_object_set_new(o, "state",
					    json_string(reach_state_name(v->state)));
			json_object_set_new(o, "introducer_unknown",
					    json_boolean(adv->intro_unknown));
			json_object_set_new(o, "evidence",
					    why_json(&a, why, nw));
			json_array_append_new(arr, o);
		} else {
			strbuf_reset(&sb);
			why_text(&sb, &a, adv, why, nw);
			printf("%-20s %-12s %s\n", adv->id, reach_state_name(v->state),
			       sb.buf);
		}
	}
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "release", json_text(a.releases.items[rel].name));
		json_object_set_new(o, "needed", json_integer((json_int_t)needed));
		json_object_set_new(o, "advisories", arr);
		arr = NULL;
		json_dumpf(o, stdout, JSON_FLAGS);
		putchar('\n');
		json_decref(o);
	}
	ret = needed ? EXIT_NEGATIVE : 0;
done:
	json_decref(arr);
	free(why);
	strbuf_release(&sb);
	affected_release(&a);
	return ret;
}

/* ---- secport affected --annotate ------------------------------------------ */

static int affected_annotate_all(struct repo *repo)
{
	struct affected a = AFFECTED_INIT;
	size_t changed = 0;
	int ret = EXIT_FATAL;

	if (load(&a, repo, 1, NULL, 0))
		goto done;
	warn_inputs(&a);
	if (affected_write(&a, repo, NULL, &changed))
		goto done;
	trace("affected: records written");
	printf("%zu advisories, %zu releases: %zu records written\n", a.nr,
	       a.releases.nr, changed);
	ret = 0;
done:
	affected_release(&a);
	return ret;
}

int cmd_affected(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "release", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ "annotate", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct repo repo;
	const char *release = NULL;
	int c, json = 0, all = 0, annotate = 0, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'r': release = optarg; break;
		case 'a': all = 1; break;
		case 'A': annotate = 1; break;
		default: return cmd_usage("affected", c == 'h');
		}
	}
	if (annotate ? (release || json || all || optind != argc)
	    : release ? optind != argc
		      : (all || optind == argc))
		return cmd_usage("affected", 0);
	if (repo_open(&repo, "."))
		return EXIT_FATAL;
	if (annotate)
		ret = affected_annotate_all(&repo);
	else if (release)
		ret = affected_release_tag(&repo, release, all, json);
	else
		ret = affected_ids(&repo, argv + optind,
				   (size_t)(argc - optind), json);
	trace("affected: done");
	repo_release(&repo);
	return ret;
}

/* ---- secport matrix -------------------------------------------------------- */

static char cell(const struct reach_verdict *v)
{
	switch (v->state) {
	case REACH_VULNERABLE:
		return v->flags & REACH_INTRO_UNKNOWN ? 'v' : 'V';
	case REACH_FIXED:
		return v->flags & REACH_VIA_BACKPORT ? 'B' : 'F';
	case REACH_NOT_AFFECTED:
		break;
	}
	return '.';
}

static void matrix_text(const struct affected *a)
{
	const struct reach_releases *rel = &a->releases;
	struct strbuf line = STRBUF_INIT;
	size_t width = 8, height = 0;

	for (size_t i = 0; i < a->nr; i++)
		if (strlen(a->advs[i].id) > width)
			width = strlen(a->advs[i].id);
	for (size_t r = 0; r < rel->nr; r++)
		if (strlen(reach_version(rel->items[r].name)) > height)
			height = strlen(reach_version(rel->items[r].name));
	/* the versions, written downwards, one column per release */
	for (size_t row = 0; row < height; row++) {
		strbuf_reset(&line);
		strbuf_addf(&line, "%-*s ", (int)width, "");
		for (size_t r = 0; r < rel->nr; r++) {
			const char *v = reach_version(rel->items[r].name);

			if (r && rel->items[r].series != rel->items[r - 1].series)
				strbuf_addch(&line, ' ');
			strbuf_addch(&line, row < strlen(v) ? v[row] : ' ');
		}
		strbuf_rtrim(&line);
		printf("%s\n", line.buf);
	}
	for (size_t i = 0; i < a->nr; i++) {
		const struct reach_verdict *v = affected_verdicts(a, i);

		strbuf_reset(&line);
		strbuf_addf(&line, "%-*s ", (int)width, a->advs[i].id);
		for (size_t r = 0; r < rel->nr; r++) {
			if (r && rel->items[r].series != rel->items[r - 1].series)
				strbuf_addch(&line, ' ');
			strbuf_addch(&line, cell(&v[r]));
		}
		printf("%s\n", line.buf);
	}
	printf("\nV vulnerable, v vulnerable (introducer unknown), "
	       "F fixed, B fixed by a backport, . not affected\n");
	strbuf_release(&line);
}

static void matrix_csv(const struct affected *a)
{
	const struct reach_releases *rel = &a->releases;

	printf("advisory,release,series,state,introducer_unknown,"
	       "via_backport,fixed_by\n");
	for (size_t i = 0; i < a->nr; i++) {
		const struct reach_verdict *v = affected_verdicts(a, i);

		for (size_t r = 0; r < rel->nr; r++) {
			char hex[GIT_OID_HEXSZ + 1] = "";

			if (v[r].fixed_by < a->graph.nr)
				git_oid_tostr(hex, sizeof(hex),
					      &a->graph.oids[v[r].fixed_by]);
			printf("%s,%s,%s,%s,%d,%d,%s\n", a->advs[i].id,
			       rel->items[r].name, rel->series[rel->items[r].series],
			       reach_state_name(v[r].state),
			       !!(v[r].flags & REACH_INTRO_UNKNOWN),
			       !!(v[r].flags & REACH_VIA_BACKPORT), hex);
		}
	}
}

/*
 * {"releases": [...], "advisories": [...]}, written one advisory at a time:
 * at kernel scale (6,000 advisories x 3,700 releases) a whole jansson tree
 * would take gigabytes.
 */
static void matrix_json(const struct affected *a)
{
	const struct reach_releases *rel = &a->releases;
	json_t *ra = json_array();
	char *s;

	for (size_t r = 0; r < rel->nr; r++) {
		json_t *ro = json_object();

		json_object_set_new(ro, "name", json_text(rel->items[r].name));
		json_object_set_new(ro, "series",
				    json_text(rel->series[rel->items[r].series]));
		json_object_set_new(ro, "commit",
				    json_oid(&a->graph, rel->items[r].commit));
		json_array_append_new(ra, ro);
	}
	s = json_dumps(ra, JSON_FLAGS);
	printf("{\"releases\": %s,\n\"advisories\": [", s);
	free(s);
	json_decref(ra);
	for (size_t i = 0; i < a->nr; i++) {
		const struct reach_verdict *v = affected_verdicts(a, i);
		json_t *ao = json_object(), *st = json_array(), *fb = json_array(),
		       *bp = json_array();

		for (size_t r = 0; r < rel->nr; r++) {
			json_array_append_new(st, json_string(reach_state_name(v[r].state)));
			json_array_append_new(fb, json_oid(&a->graph, v[r].fixed_by));
			json_array_append_new(
			    bp, json_boolean(v[r].flags & REACH_VIA_BACKPORT));
		}
		json_object_set_new(ao, "id", json_text(a->advs[i].id));
		json_object_set_new(ao, "introducer_unknown",
				    json_boolean(a->advs[i].intro_unknown));
		json_object_set_new(ao, "states", st);
		json_object_set_new(ao, "fixed_by", fb);
		json_object_set_new(ao, "via_backport", bp);
		s = json_dumps(ao, JSON_FLAGS);
		printf("%s\n%s", i ? "," : "", s);
		free(s);
		json_decref(ao);
	}
	printf("\n]}\n");
}

int cmd_matrix(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct affected a = AFFECTED_INIT;
	struct repo repo;
	const char *format = "text";
	int c, ret = EXIT_FATAL;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else
			return cmd_usage("matrix", c == 'h');
	}
	if (optind != argc || (strcmp(format, "text") && strcmp(format, "csv") &&
			       strcmp(format, "json")))
		return cmd_usage("matrix", 0);
	if (repo_open(&repo, "."))
		return EXIT_FATAL;
	if (load(&a, &repo, 0, NULL, 0))
		goto done;
	warn_inputs(&a);
	if (!strcmp(format, "csv"))
		matrix_csv(&a);
	else if (!strcmp(format, "json"))
		matrix_json(&a);
	else
		matrix_text(&a);
	trace("matrix: printed");
	ret = 0;
done:
	affected_release(&a);
	repo_release(&repo);
	return ret;
}
