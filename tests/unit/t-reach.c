/*
 * t-reach: the reachability engine against brute force and against git.
 *
 *   - version order and series names;
 *   - containment on random DAGs equals a depth-first search per release;
 *   - containment on a history built with git (merges, a criss-cross
 *     merge, cherry-pick -x backports, reverts, annotated tags) equals
 *     `git tag --contains` for every commit;
 *   - verdicts and CNA-style ranges on that history;
 *   - with GEN_REPO set to a gen-history.py output: containment equals its
 *     gen-meta/truth-sample.tsv (skipped otherwise).
 */
#include "graph.h"
#include "reach.h"
#include "strbuf.h"
#include "tap.h"
#include "scratch.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_versions(void)
{
	static const char *order[] = {
	    "1.0", "1.0.1", "1.0.2", "1.0.10", "1.1-rc1", "1.1-rc2", "1.1~x",
	    "1.1", "1.1a",  "1.1.1", "1.2",    "2.0",	  "2.0.0.1", "10.0",
	};
	struct strbuf sb = STRBUF_INIT;
	int good = 1;

	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		for (size_t j = 0; j < ARRAY_SIZE(order); j++) {
			int c = reach_version_cmp(order[i], order[j]);
			int want = i < j ? -1 : i > j;

			if ((c > 0) - (c < 0) != want) {
				diag("cmp('%s', '%s') = %d", order[i], order[j],
				     c);
				good = 0;
			}
		}
	ok(good, "reach_version_cmp orders versions like sort -V, rc first");
	is_int(reach_version_cmp("v1.01", "v1.1"), 0, "leading zeros ignored");
	ok(reach_version_cmp("RELEASE-4.9.0", "RELEASE-4.10.0") < 0,
	   "4.9 before 4.10");
	is_str(reach_version("RELEASE-4.17.3"), "4.17.3", "version of a tag");
	is_str(reach_version("latest"), "latest", "version of a non-version");

	static const char *series[][2] = {
	    {"RELEASE-4.17.3", "4.17"},
	    {"RELEASE-4.17.0", "4.17"},
	    {"v6.1", "6.1"},
	    {"v6.1.55", "6.1"},
	    {"v6.2-rc3", "6.2"},
	    {"RELEASE-4.1.6.1", "4.1"},
	    {"v2.6.32.8", "2.6.32"},
	    {"v2.6.32", "2.6.32"},
	    {"v3", "3"},
	    {"latest", "latest"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(series); i++) {
		strbuf_reset(&sb);
		reach_series(&sb, series[i][0]);
		is_str(sb.buf, series[i][1], "series of %s", series[i][0]);
	}
	strbuf_release(&sb);
}

/* ---- random DAGs against a DFS per release ----------------------------- */

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static void random_graph(struct graph *g, uint32_t nr)
{
	size_t np = 0, alloc = 0;

	g->nr = nr;
	g->oids = xcalloc(nr, sizeof(*g->oids));
	g->parent_start = xmalloc((nr + 1) * sizeof(uint32_t));
	g->parents = NULL;
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t k = i ? 1 + (rnd(8) == 0) + (rnd(40) == 0) : 0;

		g->parent_start[i] = (uint32_t)np;
		if (i && rnd(30) == 0)
			k = 0; /* another root */
		for (uint32_t j = 0; j < k; j++) {
			ALLOC_GROW(g->parents, np + 1, alloc);
			/* mostly recent parents, sometimes far back */
			g->parents[np++] =
			    rnd(4) ? i - 1 - rnd(i < 5 ? i : 5) : rnd(i);
		}
		memcpy(g->oids[i].id, &i, sizeof(i));
	}
	g->parent_start[nr] = (uint32_t)np;
	graph_finish(g);
}

static void mark_ancestors(const struct graph *g, uint32_t c, char *seen)
{
	uint32_t *stack = xmalloc(g->nr * sizeof(*stack) + 1);
	size_t n = 0;

	if (!seen[c]) {
		seen[c] = 1;
		stack[n++] = c;
	}
	while (n) {
		uint32_t x = stack[--n];

		for (uint32_t k = g->parent_start[x];
		     k < g->parent_start[x + 1]; k++)
			if (!seen[g->parents[k]]) {
				seen[g->parents[k]] = 1;
				stack[n++] = g->parents[k];
			}
	}
	free(stack);
}

