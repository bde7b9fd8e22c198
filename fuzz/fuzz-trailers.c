/*
 * fuzz-trailers: trailers_parse on arbitrary commit messages, with the
 * built-in rules only and with configured rules (advisory.pattern and
 * trailer.backport, as a secport.conf might set them).  Checks what
 * trailers.h promises about the facts: advisory ids non-empty and
 * de-duplicated, references 7 to 40 lower-case hex digits.
 */
#include "fuzz.h"
#include "trailers.h"

#include <ctype.h>
#include <stdint.h>

static struct trailer_rules rules = TRAILER_RULES_INIT;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *adv[] = { "GHSA(-[0-9a-z]{4}){3}", "DSA-[0-9]+(-[0-9]+)?",
			"x*" /* matches empty: must not loop */ };
	char *bp[] = { "cherry picked from ([0-9a-f]+)",
		       "^Upstream: *([[:xdigit:]]{7,40})",
		       "no group here" };

	if (trailer_rules_init(&rules, adv, 3, bp, 3))
		abort();
	return 0;
}

static void check(const struct msg_facts *f)
{
	for (size_t i = 0; i < f->nr_adv; i++) {
		FUZZ_CHECK(f->advisories[i][0]);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(f->advisories[i], f->advisories[j]));
	}
	for (size_t i = 0; i < f->nr_mention; i++)
		FUZZ_CHECK(f->mentions[i][0]);
	for (size_t i = 0; i < f->nr_refs; i++) {
		const char *h = f->refs[i].hex;
		size_t n = strnlen(h, sizeof(f->refs[i].hex));

		FUZZ_CHECK(n >= 7 && n <= 40);
		for (size_t j = 0; j < n; j++)
			FUZZ_CHECK(isxdigit((unsigned char)h[j]) &&
				   !isupper((unsigned char)h[j]));
		FUZZ_CHECK(f->refs[i].kind == FACT_FIXES ||
			   f->refs[i].kind == FACT_BACKPORT ||
			   f->refs[i].kind == FACT_REVERT);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg_facts f = MSG_FACTS_INIT;
	/* a copy of exactly size bytes, so ASan sees any read past the end */
	char *msg = malloc(size ? size : 1);

	memcpy(msg, data, size);
	trailers_parse(&f, NULL, msg, size);
	check(&f);
	msg_facts_clear(&f);
	trailers_parse(&f, &rules, msg, size);
	check(&f);
	msg_facts_clear(&f);
	free(msg);
	return 0;
}
