/*
 * t-mbox: diffs computed ahead (mbox_ahead_*) give the mails mbox_format
 * writes without them, whether a commit was added while a walk ran, given
 * when the list closed, or dropped as not wanted.
 */
#include "mbox.h"
#include "strbuf.h"
#include "usage.h"
#include "tap.h"
#include "scratch.h"

#include <stdlib.h>
#include <string.h>

#define NR 6

static const char script[] =
	"git init -q repo && cd repo &&"
	"git config user.name T && git config user.email t@example.org &&"
	"for i in 1 2 3 4 5 6; do"
	"  seq $i 40 >f$i.c && printf 'line %s\\n' $i >>common.c &&"
	"  git add . && GIT_AUTHOR_DATE=\"@$((1700000000 + i)) +0000\""
	"  GIT_COMMITTER_DATE=\"@$((1700000000 + i)) +0000\""
	"  git commit -q -m \"change $i\" && git rev-parse HEAD >>../oids;"
	"done";

static git_repository *repo;
static git_oid oid[NR];
static char *tmpdir;

static int build(void)
{
	struct strbuf sb = STRBUF_INIT;
	char line[64];
	FILE *fp;
	int n = 0;

	tmpdir = scratch_make(script);
	if (!tmpdir)
		return -1;
	strbuf_addf(&sb, "%s/oids", tmpdir);
	fp = fopen(sb.buf, "r");
	while (fp && n < NR && fgets(line, sizeof(line), fp))
		if (git_oid_fromstrn(&oid[n], line, GIT_OID_HEXSZ) == 0)
			n++;
	if (fp)
		fclose(fp);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/repo", tmpdir);
	if (n != NR || git_repository_open(&repo, sb.buf) < 0)
		n = -1;
	strbuf_release(&sb);
	return n == NR ? 0 : -1;
}

/* The mail of commit i, with the diffs of a (or none). */
static char *mail(int i, struct mbox_ahead *a)
{
	struct strbuf sb = STRBUF_INIT;
	git_commit *c = NULL;

	if (git_commit_lookup(&c, repo, &oid[i]) < 0 ||
	    mbox_format(&sb, repo, c, "", a) < 0)
		strbuf_addstr(&sb, "(error)");
	git_commit_free(c);
	return strbuf_detach(&sb, NULL);
}

static void is_mail(int i, struct mbox_ahead *a, const char *what)
{
	char *want = mail(i, NULL), *got = mail(i, a);

	is_str(got, want, "%s: commit %d's mail as without diffs ahead", what,
	       i);
	free(want);
	free(got);
}

static char *repo_path(void)
{
	return xstrdup(git_repository_path(repo));
}

/* No thread: nothing is computed, every take leaves the work to the
 * caller, and one added but not wanted is not handed out either. */
static void test_no_thread(void)
{
	char *path = repo_path();
	struct mbox_ahead *a = mbox_ahead_open(path, 0);
	struct strbuf sb = STRBUF_INIT;

	mbox_ahead_add(a, &oid[0]);
	ok(!mbox_ahead_take(a, &oid[0], &sb), "no take before the list closes");
	mbox_ahead_close(a, &oid[1], 1);
	ok(!mbox_ahead_take(a, &oid[0], &sb), "added, not wanted: dropped");
	ok(!mbox_ahead_take(a, &oid[1], &sb), "wanted, never started: the "
					      "caller's");
	ok(!mbox_ahead_take(a, &oid[5], &sb), "never asked for");
	is_int(sb.len, 0, "nothing appended");
	is_mail(1, a, "no thread");
	mbox_ahead_finish(a);
	strbuf_release(&sb);
	free(path);
}

/* Added while the walk runs, and given at the end: the same mails. */
static void test_streamed(void)
{
	char *path = repo_path();
	struct mbox_ahead *a = mbox_ahead_open(path, 2);
	git_oid want[3] = { oid[1], oid[3], oid[4] };

	mbox_ahead_add(a, &oid[1]);
	mbox_ahead_add(a, &oid[2]); /* speculative, not wanted */
	mbox_ahead_add(a, &oid[3]);
	mbox_ahead_close(a, want, 3);
	mbox_ahead_add(a, &oid[5]); /* after closing: ignored */
	for (int i = 0; i < NR; i++)
		is_mail(i, a, "streamed");
	mbox_ahead_finish(a);
	free(path);
}

/* Given whole (mbox_ahead_start), and finished with work pending. */
static void test_start_and_finish(void)
{
	char *path = repo_path();
	struct mbox_ahead *a = mbox_ahead_start(path, oid, NR, 1);

	is_mail(NR - 1, a, "given whole");
	mbox_ahead_finish(a);
	a = mbox_ahead_start(path, oid, NR, 1);
	mbox_ahead_finish(a);
	ok(1, "finish with diffs pending returns");
	a = mbox_ahead_open(path, 1);
	mbox_ahead_finish(a);
	ok(1, "finish before the list closes returns");
	free(path);
}

int main(void)
{
	git_libgit2_init();
	if (build()) {
		ok(0, "build a test repository with git");
		return done_testing();
	}
	test_no_thread();
	test_streamed();
	test_start_and_finish();
	git_repository_free(repo);
	scratch_remove(tmpdir);
	git_libgit2_shutdown();
	return done_testing();
}
