#include "tap.h"
#include "patch.h"

#include <stdio.h>
#include <string.h>

static const char git_diff[] =
	"commit message line\n"
	"diff --git a/src/x.c b/src/x.c\n"
	"index 1111111..2222222 100644\n"
	"--- a/src/x.c\n"
	"+++ b/src/x.c\n"
	"@@ -1,3 +1,4 @@ int main(void)\n"
	" a\n"
	"-b\n"
	"+B\n"
	"+C\n"
	" c\n"
	"diff --git a/new.h b/new.h\n"
	"new file mode 100755\n"
	"--- /dev/null\n"
	"+++ b/new.h\n"
	"@@ -0,0 +1 @@\n"
	"+x\n"
	"\\ No newline at end of file\n"
	"diff --git a/old.c b/old.c\n"
	"deleted file mode 100644\n"
	"--- a/old.c\n"
	"+++ /dev/null\n"
	"@@ -1 +0,0 @@\n"
	"-gone\n"
	"diff --git a/a/from.c b/b/to.c\n"
	"similarity index 100%\n"
	"rename from a/from.c\n"
	"rename to b/to.c\n"
	"diff --git a/m.sh b/m.sh\n"
	"old mode 100644\n"
	"new mode 100755\n";

int main(void)
{
	struct patch p = PATCH_INIT;
	const char *plain = "--- orig/f.txt\t2020-01-01 00:00:00\n"
			    "+++ new/f.txt\t2020-01-02 00:00:00\n"
			    "@@ -2 +2 @@\n-x\r\n+y\r\n";
	const char *bin = "diff --git a/b.png b/b.png\n"
			  "index 1..2 100644\n"
			  "Binary files a/b.png and b/b.png differ\n";
	const char *bad = "diff --git a/f b/f\n--- a/f\n+++ b/f\n"
			  "@@ -1,2 +1,2 @@\n a\n";
	const char *badhdr = "--- a/f\n+++ b/f\n@@ -x +1 @@\n";
	const char *lines = "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\nzzz\n";

	ok(!patch_parse(&p, git_diff, strlen(git_diff), "t.patch", 1),
	   "git diff parses");
	is_int(p.nr, 5, "five file sections");
	is_str(p.files[0].new_path, "src/x.c", "-p1 strips a/");
	is_int(p.files[0].nr, 1, "one hunk");
	is_int(p.files[0].hunks[0].nr, 5, "hunk has five lines");
	is_str(p.files[0].hunks[0].func, "int main(void)", "function name");
	is_int(p.files[0].hunks[0].lines[1].kind, '-', "removed line");
	ok(p.files[1].is_new && p.files[1].new_mode == 0100755, "new file");
	ok(!p.files[1].old_path, "new file: old path is /dev/null");
	ok(p.files[1].hunks[0].lines[0].no_eol, "no newline marker");
	ok(p.files[2].is_delete && !p.files[2].new_path, "deleted file");
	ok(p.files[3].is_rename, "rename");
	is_str(p.files[3].old_path, "a/from.c", "rename from");
	is_str(p.files[3].new_path, "b/to.c", "rename to");
	ok(p.files[4].old_mode == 0100644 && p.files[4].new_mode == 0100755,
	   "mode change");
	patch_release(&p);

	ok(!patch_parse(&p, plain, strlen(plain), "p", 1), "plain diff -u");
	is_str(p.files[0].new_path, "f.txt", "timestamp dropped");
	is_int(p.files[0].hunks[0].old_count, 1, "count defaults to 1");
	patch_release(&p);
	ok(!patch_parse(&p, plain, strlen(plain), "p", 0), "-p0");
	is_str(p.files[0].new_path, "new/f.txt", "-p0 keeps the prefix");
	patch_release(&p);
	ok(patch_parse(&p, plain, strlen(plain), "p", 3) < 0,
	   "-p3 too many components");

	ok(!patch_parse(&p, bin, strlen(bin), "b", 1), "binary diff parses");
	ok(p.files[0].is_binary, "binary flagged");
	patch_release(&p);

	printf("# expect three errors on stderr\n");
	ok(patch_parse(&p, bad, strlen(bad), "bad", 1) < 0, "truncated hunk");
	ok(patch_parse(&p, badhdr, strlen(badhdr), "h", 1) < 0,
	   "malformed hunk header");
	ok(patch_parse(&p, lines, strlen(lines), "l", 1) < 0,
	   "garbage inside a hunk");
	ok(patch_parse(&p, "hello\n", 6, "e", 1) < 0, "no changes");
	patch_release(&p);
	return done_testing();
}
