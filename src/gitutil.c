#include "gitutil.h"
#include "usage.h"

static int initialised;

void gitutil_init(void)
{
	if (initialised)
		return;
	git_libgit2_init();
	/*
	 * Like git, trust the object database: rehashing every object read
	 * (SHA-1 with collision detection) costs more than parsing it.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	initialised = 1;
}

void gitutil_shutdown(void)
{
	if (initialised)
		git_libgit2_shutdown();
	initialised = 0;
}

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
