/*
 * cmd: the command table.  One command, one cmd_<name>.c file, one row in
 * main.c's table.  A command parses its options (getopt_long, optind reset
 * by main), calls the core modules and prints; it returns the exit code:
 * 0 success, 1 a negative answer, 128 fatal, 129 usage.
 */
#ifndef SECPORT_CMD_H
#define SECPORT_CMD_H

#define EXIT_NEGATIVE 1
#define EXIT_FATAL 128
#define EXIT_USAGE 129

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage; /* the SYNOPSIS lines of its man page */
	int lazy_git;	   /* calls gitutil_init() itself, when it needs to */
};

const struct cmd *cmd_lookup(const char *name);

int cmd_init(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_affected(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_stream(int argc, char **argv);

/* Milliseconds to wait for the repository lock (SECPORT_LOCK_TIMEOUT). */
int lock_timeout(void);

/* Print the command's usage to stderr (or stdout when to_stdout) and
 * return EXIT_USAGE (or 0). */
int cmd_usage(const char *name, int to_stdout);

#endif