static void test_random(void)
{
	static const uint32_t sizes[][2] = {
	    {1, 1}, {50, 3}, {400, 40}, {2000, 130}, {3000, 64}};

	for (size_t t = 0; t < ARRAY_SIZE(sizes); t++) {
		struct graph g = GRAPH_INIT;
		struct reach_result res = REACH_RESULT_INIT;
		uint32_t nr = sizes[t][0], nr_rel = sizes[t][1];
		uint32_t *rel = xmalloc(nr_rel * sizeof(*rel));
		char *seen = xmalloc(nr);
		int good = 1;

		random_graph(&g, nr);
		for (uint32_t r = 0; r < nr_rel; r++)
			rel[r] =
			    rnd(4) ? rnd(nr) : nr - 1 - rnd(nr < 3 ? nr : 3);
		ok(!reach_contained(&res, &g, rel, nr_rel),
		   "reach_contained on a random DAG (%u commits, %u releases)",
		   nr, nr_rel);
		for (uint32_t r = 0; r < nr_rel && good; r++) {
			memset(seen, 0, nr);
			mark_ancestors(&g, rel[r], seen);
			for (uint32_t c = 0; c < nr; c++)
				if (reach_contains(&res, r, c) != seen[c]) {
					diag("release %u commit %u: %d", r, c,
					     reach_contains(&res, r, c));
					good = 0;
					break;
				}
		}
		ok(good, "equals a DFS from every release (%u commits)", nr);
		ok(res.nr_sets <= (size_t)nr + 1, "sets are shared (%zu)",
		   res.nr_sets);
		reach_result_release(&res);
		graph_release(&g);
		free(rel);
		free(seen);
	}
}

/*
 * graph_finish() sorts by id with a counting sort on the top bits: ids
 * sharing those bits (a bucket of several), the largest and smallest ids,
 * and sizes around powers of two must come out sorted and all be found.
 */
static void test_find(void)
{
	static const uint32_t sizes[] = { 0, 1, 2, 3, 255, 256, 257, 5000 };
	unsigned seed = 12345;

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct graph g = GRAPH_INIT;
		uint32_t nr = sizes[s];
		int sorted = 1, found = 1;
		git_oid absent;

		g.nr = nr;
		g.oids = xcalloc(nr + 1, sizeof(*g.oids));
		for (uint32_t i = 0; i < nr; i++) {
			for (int b = 0; b < GIT_OID_RAWSZ; b++)
				g.oids[i].id[b] = (unsigned char)rand_r(&seed);
			if (i % 7 == 1) /* same top bytes as the one before */
				memcpy(g.oids[i].id, g.oids[i - 1].id, 4);
		}
		if (nr > 2) {
			memset(g.oids[0].id, 0xff, GIT_OID_RAWSZ);
			memset(g.oids[nr - 1].id, 0, GIT_OID_RAWSZ);
		}
		graph_finish(&g);
		for (uint32_t i = 1; i < nr; i++)
			sorted &= git_oid_cmp(&g.oids[g.by_oid[i - 1]],
					      &g.oids[g.by_oid[i]]) < 0;
		for (uint32_t i = 0; i < nr; i++)
			found &= graph_find(&g, &g.oids[i]) == i;
		memset(absent.id, 0x5a, GIT_OID_RAWSZ);
		ok(sorted && found && graph_find(&g, &absent) == GRAPH_NONE,
		   "graph_finish sorts %u ids, graph_find finds each and no "
		   "other", (unsigned)nr);
		free(g.oids);
		free(g.by_oid);
	}
}

