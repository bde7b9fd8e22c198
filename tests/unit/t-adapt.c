#include "tap.h"
#include "lines.h"
#include "adapt.h"
#include "patch.h"
#include "place.h"

#include <stdlib.h>
#include <string.h>

/*
 * Place the first hunk of diff in text; the replacement lines as one
 * string, the rewritings made in *adapted (both malloc'ed).
 */
static int translated;

static char *run(const char *text, const char *diff, char **adapted)
{
	struct hunk_case c;
	struct place_result r;
	char *out = NULL;

	*adapted = NULL;
	if (case_open(&c, text, diff))
		return NULL;
	place_hunk(&r, &c.pf, &c.p.files[0].hunks[0],
		   c.p.files[0].hunks[0].old_start - 1, NULL);
	if (r.tier != PLACE_FAILED) {
		out = join_post(&r);
		*adapted = r.adapted ? strdup(r.adapted) : NULL;
	}
	translated = r.translated;
	place_result_release(&r);
	case_close(&c);
	return out;
}

/*
 * How often pf's vocabulary changed while each hunk of diff was placed
 * in text, in order: changes[i] for hunk i.
 */
static void taught(const char *text, const char *diff, unsigned long *changes)
{
	struct hunk_case c;

	if (case_open(&c, text, diff))
		return;
	for (size_t i = 0; i < c.p.files[0].nr; i++) {
		const struct patch_hunk *h = &c.p.files[0].hunks[i];
		unsigned long before = adapt_vocab_changes(c.pf.vocab);
		struct place_result r;

		place_hunk(&r, &c.pf, h, h->old_start - 1, NULL);
		changes[i] = adapt_vocab_changes(c.pf.vocab) - before;
		place_result_release(&r);
	}
	case_close(&c);
}

#define HDR "--- a/f\n+++ b/f\n"

int main(void)
{
	/* the file writes "bool_t" and "1" where upstream has "bool" and
	 * "true" */
	const char *file = "int x;\n"
			   "static bool_t opt_a = 1;\n"
			   "static bool_t opt_b = 1;\n"
			   "\n"
			   "int y;\n";
	const char *d1 = HDR "@@ -1,4 +1,5 @@\n"
			 " int x;\n"
			 " static bool opt_a = true;\n"
			 " static bool opt_b = true;\n"
			 "+static bool opt_c = true; /* bool */\n"
			 " \n";
	/* the file keeps "true" on one line: it is right as it is */
	const char *kept = "int x;\n"
			   "static bool_t opt_a = true;\n"
			   "static bool_t opt_b = 1;\n"
			   "\n"
			   "int y;\n";
	/* "int" written "long": a keyword says what the code does, and a
	 * line differing in one is another line; it teaches nothing */
	const char *kw = "int x;\n"
			 "static long opt_a = 1;\n"
			 "\n";
	const char *d2 = HDR "@@ -1,3 +1,4 @@\n"
			 " int x;\n"
			 " static int opt_a = true;\n"
			 "+static int opt_c = true;\n"
			 " \n";
	/* a removed line drifted: the edit is replayed on the file's line */
	const char *merged = "int x;\n"
			     "static bool_t opt_a = 1;\n"
			     "int f(bool_t x, int y);\n"
			     "\n";
	const char *d3 = HDR "@@ -1,4 +1,4 @@\n"
			 " int x;\n"
			 " static bool opt_a = true;\n"
			 "-int f(bool x, int y);\n"
			 "+int f(bool x, int y, bool z);\n"
			 " \n";
	/* f947752439: the removed line calls a name the file has not */
	const char *renamed = "void memory_type_changed(struct domain *d)\n"
			      "{\n"
			      "    if ( need_iommu(d) && d->vcpu && d->vcpu[0] )\n"
			      "    {\n"
			      "        p2m_memory_type_changed(d);\n";
	const char *d4 = HDR "@@ -1,4 +1,4 @@\n"
			 " void memory_type_changed(struct domain *d)\n"
			 " {\n"
			 "-    if ( has_iommu_pt(d) && d->vcpu && d->vcpu[0] )\n"
			 "+    if ( (has_iommu_pt(d) || cfp(d)) && d->vcpu )\n"
			 "     {\n";
	char *s, *a;

	s = run(file, d1, &a);
	ok(s && strstr(s, "static bool_t opt_c = 1; /* bool */\n"),
	   "added line written the file's way, not its comment");
	if (!ok(a && !strcmp(a, "bool -> bool_t, true -> 1"),
		"rewritings listed"))
		diag("got: %s", a ? a : "(none)");
	free(s);
	free(a);
	s = run(kept, d1, &a);
	ok(s && strstr(s, "static bool_t opt_c = true;"),
	   "a word the file uses is not rewritten");
	ok(a && !strcmp(a, "bool -> bool_t"), "only the other listed");
	free(s);
	free(a);
	s = run(kw, d2, &a);
	ok(s && strstr(s, "static int opt_c = true;\n"),
	   "a line differing in a keyword teaches nothing");
	free(s);
	free(a);
	s = run(merged, d3, &a);
	ok(s && strstr(s, "int f(bool_t x, int y, bool_t z);\n"),
	   "the words of an edit replayed on a drifted line too");
	free(s);
	free(a);
	s = run(renamed, d4, &a);
	ok(s && strstr(s, "    if ( (need_iommu(d) || cfp(d)) && d->vcpu )\n"),
	   "a hunk placed once written in the file's words");
	ok(translated && a && !strcmp(a, "has_iommu_pt -> need_iommu"),
	   "marked translated, the rewriting listed");
	free(s);
	free(a);
	/* a hunk exact in the file teaches nothing; one whose context
	 * drifted teaches its words: the caller sees which did */
	{
		const char *d5 = HDR "@@ -1,1 +1,2 @@\n"
				 " int x;\n"
				 "+static bool opt_c = true;\n"
				 "@@ -3,3 +4,4 @@\n"
				 " static bool opt_b = true;\n"
				 "+static bool opt_d = true;\n"
				 " \n"
				 " int y;\n";
		unsigned long changes[2] = { 9, 9 };

		taught(file, d5, changes);
		ok(changes[0] == 0 && changes[1] > 0,
		   "the vocabulary changes with the hunk that teaches");
		ok(adapt_vocab_changes(NULL) == 0, "no vocabulary, no change");
	}
	return done_testing();
}
