/*
 * gitutil: the one place libgit2 failures become secport errors.
 *
 * Each reports "error: <what> '<subject>': <libgit2's last message>" and
 * returns -1, so callers can `return gitutil_fail(...)`.
 */
#ifndef SECPORT_GITUTIL_H
#define SECPORT_GITUTIL_H

#include <git2.h>

int gitutil_fail(const char *what, const char *subject);
int gitutil_fail_oid(const char *what, const git_oid *id);

#endif
