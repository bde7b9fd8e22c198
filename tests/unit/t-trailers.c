#include "tap.h"
#include "trailers.h"

#include <stdlib.h>
#include <string.h>

static struct msg_facts f;

/* Parse msg from a buffer of its length, no NUL after it: under ASan a
 * read past the end fails the test. */
static void parse(const char *msg)
{
	size_t n = strlen(msg);
	char *copy = malloc(n ? n : 1);

	memcpy(copy, msg, n);
	msg_facts_clear(&f);
	trailers_parse(&f, NULL, copy, n);
	free(copy);
}

static const char *ref(size_t i, enum fact_kind kind)
{
	return i < f.nr_refs && f.refs[i].kind == kind ? f.refs[i].hex : NULL;
}

int main(void)
{
	struct trailer_rules r;
	char *adv[] = { "GHSA(-[a-z0-9]{4}){3}" };
	char *bp[] = { "^Backport-of: ([0-9a-f]+)" };

	parse("x86/pod: fix\n\nThis is XSA-507 / cve-2026-62434.\n"
	      "Also CVE-2026-62434 again and XSA-5070.\n");
	is_int(f.nr_adv, 2, "two distinct advisories stated");
	is_str(f.advisories[0], "XSA-507", "XSA id");
	is_str(f.advisories[1], "CVE-2026-62434", "lower-case cve upper-cased");
	is_str(f.nr_mention ? f.mentions[0] : NULL, "XSA-5070",
	       "longer XSA id is its own, mentioned");

	parse("pygrub: x\n\nXSA-443 and XSA-497 addressed ...\n\n"
	      "This is XSA-508.\n");
	is_int(f.nr_adv, 1, "a 'This is' line names the commit's advisory");
	is_str(f.nr_adv ? f.advisories[0] : NULL, "XSA-508", "stated id");
	is_int(f.nr_mention, 2, "other ids are mentions");
	is_str(f.nr_mention ? f.mentions[0] : NULL, "XSA-443", "mention");

	parse("docs: describe XSA-101 and XSA-102 (CVE-2026-1001)\n");
	ok(f.nr_adv == 0 && f.nr_mention == 3,
	   "ids without a 'This is' line are mentions");
	parse("sched: fix\n\n  This is part of XSA-9 (CVE-2026-1111).\n");
	is_int(f.nr_adv, 2, "every id of an indented 'This is part of' line");

	parse("gnttab: x\n\nThis is CVE-2026-62436.\n"
	      "Everything together is XSA-501.\n");
	ok(f.nr_adv == 2 && !strcmp(f.advisories[1], "XSA-501"),
	   "a short sentence '<words> is <id>' states it");
	parse("x\n\nThis patch is part of XSA-175.\n"
	      "The fix for XSA-52 was wrong.\n"
	      "The problem is that XSA-53 broke it.\n"
	      "Our product management is XSA-9 averse.\n"
	      "Everything is XSA-10 and XSA-11 / CVE-2026-1234.\n");
	ok(f.nr_adv == 4 && !strcmp(f.advisories[0], "XSA-175") &&
	   !strcmp(f.advisories[3], "CVE-2026-1234") && f.nr_mention == 3,
	   "'<words> is part of <id>' states it; other sentences mention");
	parse("fooXSA-12 CVE-2024-123 CVE-2024-1234x XSA- (CVE-2021-46904)\n");
	is_int(f.nr_mention, 1, "ids glued to words or malformed are ignored");
	is_str(f.nr_mention ? f.mentions[0] : NULL, "CVE-2021-46904",
	       "id in parentheses");

	parse("blktap2: x\n\nThis is part of XSA155.\n"
	      "Also xsa 206, XSA-20 6 and XSA155x.\n");
	is_str(f.nr_adv ? f.advisories[0] : NULL, "XSA-155",
	       "an XSA id without its dash is XSA-N");
	ok(f.nr_mention == 2 && !strcmp(f.mentions[0], "XSA-206") &&
	   !strcmp(f.mentions[1], "XSA-20"), "XSA N with a space; glued ids ignored");

	parse("subject\n\nFixes: 1234567abcdef (\"broke it\")\n"
	      "Fixes: this build error\nFixes: abc\n");
	is_int(f.nr_refs, 1, "only a hex id makes a Fixes: reference");
	is_str(ref(0, FACT_FIXES), "1234567abcdef", "Fixes: id kept as written");

	parse("s\n\ncommit 0123456789abcdef0123456789abcdef01234567 upstream.\n"
	      "[ Upstream commit 1111111111111111111111111111111111111111 ]\n"
	      "(cherry picked from commit 2222222222222222222222222222222222222222)\n"
	      "master commit: 3333333333333333333333333333333333333333\n"
	      "master date: 2020-01-01\n"
	      "(backported from commit 4444444 )\n"
	      "    This reverts commit 5555555555555555555555555555555555555555.\n"
	      "commit 6666666666666666666666666666666666666666\n");
	is_int(f.nr_refs, 6, "five backport forms and a revert");
	is_str(ref(0, FACT_BACKPORT),
	       "0123456789abcdef0123456789abcdef01234567", "commit X upstream.");
	is_str(ref(1, FACT_BACKPORT),
	       "1111111111111111111111111111111111111111", "[ Upstream commit X ]");
	is_str(ref(2, FACT_BACKPORT),
	       "2222222222222222222222222222222222222222", "cherry picked from");
	is_str(ref(3, FACT_BACKPORT),
	       "3333333333333333333333333333333333333333", "master commit:");
	is_str(ref(4, FACT_BACKPORT), "4444444", "backported from");
	is_str(ref(5, FACT_REVERT),
	       "5555555555555555555555555555555555555555", "indented revert");

	ok(!trailer_rules_init(&r, adv, 1, bp, 1), "configured patterns compile");
	msg_facts_clear(&f);
	{
		const char *m = "s\n\nThis is GHSA-abcd-efgh-1234.\n"
				"Backport-of: abcdef0123\n";
		trailers_parse(&f, &r, m, strlen(m));
	}
	is_str(f.nr_adv ? f.advisories[0] : NULL, "GHSA-ABCD-EFGH-1234",
	       "configured advisory pattern");
	is_str(ref(0, FACT_BACKPORT), "abcdef0123", "configured backport trailer");
	trailer_rules_release(&r);
	{
		char *badp[] = { "(" };
		ok(trailer_rules_init(&r, badp, 1, NULL, 0) < 0,
		   "a bad regex is refused");
	}

	ok(trailers_is_advisory("CVE-2024-12345"), "is_advisory: CVE");
	ok(trailers_is_advisory("XSA-1"), "is_advisory: XSA");
	ok(!trailers_is_advisory("XSA-1 "), "is_advisory: trailing junk");
	ok(!trailers_is_advisory("XSA 1") && !trailers_is_advisory("XSA1"),
	   "is_advisory: only the XSA-N spelling names an advisory");
	msg_facts_clear(&f);
	/* a last line of eight letters none of which may start an id: the
	 * scan skips it in one step and must not read past the end */
	parse("x: y\n\nabdefghi");
	is_int(f.nr_adv + f.nr_mention, 0, "a last line skipped whole");
	parse("x: y\n\nabcdefg XSA-1");
	is_str(f.nr_mention ? f.mentions[0] : NULL, "XSA-1",
	       "an id at the very end of a message");

	return done_testing();
}