static void test_errors(void)
{
	struct graph g = GRAPH_INIT;
	struct reach_result res = REACH_RESULT_INIT;
	uint32_t bad = 7, one = 1, ps[] = {0, 0, 1}, par[] = {1};

	random_graph(&g, 5);
	fprintf(stderr, "# expect an error:\n");
	ok(reach_contained(&res, &g, &bad, 1) < 0,
	   "a release outside the graph is an error");
	ok(!res.set_of && !res.sets, "and leaves the result empty");
	graph_release(&g);

	/* commit 1 is its own parent: not parents-first */
	g.nr = 2;
	g.parent_start = ps;
	g.parents = par;
	ok(!reach_contained(&res, &g, NULL, 0),
	   "no release: nothing to propagate");
	reach_result_release(&res);
	fprintf(stderr, "# expect an error:\n");
	ok(reach_contained(&res, &g, &one, 1) < 0,
	   "a parent not numbered before its child is an error");
	reach_result_release(&res);
	reach_result_release(NULL);
}

/* ---- a history built by git -------------------------------------------- */

/* Every commit adds its own file, so cherry-picks and reverts apply. */
static const char build_script[] =
    "set -e\n"
    "export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.com\n"
    "export GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@example.com\n"
    "export GIT_CONFIG_NOSYSTEM=1 HOME=\"$PWD\" TZ=UTC LC_ALL=C\n"
    "t=1112911993\n"
    "tick() { t=$((t + 60)); export GIT_AUTHOR_DATE=\"$t +0000\" "
    "GIT_COMMITTER_DATE=\"$t +0000\"; }\n"
    "name() { echo \"$1 $(git rev-parse HEAD)\" >>../names; }\n"
    "c() { tick; echo \"$1\" >\"$1.txt\"; git add \"$1.txt\"; "
    "git commit -q -m \"$1\"; name \"$1\"; }\n"
    "sha() { awk -v n=\"$1\" '$1 == n { print $2 }' ../names; }\n"
    "pick() { tick; git cherry-pick -x \"$(sha \"$2\")\" >/dev/null; "
    "name \"$1\"; }\n"
    "rev() { tick; git revert --no-edit \"$(sha \"$2\")\" >/dev/null; "
    "name \"$1\"; }\n"
    "merge() { tick; git merge -q --no-ff -m \"$1\" \"$2\"; name \"$1\"; }\n"
    "atag() { git tag -a -m \"$1\" \"$1\"; }\n"
    "git init -q -b master repo && cd repo\n"
    "c A; c B; c C; atag v1.0\n"
    "git checkout -q -b stable-1.0; c S1; git tag v1.0.1\n"
    "git checkout -q master; c D; c E\n"
    "git checkout -q -b topic v1.0; c T1; c T2\n"
    "git checkout -q master; merge M1 topic; git tag v1.1-rc1; c F; "
    "atag v1.1\n"
    "git checkout -q stable-1.0; pick S2 D; git tag v1.0.2; c S3; "
    "git tag v1.0.3\n"
    /* criss-cross: x and y each merge the other's first commit */
    "git checkout -q -b x master; c X1\n"
    "git checkout -q -b y master; c Y1\n"
    "git checkout -q x; merge X2 \"$(sha Y1)\"\n"
    "git checkout -q y; merge Y2 \"$(sha X1)\"; c Y3; "
    "git tag v1.2.1-side\n"
    "git checkout -q master; merge M2 x; merge M3 y; git tag v1.2\n"
    "c G; rev R G; git tag v1.3; rev RR R; atag v1.4\n"
    "git checkout -q -b stable-1.1 v1.1; c U1; git tag v1.1.1\n"
    "pick U2 G; git tag v1.1.2; rev U3 U2; git tag v1.1.3\n"
    "git checkout -q -b dangling master; c Z1\n"
    "git checkout -q master\n";

struct named {
	char name[8];
	uint32_t commit;
};

static char *tmpdir;
static struct named names[64];
static size_t nr_names;

static uint32_t N(const char *name)
{
	for (size_t i = 0; i < nr_names; i++)
		if (!strcmp(names[i].name, name))
			return names[i].commit;
	diag("no commit named %s", name);
	return GRAPH_NONE;
}

