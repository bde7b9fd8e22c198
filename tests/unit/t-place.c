#include "tap.h"
#include "lines.h"
#include "patch.h"
#include "place.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Place the first hunk of diff in text; the result as one string. */
static char *run(const char *text, const char *diff, enum place_tier *tier,
		 long *line)
{
	struct hunk_case c;
	struct place_result r;
	char *out;

	if (case_open(&c, text, diff))
		return NULL;
	place_hunk(&r, &c.pf, &c.p.files[0].hunks[0],
		   c.p.files[0].hunks[0].old_start - 1, NULL);
	*tier = r.tier;
	*line = r.pos + 1;
	out = join_post(&r);
	place_result_release(&r);
	case_close(&c);
	return out;
}

#define HDR "--- a/f\n+++ b/f\n"

int main(void)
{
	const char *file = "int a;\nint b;\nint c;\nint d;\nint e;\n";
	const char *d1 = HDR "@@ -2,3 +2,3 @@\n int b;\n-int c;\n+int C;\n int d;\n";
	const char *drift = "x;\ny;\nint a;\nint b;\nint c;\nint d;\n";
	const char *ws = "int a;\nint  b;\nint c;\n\tint d;\n";
	const char *done = "int a;\nint b;\nint C;\nint d;\n";
	const char *twice = "int b;\nint c;\nint d;\nzz\nint b;\nint c;\nint d;\n";
	const char *fuzz = "f(void)\n{\n\tone();\n\ttwo_changed();\n"
			   "\tkill();\n\tthree();\n\tfour();\n}\n";
	const char *d2 = HDR "@@ -1,8 +1,8 @@\n f(void)\n {\n \tone();\n"
			 " \ttwo();\n-\tkill();\n+\tkeep();\n \tthree();\n"
			 " \tfour();\n }\n";
	const char *moved = "g(void)\n{\n\tone();\n\tother();\n"
			    "\tkilled();\n\tthree();\n}\n";
	const char *insert = "a1\na2\nX\na3\na4\n";
	const char *words = "f(void)\n{\n\tone();\n\tr = get(p[i], d);\n"
			    "\tthree();\n\tfour();\n}\n";
	const char *clash = "f(void)\n{\n\tone();\n\tr = get(p[i], dom);\n"
			    "\tthree();\n\tfour();\n}\n";
	const char *d4 = HDR "@@ -1,7 +1,7 @@\n f(void)\n {\n \tone();\n"
			 "-\tr = get(e, d);\n+\tr = get(e, d, partial);\n"
			 " \tthree();\n \tfour();\n }\n";
	const char *gone = "a1;\na2;\nkeep();\nold();\na4;\na5;\n";
	const char *d5 = HDR "@@ -1,8 +1,5 @@\n a1;\n a2;\n-#ifdef X\n"
			 " keep();\n-old();\n-#endif\n a4;\n a5;\n";
	const char *d3 = HDR "@@ -1,4 +1,5 @@\n a1\n a2\n+new\n a3\n a4\n";
	/* the target wraps the second half of the removed lines in #ifdef */
	const char *ifdef = "f(void)\n{\n\tone();\n\tcheck();\n#ifdef X\n"
			    "\tif (a)\n\t\tb();\n#endif\n}\n";
	const char *d6 = HDR "@@ -1,7 +1,6 @@\n f(void)\n {\n \tone();\n"
			 "-\tcheck();\n-\tif (a)\n-\t\tb();\n"
			 "+\tif (!a || b())\n+\t\tcheck();\n }\n";
	/* and here a whole #ifdef block sits among them: no crossing */
	const char *block = "f(void)\n{\n\tone();\n\tcheck();\n#ifdef X\n"
			    "\tx();\n#endif\n\tif (a)\n\t\tb();\n}\n";
	/* the first of the hunk's two edits is in the file already */
	const char *half = "config S\n\tbool \"Stacks\"\n\tdepends on CET && "
			   "EXPERT\n\tdefault y\n\thelp\n";
	const char *d8 = HDR "@@ -1,5 +1,5 @@\n config S\n"
			 "-\tbool \"Stacks (EXPERT)\"\n"
			 "-\tdepends on CET && EXPERT\n+\tbool \"Stacks\"\n"
			 "+\tdepends on CET\n \tdefault y\n \thelp\n";
	/* an insertion at the file's end, into a file that goes on */
	const char *tail = "a1\na2\na3\nmore\n";
	const char *d7 = HDR "@@ -1,3 +1,4 @@\n a1\n a2\n a3\n+end\n";
	/* upstream indents by two spaces, the file by tabs */
	const char *ml = "let f x =\n\tif x then\n\t\ta ()\n\telse\n"
			 "\t\tb ()\n";
	const char *d9 = HDR "@@ -1,5 +1,7 @@\n let f x =\n   if x then\n"
			 "     a ()\n+    c ()\n+      d ()\n   else\n"
			 "     b ()\n";
	/* the file nests the block one level deeper; a directive stays */
	const char *deep = "\t\t{\n\t\t\tone();\n\t\t\ttwo();\n\t\t}\n";
	const char *d10 = HDR "@@ -1,4 +1,8 @@\n \t{\n \t\tone();\n+#ifdef X\n"
			  "+\t\tif (x)\n+\t\t\tx();\n+#endif\n \t\ttwo();\n"
			  " \t}\n";
	/* one line is one level out (its block gone): no single mapping */
	const char *mixed = "\t\t{\n\t\t\tone();\n\t\ttwo();\n\t\t}\n";
	/* the word before the edit drifted in place (bool -> bool_t) */
	const char *subst = "f(void)\n{\n\tone();\n\tbool_t ok = get(p, d);\n"
			    "\tthree();\n\tfour();\n}\n";
	const char *d11 = HDR "@@ -1,7 +1,7 @@\n f(void)\n {\n \tone();\n"
			  "-\tbool ok = get(p, d);\n+\tbool done = get(p, d);\n"
			  " \tthree();\n \tfour();\n }\n";
	/* the file has more after the edited word: not a drift in place */
	const char *more = "f(void)\n{\n\tone();\n\tr = a + b * d;\n"
			   "\tthree();\n\tfour();\n}\n";
	const char *d12 = HDR "@@ -1,7 +1,7 @@\n f(void)\n {\n \tone();\n"
			  "-\tr = a + b;\n+\tr = a + c;\n"
			  " \tthree();\n \tfour();\n }\n";
	/* a function added after f, before one the file does not have */
	const char *funcs = "int f(void)\n{\n\treturn 1;\n}\n\n"
			    "int h(void)\n{\n\treturn 0;\n}\n";
	const char *d13 = HDR "@@ -3,6 +3,11 @@ int f(void)\n \treturn 1;\n }\n \n"
			  "+int g(void)\n+{\n+\treturn 2;\n+}\n+\n"
			  " int gone(void)\n {\n \tother();\n";
	/* the same, but f is the last item of an #ifdef block */
	const char *inblock = "#ifdef X\nint f(void)\n{\n\treturn 1;\n}\n\n"
			      "#endif\nint h(void)\n{\n\treturn 0;\n}\n";
	/* a declaration added after a table, before h: the file has
	 * #defines between them, so h pins it, unless a conditional
	 * stands between */
	const char *defs = "static struct s {\n\tint a;\n} s[2];\n\n"
			   "#define A 1\n#define B 2\n\n"
			   "static int h(struct s *p)\n{\n\treturn p->a;\n}\n";
	const char *defs_if = "static struct s {\n\tint a;\n} s[2];\n\n"
			      "#ifdef X\n#define A 1\n#endif\n\n"
			      "static int h(struct s *p)\n{\n\treturn p->a;\n}\n";
	const char *d14 = HDR "@@ -1,6 +1,8 @@ static struct s {\n \tint a;\n"
			  " } s[2];\n \n+static void g(void *data);\n+\n"
			  " static int h(struct s *p)\n {\n \treturn p->a;\n";
	/* an insertion among declarations whose words drifted: every
	 * context line alike, line for line, at one place only */
	const char *alike = "int f(void)\n{\n\tbool_t a = 1;\n\tint b;\n\n"
			    "\tbool_t a = 2;\n\tint b;\n\n\treturn a;\n}\n";
	const char *alike2 = "int f(void)\n{\n\tbool_t a = 1;\n\tint b;\n\n"
			     "\treturn a;\n\tbool_t a = 2;\n\tint b;\n\n"
			     "\treturn b;\n}\n";
	/* hunks named by an assembler macro's argument */
	const char *entries = "ENTRY(a)\n\tone\n\ttwo\n\tthree\n"
			      "ENTRY(b)\n\tone\n\ttwo\n\tthree\n";
	const char *funcs_ab = "FUNC(a)\n\tone\n\ttwo\n\tthree\n"
			       "FUNC(b)\n\tone\n\ttwo\n\tthree\n";
	const char *d16 = HDR "@@ -4,3 +4,3 @@ FUNC(b)\n \tone\n-\ttwo\n"
			  "+\tTWO\n \tthree\n";
	const char *d17 = HDR "@@ -4,3 +4,3 @@ FUNC(c)\n \tone\n-\ttwo\n"
			  "+\tTWO\n \tthree\n";
	/* an insertion whose pins have a conditional's end between */
	const char *endif_between = "\tzero();\n#ifdef X\n\tone();\n#endif\n"
				    "\ttwo();\n\tthree();\n";
	const char *else_between = "\tzero();\n#ifdef X\n\tone();\n#else\n"
				   "\ttwo();\n\tthree();\n#endif\n";
	const char *d18 = HDR "@@ -2,3 +2,4 @@\n \tone();\n+\tnew();\n"
			  " \ttwo();\n \tthree();\n";
	const char *d15 = HDR "@@ -3,4 +3,5 @@ int f(void)\n \tbool a = true;\n"
			  "+\tint c;\n \tint b;\n \n \treturn x;\n";
	enum place_tier t;
	long line;
	char *s;

	s = run(file, d1, &t, &line);
	is_int(t, PLACE_EXACT, "exact at the expected line");
	is_str(s, "int b;\nint C;\nint d;\n", "post-image");
	free(s);
	s = run(drift, d1, &t, &line);
	is_int(t, PLACE_OFFSET, "exact at an offset");
	is_int(line, 4, "offset line");
	free(s);
	s = run(ws, d1, &t, &line);
	is_int(t, PLACE_WHITESPACE, "equal ignoring whitespace");
	is_str(s, "int  b;\nint C;\n\tint d;\n", "context keeps the file's "
						    "whitespace");
	free(s);
	s = run(done, d1, &t, &line);
	is_int(t, PLACE_ALREADY, "already applied");
	free(s);
	s = run(twice, d1, &t, &line);
	is_int(t, PLACE_FAILED, "two equally near places: refused");
	free(s);
	s = run(fuzz, d2, &t, &line);
	is_int(t, PLACE_FUZZ, "a context line differs: fuzz");
	ok(s && strstr(s, "\tkeep();\n") && !strstr(s, "kill"),
	   "fuzzed hunk replaced the line");
	ok(s && strstr(s, "two_changed"), "the file's context is kept");
	free(s);
	s = run(moved, d2, &t, &line);
	is_int(t, PLACE_FAILED, "removed line absent: refused");
	free(s);
	s = run(insert, d3, &t, &line);
	is_int(t, PLACE_FAILED, "insertion with extra file lines: refused");
	free(s);
	s = run(words, d4, &t, &line);
	is_int(t, PLACE_MERGED, "removed line drifted in other words: merged");
	is_str(s, "\tr = get(p[i], d, partial);\n",
	       "the hunk's word edit on the file's line, only that line "
	       "claimed");
	free(s);
	s = run(clash, d4, &t, &line);
	is_int(t, PLACE_FAILED, "removed line drifted in the words the hunk "
				"changes: refused");
	free(s);
	s = run(gone, d5, &t, &line);
	is_int(t, PLACE_MERGED, "removed lines absent from the file: merged");
	is_str(s, "", "the present removed line is removed ...");
	is_int(line, 4, "... and only it is claimed");
	free(s);
	s = run(ifdef, d6, &t, &line);
	is_int(t, PLACE_FAILED, "removed lines straddling an #ifdef the hunk "
				"does not show: refused");
	free(s);
	s = run(block, d6, &t, &line);
	is_int(t, PLACE_REALIGNED, "a whole #ifdef block among removed lines: "
				   "realigned");
	is_str(s, "f(void)\n{\n\tone();\n#ifdef X\n\tx();\n#endif\n"
		  "\tif (!a || b())\n\t\tcheck();\n}\n", "the block is kept");
	free(s);
	s = run(tail, d7, &t, &line);
	is_int(t, PLACE_FAILED, "an insertion at the end, the file goes on: "
				"refused");
	free(s);
	s = run("a1\na2\na3\n", d7, &t, &line);
	is_int(t, PLACE_EXACT, "an insertion at the end, at the end");
	free(s);
	s = run(half, d8, &t, &line);
	is_int(t, PLACE_MERGED, "an edit already made, the other to make: "
				"merged");
	is_str(s, "\tdepends on CET\n", "only the edit still to make");
	free(s);
	s = run(ml, d9, &t, &line);
	is_int(t, PLACE_WHITESPACE, "two spaces where the file has a tab");
	is_str(s, "let f x =\n\tif x then\n\t\ta ()\n\t\tc ()\n"
		  "\t\t\td ()\n\telse\n\t\tb ()\n",
	       "inserted lines take the file's indent, a new depth too");
	free(s);
	s = run(deep, d10, &t, &line);
	is_str(s, "\t\t{\n\t\t\tone();\n#ifdef X\n\t\t\tif (x)\n"
		  "\t\t\t\tx();\n#endif\n\t\t\ttwo();\n\t\t}\n",
	       "a block nested deeper: inserted lines shifted, a directive "
	       "kept at the margin");
	free(s);
	s = run(mixed, d10, &t, &line);
	is_str(s, "\t\t{\n\t\t\tone();\n#ifdef X\n\t\tif (x)\n"
		  "\t\t\tx();\n#endif\n\t\ttwo();\n\t\t}\n",
	       "no one mapping: upstream's indent kept");
	free(s);
	s = run(subst, d11, &t, &line);
	is_int(t, PLACE_MERGED, "the word before an edit drifted in place");
	is_str(s, "\tbool_t done = get(p, d);\n",
	       "the edit's own word pins it");
	free(s);
	s = run(more, d12, &t, &line);
	is_int(t, PLACE_FAILED, "the file has more after the edited word: "
				"refused");
	free(s);
	s = run(funcs, d13, &t, &line);
	is_int(t, PLACE_REALIGNED, "a function added after the @@ one's end");
	ok(s && strstr(s, "}\n\nint g(void)\n{\n\treturn 2;\n}\n\nint h"),
	   "right after its closing brace and blank");
	free(s);
	s = run(inblock, d13, &t, &line);
	is_int(t, PLACE_FAILED, "not after the last function of an #ifdef block");
	free(s);
	s = run(defs, d14, &t, &line);
	is_int(t, PLACE_REALIGNED, "an item added before the next one, "
				   "extra items between");
	ok(s && !strcmp(s, "\nstatic void g(void *data);\n\n"),
	   "right above the next function");
	is_int(line, 7, "after the file's #defines");
	free(s);
	s = run(defs_if, d14, &t, &line);
	is_int(t, PLACE_FAILED, "not below a conditional before the next item");
	free(s);
	s = run(alike, d15, &t, &line);
	is_int(t, PLACE_FUZZ, "context alike line for line");
	is_int(line, 6, "only where no line is missing or extra");
	free(s);
	s = run(alike2, d15, &t, &line);
	is_int(t, PLACE_FAILED, "context alike at two places: refused");
	free(s);
	s = run(entries, d16, &t, &line);
	is_int(t, PLACE_OFFSET, "FUNC(b) names the function ENTRY(b) declares");
	is_int(line, 6, "in b, though a is as near");
	free(s);
	s = run(funcs_ab, d17, &t, &line);
	is_int(t, PLACE_FAILED, "FUNC(c) is no FUNC(a) or FUNC(b): refused");
	free(s);
	s = run(endif_between, d18, &t, &line);
	is_int(t, PLACE_REALIGNED, "only an #endif between the pins");
	ok(s && strstr(s, "#endif\n\tnew();\n\ttwo();"),
	   "outside the conditional, after its #endif");
	free(s);
	s = run(else_between, d18, &t, &line);
	is_int(t, PLACE_FAILED, "an #else between the pins: refused");
	free(s);
	ok(place_ws_equal("a b\t", 4, "ab", 2), "ws_equal");
	ok(!place_ws_equal("a b", 3, "abc", 3), "ws_equal differs");
	return done_testing();
}
