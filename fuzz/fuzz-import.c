/*
 * fuzz-import: the CNA and list importers.  The input is written to a
 * temporary CVE-2024-1.json, CVE-2024-1.sha1, CVE-2024-1.vulnerable and a
 * plain list, and import_read reads each; whatever is read must be full
 * lower-case commit ids under a non-empty advisory id.
 */
#include "fuzz.h"
#include "import.h"

#include <ctype.h>
#include <stdint.h>

static void check_ids(const struct strlist *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		FUZZ_CHECK(strlen(l->items[i]) == 40);
		for (const char *c = l->items[i]; *c; c++)
			FUZZ_CHECK(isxdigit((unsigned char)*c) &&
				   !isupper((unsigned char)*c));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "CVE-2024-1.json",
					     "CVE-2024-1.sha1",
					     "CVE-2024-1.vulnerable", "list" };

	for (size_t n = 0; n < 4; n++) {
		struct import_set set = { 0 };
		const char *path = fuzz_write(names[n], data, size);

		if (!import_read(&set, path)) {
			for (size_t i = 0; i < set.nr; i++) {
				FUZZ_CHECK(set.items[i].id[0]);
				check_ids(&set.items[i].fixes);
				check_ids(&set.items[i].introduced);
				/* the list importer leaves a bad id in on error
				 * only; here it succeeded */
				if (n < 3)
					check_ids(&set.items[i].backports);
			}
		}
		import_set_clear(&set);
		unlink(path);
	}
	return 0;
}
