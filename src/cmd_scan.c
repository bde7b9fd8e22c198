/* secport scan [SOURCE] [--all | REV...]: find security fixes. */
#include "cmd.h"
#include "index.h"
#include "repo.h"
#include "scan.h"
#include "usage.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_source(struct repo *repo, const char *arg)
{
	struct stat st;
	char *path = repo_source_path(repo, arg);

	free(path);
	return path || (!stat(arg, &st) && S_ISDIR(st.st_mode));
}

int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, 'P' },
		{ "no-progress", no_argument, NULL, 'N' },
		{ "rewrite", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_options so = { 0 };
	struct scan_stats st = { 0 };
	struct repo repo;
	struct index ix = { 0 };
	char *source = NULL;
	int c, all = 0, progress = -1, ret = EXIT_FATAL;

	while ((c = getopt_long(argc, argv, "aqh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'q': usage_quiet = 1; break;
		case 'P': progress = 1; break;
		case 'N': progress = 0; break;
		case 'R': so.rewrite_all = 1; break;
		default: return cmd_usage("scan", c == 'h');
		}
	}
	if (repo_open(&repo, "."))
		return EXIT_FATAL;
	/* before adding a source: every write to the repository holds it */
	if (repo_lock(&repo, lock_timeout()))
		goto done;
	if (optind < argc && is_source(&repo, argv[optind])) {
		if (scan_resolve_source(&repo, argv[optind++], &source))
			goto done;
	} else if (scan_resolve_source(&repo, NULL, &source)) {
		goto done;
	}
	if (all && optind < argc) {
		ret = cmd_usage("scan", 0);
		goto done;
	}
	so.source = source;
	so.revs = argv + optind;
	so.nr_revs = (size_t)(argc - optind);
	so.progress = progress >= 0 ? progress : !usage_quiet && isatty(2);
	if (index_open_repo(&ix, &repo))
		goto done;
	if (scan_run(&repo, &ix, &so, &st))
		goto done;
	if (st.shallow)
		warning("'%s' is a shallow clone: scanned the commits it has",
			source);
	if (st.missing_parents)
		warning("%zu parent commits are missing from the history "
			"(shallow or grafted): they were skipped",
			st.missing_parents);
	if (st.truncated)
		warning("%zu commit messages longer than 1 MiB were read in "
			"part", st.truncated);
	if (!usage_quiet) {
		printf("%s: %zu new commits, %zu advisories updated "
		       "(%zu records and %zu patches written)\n",
		       source, st.new_commits, st.advisories, st.written,
		       st.patches_written);
		if (st.dangling.nr)
			printf("%s: %zu backport references name commits not "
			       "in the history (backport, named commit):\n",
			       source, st.dangling.nr);
		for (size_t i = 0; i < st.dangling.nr; i++)
			printf("  %s\n", st.dangling.items[i]);
	}
	ret = 0;
done:
	strlist_clear(&st.dangling);
	index_close(&ix);
	trace("scan: index closed");
	free(source);
	repo_release(&repo);
	return ret;
}
