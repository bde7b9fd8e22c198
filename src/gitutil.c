#include "gitutil.h"
#include "usage.h"

int gitutil_fail(const char *what, const char *subject)
{
	const git_error *e = git_error_last();

	return error("%s '%s': %s", what, subject,
		     e && e->message ? e->message : "unknown error");
}

int gitutil_fail_oid(const char *what, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	return gitutil_fail(what, hex);
}
