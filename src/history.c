#include "history.h"
#include "strbuf.h"
#include "usage.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int git_fail(const char *what, const char *path)
{
	const git_error *e = git_error_last();

	return error("%s '%s': %s", what, path, e ? e->message : "unknown error");
}

struct worker {
	const struct history_options *opts;
	struct history *h;
	atomic_size_t *next;
	atomic_size_t *done;
	atomic_int *finished;
	size_t truncated;
	int failed;
};

#define CHUNK 256

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

static int parse_commit(struct worker *w, git_repository *repo, git_odb *odb,
			struct hist_commit *c)
{
	git_odb_object *obj = NULL;
	const char *p, *end, *msg;
	struct msg_facts f = MSG_FACTS_INIT;
	size_t alloc = 0;

	if (git_odb_read(&obj, odb, &c->oid) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &c->oid);
		return git_fail("cannot read commit", hex);
	}
	p = git_odb_object_data(obj);
	end = p + git_odb_object_size(obj);
	msg = end;
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
		w->truncated++;
	}
	c->subject = parse_subject(msg, end);
	trailers_parse(&f, w->opts->rules, msg, (size_t)(end - msg));
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
	git_odb_object_free(obj);
	(void)repo;
	return 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	git_repository *repo = NULL;
	git_odb *odb = NULL;

	if (git_repository_open_bare(&repo, w->opts->repo_path) < 0 &&
	    git_repository_open(&repo, w->opts->repo_path) < 0) {
		w->failed = git_fail("cannot open repository", w->opts->repo_path);
		atomic_fetch_add(w->finished, 1);
		return NULL;
	}
	if (git_repository_odb(&odb, repo) < 0) {
		w->failed = git_fail("cannot open objects of", w->opts->repo_path);
		goto done;
	}
	for (;;) {
		size_t start = atomic_fetch_add(w->next, CHUNK);

		if (start >= w->h->nr)
			break;
		for (size_t i = start; i < start + CHUNK && i < w->h->nr; i++)
			if (parse_commit(w, repo, odb, &w->h->commits[i])) {
				w->failed = -1;
				goto done;
			}
		atomic_fetch_add(w->done, CHUNK);
	}
done:
	git_odb_free(odb);
	git_repository_free(repo);
	atomic_fetch_add(w->finished, 1);
	return NULL;
}

static void progress(size_t done, size_t total)
{
	fprintf(stderr, "\rscanning commits: %3zu%% (%zu/%zu)",
		total ? done * 100 / total : 100, done, total);
}

static int list_commits(struct history *h, const struct history_options *o)
{
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	git_oid oid;
	size_t alloc = 0;
	int rc, ret = -1;

	if (git_repository_open_ext(&repo, o->repo_path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return git_fail("not a git repository", o->repo_path);
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE)) {
		git_fail("cannot walk", o->repo_path);
		goto done;
	}
	for (size_t i = 0; i < o->nr_tips; i++)
		if (git_revwalk_push(walk, &o->tips[i]) < 0) {
			git_fail("cannot walk from a tip of", o->repo_path);
			goto done;
		}
	for (size_t i = 0; i < o->nr_hide; i++)
		git_revwalk_hide(walk, &o->hide[i]); /* vanished tips: fine */
	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		ALLOC_GROW(h->commits, h->nr + 1, alloc);
		memset(&h->commits[h->nr], 0, sizeof(h->commits[0]));
		h->commits[h->nr++].oid = oid;
	}
	if (rc != GIT_ITEROVER) {
		git_fail("cannot walk the history of", o->repo_path);
		goto done;
	}
	ret = 0;
done:
	git_revwalk_free(walk);
	git_repository_free(repo);
	return ret;
}

int history_walk(struct history *h, const struct history_options *o)
{
	struct worker w[8];
	pthread_t tid[8];
	atomic_size_t next = 0, done = 0;
	atomic_int finished = 0;
	int n = o->threads, ret = 0;

	memset(h, 0, sizeof(*h));
	if (list_commits(h, o))
		return -1;
	if (n <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		n = cpus > 0 ? (int)cpus : 1;
	}
	if (n > 8)
		n = 8;
	if ((size_t)n > h->nr / CHUNK + 1)
		n = (int)(h->nr / CHUNK + 1);
	for (int i = 0; i < n; i++) {
		w[i] = (struct worker){ o, h, &next, &done, &finished, 0, 0 };
		if (pthread_create(&tid[i], NULL, work, &w[i]))
			die("cannot create a thread");
	}
	if (o->progress) {
		while (atomic_load(&finished) < n) {
			size_t d = atomic_load(&done);

			progress(d < h->nr ? d : h->nr, h->nr);
			usleep(100000);
		}
	}
	for (int i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		if (w[i].failed)
			ret = -1;
		h->truncated += w[i].truncated;
	}
	if (o->progress) {
		progress(h->nr, h->nr);
		fputs(", done.\n", stderr);
	}
	if (ret)
		history_release(h);
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
