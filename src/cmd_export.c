/*
 * secport export --format cve5|osv|openvex|csv [--include-embargoed] -o DIR
 * secport export --patches [--include-embargoed] -o DIR
 *
 * The public outputs of the repository (export.h); embargoed advisories
 * (embargo.h) are left out unless asked for.
 */
#include "cmd.h"
#include "embargo.h"
#include "export.h"
#include "index.h"
#include "repo.h"
#include "usage.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "patches", no_argument, NULL, 'p' },
		{ "include-embargoed", no_argument, NULL, 'e' },
		{ "stream", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_options eo = EXPORT_OPTIONS_INIT;
	struct export_stats st;
	struct index ix = { 0 };
	struct repo repo;
	const char *format = NULL;
	int c, patches = 0, ret = EXIT_FATAL;

	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'p': patches = 1; break;
		case 'e': eo.include_embargoed = 1; break;
		case 's': eo.stream = optarg; break;
		case 'o': eo.dir = optarg; break;
		default: return cmd_usage("export", c == 'h');
		}
	}
	if (optind != argc || !eo.dir || !*eo.dir || !!format == patches)
		return cmd_usage("export", 0);
	if (patches)
		eo.format = EXPORT_PATCHES;
	else if (export_format_parse(format, &eo.format)) {
		error("unknown format '%s': cve5, osv, openvex or csv", format);
		return cmd_usage("export", 0);
	}
	if (eo.stream && eo.format != EXPORT_OPENVEX) {
		error("--stream goes with --format openvex");
		return cmd_usage("export", 0);
	}
	if (embargo_now(&eo.now) || repo_open(&repo, "."))
		return EXIT_FATAL;
	if (!patches) {
		if (index_open_repo(&ix, &repo))
			goto done;
	}
	if (export_run(&repo, patches ? NULL : &ix, &eo, &st))
		goto done;
	if (st.duplicates)
		warning("%zu CVE ids are aliases of two advisories: written "
			"for the first only", st.duplicates);
	printf("%zu advisories exported to '%s' (%zu files", st.advisories,
	       eo.dir, st.files);
	if (st.removed)
		printf(", %zu stale files removed", st.removed);
	printf("); %zu embargoed advisories %s\n", st.embargoed,
	       eo.include_embargoed ? "included" : "left out");
	ret = 0;
done:
	if (!patches)
		index_close(&ix);
	repo_release(&repo);
	return ret;
}
