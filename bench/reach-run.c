/*
 * reach-run: the benchmark driver of the reachability engine (reach.h).
 *
 *   reach-run REPO TAGS INTEREST [PRINT]
 *
 * Loads the history of every reference of REPO (graph_load_git), takes the
 * releases from TAGS (one per line: "name" or "name<TAB>commit-hex"; a bare
 * name is resolved as refs/tags/name), computes the containment of every
 * commit in every release (reach_contained), then for each commit of
 * INTEREST (first column: a full commit id) looks up its row of the matrix
 * and counts its releases, and for each commit of PRINT (default INTEREST)
 * prints the line
 *
 *   <id><TAB><release names containing it, byte order, space-separated>
 *
 * in the format of gen-history.py's truth-sample.tsv and of a sorted
 * `git tag --contains`.  Timings and peak RSS go to stderr as
 * "reach-run: <what>: <value>" lines for bench/reach.sh.
 */
#include "graph.h"
#include "reach.h"
#include "strbuf.h"
#include "usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void git_die(const char *what)
{
	const git_error *e = git_error_last();

	die("%s: %s", what, e && e->message ? e->message : "unknown error");
}

int main(int argc, char **argv)
{
	git_repository *repo = NULL;
	struct graph g = GRAPH_INIT;
	struct reach_result res = REACH_RESULT_INIT;
	char **names = NULL;
	uint32_t *commits = NULL;
	size_t nr = 0, alloc_names = 0, alloc_commits = 0;
	struct strbuf line = STRBUF_INIT;
	char **row = NULL;
	size_t nr_interest = 0, missing = 0, cells = 0;
	double t0, t_load, t_engine, t_query;
	struct rusage ru;
	FILE *fp;
	char *buf = NULL;
	size_t cap = 0;

	if (argc != 4 && argc != 5)
		die("usage: reach-run REPO TAGS INTEREST [PRINT]");
	git_libgit2_init();
	/* The production path reads the graph from the index; keep libgit2's
	 * object cache and pack mappings (1.6 GiB for the generated kernel
	 * history) from dominating the peak RSS. */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)64 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)256 << 20);
	if (git_repository_open_bare(&repo, argv[1]) < 0 &&
	    git_repository_open(&repo, argv[1]) < 0)
		git_die(argv[1]);

	t0 = now();
	if (graph_load_git(&g, repo, NULL) < 0)
		return 128;
	t_load = now() - t0;

	if (!(fp = fopen(argv[2], "r")))
		die("cannot open '%s'", argv[2]);
	while (getline(&buf, &cap, fp) > 0) {
		char *tab;
		git_oid id;

		buf[strcspn(buf, "\r\n")] = '\0';
		if (!*buf)
			continue;
		tab = strchr(buf, '\t');
		if (tab) {
			*tab = '\0';
			if (git_oid_fromstrn(&id, tab + 1, GIT_OID_HEXSZ) < 0)
				die("'%s': bad commit id for '%s'", argv[2],
				    buf);
		} else {
			git_object *obj = NULL, *c = NULL;

			strbuf_reset(&line);
			strbuf_addf(&line, "refs/tags/%s", buf);
			if (git_revparse_single(&obj, repo, line.buf) < 0 ||
			    git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0)
				git_die(line.buf);
			git_oid_cpy(&id, git_object_id(c));
			git_object_free(c);
			git_object_free(obj);
		}
		ALLOC_GROW(names, nr + 1, alloc_names);
		ALLOC_GROW(commits, nr + 1, alloc_commits);
		names[nr] = xstrdup(buf);
		commits[nr] = graph_find(&g, &id);
		if (commits[nr] == GRAPH_NONE)
			die("release '%s' is not in the history", buf);
		nr++;
	}
	fclose(fp);

	t0 = now();
	if (reach_contained(&res, &g, commits, nr) < 0)
		return 128;
	t_engine = now() - t0;

	/* The matrix rows of the commits of interest: look each up and count
	 * its releases (what a consumer of the matrix does per commit). */
	t0 = now();
	if (!(fp = fopen(argv[3], "r")))
		die("cannot open '%s'", argv[3]);
	while (getline(&buf, &cap, fp) >= GIT_OID_HEXSZ) {
		git_oid id;
		uint32_t c;
		const uint64_t *bits;

		if (git_oid_fromstrn(&id, buf, GIT_OID_HEXSZ) < 0)
			continue;
		nr_interest++;
		if ((c = graph_find(&g, &id)) == GRAPH_NONE) {
			missing++;
			continue;
		}
		bits = reach_releases_of(&res, c);
		for (size_t w = 0; w < res.words; w++)
			cells += (size_t)__builtin_popcountll(bits[w]);
	}
	fclose(fp);
	t_query = now() - t0;

	/* Print the rows asked for, with release names. */
	if (!(fp = fopen(argc > 4 ? argv[4] : argv[3], "r")))
		die("cannot open '%s'", argc > 4 ? argv[4] : argv[3]);
	row = xmalloc((nr ? nr : 1) * sizeof(*row));
	while (getline(&buf, &cap, fp) >= GIT_OID_HEXSZ) {
		git_oid id;
		uint32_t c;
		size_t n = 0;
		const uint64_t *bits;

		if (git_oid_fromstrn(&id, buf, GIT_OID_HEXSZ) < 0)
			continue;
		printf("%.*s\t", GIT_OID_HEXSZ, buf);
		if ((c = graph_find(&g, &id)) == GRAPH_NONE) {
			puts("?");
			continue;
		}
		bits = reach_releases_of(&res, c);
		for (size_t w = 0; w < res.words; w++)
			for (uint64_t b = bits[w]; b; b &= b - 1)
				row[n++] = names[w * 64 +
						 (size_t)__builtin_ctzll(b)];
		qsort(row, n, sizeof(*row), cmp_str);
		for (size_t k = 0; k < n; k++)
			printf("%s%s", k ? " " : "", row[k]);
		putchar('\n');
	}
	fclose(fp);

	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "reach-run: commits: %u\n", (unsigned)g.nr);
	fprintf(stderr, "reach-run: edges: %u\n",
		(unsigned)g.parent_start[g.nr]);
	fprintf(stderr, "reach-run: releases: %zu\n", nr);
	fprintf(stderr, "reach-run: interest: %zu (%zu not in history)\n",
		nr_interest, missing);
	fprintf(stderr, "reach-run: distinct-sets: %zu\n", res.nr_sets);
	fprintf(stderr, "reach-run: load-seconds: %.6f\n", t_load);
	fprintf(stderr, "reach-run: engine-seconds: %.6f\n", t_engine);
	fprintf(stderr, "reach-run: rows-seconds: %.6f\n", t_query);
	fprintf(stderr, "reach-run: cells: %zu\n", cells);
	fprintf(stderr, "reach-run: engine-mib: %.1f\n",
		((double)res.nr_commits * sizeof(*res.set_of) +
		 (double)res.alloc_sets * res.words * sizeof(uint64_t)) /
		    (1 << 20));
	fprintf(stderr, "reach-run: maxrss-mib: %.1f\n", ru.ru_maxrss / 1024.0);

	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	free(commits);
	free(row);
	free(buf);
	strbuf_release(&line);
	reach_result_release(&res);
	graph_release(&g);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return missing ? 1 : 0;
}
