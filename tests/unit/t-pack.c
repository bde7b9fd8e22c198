/*
 * t-pack: the pack reader gives what libgit2's git_odb_read gives, for
 * every object of packs built with git: deltified commits, trees and
 * blobs (OFS_DELTA and REF_DELTA), 64-bit offsets; loose, absent and
 * corrupt objects are not its; alternates are followed.
 */
#include "pack.h"
#include "strbuf.h"
#include "usage.h"
#include "tap.h"
#include "scratch.h"

#include <stdlib.h>
#include <string.h>

/*
 * r1: 60 commits whose messages and files differ a little, repacked so
 * that commits are deltified, its index rewritten with 64-bit offsets for
 * all but the first objects, then one loose commit (and its tree and a
 * blob).  r2: the same packed
 * with REF_DELTA.  r3: r1's pack with one commit's data damaged.  r4: a
 * clone borrowing r1's objects through objects/info/alternates.
 */
static const char script[] =
	"git init -q r1 && cd r1 &&"
	"git config user.name T && git config user.email t@example.org &&"
	"for i in $(seq 1 60); do"
	"  seq 1 $((200 + i)) >big.c && printf 'line %s\\n' $i >>log.c &&"
	"  git add . && GIT_AUTHOR_DATE=\"@$((1700000000 + i)) +0000\""
	"  GIT_COMMITTER_DATE=\"@$((1700000000 + i)) +0000\""
	"  git commit -q -m \"sub: change number $i\""
	"    -m \"$(seq 1 30 | sed 's/^/a long and repeated body line /')\""
	"    -m 'Signed-off-by: T <t@example.org>' || exit 1;"
	"done &&"
	"git repack -q -adf --depth=10 --window=250 && cd .. &&"
	"cp -r r1 r2 && cp -r r1 r3 &&"
	"(cd r1 && p=$(ls .git/objects/pack/*.pack) &&"
	"  chmod u+w ${p%.pack}.idx &&"
	"  git index-pack --index-version=2,0x400 -o new.idx $p &&"
	"  mv new.idx ${p%.pack}.idx &&"
	"  git verify-pack -v ${p%.pack}.idx >../verify &&"
	"  awk '$2 == \"commit\" && NF == 7' ../verify | wc -l >../deltas &&"
	"  git count-objects -v | sed -n 's/^in-pack: //p' >../in-pack &&"
	"  echo x >>log.c && git add . && git commit -q -m loose &&"
	"  git rev-parse HEAD >../loose && git rev-parse HEAD~1 >../packed) &&"
	"(cd r2 && git -c repack.useDeltaBaseOffset=false"
	"  repack -q -adf --depth=10 --window=250 &&"
	"  git verify-pack -v .git/objects/pack/*.idx |"
	"  awk '$2 == \"commit\" && NF == 7' | wc -l >../deltas2) &&"
	"(cd r3 && p=$(ls .git/objects/pack/*.pack) && chmod u+w $p &&"
	"  set -- $(awk '$2 == \"commit\" && NF == 5 {"
	"    print $1, $4, $5; exit }' ../verify) && echo $1 >../corrupt &&"
	"  printf '\\377\\377\\377\\377' | dd of=$p bs=1 seek=$(($3 + $2 / 2))"
	"    conv=notrunc) &&"
	"git clone -q --shared r1 r4";

static char *tmpdir;

static char *path(const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", tmpdir, name);
	return strbuf_detach(&sb, NULL);
}

/* The first line of file name in the scratch directory, as a number or an
 * object id. */
static long number(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char *p = path(name);
	long n = strbuf_read_file(&sb, p, 0) ? -1 : atol(sb.buf);

	free(p);
	strbuf_release(&sb);
	return n;
}

static int oid_of(git_oid *out, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char *p = path(name);
	int rc = strbuf_read_file(&sb, p, 0) ? -1 :
		 git_oid_fromstrn(out, sb.buf, GIT_OID_HEXSZ);

	free(p);
	strbuf_release(&sb);
	return rc;
}

static struct pack_reader *reader;

struct compare {
	const struct packs *packs;
	git_odb *odb;
	size_t nr, mine, same;
};

static int compare_one(const git_oid *id, void *payload)
{
	struct compare *c = payload;
	git_odb_object *obj = NULL;
	git_object_t type;
	char *raw;
	size_t size;

	c->nr++;
	if (pack_read(&raw, &size, &type, c->packs, reader, id))
		return 0;
	c->mine++;
	if (!git_odb_read(&obj, c->odb, id) &&
	    git_odb_object_type(obj) == type &&
	    git_odb_object_size(obj) == size &&
	    !memcmp(git_odb_object_data(obj), raw, size) && !raw[size])
		c->same++;
	else
		diag("object %s differs", git_oid_tostr_s(id));
	git_odb_object_free(obj);
	free(raw);
	return 0;
}

