/*
 * scratch.h: a scratch directory for unit tests that build their git
 * repositories with the git command, as the end-to-end tests do.
 */
#ifndef SECPORT_SCRATCH_H
#define SECPORT_SCRATCH_H

#include "strbuf.h"
#include "usage.h"

#include <stdlib.h>

/* A new directory under /tmp in which script ran (sh, output discarded);
 * NULL when either failed. */
static char *scratch_make(const char *script)
{
	char tmpl[] = "/tmp/secport-unit.XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	char *dir;

	if (!mkdtemp(tmpl))
		return NULL;
	dir = xstrdup(tmpl);
	strbuf_addf(&sb, "cd '%s' && sh -c '", dir);
	for (const char *p = script; *p; p++)
		if (*p == '\'')
			strbuf_addstr(&sb, "'\\''");
		else
			strbuf_addch(&sb, *p);
	strbuf_addstr(&sb, "' >/dev/null 2>&1");
	if (system(sb.buf)) {
		free(dir);
		dir = NULL;
	}
	strbuf_release(&sb);
	return dir;
}

/* Remove dir and free it (dir may be NULL). */
static void scratch_remove(char *dir)
{
	struct strbuf sb = STRBUF_INIT;

	if (!dir)
		return;
	strbuf_addf(&sb, "rm -rf '%s'", dir);
	if (system(sb.buf))
		fprintf(stderr, "cannot remove %s\n", dir);
	strbuf_release(&sb);
	free(dir);
}

#endif
