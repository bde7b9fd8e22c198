/*
 * secport: find upstream security fixes, split them out per advisory,
 * tell which releases need them, and apply them to drifted trees.
 *
 * main() dispatches argv[1] through the command table below.
 */
#include "cmd.h"
#include "gitutil.h"
#include "usage.h"

#include <getopt.h>
#include <git2.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SECPORT_VERSION
#define SECPORT_VERSION "0.1"
#endif

static const struct cmd commands[] = {
	{ "init", cmd_init, "Create a patch repository",
	  "secport init [DIR]" },
	{ "scan", cmd_scan, "Find security fixes in an upstream history",
	  "secport scan [-q] [--progress] [--rewrite] [SOURCE] [--all | REV...]" },
	{ "import", cmd_import, "Import advisory-to-commit mappings",
	  "secport import [-q] [--source NAME] FILE|DIR..." },
	{ "list", cmd_list, "List the advisories of the repository",
	  "secport list [--json]" },
	{ "show", cmd_show, "Show one advisory",
	  "secport show [--json] ID" },
	{ "affected", cmd_affected, "Tell which releases need each fix",
	  "secport affected [--json] ID... | [--json] [--all] --release TAG"
	  " | --annotate" },
	{ "matrix", cmd_matrix, "All advisories by all releases",
	  "secport matrix [--format text|csv|json]" },
	{ "export", cmd_export, "Write CVE JSON 5, OSV, OpenVEX, CSV or the patches",
	  "secport export --format cve5|osv|openvex|csv [--include-embargoed] [--stream NAME] -o DIR"
	  " | --patches [--include-embargoed] -o DIR" },
	{ "apply", cmd_apply, "Apply a patch or advisories to a source tree",
	  "secport apply --tree DIR --patch FILE [-pN] [--dry-run] [--partial] [--json] [-q]"
	  " | --tree DIR [--dry-run] [--json] [-q] [--series DIR] ID..."
	  " | --tree DIR --needed [--release TAG] [--dry-run] [--json] [-q] [--series DIR]",
	  1 },
	{ "status", cmd_status, "Which fixes a tree has",
	  "secport status --tree DIR [--release TAG] [--json]" },
	{ "report", cmd_report, "Write a static HTML report",
	  "secport report -o DIR [--include-embargoed]" },
	{ "stream", cmd_stream, "Lockstep package streams",
	  "secport stream status [NAME] [--json]"
	  " | stream release NAME [--include-embargoed] [--dry-run]" },
	{ "help", cmd_help, "Show help for a command",
	  "secport help [CMD]" },
};

const struct cmd *cmd_lookup(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void main_usage(FILE *fp)
{
	fprintf(fp, "usage: secport [--version] [-C DIR] <command> [<args>]\n\n"
		    "Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(fp, "   %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(fp, "\nThe patch repository is the current directory or "
		    "the nearest parent holding secport.conf.\n"
		    "See 'secport help <command>' and secport(1).\n");
}

int cmd_usage(const char *name, int to_stdout)
{
	const struct cmd *c = cmd_lookup(name);
	FILE *fp = to_stdout ? stdout : stderr;

	if (!c)
		return EXIT_USAGE;
	fprintf(fp, "usage: %s\n", c->usage);
	return to_stdout ? 0 : EXIT_USAGE;
}

/* How long to wait for another secport: SECPORT_LOCK_TIMEOUT ms, or 60 s. */
int lock_timeout(void)
{
	const char *v = getenv("SECPORT_LOCK_TIMEOUT");

	return v && *v ? atoi(v) : 60000;
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		main_usage(stdout);
		return 0;
	}
	if (!cmd_lookup(argv[1])) {
		error("'%s' is not a secport command", argv[1]);
		return EXIT_USAGE;
	}
	printf("secport %s: %s\n", argv[1], cmd_lookup(argv[1])->summary);
	cmd_usage(argv[1], 1);
	printf("\nSee secport-%s(1) for the details.\n", argv[1]);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	int ret;

	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--version")) {
			printf("secport %s\n", SECPORT_VERSION);
			return 0;
		} else if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			main_usage(stdout);
			return 0;
		} else if (!strcmp(argv[1], "-C") && argc > 2) {
			if (chdir(argv[2]) < 0)
				die("cannot change to '%s': %s", argv[2],
				    strerror(errno));
			argc -= 2;
			argv += 2;
		} else {
			error("unknown option '%s'", argv[1]);
			main_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc < 2) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	c = cmd_lookup(argv[1]);
	if (!c) {
		error("'%s' is not a secport command; see 'secport --help'",
		      argv[1]);
		return EXIT_USAGE;
	}
	if (!c->lazy_git)
		gitutil_init();
	optind = 0; /* full getopt reset, glibc */
	ret = c->fn(argc - 1, argv + 1);
	gitutil_shutdown();
	if (fflush(stdout) || ferror(stdout))
		die("cannot write to standard output");
	return ret;
}
