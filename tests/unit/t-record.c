#include "tap.h"
#include "record.h"

#include <stdlib.h>

static int parse(struct record *r, const char *s)
{
	record_release(r);
	return record_parse(r, "rec", s, strlen(s));
}

int main(void)
{
	struct record r = RECORD_INIT;
	struct strbuf sb = STRBUF_INIT;
	const char *text = "Advisory: XSA-507\n"
			   "Aliases: CVE-2026-62434\n"
			   "Backports:\n"
			   " stable-4.17 aaaa bbbb\n"
			   " stable-4.18 cccc dddd\n"
			   "Notes: first line\n"
			   " .\n"
			   " after a blank\n"
			   "X-Local: kept\n";
	char **w;
	size_t nw;

	ok(!parse(&r, text), "a record parses");
	is_str(record_get(&r, "advisory"), "XSA-507", "names are case-insensitive");
	is_str(record_get(&r, "Backports"),
	       "\nstable-4.17 aaaa bbbb\nstable-4.18 cccc dddd",
	       "a value starting on the next line");
	is_str(record_get(&r, "Notes"), "first line\n\nafter a blank",
	       "' .' is an empty line");
	is_str(record_get(&r, "X-Local"), "kept", "unknown fields are kept");
	record_format(&r, &sb);
	is_str(sb.buf, text, "format round-trips byte for byte");

	record_set(&r, "Aliases", "CVE-1 CVE-2");
	record_set(&r, "Subject", "new");
	record_set(&r, "X-Local", NULL);
	strbuf_reset(&sb);
	record_format(&r, &sb);
	ok(strstr(sb.buf, "Aliases: CVE-1 CVE-2\n") &&
	   !strstr(sb.buf, "X-Local") &&
	   strstr(sb.buf, "\nSubject: new\n") == sb.buf + sb.len - 14,
	   "set replaces in place, appends new, deletes with NULL");

	record_words(record_get(&r, "Backports"), &w, &nw);
	is_int(nw, 6, "words of a multi-line value");
	is_str(nw > 2 ? w[2] : NULL, "bbbb", "third word");
	record_words_free(w, nw);

	ok(parse(&r, "Advisory: A\nAdvisory: B\n") < 0, "duplicate field refused");
	ok(parse(&r, " cont\n") < 0, "continuation first refused");
	ok(parse(&r, "A: 1\n\nB: 2\n") < 0, "two paragraphs refused");
	ok(parse(&r, "no colon here\n") < 0, "line without a colon refused");
	ok(!parse(&r, "A: 1\r\nB: 2\r\n\n\n") && !strcmp(record_get(&r, "B"), "2"),
	   "CRLF and trailing blank lines accepted");
	ok(!parse(&r, "") && r.nr == 0, "an empty record is empty");
	record_release(&r);
	strbuf_release(&sb);
	return done_testing();
}
