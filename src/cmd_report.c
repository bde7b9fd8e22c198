/*
 * secport report -o DIR [--include-embargoed]
 *
 * Write the static HTML report of the repository (report.h) to DIR.
 */
#include "affected.h"
#include "cmd.h"
#include "embargo.h"
#include "index.h"
#include "report.h"
#include "repo.h"
#include "usage.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "include-embargoed", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_options ro = REPORT_OPTIONS_INIT;
	struct report_stats st = { 0 };
	struct affected a = AFFECTED_INIT;
	struct index ix = { 0 };
	struct repo repo;
	int c, ret = EXIT_FATAL;

	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': ro.dir = optarg; break;
		case 'E': ro.include_embargoed = 1; break;
		default: return cmd_usage("report", c == 'h');
		}
	}
	if (!ro.dir || !*ro.dir || optind != argc)
		return cmd_usage("report", 0);
	if (embargo_now(&ro.now))
		return EXIT_FATAL;
	if (repo_open(&repo, "."))
		return EXIT_FATAL;
	if (index_open_repo(&ix, &repo))
		goto done;
	if (affected_load(&a, &repo, &ix, NULL, 0))
		goto done;
	if (!a.graph.nr) {
		error("the index is empty: run 'secport scan' first");
		goto done;
	}
	trace("report: verdicts loaded");
	if (report_write(&st, &repo, &ix, &a, &ro))
		goto done;
	trace("report: written");
	printf("%s: %zu advisories, %zu releases, %zu pages, %zu patches, "
	       "%" PRIu64 " bytes\n", ro.dir, st.advisories, a.releases.nr,
	       st.pages, st.patches, st.bytes);
	if (st.withheld)
		printf("%zu embargoed advisories left out (see "
		       "--include-embargoed)\n", st.withheld);
	ret = 0;
done:
	affected_release(&a);
	index_close(&ix);
	repo_release(&repo);
	return ret;
}