static int build_history(struct graph *g, git_repository **repo)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *fp;
	char line[256];

	tmpdir = scratch_make(build_script);
	if (!tmpdir)
		return -1;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/repo", tmpdir);
	if (git_repository_open(repo, sb.buf) < 0 ||
	    graph_load_git(g, *repo, NULL) < 0) {
		strbuf_release(&sb);
		return -1;
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/names", tmpdir);
	fp = fopen(sb.buf, "r");
	while (fp && fgets(line, sizeof(line), fp) && nr_names < 64) {
		char *sp = strchr(line, ' ');
		git_oid id;

		if (!sp || (size_t)(sp - line) >= sizeof(names[0].name) ||
		    git_oid_fromstrn(&id, sp + 1, GIT_OID_HEXSZ) < 0)
			continue;
		memcpy(names[nr_names].name, line, (size_t)(sp - line));
		names[nr_names].name[sp - line] = '\0';
		names[nr_names++].commit = graph_find(g, &id);
	}
	if (fp)
		fclose(fp);
	strbuf_release(&sb);
	return 0;
}

/* Run a shell command in the test repository; its output in out. */
static int run_git(struct strbuf *out, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *fp;
	char buf[4096];
	size_t n;

	strbuf_addf(&sb, "cd '%s/repo' && %s", tmpdir, cmd);
	strbuf_reset(out);
	fp = popen(sb.buf, "r");
	strbuf_release(&sb);
	if (!fp)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(out, buf, n);
	return pclose(fp) ? -1 : 0;
}

static void releases_of(struct strbuf *out, const struct reach_result *res,
			const struct reach_releases *rel, uint32_t c)
{
	/* rel is in version order; git lists tags in byte order */
	const char *v[64];
	size_t n = 0;

	for (size_t r = 0; r < rel->nr && n < 64; r++)
		if (reach_contains(res, r, c))
			v[n++] = rel->items[r].name;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	strbuf_reset(out);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%s\n", v[i]);
}

static void check_verdicts(const struct graph *g,
			   const struct reach_releases *rel,
			   const struct reach_result *res,
			   const struct reach_advisory *adv,
			   const char *const *want, const char *what)
{
	struct reach_verdict *v = xmalloc(rel->nr * sizeof(*v));
	struct reach_ranges ranges = REACH_RANGES_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t w = 0;
	int good = 1;

	reach_verdicts(v, res, adv);
	reach_ranges_build(&ranges, rel, v);
	for (size_t i = 0; i < ranges.nr; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s: ", rel->series[ranges.items[i].series]);
		reach_range_format(&sb, rel, &ranges.items[i], g);
		if (!want[w] || strcmp(sb.buf, want[w])) {
			diag("range %zu: got '%s', want '%s'", i, sb.buf,
			     want[w] ? want[w] : "(end)");
			good = 0;
		}
		if (want[w])
			w++;
	}
	if (want[w]) {
		diag("missing range '%s'", want[w]);
		good = 0;
	}
	ok(good, "ranges: %s", what);
	reach_ranges_clear(&ranges);
	strbuf_release(&sb);
	free(v);
}

static const char *abbrev(const struct graph *g, uint32_t c)
{
	static char hex[8][13];
	static int k;

	k = (k + 1) % 8;
	git_oid_tostr(hex[k], sizeof(hex[k]), &g->oids[c]);
	return hex[k];
}

