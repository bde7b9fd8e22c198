/* secport import FILE|DIR...: advisory-to-commit mappings from outside. */
#include "cmd.h"
#include "import.h"
#include "index.h"
#include "repo.h"
#include "scan.h"
#include "usage.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_set set = { 0 };
	struct strlist done = STRLIST_INIT, sources = STRLIST_INIT;
	struct repo repo;
	struct index ix = { 0 };
	struct scan_stats st = { 0 };
	const char *source = NULL;
	char *ixpath = NULL;
	int c, ret = EXIT_FATAL;

	while ((c = getopt_long(argc, argv, "qhs:", opts, NULL)) != -1) {
		if (c == 's')
			source = optarg;
		else if (c == 'q')
			usage_quiet = 1;
		else
			return cmd_usage("import", c == 'h');
	}
	if (optind >= argc)
		return cmd_usage("import", 0);
	for (int i = optind; i < argc; i++)
		if (import_read(&set, argv[i]))
			goto out;
	if (repo_open(&repo, "."))
		goto out;
	if (repo_lock(&repo, lock_timeout()) || import_apply(&repo, &set, &done))
		goto done;
	/* with a source, write the patches and backports of what came in */
	if (repo_sources(&repo, &sources))
		goto done;
	if (!source && sources.nr == 1)
		source = sources.items[0];
	ixpath = repo_path(&repo, ".secport/index.sqlite");
	if (source && !access(ixpath, F_OK)) {
		if (index_open(&ix, ixpath) ||
		    scan_update(&repo, &ix, source, &done, &st))
			goto done;
	}
	if (!usage_quiet)
		printf("imported %zu advisories%s\n", done.nr,
		       source && ix.db ? "" : " (run 'secport scan' to "
					     "write their patches)");
	ret = 0;
done:
	strlist_clear(&st.dangling);
	index_close(&ix);
	free(ixpath);
	repo_release(&repo);
out:
	strlist_clear(&done);
	strlist_clear(&sources);
	import_set_clear(&set);
	return ret;
}
