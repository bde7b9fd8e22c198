/*
 * fuzz.h: helpers shared by the libFuzzer harnesses in fuzz/.
 *
 * Each harness feeds one parser or engine of src/ with arbitrary bytes and
 * checks what the module promises (no crash, no leak, no sanitizer report,
 * plus the invariants named in the harness).  FUZZ_CHECK aborts with the
 * failed condition, which libFuzzer records as a crash.  Built and run by
 * `make fuzz` (fuzz/run.sh); see fuzz/README.
 */
#ifndef SECPORT_FUZZ_H
#define SECPORT_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_CHECK(cond)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

/* A private directory for the harness's files, removed at exit. */
static char fuzz_dir[64];

static void fuzz_rm_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove '%s'\n", fuzz_dir);
}

__attribute__((unused)) static const char *fuzz_tmpdir(void)
{
	if (!fuzz_dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/secport-fuzz.XXXXXX",
			 t && strlen(t) < 32 ? t : "/tmp");
		if (!mkdtemp(fuzz_dir)) {
			perror("mkdtemp");
			abort();
		}
		atexit(fuzz_rm_dir);
	}
	return fuzz_dir;
}

/* Write data[0..size) to <fuzz_tmpdir>/name; returns the path (static). */
__attribute__((unused)) static const char *fuzz_write(const char *name, const unsigned char *data,
			      size_t size)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_tmpdir(), name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(path);
		abort();
	}
	return path;
}

#endif
