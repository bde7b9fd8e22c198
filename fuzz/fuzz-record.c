/*
 * fuzz-record: record_parse on arbitrary text; whatever parses must survive
 * record_format and parse again to the same fields, names and values (a
 * record rewritten by secport loses nothing).
 */
#include "fuzz.h"
#include "record.h"
#include "strbuf.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r = RECORD_INIT, again = RECORD_INIT;
	struct strbuf out = STRBUF_INIT;
	char *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	if (record_parse(&r, "fuzz", buf, size))
		goto done;
	for (size_t i = 0; i < r.nr; i++)
		FUZZ_CHECK(r.fields[i].name && r.fields[i].value);
	record_format(&r, &out);
	FUZZ_CHECK(!record_parse(&again, "fuzz-again", out.buf, out.len));
	FUZZ_CHECK(again.nr == r.nr);
	for (size_t i = 0; i < r.nr; i++) {
		FUZZ_CHECK(!strcmp(again.fields[i].name, r.fields[i].name));
		FUZZ_CHECK(!strcmp(again.fields[i].value, r.fields[i].value));
		FUZZ_CHECK(record_get(&r, r.fields[i].name) == r.fields[i].value);
	}
	/* record_set: replace, delete, append */
	if (r.nr) {
		char *name = strdup(r.fields[0].name);

		record_set(&r, name, "x");
		FUZZ_CHECK(!strcmp(record_get(&r, name), "x"));
		record_set(&r, name, NULL);
		FUZZ_CHECK(!record_get(&r, name));
		free(name);
	}
	for (size_t i = 0; i < r.nr; i++) {
		char **w;
		size_t nw;

		record_words(r.fields[i].value, &w, &nw);
		for (size_t j = 0; j < nw; j++)
			FUZZ_CHECK(w[j][0]);
		record_words_free(w, nw);
	}
done:
	record_release(&again);
	record_release(&r);
	strbuf_release(&out);
	free(buf);
	return 0;
}
