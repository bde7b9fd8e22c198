/* secport init [DIR]: create a patch repository. */
#include "cmd.h"
#include "repo.h"
#include "usage.h"

#include <getopt.h>
#include <stdio.h>

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
		if (c == 'q')
			usage_quiet = 1;
		else
			return cmd_usage("init", c == 'h');
	}
	if (argc - optind > 1)
		return cmd_usage("init", 0);
	if (repo_init(optind < argc ? argv[optind] : "."))
		return EXIT_FATAL;
	if (!usage_quiet)
		printf("Initialized secport repository in %s\n",
		       optind < argc ? argv[optind] : ".");
	return 0;
}
