#include "history.h"
#include "cgraph.h"
#include "gitutil.h"
#include "pack.h"
#include "strbuf.h"
#include "usage.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMMIT_CACHE_LIMIT 4096 /* libgit2's default: commits cached */

/* Subject: the first paragraph, its lines joined by spaces (git's %s). */
static char *parse_subject(const char *msg, const char *end)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = msg;

	while (p < end && *p == '\n')
		p++;
	while (p < end && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, p, (size_t)(eol - p));
		p = eol < end ? eol + 1 : end;
		if (sb.len > 1000)
			break;
	}
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

/* A parent line's id: git_oid_fromstrn, without its per-digit checks
 * (the walk parses a parent id for every commit).  0, or -1 when hex is
 * not 40 hexadecimal digits. */
static int parent_oid(git_oid *out, const char *hex)
{
	static const unsigned char val[256] = { /* a digit's value + 1 */
		['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
		['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
		['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
		['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
		['E'] = 15, ['F'] = 16,
	};

	for (size_t i = 0; i < GIT_OID_RAWSZ; i++) {
		unsigned hi = val[(unsigned char)hex[2 * i]];
		unsigned lo = val[(unsigned char)hex[2 * i + 1]];

		if (!hi || !lo)
			return -1;
		out->id[i] = (unsigned char)((hi - 1) << 4 | (lo - 1));
	}
	return 0;
}

/*
 * Parse one raw commit object into c (oid already set): parents, author
 * time, subject and the facts of the message.
 */
static void parse_commit(struct hist_commit *c, const char *p, const char *end,
			 const struct trailer_rules *rules, git_odb *odb,
			 size_t *truncated)
{
	const char *msg = end;
	struct msg_facts f = MSG_FACTS_INIT;
	size_t alloc = 0;
	int want_parents = !c->nr_parents; /* else the commit-graph gave them */

	/* header lines until the first empty line */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (eol == p) {
			msg = p + 1;
			break;
		}
		if (want_parents && !strncmp(p, "parent ", 7) &&
		    eol - p >= 7 + GIT_OID_HEXSZ) {
			ALLOC_GROW(c->parents, c->nr_parents + 1, alloc);
			if (!parent_oid(&c->parents[c->nr_parents], p + 7))
				c->nr_parents++;
		} else if (!strncmp(p, "author ", 7)) {
			const char *gt = eol;

			while (gt > p && *gt != '>')
				gt--;
			if (*gt == '>')
				c->author_time = strtoll(gt + 1, NULL, 10);
		}
		p = eol + 1;
	}
	if (msg > end)
		msg = end;
	if ((size_t)(end - msg) > HISTORY_MAX_MESSAGE) {
		end = msg + HISTORY_MAX_MESSAGE;
		(*truncated)++;
	}
	c->subject = parse_subject(msg, end);
	trailers_parse(&f, rules, msg, (size_t)(end - msg));
	c->advisories = f.advisories;
	c->nr_adv = f.nr_adv;
	c->mentions = f.mentions;
	c->nr_mention = f.nr_mention;
	if (f.nr_refs) {
		c->refs = xcalloc(f.nr_refs, sizeof(*c->refs));
		c->nr_refs = f.nr_refs;
		for (size_t i = 0; i < f.nr_refs; i++) {
			struct hist_ref *r = &c->refs[i];
			size_t n = strlen(f.refs[i].hex);

			r->ref = f.refs[i];
			if (n == GIT_OID_HEXSZ)
				r->resolved = !git_oid_fromstr(&r->target, r->ref.hex);
			else if (!git_oid_fromstrn(&r->target, r->ref.hex, n))
				r->resolved = !git_odb_exists_prefix(&r->target,
								     odb, &r->target, n);
		}
	}
	free(f.refs);
}

/*
 * Open-addressing map from commit id to its slot in the walk.  A key and
 * its value share an entry: a probe costs one cache miss, not two.
 */
#define SLOT_EMPTY UINT32_MAX
#define SLOT_MISSING (UINT32_MAX - 1)

struct oidmap_entry {
	git_oid key; /* all zero: a free entry */
	uint32_t val;
};

struct oidmap {
	struct oidmap_entry *e;
	size_t cap, nr; /* cap: a power of two */
};

static size_t oid_hash(const git_oid *oid)
{
	size_t h;

	memcpy(&h, oid->id, sizeof(h));
	return h;
}

static int oid_zero(const git_oid *oid)
{
	static const unsigned char zero[GIT_OID_RAWSZ];

	return !memcmp(oid->id, zero, GIT_OID_RAWSZ);
}

static void oidmap_grow(struct oidmap *m);

/* The value slot for oid, inserting SLOT_EMPTY when absent. */
static uint32_t *oidmap_slot(struct oidmap *m, const git_oid *oid)
{
	size_t i;

	if ((m->nr + 1) * 2 > m->cap)
		oidmap_grow(m);
	for (i = oid_hash(oid) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct oidmap_entry *e = &m->e[i];

		if (!memcmp(e->key.id, oid->id, GIT_OID_RAWSZ))
			return &e->val;
		if (e->val == SLOT_EMPTY && oid_zero(&e->key)) {
			e->key = *oid;
			m->nr++;
			return &e->val;
		}
	}
}

static void oidmap_grow(struct oidmap *m)
{
	struct oidmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 1024;
	m->nr = 0;
	m->e = xcalloc(m->cap, sizeof(*m->e));
	for (size_t i = 0; i < m->cap; i++)
		m->e[i].val = SLOT_EMPTY;
	for (size_t i = 0; i < old.cap; i++)
		if (!oid_zero(&old.e[i].key))
			*oidmap_slot(m, &old.e[i].key) = old.e[i].val;
	free(old.e);
}

static void oidmap_clear(struct oidmap *m)
{
	free(m->e);
	memset(m, 0, sizeof(*m));
}

static void progress(size_t done)
{
	fprintf(stderr, "\rscanning commits: %zu", done);
}

/*
 * Put the walked commits in parents-first order: an iterative depth-first
 * search that emits a commit once all its parents in the walk are emitted.
 */
static void order_parents_first(struct history *h, struct oidmap *map)
{
	struct hist_commit *sorted = xmalloc((h->nr + 1) * sizeof(*sorted));
	unsigned char *state = xcalloc(h->nr + 1, 1); /* 1 on stack, 2 done */
	uint32_t *stack = xmalloc((h->nr + 1) * sizeof(*stack));
	unsigned *next = xcalloc(h->nr + 1, sizeof(*next));
	uint32_t *pos = xmalloc((h->nr + 1) * sizeof(*pos)); /* old -> new */
	size_t out = 0;

	for (size_t root = 0; root < h->nr; root++) {
		size_t sp = 0;

		if (state[root])
			continue;
		stack[sp++] = (uint32_t)root;
		state[root] = 1;
		while (sp) {
			uint32_t c = stack[sp - 1];
			struct hist_commit *hc = &h->commits[c];

			if (next[c] < hc->nr_parents) {
				uint32_t *v = oidmap_slot(map, &hc->parents[next[c]++]);

				if (*v < SLOT_MISSING && !state[*v]) {
					state[*v] = 1;
					stack[sp++] = *v;
				}
				continue;
			}
			state[c] = 2;
			pos[c] = (uint32_t)out;
			sorted[out++] = *hc;
			sp--;
		}
	}
	for (size_t i = 0; i < out; i++) {
		struct hist_commit *hc = &sorted[i];

		hc->parent_pos = xmalloc((hc->nr_parents + 1) *
					 sizeof(*hc->parent_pos));
		for (unsigned p = 0; p < hc->nr_parents; p++) {
			uint32_t v = *oidmap_slot(map, &hc->parents[p]);

			hc->parent_pos[p] = v < SLOT_MISSING ? pos[v]
							     : HIST_OUTSIDE;
		}
	}
	free(h->commits);
	h->commits = sorted;
	free(state);
	free(stack);
	free(next);
	free(pos);
}

/*
 * Read and parse one commit object: 0; 1 when the object store lacks it
 * (nothing reported); -1 having reported a broken object.  The packs are
 * read without libgit2 (pack.h) where they can be, so the walk does not
 * wait on libgit2's pack lock while another thread diffs.
 */
static int read_commit(struct hist_commit *c, git_odb *odb,
		       const struct packs *packs, struct pack_reader *pr,
		       const struct trailer_rules *rules, size_t *truncated)
{
	git_odb_object *obj = NULL;
	git_object_t type;
	char *raw;
	const char *data;
	size_t size;
	int rc = 0;

	if (!pack_read(&raw, &size, &type, packs, pr, &c->oid)) {
		data = raw;
	} else {
		rc = git_odb_read(&obj, odb, &c->oid);
		if (rc == GIT_ENOTFOUND)
			return 1;
		if (rc < 0)
			return gitutil_fail_oid("cannot read commit", &c->oid);
		data = git_odb_object_data(obj);
		size = git_odb_object_size(obj);
		type = git_odb_object_type(obj);
	}
	if (type == GIT_OBJECT_COMMIT)
		parse_commit(c, data, data + size, rules, odb, truncated);
	else
		rc = gitutil_fail_oid("not a commit:", &c->oid);
	free(raw);
	git_odb_object_free(obj);
	return rc;
}

/* The commits whose object the walk did not read (the commit-graph gave
 * their parents), read and parsed by one thread each of several. */
struct reader {
	struct history *h;
	const uint32_t *todo;
	size_t nr_todo;
	const struct history_options *o;
	const struct packs *packs;
	atomic_size_t *next;
	size_t truncated;
	int failed;
};

#define READ_CHUNK 64

static void *read_work(void *arg)
{
	struct reader *r = arg;
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	struct pack_reader *pr = pack_reader_new();

	if (git_repository_open_ext(&repo, r->o->repo_path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_odb(&odb, repo) < 0) {
		r->failed = gitutil_fail("cannot open objects of",
					 r->o->repo_path);
		goto done;
	}
	for (;;) {
		size_t start = atomic_fetch_add(r->next, READ_CHUNK);

		if (start >= r->nr_todo)
			break;
		for (size_t i = start; i < start + READ_CHUNK && i < r->nr_todo;
		     i++) {
			struct hist_commit *c = &r->h->commits[r->todo[i]];
			int rc = read_commit(c, odb, r->packs, pr, r->o->rules,
					     &r->truncated);

			if (rc) { /* the commit-graph names it: it must exist */
				r->failed = rc < 0 ? -1 :
					gitutil_fail_oid("cannot read commit",
							 &c->oid);
				goto done;
			}
		}
	}
done:
	pack_reader_free(pr);
	git_odb_free(odb);
	git_repository_free(repo);
	return NULL;
}

static int read_deferred(struct history *h, const uint32_t *todo, size_t nr,
			 const struct history_options *o,
			 const struct packs *packs)
{
	struct reader r[8];
	pthread_t tid[8];
	atomic_size_t next = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus, ret = 0;

	if ((size_t)n > nr / READ_CHUNK + 1)
		n = (int)(nr / READ_CHUNK + 1);
	for (int i = 0; i < n; i++) {
		r[i] = (struct reader){ h, todo, nr, o, packs, &next, 0, 0 };
		if (pthread_create(&tid[i], NULL, read_work, &r[i]))
			die("cannot create a thread");
	}
	for (int i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		h->truncated += r[i].truncated;
		if (r[i].failed)
			ret = -1;
	}
	return ret;
}

int history_walk(struct history *h, const struct history_options *o)
{
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	struct oidmap map = { 0 };
	struct cgraph cg;
	struct packs packs = { 0 };
	struct pack_reader *pr = pack_reader_new();
	struct strbuf objdir = STRBUF_INIT;
	git_oid *stack = NULL;
	uint32_t *todo = NULL;
	size_t sp = 0, alloc_stack = 0, alloc = 0, nr_todo = 0, alloc_todo = 0;
	int ret = -1;

	memset(h, 0, sizeof(*h));
	memset(&cg, 0, sizeof(cg));
	/*
	 * Each commit is read once: caching commits only costs here.  Trees
	 * stay cached for the threads that diff commits meanwhile.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
			 (size_t)0);
	if (git_repository_open_ext(&repo, o->repo_path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		gitutil_fail("not a git repository", o->repo_path);
		goto done;
	}
	if (git_repository_odb(&odb, repo) < 0) {
		gitutil_fail("cannot open objects of", o->repo_path);
		goto done;
	}
	strbuf_addf(&objdir, "%sobjects", git_repository_commondir(repo));
	if (!cgraph_open(&cg, objdir.buf))
		trace("history: commit-graph of %u commits", cg.nr);
	pack_open(&packs, objdir.buf);
	for (size_t i = o->nr_tips; i-- > 0;) {
		ALLOC_GROW(stack, sp + 1, alloc_stack);
		stack[sp++] = o->tips[i];
	}
	while (sp) {
		git_oid oid = stack[--sp];
		uint32_t *slot = oidmap_slot(&map, &oid);
		uint32_t pos;
		struct hist_commit *c;
		int rc;

		if (*slot != SLOT_EMPTY)
			continue;
		if (o->known && o->known(&oid, o->known_payload)) {
			*slot = SLOT_MISSING; /* scanned before: a boundary */
			continue;
		}
		pos = cgraph_find(&cg, &oid);
		*slot = (uint32_t)h->nr;
		ALLOC_GROW(h->commits, h->nr + 1, alloc);
		c = &h->commits[h->nr++];
		memset(c, 0, sizeof(*c));
		c->oid = oid;
		if (pos != CGRAPH_NONE) {
			size_t palloc = 0;

			if (cgraph_parents(&cg, pos, &c->parents, &c->nr_parents,
					   &palloc) == 0 && c->nr_parents) {
				ALLOC_GROW(todo, nr_todo + 1, alloc_todo);
				todo[nr_todo++] = *slot;
				goto push;
			}
			free(c->parents); /* a root, or an odd graph: read it */
			c->parents = NULL;
			c->nr_parents = 0;
		}
		rc = read_commit(c, odb, &packs, pr, o->rules, &h->truncated);
		if (rc < 0)
			goto done;
		if (rc) { /* beyond a shallow or grafted boundary */
			h->nr--;
			*slot = SLOT_MISSING;
			h->missing++;
			continue;
		}
		if (o->parsed)
			o->parsed(c, o->parsed_payload);
push:
		for (unsigned i = c->nr_parents; i-- > 0;) {
			ALLOC_GROW(stack, sp + 1, alloc_stack);
			stack[sp++] = c->parents[i];
		}
		if (o->progress && !(h->nr & 4095))
			progress(h->nr);
	}
	if (nr_todo) {
		trace("history: %zu commits found, reading %zu messages",
		      h->nr, nr_todo);
		if (read_deferred(h, todo, nr_todo, o, &packs))
			goto done;
	}
	if (o->progress) {
		progress(h->nr);
		fputs(", done.\n", stderr);
	}
	order_parents_first(h, &map);
	ret = 0;
done:
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
			 (size_t)COMMIT_CACHE_LIMIT);
	if (ret)
		history_release(h);
	cgraph_close(&cg);
	pack_close(&packs);
	pack_reader_free(pr);
	strbuf_release(&objdir);
	oidmap_clear(&map);
	free(stack);
	free(todo);
	git_odb_free(odb);
	git_repository_free(repo);
	return ret;
}

void history_release(struct history *h)
{
	for (size_t i = 0; i < h->nr; i++) {
		struct hist_commit *c = &h->commits[i];

		free(c->parents);
		free(c->parent_pos);
		free(c->subject);
		for (size_t j = 0; j < c->nr_adv; j++)
			free(c->advisories[j]);
		free(c->advisories);
		for (size_t j = 0; j < c->nr_mention; j++)
			free(c->mentions[j]);
		free(c->mentions);
		free(c->refs);
	}
	free(h->commits);
	memset(h, 0, sizeof(*h));
}
