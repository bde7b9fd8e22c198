/*
 * fuzz-config: reading secport.conf.  The input is written as secport.conf
 * in a temporary directory, which repo_open opens; then every key secport
 * reads is read: the sources, their paths and release globs, and the
 * advisory.pattern and trailer.backport multivars.
 */
#include "fuzz.h"
#include "repo.h"

#include <stdint.h>
#include <strings.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	git_libgit2_init();
	/* no global or system configuration may leak into the results */
	setenv("HOME", fuzz_tmpdir(), 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct repo r;
	struct strlist sources = STRLIST_INIT, l = STRLIST_INIT;

	/* an include of another file is libgit2's business, not ours; keep
	 * the input from naming /dev/zero and the like */
	for (size_t i = 0; i + 7 <= size; i++)
		if (!strncasecmp((const char *)data + i, "include", 7))
			return -1;
	fuzz_write("secport.conf", data, size);
	if (repo_open(&r, fuzz_tmpdir()))
		return 0;
	if (!repo_sources(&r, &sources)) {
		for (size_t i = 0; i < sources.nr; i++) {
			char *path = repo_source_path(&r, sources.items[i]);

			free(path);
			if (!repo_release_globs(&r, sources.items[i], &l))
				FUZZ_CHECK(l.nr >= 1);
			strlist_clear(&l);
		}
	}
	repo_config_multivar(&r, "advisory.pattern", &l);
	strlist_clear(&l);
	repo_config_multivar(&r, "trailer.backport", &l);
	strlist_clear(&l);
	repo_config_multivar(&r, "source.a.release", &l);
	strlist_clear(&l);
	strlist_clear(&sources);
	repo_release(&r);
	return 0;
}
