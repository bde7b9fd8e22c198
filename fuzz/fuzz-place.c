/*
 * fuzz-place: the placement engine.  The input is a patch and a file's
 * content separated by a line "====" (no separator: the file is empty).
 * Every hunk of every file section is placed as apply.c does (offset
 * carried from hunk to hunk, lines taken by earlier hunks refused), and
 * each result must stay inside the file, must not overlap a line already
 * taken, and a failure must say why.
 */
#include "fuzz.h"
#include "patch.h"
#include "place.h"
#include "usage.h"

#include <stdint.h>

static void place_all(const struct patch_file *pf, const struct place_file *f)
{
	unsigned char *taken = calloc(f->nr + 1, 1);
	long carried = 0;

	for (size_t i = 0; i < pf->nr; i++) {
		const struct patch_hunk *h = &pf->hunks[i];
		struct place_result r = PLACE_RESULT_INIT;
		long start = h->old_start > 0 ? h->old_start - 1 : 0;

		FUZZ_CHECK(!place_hunk(&r, f, h, start + carried, taken));
		FUZZ_CHECK(place_tier_name(r.tier));
		if (r.tier == PLACE_FAILED) {
			FUZZ_CHECK(r.reason);
			FUZZ_CHECK(r.cand_nr <= PLACE_MAX_CAND);
		} else {
			FUZZ_CHECK(r.pos >= 0 && r.len >= 0 &&
				   (size_t)(r.pos + r.len) <= f->nr);
			for (size_t j = 0; j < r.post_nr; j++)
				FUZZ_CHECK(r.post[j].s || !r.post[j].len);
			if (r.tier == PLACE_ALREADY) {
				carried = r.pos - (h->new_start > 0 ?
							   h->new_start - 1 : 0);
			} else {
				for (long j = r.pos; j < r.pos + r.len; j++)
					FUZZ_CHECK(!taken[j]);
				carried = r.pos - start;
				memset(taken + r.pos, 1, (size_t)r.len);
			}
		}
		place_result_release(&r);
	}
	free(taken);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n====\n";
	const char *d = (const char *)data, *cut = memmem(d, size, sep, 6);
	size_t plen = cut ? (size_t)(cut - d) + 1 : size;
	const char *content = cut ? cut + 6 : d + size;
	size_t clen = (size_t)(d + size - content);
	char *patch_text = malloc(plen ? plen : 1);
	char *file = malloc(clen ? clen : 1);
	struct place_line *lines = NULL;
	size_t nr = 0, alloc = 0;
	struct patch p = PATCH_INIT;

	memcpy(patch_text, d, plen);
	memcpy(file, content, clen);
	for (char *s = file, *end = file + clen; s < end;) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		ALLOC_GROW(lines, nr + 1, alloc);
		lines[nr].s = s;
		lines[nr].len = n;
		nr++;
		s = nl ? nl + 1 : end;
	}
	if (!patch_parse(&p, patch_text, plen, "fuzz.patch", 1)) {
		struct place_file pf = PLACE_FILE_INIT;

		place_file_init(&pf, lines, nr);
		for (size_t i = 0; i < p.nr; i++)
			place_all(&p.files[i], &pf);
		place_file_release(&pf);
		patch_release(&p);
	}
	free(lines);
	free(patch_text);
	free(file);
	return 0;
}
