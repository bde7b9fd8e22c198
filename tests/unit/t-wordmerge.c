#include "tap.h"
#include "lines.h"
#include "patch.h"
#include "place.h"
#include "wordmerge.h"

#include <stdlib.h>
#include <string.h>

/*
 * Replay the first hunk of diff on all of text, each of its lines mapped
 * to the file line map gives (-1: unaligned); with with_hunks, the file's
 * hunks are those of diff.  The merged text, or NULL when refused.
 */
static char *replay(const char *text, const char *diff, const long *map,
		    int with_hunks)
{
	struct hunk_case c;
	char *out = NULL;

	if (case_open(&c, text, diff))
		return NULL;
	if (with_hunks) {
		c.pf.hunks = c.p.files[0].hunks;
		c.pf.hunk_nr = c.p.files[0].nr;
	}
	if (wordmerge_replay(&out, &c.pf, &c.p.files[0].hunks[0], map, 0,
			     (long)c.pf.nr))
		out = NULL;
	case_close(&c);
	return out;
}

#define HDR "--- a/f\n+++ b/f\n"

int main(void)
{
	/* two removed lines whose argument the file names otherwise */
	const char *drift = "a();\nx = f(old_name);\ny = g(old_name);\nb();\n";
	const char *d1 = HDR "@@ -1,4 +1,2 @@\n a();\n-x = f(new_name);\n"
			 "-y = g(new_name);\n b();\n";
	/* the same lines added back further down: moved, not deleted */
	const char *d2 = HDR "@@ -1,4 +1,2 @@\n a();\n-x = f(new_name);\n"
			 "-y = g(new_name);\n b();\n"
			 "@@ -9,2 +7,4 @@\n c();\n+x = f(new_name);\n"
			 "+y = g(new_name);\n d();\n";
	/* a removed line the file does not have alike */
	const char *other = "a();\nx = f(old_name);\nreturn;\nb();\n";
	/* the file writes the removed text less a comma */
	const char *punct = "a\n.macro X insn:req arg:req\nb\n";
	const char *d3 = HDR "@@ -1,3 +1,3 @@\n a\n-.macro X insn:req, arg:req\n"
			 "+.macro Y arg:req\n b\n";
	/* lines deleted before a function header the file writes
	 * otherwise: most of them the file's as they are */
	const char *hdr = "{\n\tone();\n\ttwo();\n\tthree(x);\n}\n"
			  "static int g_new(long a)\n";
	const char *d4 = HDR "@@ -1,6 +1,2 @@\n {\n-\tone();\n-\ttwo();\n"
			 "-\tthree(y);\n-}\n static int g(void)\n";
	const char *hdr2 = "{\n\tone(x);\n\ttwo(x);\n\tthree(x);\n}\n"
			   "static int g_new(long a)\n";
	const char *d5 = HDR "@@ -1,6 +1,2 @@\n {\n-\tone(y);\n-\ttwo(y);\n"
			 "-\tthree(y);\n-}\n static int g(void)\n";
	const long map4[] = { 0, 1, 2, 3, 4, 5 };
	const long map[] = { 0, -1, -1, 3 };
	const long map3[] = { 0, -1, -1, 2 };
	char *s;

	s = replay(drift, d1, map, 1);
	is_str(s, "a();\nb();\n", "drifted lines deleted");
	free(s);
	s = replay(drift, d2, map, 1);
	ok(!s, "drifted lines the patch adds back are refused (moved)");
	free(s);
	s = replay(other, d1, map, 1);
	ok(!s, "a line not alike is not deleted");
	free(s);
	s = replay(punct, d3, map3, 1);
	is_str(s, "a\n.macro Y arg:req\nb\n",
	       "removed text less punctuation replaced");
	free(s);
	s = replay(hdr, d4, map4, 1);
	is_str(s, "{\nstatic int g_new(long a)\n",
	       "deletion pinned by its lines beside a drifted header");
	free(s);
	s = replay(hdr2, d5, map4, 1);
	ok(!s, "not when most of the lines drifted");
	free(s);
	return done_testing();
}
