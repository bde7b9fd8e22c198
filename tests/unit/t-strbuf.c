#include "tap.h"
#include "strbuf.h"

#include <stdlib.h>

int main(void)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;
	size_t len;

	is_str(sb.buf, "", "STRBUF_INIT is an empty string");
	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, 'd');
	strbuf_addf(&sb, "-%d-%s", 42, "x");
	is_str(sb.buf, "abcd-42-x", "add, addch and addf append");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%04d", i);
	is_int(sb.len, 9 + 4000, "grows across many appends");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "line \t\n\n");
	strbuf_rtrim(&sb);
	is_str(sb.buf, "line", "rtrim drops trailing blanks");
	s = strbuf_detach(&sb, &len);
	is_int(len, 4, "detach returns the length");
	is_str(sb.buf, "", "detach resets the strbuf");
	free(s);
	strbuf_release(&sb);
	return done_testing();
}
