/*
 * fuzz-patch: patch_parse (unified and git diffs) on arbitrary text, with
 * -p1 and -p0.  On success every line must point into the patch's own
 * copy of the text, kinds are ' ', '-' or '+', and each hunk holds the
 * line counts its @@ header announced.
 */
#include "fuzz.h"
#include "patch.h"

#include <stdint.h>

static void check(const struct patch *p, size_t size)
{
	for (size_t i = 0; i < p->nr; i++) {
		const struct patch_file *f = &p->files[i];

		FUZZ_CHECK(f->old_path || f->new_path || f->is_binary ||
			   !f->nr);
		if (f->old_path || f->new_path)
			FUZZ_CHECK(patch_file_path(f));
		for (size_t j = 0; j < f->nr; j++) {
			const struct patch_hunk *h = &f->hunks[j];
			long old = 0, new = 0;

			FUZZ_CHECK(h->func);
			for (size_t k = 0; k < h->nr; k++) {
				const struct patch_line *l = &h->lines[k];

				FUZZ_CHECK(l->kind == ' ' || l->kind == '-' ||
					   l->kind == '+');
				FUZZ_CHECK(l->text >= p->buf &&
					   l->text + l->len <= p->buf + size);
				old += l->kind != '+';
				new += l->kind != '-';
			}
			FUZZ_CHECK(old == h->old_count && new == h->new_count);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct patch p = PATCH_INIT;
	char *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	for (int strip = 1; strip >= 0; strip--) {
		if (!patch_parse(&p, buf, size, "fuzz.patch", strip)) {
			check(&p, size);
			patch_release(&p);
		}
	}
	free(buf);
	return 0;
}