static void test_git_history(void)
{
	git_repository *repo = NULL;
	struct graph g = GRAPH_INIT;
	struct reach_releases rel = REACH_RELEASES_INIT;
	struct reach_result res = REACH_RESULT_INIT;
	struct strbuf tags = STRBUF_INIT, got = STRBUF_INIT, want = STRBUF_INIT;
	uint32_t *commits;
	int good = 1;
	char hex[GIT_OID_HEXSZ + 1];

	if (build_history(&g, &repo) < 0) {
		ok(0, "build a history with git");
		goto done;
	}
	ok(g.nr == nr_names, "graph_load_git loads every commit (%u)",
	   (unsigned)g.nr);
	for (uint32_t i = 0; i < g.nr; i++)
		for (uint32_t k = g.parent_start[i]; k < g.parent_start[i + 1];
		     k++)
			good &= g.parents[k] < i;
	ok(good, "parents come first");
	is_int(g.parent_start[N("X2") + 1] - g.parent_start[N("X2")], 2,
	       "a merge has two parents");
	is_int(graph_find(&g, &g.oids[N("D")]), N("D"), "graph_find");

	if (run_git(&tags, "git for-each-ref --format='%(refname:short) "
			   "%(objectname) %(*objectname)' refs/tags") < 0) {
		ok(0, "list tags");
		goto done;
	}
	for (char *p = tags.buf, *eol; (eol = strchr(p, '\n')); p = eol + 1) {
		char *sp = strchr(p, ' '), *id;
		git_oid oid;

		*eol = '\0';
		*sp = '\0';
		id = eol - sp - 1 > GIT_OID_HEXSZ + 1 ? sp + 2 + GIT_OID_HEXSZ
						      : sp + 1;
		git_oid_fromstrn(&oid, id, GIT_OID_HEXSZ);
		reach_releases_add(&rel, p, graph_find(&g, &oid));
	}
	reach_releases_sort(&rel);
	is_int(rel.nr, 13, "thirteen tags");
	strbuf_reset(&got);
	for (size_t i = 0; i < rel.nr; i++)
		strbuf_addf(&got, "%s%s", i ? " " : "", rel.items[i].name);
	is_str(got.buf,
	       "v1.0 v1.0.1 v1.0.2 v1.0.3 v1.1-rc1 v1.1 v1.1.1 v1.1.2 v1.1.3 "
	       "v1.2 v1.2.1-side v1.3 v1.4",
	       "releases grouped by series, in version order");

	commits = xmalloc(rel.nr * sizeof(*commits));
	for (size_t i = 0; i < rel.nr; i++)
		commits[i] = rel.items[i].commit;
	ok(!reach_contained(&res, &g, commits, rel.nr), "reach_contained");
	free(commits);

	good = 1;
	for (uint32_t c = 0; c < g.nr; c++) {
		struct strbuf cmd = STRBUF_INIT;

		git_oid_tostr(hex, sizeof(hex), &g.oids[c]);
		strbuf_addf(&cmd, "git tag --contains %s", hex);
		if (run_git(&want, cmd.buf) < 0)
			good = 0;
		strbuf_release(&cmd);
		releases_of(&got, &res, &rel, c);
		if (strcmp(got.buf, want.buf)) {
			diag("commit %s: got\n%s# want\n%s", hex, got.buf,
			     want.buf);
			good = 0;
		}
	}
	ok(good, "every commit: releases equal `git tag --contains`");

	/* Bug in B, fixed by D, backported to 1.0 as S2. */
	{
		uint32_t intro[] = {N("B")}, fix[] = {N("D"), N("S2")};
		struct reach_alts i1 = {intro, 1}, f1 = {fix, 2};
		struct reach_advisory adv = {&i1, 1, &f1, 1, NULL, 0};
		struct strbuf w0 = STRBUF_INIT;
		const char *want_ranges[4];

		strbuf_addf(&w0,
			    "1.0: 1.0"
			    "\xe2\x80\x93"
			    "1.0.1 affected, fixed "
			    "in 1.0.2 (%s)",
			    abbrev(&g, N("S2")));
		want_ranges[0] = w0.buf;
		want_ranges[1] =
		    "1.1: 1.1-rc1 and later unaffected (fixed before release)";
		want_ranges[2] =
		    "1.2: 1.2 and later unaffected (fixed before release)";
		want_ranges[3] = NULL;
		/* 1.3 and 1.4 also fixed: add them */
		{
			const char *w[] = {
			    want_ranges[0],
			    want_ranges[1],
			    want_ranges[2],
			    "1.3: 1.3 and later unaffected (fixed before "
			    "release)",
			    "1.4: 1.4 and later unaffected (fixed before "
			    "release)",
			    NULL};
			check_verdicts(&g, &rel, &res, &adv, w,
				       "fixed upstream, backported to 1.0");
		}
		{
			struct reach_verdict *v = xmalloc(rel.nr * sizeof(*v));

			reach_verdicts(v, &res, &adv);
			is_int(v[1].state, REACH_VULNERABLE,
			       "v1.0.1 vulnerable");
			is_int(v[2].state, REACH_FIXED, "v1.0.2 fixed");
			ok(v[2].flags & REACH_VIA_BACKPORT, "by a backport");
			is_int(v[2].fixed_by, N("S2"), "namely S2");
			is_int(v[5].fixed_by, N("D"), "v1.1 fixed by D itself");
			ok(!(v[5].flags & REACH_VIA_BACKPORT),
			   "v1.1 fixed by ancestry");
			free(v);
		}
		strbuf_release(&w0);
	}

	/* Introduced by the topic (T1), so 1.0.x never had it; fixed by G,
	 * reverted (R), restored (RR); backported to 1.1 (U2), reverted
	 * there (U3). */
	{
		uint32_t intro[] = {N("T1")}, fix[] = {N("G"), N("U2")};
		struct reach_alts i1 = {intro, 1}, f1 = {fix, 2};
		struct reach_revert rv[] = {
		    {N("R"), N("G")}, {N("RR"), N("R")}, {N("U3"), N("U2")}};
		struct reach_advisory adv = {&i1, 1, &f1, 1, rv, 3};
		struct strbuf w0 = STRBUF_INIT, w1 = STRBUF_INIT;

		strbuf_addf(&w0,
			    "1.1: 1.1-rc1"
			    "\xe2\x80\x93"
			    "1.1.1 affected, "
			    "fixed in 1.1.2 (%s)",
			    abbrev(&g, N("U2")));
		strbuf_addf(&w1, "1.4: 1.4 and later unaffected (fixed "
				 "before release)");
		{
			const char *w[] = {
			    "1.0: 1.0.x unaffected",
			    w0.buf,
			    "1.1: 1.1.3 and later affected, no fix in series",
			    "1.2: 1.2.x affected, no fix in series",
			    "1.3: 1.3.x affected, no fix in series",
			    w1.buf,
			    NULL};
			check_verdicts(&g, &rel, &res, &adv, w,
				       "reverted fix, reverted revert");
		}
		strbuf_release(&w0);
		strbuf_release(&w1);
	}

	/* Unknown introducer; two fixes, both needed: D (backport S2) and
	 * F (no backport). */
	{
		uint32_t f1c[] = {N("D"), N("S2")}, f2c[] = {N("F")};
		struct reach_alts f[] = {{f1c, 2}, {f2c, 1}};
		struct reach_advisory adv = {NULL, 0, f, 2, NULL, 0};
		struct strbuf w0 = STRBUF_INIT;
		const char *w[6];

		strbuf_addf(&w0,
			    "1.1: 1.1-rc1 affected (introducer unknown), "
			    "fixed in 1.1 (%s)",
			    abbrev(&g, N("F")));
		w[0] = "1.0: 1.0.x affected (introducer unknown), no fix in "
		       "series";
		w[1] = w0.buf;
		w[2] = "1.2: 1.2 and later unaffected (fixed before release)";
		w[3] = "1.3: 1.3 and later unaffected (fixed before release)";
		w[4] = "1.4: 1.4 and later unaffected (fixed before release)";
		w[5] = NULL;
		check_verdicts(&g, &rel, &res, &adv, w,
			       "unknown introducer, two fixes");
		strbuf_release(&w0);
	}

	/* No fix at all, introducer in v1.0's history. */
	{
		uint32_t intro[] = {N("A")};
		struct reach_alts i1 = {intro, 1};
		struct reach_advisory adv = {&i1, 1, NULL, 0, NULL, 0};
		const char *w[] = {"1.0: 1.0.x affected, no fix in series",
				   "1.1: 1.1.x affected, no fix in series",
				   "1.2: 1.2.x affected, no fix in series",
				   "1.3: 1.3.x affected, no fix in series",
				   "1.4: 1.4.x affected, no fix in series",
				   NULL};

		check_verdicts(&g, &rel, &res, &adv, w, "no fix");
	}

done:
	reach_result_release(&res);
	reach_releases_clear(&rel);
	graph_release(&g);
	git_repository_free(repo);
	strbuf_release(&tags);
	strbuf_release(&got);
	strbuf_release(&want);
	scratch_remove(tmpdir);
	tmpdir = NULL;
}