/* Every object of repository name: how many, how many the reader gave,
 * how many of those equal libgit2's. */
static struct compare compare_all(const char *name, struct packs *packs)
{
	struct compare c = { packs };
	git_repository *repo = NULL;
	struct strbuf objdir = STRBUF_INIT;
	char *p = path(name);

	strbuf_addf(&objdir, "%s/.git/objects", p);
	pack_open(packs, objdir.buf);
	if (!git_repository_open(&repo, p) && !git_repository_odb(&c.odb, repo))
		git_odb_foreach(c.odb, compare_one, &c);
	git_odb_free(c.odb);
	git_repository_free(repo);
	strbuf_release(&objdir);
	free(p);
	return c;
}

static void test_ofs_delta(void)
{
	struct packs packs;
	struct compare c = compare_all("r1", &packs);
	long in_pack = number("in-pack");
	git_oid id;
	git_object_t type;
	char *raw = (char *)"x";
	size_t size;

	ok(number("deltas") > 0, "git deltified %ld commits", number("deltas"));
	ok(in_pack > 0 && c.nr == (size_t)in_pack + 3,
	   "%zu objects: %ld packed, 3 loose", c.nr, in_pack);
	is_int(c.mine, in_pack, "the reader gives every packed object");
	is_int(c.same, c.mine, "each equal to libgit2's, type and bytes");
	ok(!oid_of(&id, "loose") &&
	   pack_read(&raw, &size, &type, &packs, reader, &id) == 1 && !raw,
	   "a loose object is not the reader's");
	git_oid_fromstr(&id, "0123456789012345678901234567890123456789");
	is_int(pack_read(&raw, &size, &type, &packs, reader, &id), 1,
	       "an absent object is not the reader's");
	pack_close(&packs);
}

static void test_ref_delta(void)
{
	struct packs packs;
	struct compare c = compare_all("r2", &packs);

	ok(number("deltas2") > 0, "REF_DELTA pack, %ld commits deltified",
	   number("deltas2"));
	ok(c.nr > 100 && c.mine == c.nr, "the reader gives all %zu objects",
	   c.nr);
	is_int(c.same, c.mine, "each equal to libgit2's");
	pack_close(&packs);
}

static void test_corrupt(void)
{
	struct packs packs;
	struct compare c = compare_all("r3", &packs);
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_object_t type;
	git_oid id;
	char *raw, *p = path("r3");
	size_t size;

	ok(!oid_of(&id, "corrupt") &&
	   pack_read(&raw, &size, &type, &packs, reader, &id) == 1,
	   "a damaged object is not the reader's");
	ok(c.mine < c.nr && c.same == c.mine,
	   "the others (%zu of %zu) are read as libgit2 reads them", c.mine,
	   c.nr);
	ok(!git_repository_open(&repo, p) && !git_repository_odb(&odb, repo) &&
	   git_odb_read(&obj, odb, &id) < 0,
	   "libgit2 reports the damage");
	git_odb_object_free(obj);
	git_odb_free(odb);
	git_repository_free(repo);
	free(p);
	pack_close(&packs);
}

static void test_alternates(void)
{
	struct packs packs;
	char *p = path("r4/.git/objects");
	git_object_t type;
	git_oid id;
	char *raw = NULL;
	size_t size;

	pack_open(&packs, p);
	ok(!oid_of(&id, "packed") &&
	   !pack_read(&raw, &size, &type, &packs, reader, &id) &&
	   type == GIT_OBJECT_COMMIT && !strncmp(raw, "tree ", 5),
	   "an object of a pack in an alternate");
	free(raw);
	pack_close(&packs);
	free(p);
	pack_open(&packs, "/nonexistent");
	is_int(packs.nr, 0, "no objects directory: no packs");
	pack_close(&packs);
}

int main(void)
{
	git_libgit2_init();
	tmpdir = scratch_make(script);
	if (!tmpdir) {
		ok(0, "build test repositories with git");
		return done_testing();
	}
	reader = pack_reader_new();
	test_ofs_delta();
	test_ref_delta();
	test_corrupt();
	test_alternates();
	pack_reader_free(reader);
	scratch_remove(tmpdir);
	git_libgit2_shutdown();
	return done_testing();
}
