#include "history.h"
#include "gitutil.h"
#include "strbuf.h"
#include "usage.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

	/* header lines until the first empty line */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (eol == p) {
			msg = p + 1;
			break;
		}
		if (!strncmp(p, "parent ", 7) && eol - p >= 7 + GIT_OID_HEXSZ) {
			ALLOC_GROW(c->parents, c->nr_parents + 1, alloc);
			git_oid_fromstrn(&c->parents[c->nr_parents++], p + 7,
					 GIT_OID_HEXSZ);
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

/* Open-addressing map from commit id to its slot in the walk. */
#define SLOT_EMPTY UINT32_MAX
#define SLOT_MISSING (UINT32_MAX - 1)

struct oidmap {
	git_oid *keys;
	uint32_t *vals;
	size_t cap, nr; /* cap: a power of two */
};

static size_t oid_hash(const git_oid *oid)
{
	size_t h;

	memcpy(&h, oid->id, sizeof(h));
	return h;
}

static void oidmap_grow(struct oidmap *m);

/* The value slot for oid, inserting SLOT_EMPTY when absent. */
static uint32_t *oidmap_slot(struct oidmap *m, const git_oid *oid)
{
	size_t i;

	if ((m->nr + 1) * 2 > m->cap)
		oidmap_grow(m);
	for (i = oid_hash(oid) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->vals[i] == SLOT_EMPTY && git_oid_is_zero(&m->keys[i])) {
			m->keys[i] = *oid;
			m->nr++;
			return &m->vals[i];
		}
		if (git_oid_equal(&m->keys[i], oid))
			return &m->vals[i];
	}
}

static void oidmap_grow(struct oidmap *m)
{
	struct oidmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 1024;
	m->nr = 0;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xmalloc(m->cap * sizeof(*m->vals));
	for (size_t i = 0; i < m->cap; i++)
		m->vals[i] = SLOT_EMPTY;
	for (size_t i = 0; i < old.cap; i++)
		if (!git_oid_is_zero(&old.keys[i]))
			*oidmap_slot(m, &old.keys[i]) = old.vals[i];
	free(old.keys);
	free(old.vals);
}

static void oidmap_clear(struct oidmap *m)
{
	free(m->keys);
	free(m->vals);
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
			sorted[out++] = *hc;
			sp--;
		}
	}
	free(h->commits);
	h->commits = sorted;
	free(state);
	free(stack);
	free(next);
}

int history_walk(struct history *h, const struct history_options *o)
{
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	struct oidmap map = { 0 };
	git_oid *stack = NULL;
	size_t sp = 0, alloc_stack = 0, alloc = 0;
	int ret = -1;

	memset(h, 0, sizeof(*h));
	/* each commit is read once: libgit2's object cache only costs here */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	if (git_repository_open_ext(&repo, o->repo_path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return gitutil_fail("not a git repository", o->repo_path);
	if (git_repository_odb(&odb, repo) < 0) {
		gitutil_fail("cannot open objects of", o->repo_path);
		goto done;
	}
	for (size_t i = o->nr_tips; i-- > 0;) {
		ALLOC_GROW(stack, sp + 1, alloc_stack);
		stack[sp++] = o->tips[i];
	}
	while (sp) {
		git_oid oid = stack[--sp];
		uint32_t *slot = oidmap_slot(&map, &oid);
		git_odb_object *obj = NULL;
		struct hist_commit *c;
		const char *data;
		int rc;

		if (*slot != SLOT_EMPTY)
			continue;
		if (o->known && o->known(&oid, o->known_payload)) {
			*slot = SLOT_MISSING; /* scanned before: a boundary */
			continue;
		}
		rc = git_odb_read(&obj, odb, &oid);
		if (rc < 0 || git_odb_object_type(obj) != GIT_OBJECT_COMMIT) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, sizeof(hex), &oid);
			if (rc == GIT_ENOTFOUND) {
				/* beyond a shallow or grafted boundary */
				*slot = SLOT_MISSING;
				h->missing++;
				continue;
			}
			if (rc < 0)
				gitutil_fail("cannot read commit", hex);
			else
				error("object '%s' is not a commit", hex);
			git_odb_object_free(obj);
			goto done;
		}
		*slot = (uint32_t)h->nr;
		ALLOC_GROW(h->commits, h->nr + 1, alloc);
		c = &h->commits[h->nr++];
		memset(c, 0, sizeof(*c));
		c->oid = oid;
		data = git_odb_object_data(obj);
		parse_commit(c, data, data + git_odb_object_size(obj), o->rules,
			     odb, &h->truncated);
		git_odb_object_free(obj);
		for (unsigned i = c->nr_parents; i-- > 0;) {
			ALLOC_GROW(stack, sp + 1, alloc_stack);
			stack[sp++] = c->parents[i];
		}
		if (o->progress && !(h->nr & 4095))
			progress(h->nr);
	}
	if (o->progress) {
		progress(h->nr);
		fputs(", done.\n", stderr);
	}
	order_parents_first(h, &map);
	ret = 0;
done:
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	if (ret)
		history_release(h);
	oidmap_clear(&map);
	free(stack);
	git_odb_free(odb);
	git_repository_free(repo);
	return ret;
}

void history_release(struct history *h)
{
	for (size_t i = 0; i < h->nr; i++) {
		struct hist_commit *c = &h->commits[i];

		free(c->parents);
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