/* ---- a generated kernel-shaped history --------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_gen_repo(const char *dir)
{
	git_repository *repo = NULL;
	struct graph g = GRAPH_INIT;
	struct reach_result res = REACH_RESULT_INIT;
	struct strbuf path = STRBUF_INIT, got = STRBUF_INIT;
	char **names_ = NULL, *line = NULL;
	uint32_t *commits = NULL;
	size_t nr = 0, alloc_n = 0, alloc_c = 0, cap = 0, rows = 0;
	int good = 1;
	FILE *fp;

	if (git_repository_open_bare(&repo, dir) < 0 ||
	    graph_load_git(&g, repo, NULL) < 0) {
		ok(0, "load GEN_REPO '%s'", dir);
		goto done;
	}
	strbuf_addf(&path, "%s/gen-meta/tags.tsv", dir);
	fp = fopen(path.buf, "r");
	while (fp && getline(&line, &cap, fp) > 0) {
		char *tab = strchr(line, '\t');
		git_oid id;

		if (!tab || git_oid_fromstrn(&id, tab + 1, GIT_OID_HEXSZ) < 0)
			continue;
		ALLOC_GROW(names_, nr + 1, alloc_n);
		ALLOC_GROW(commits, nr + 1, alloc_c);
		names_[nr] = xstrndup(line, (size_t)(tab - line));
		commits[nr++] = graph_find(&g, &id);
	}
	if (fp)
		fclose(fp);
	ok(nr > 0 && !reach_contained(&res, &g, commits, nr),
	   "GEN_REPO: %zu releases over %u commits", nr, (unsigned)g.nr);

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/gen-meta/truth-sample.tsv", dir);
	fp = fopen(path.buf, "r");
	while (fp && res.set_of && getline(&line, &cap, fp) > 0) {
		git_oid id;
		uint32_t c;
		static const char *v[8192];
		size_t n = 0;

		line[strcspn(line, "\r\n")] = '\0';
		if (git_oid_fromstrn(&id, line, GIT_OID_HEXSZ) < 0)
			continue;
		c = graph_find(&g, &id);
		for (size_t r = 0; c != GRAPH_NONE && r < nr && n < 8192; r++)
			if (reach_contains(&res, r, c))
				v[n++] = names_[r];
		qsort(v, n, sizeof(*v), cmp_str);
		strbuf_reset(&got);
		strbuf_add(&got, line, GIT_OID_HEXSZ);
		strbuf_addch(&got, '\t');
		for (size_t k = 0; k < n; k++)
			strbuf_addf(&got, "%s%s", k ? " " : "", v[k]);
		if (strcmp(got.buf, line)) {
			diag("got:  %.200s\n# want: %.200s", got.buf, line);
			good = 0;
		}
		rows++;
	}
	if (fp)
		fclose(fp);
	ok(good && rows, "GEN_REPO: truth sample (%zu rows)", rows);
done:
	for (size_t i = 0; i < nr; i++)
		free(names_[i]);
	free(names_);
	free(commits);
	free(line);
	strbuf_release(&path);
	strbuf_release(&got);
	reach_result_release(&res);
	graph_release(&g);
	git_repository_free(repo);
}

int main(void)
{
	const char *gen = getenv("GEN_REPO");

	git_libgit2_init();
	test_versions();
	test_random();
	test_find();
	test_errors();
	test_git_history();
	if (gen && *gen)
		test_gen_repo(gen);
	else
		ok(1, "# skip GEN_REPO not set (a gen-history.py output)");
	git_libgit2_shutdown();
	return done_testing();
}
