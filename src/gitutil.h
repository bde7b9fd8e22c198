/*
 * gitutil: the one place libgit2 failures become secport errors.
 *
 * Each reports "error: <what> '<subject>': <libgit2's last message>" and
 * returns -1, so callers can `return gitutil_fail(...)`.
 */
#ifndef SECPORT_GITUTIL_H
#define SECPORT_GITUTIL_H

#include <git2.h>

/*
 * Initialise libgit2 once (and again after gitutil_shutdown): main does it
 * for every command but those that need libgit2 only sometimes (`apply
 * --patch` does not, and initialising costs 6 ms, mostly loading TLS
 * certificates, against about 5 ms for placing a patch).
 */
void gitutil_init(void);
void gitutil_shutdown(void);

int gitutil_fail(const char *what, const char *subject);
int gitutil_fail_oid(const char *what, const git_oid *id);

#endif
