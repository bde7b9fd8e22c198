#include "mbox.h"
#include "gitutil.h"
#include "usage.h"

#include <pthread.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct file_stat {
	char *path;
	size_t adds, dels;
	int binary;
};

static void add_date(struct strbuf *out, const git_time *t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
					    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	time_t local = (time_t)(t->time + (git_time_t)t->offset * 60);
	struct tm tm;
	int off = t->offset < 0 ? -t->offset : t->offset;

	gmtime_r(&local, &tm);
	strbuf_addf(out, "Date: %s, %d %s %d %02d:%02d:%02d %c%02d%02d\n",
		    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		    t->offset < 0 ? '-' : '+', off / 60, off % 60);
}

static size_t digits(size_t n)
{
	size_t d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* git's diffstat: names padded, counts, a +/- graph scaled to fit. */
static void add_diffstat(struct strbuf *out, const struct file_stat *f,
			 size_t nr)
{
	size_t name_w = 0, max = 0, adds = 0, dels = 0, num_w, graph_w;

	for (size_t i = 0; i < nr; i++) {
		size_t n = strlen(f[i].path);

		if (n > name_w)
			name_w = n;
		if (f[i].adds + f[i].dels > max)
			max = f[i].adds + f[i].dels;
		adds += f[i].adds;
		dels += f[i].dels;
	}
	num_w = digits(max);
	if (name_w > 50)
		name_w = 50;
	graph_w = 80 - 1 - name_w - 3 - num_w - 1 - 1;
	if (graph_w > 80 || graph_w < 10)
		graph_w = 10;
	if (max <= graph_w)
		graph_w = max;
	for (size_t i = 0; i < nr; i++) {
		size_t n = strlen(f[i].path), total = f[i].adds + f[i].dels;
		size_t a = f[i].adds, d = f[i].dels;

		strbuf_addch(out, ' ');
		if (n > name_w) /* like git: "..." and the path's end */
			strbuf_addf(out, "...%s", f[i].path + n - (name_w - 3));
		else
			strbuf_addf(out, "%-*s", (int)name_w, f[i].path);
		if (f[i].binary) {
			strbuf_addstr(out, " | Bin\n");
			continue;
		}
		strbuf_addf(out, " | %*zu ", (int)num_w, total);
		if (max > graph_w && total) {
			/* scale, keeping at least one of each kind present */
			size_t sa = (a * graph_w + max - 1) / max;
			size_t sd = (total * graph_w + max - 1) / max - sa;

			if (a && !sa)
				sa = 1;
			if (d && !sd)
				sd = 1;
			a = sa;
			d = sd;
		}
		for (size_t k = 0; k < a; k++)
			strbuf_addch(out, '+');
		for (size_t k = 0; k < d; k++)
			strbuf_addch(out, '-');
		strbuf_rtrim(out);
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, " %zu file%s changed", nr, nr == 1 ? "" : "s");
	if (adds || !dels)
		strbuf_addf(out, ", %zu insertion%s(+)", adds,
			    adds == 1 ? "" : "s");
	if (dels || !adds)
		strbuf_addf(out, ", %zu deletion%s(-)", dels,
			    dels == 1 ? "" : "s");
	strbuf_addch(out, '\n');
}

/* One changed file of a commit: a side absent is a zero id. */
struct change {
	char *path;
	git_oid old, new;
};

struct changes {
	struct change *items;
	size_t nr, alloc;
	int irregular; /* a mode other than a plain file, or a gitlink */
};

/* git's tree order: a tree's name compares as if it ended in '/'. */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), n = la < lb ? la : lb;
	int c = memcmp(na, nb, n), ca, cb;

	if (c)
		return c;
	ca = na[n] ? (unsigned char)na[n] :
	     git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0;
	cb = nb[n] ? (unsigned char)nb[n] :
	     git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0;
	return ca - cb;
}

static int is_tree(const git_tree_entry *e)
{
	return e && git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

/*
 * The files that differ between trees a and b (either may be NULL: empty),
 * in git's order, below base.  Like git's diff-tree, and unlike libgit2's
 * tree-to-tree diff, which expands every subtree of both sides, a subtree
 * with the same id on both sides is skipped: on Xen's 815 fix commits,
 * 0.08 s against 0.59 s.
 */
static int tree_changes(git_repository *repo, const git_tree *a,
			const git_tree *b, struct strbuf *base,
			struct changes *out)
{
	size_t na = a ? git_tree_entrycount(a) : 0;
	size_t nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0, len = base->len;

	while (i < na || j < nb) {
		const git_tree_entry *x = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *y = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !x ? 1 : !y ? -1 : entry_cmp(x, y);

		if (c > 0)
			x = NULL;
		else
			i++;
		if (c < 0)
			y = NULL;
		else
			j++;
		if (x && y && git_tree_entry_filemode(x) == git_tree_entry_filemode(y) &&
		    git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)))
			continue;
		strbuf_addstr(base, git_tree_entry_name(x ? x : y));
		if (is_tree(x) || is_tree(y)) {
			git_tree *ta = NULL, *tb = NULL;
			int rc;

			strbuf_addch(base, '/');
			rc = (x && git_tree_lookup(&ta, repo, git_tree_entry_id(x)) < 0) ||
			     (y && git_tree_lookup(&tb, repo, git_tree_entry_id(y)) < 0) ?
			     -1 : tree_changes(repo, ta, tb, base, out);
			git_tree_free(ta);
			git_tree_free(tb);
			if (rc)
				return rc;
		} else {
			struct change *ch;

			if ((x && git_tree_entry_filemode(x) != GIT_FILEMODE_BLOB) ||
			    (y && git_tree_entry_filemode(y) != GIT_FILEMODE_BLOB))
				out->irregular = 1;
			ALLOC_GROW(out->items, out->nr + 1, out->alloc);
			ch = &out->items[out->nr++];
			ch->path = xstrdup(base->buf);
			memset(&ch->old, 0, sizeof(ch->old));
			memset(&ch->new, 0, sizeof(ch->new));
			if (x)
				git_oid_cpy(&ch->old, git_tree_entry_id(x));
			if (y)
				git_oid_cpy(&ch->new, git_tree_entry_id(y));
		}
		strbuf_setlen(base, len);
	}
	return 0;
}

static void changes_release(struct changes *c)
{
	for (size_t i = 0; i < c->nr; i++)
		free(c->items[i].path);
	free(c->items);
}

/* One file's patch appended to patches, its counts into st. */
static int add_patch(struct strbuf *patches, struct file_stat *st,
		     git_patch *p)
{
	git_buf buf = GIT_BUF_INIT;
	const git_diff_delta *d = git_patch_get_delta(p);

	if (git_patch_to_buf(&buf, p) < 0)
		return -1;
	st->path = xstrdup(d->new_file.path ? d->new_file.path
					    : d->old_file.path);
	st->binary = (d->flags & GIT_DIFF_FLAG_BINARY) != 0;
	git_patch_line_stats(NULL, &st->adds, &st->dels, p);
	strbuf_add(patches, buf.ptr, buf.size);
	git_buf_dispose(&buf);
	return 0;
}

/*
 * The patches of the files that differ between old and new.  Plain files
 * are diffed blob to blob; a commit with an executable, a symlink, a
 * gitlink or a mode change goes through libgit2's tree diff, which knows
 * their headers.
 */
static int diff_trees(git_repository *repo, git_tree *old, git_tree *new,
		      struct strbuf *patches, struct file_stat **stats,
		      size_t *nr)
{
	struct changes ch = { 0 };
	struct strbuf base = STRBUF_INIT;
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_diff *diff = NULL;
	int ret = -1;

	if (tree_changes(repo, old, new, &base, &ch))
		goto done;
	if (ch.irregular) {
		if (git_diff_tree_to_tree(&diff, repo, old, new, &opts) < 0)
			goto done;
		*nr = git_diff_num_deltas(diff);
	} else {
		*nr = ch.nr;
	}
	*stats = xcalloc(*nr + 1, sizeof(**stats));
	for (size_t i = 0; i < *nr; i++) {
		git_blob *a = NULL, *b = NULL;
		git_patch *p = NULL;
		const struct change *c = &ch.items[i];
		int rc;

		if (diff)
			rc = git_patch_from_diff(&p, diff, i);
		else
			rc = (!git_oid_is_zero(&c->old) &&
			      git_blob_lookup(&a, repo, &c->old) < 0) ||
			     (!git_oid_is_zero(&c->new) &&
			      git_blob_lookup(&b, repo, &c->new) < 0) ? -1 :
			     git_patch_from_blobs(&p, a, a ? c->path : NULL,
						  b, b ? c->path : NULL, &opts);
		if (!rc)
			rc = add_patch(patches, &(*stats)[i], p);
		git_patch_free(p);
		git_blob_free(a);
		git_blob_free(b);
		if (rc)
			goto done;
	}
	ret = 0;
done:
	git_diff_free(diff);
	changes_release(&ch);
	strbuf_release(&base);
	return ret;
}

/* The part of c's mail after "---": the diffstat, a blank line and the
 * patches; nothing when c changes no file.  A failure is reported unless
 * quiet. */
static int diff_part(struct strbuf *out, git_repository *repo, git_commit *c,
		     int quiet)
{
	git_commit *parent = NULL;
	git_tree *old = NULL, *new = NULL;
	struct strbuf patches = STRBUF_INIT;
	struct file_stat *stats = NULL;
	size_t nr = 0;
	int ret = -1;

	if ((git_commit_parentcount(c) &&
	     (git_commit_parent(&parent, c, 0) < 0 ||
	      git_commit_tree(&old, parent) < 0)) ||
	    git_commit_tree(&new, c) < 0 ||
	    diff_trees(repo, old, new, &patches, &stats, &nr) < 0) {
		if (!quiet)
			gitutil_fail_oid("cannot diff commit", git_commit_id(c));
		goto done;
	}
	if (nr) { /* an empty commit has no diff part at all */
		add_diffstat(out, stats, nr);
		strbuf_addch(out, '\n');
		strbuf_add(out, patches.buf, patches.len);
	}
	ret = 0;
done:
	for (size_t i = 0; stats && i < nr; i++)
		free(stats[i].path);
	free(stats);
	strbuf_release(&patches);
	git_tree_free(old);
	git_tree_free(new);
	git_commit_free(parent);
	return ret;
}

int mbox_format(struct strbuf *out, git_repository *repo, git_commit *c,
		const char *extra_headers, struct mbox_ahead *ahead)
{
	struct strbuf diff = STRBUF_INIT;
	const git_signature *author = git_commit_author(c);
	const char *body = git_commit_body(c);
	char hex[GIT_OID_HEXSZ + 1];

	if (!(ahead && mbox_ahead_take(ahead, git_commit_id(c), &diff)) &&
	    diff_part(&diff, repo, c, 0)) {
		strbuf_release(&diff);
		return -1;
	}
	if (!diff.len) { /* no file changed: nothing to mail */
		strbuf_release(&diff);
		return 1;
	}
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	strbuf_addf(out, "From %s Mon Sep 17 00:00:00 2001\n", hex);
	strbuf_addf(out, "From: %s <%s>\n", author->name, author->email);
	add_date(out, &author->when);
	strbuf_addf(out, "Subject: [PATCH] %s\n", git_commit_summary(c));
	if (extra_headers)
		strbuf_addstr(out, extra_headers);
	strbuf_addch(out, '\n');
	if (body && *body) {
		strbuf_addstr(out, body);
		strbuf_rtrim(out);
		strbuf_addch(out, '\n');
	}
	strbuf_addstr(out, "---\n");
	strbuf_add(out, diff.buf, diff.len);
	strbuf_addstr(out, "-- \nsecport\n\n");
	strbuf_release(&diff);
	return 0;
}

/* ---- diffs computed ahead ------------------------------------------------ */

enum ahead_state {
	AHEAD_PENDING,	/* nobody has started it */
	AHEAD_RUNNING,	/* a thread of the cache computes it */
	AHEAD_DONE,	/* text holds it (or failed) */
	AHEAD_CLAIMED,	/* a taker computes it itself, or nobody wants it */
};

struct ahead_entry {
	git_oid oid;
	enum ahead_state state;
	int failed;
	struct strbuf text;
};

struct mbox_ahead {
	struct ahead_entry **queue;  /* in the order given: history's */
	struct ahead_entry **sorted; /* by oid, once closed */
	size_t nr, alloc, next;	     /* next: where in queue threads look */
	int closed, stop;
	char *git_path;
	pthread_mutex_t lock;	     /* guards all but the entries' oids */
	pthread_cond_t done;	     /* an entry became AHEAD_DONE */
	pthread_cond_t more;	     /* an entry was added, or no more will be */
	pthread_t *tids;
	int nr_threads;
};

static int cmp_entry(const void *a, const void *b)
{
	return git_oid_cmp(&(*(struct ahead_entry *const *)a)->oid,
			   &(*(struct ahead_entry *const *)b)->oid);
}

static void *ahead_work(void *arg)
{
	struct mbox_ahead *a = arg;
	git_repository *repo = NULL;

	if (git_repository_open_ext(&repo, a->git_path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return NULL; /* the takers compute everything themselves */
	for (;;) {
		struct strbuf text = STRBUF_INIT;
		struct ahead_entry *e = NULL;
		git_commit *c = NULL;
		int failed;

		pthread_mutex_lock(&a->lock);
		for (;;) {
			while (a->next < a->nr &&
			       a->queue[a->next]->state != AHEAD_PENDING)
				a->next++;
			if (a->stop || a->next < a->nr || a->closed)
				break;
			pthread_cond_wait(&a->more, &a->lock);
		}
		if (!a->stop && a->next < a->nr) {
			e = a->queue[a->next++];
			e->state = AHEAD_RUNNING;
		}
		pthread_mutex_unlock(&a->lock);
		if (!e)
			break;
		/* quietly: a failure is reported when the taker retries */
		failed = git_commit_lookup(&c, repo, &e->oid) < 0 ||
			 diff_part(&text, repo, c, 1);
		git_commit_free(c);
		pthread_mutex_lock(&a->lock);
		e->text = text;
		e->failed = failed;
		e->state = AHEAD_DONE;
		pthread_cond_broadcast(&a->done);
		pthread_mutex_unlock(&a->lock);
	}
	git_repository_free(repo);
	return NULL;
}

struct mbox_ahead *mbox_ahead_open(const char *git_path, int threads)
{
	struct mbox_ahead *a = xcalloc(1, sizeof(*a));

	a->git_path = xstrdup(git_path);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->done, NULL);
	pthread_cond_init(&a->more, NULL);
	a->tids = xcalloc((size_t)threads + 1, sizeof(*a->tids));
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&a->tids[i], NULL, ahead_work, a))
			die("cannot create a thread");
		a->nr_threads++;
	}
	return a;
}

/* Append an entry for oid to the queue; the lock is held. */
static void queue_add(struct mbox_ahead *a, const git_oid *oid)
{
	struct ahead_entry *e = xcalloc(1, sizeof(*e));

	e->oid = *oid;
	strbuf_init(&e->text, 0);
	ALLOC_GROW(a->queue, a->nr + 1, a->alloc);
	a->queue[a->nr++] = e;
}

void mbox_ahead_add(struct mbox_ahead *a, const git_oid *oid)
{
	pthread_mutex_lock(&a->lock);
	if (!a->closed) {
		queue_add(a, oid);
		pthread_cond_signal(&a->more);
	}
	pthread_mutex_unlock(&a->lock);
}

static int in_sorted(const git_oid *v, size_t nr, const git_oid *oid)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = git_oid_cmp(&v[mid], oid);

		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int cmp_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

void mbox_ahead_close(struct mbox_ahead *a, const git_oid *oids, size_t nr)
{
	git_oid *want = xmalloc((nr + 1) * sizeof(*want));
	size_t had;

	if (nr)
		memcpy(want, oids, nr * sizeof(*want));
	qsort(want, nr, sizeof(*want), cmp_oid);
	pthread_mutex_lock(&a->lock);
	/* what was added speculatively and is not wanted: nobody diffs it */
	had = a->nr;
	for (size_t i = 0; i < had; i++)
		if (a->queue[i]->state == AHEAD_PENDING &&
		    !in_sorted(want, nr, &a->queue[i]->oid))
			a->queue[i]->state = AHEAD_CLAIMED;
	a->sorted = xmalloc((had + nr + 1) * sizeof(*a->sorted));
	if (had)
		memcpy(a->sorted, a->queue, had * sizeof(*a->sorted));
	qsort(a->sorted, had, sizeof(*a->sorted), cmp_entry);
	/* what is wanted and was not added, in the order given */
	for (size_t i = 0; i < nr; i++) {
		struct ahead_entry key = { .oid = oids[i] }, *kp = &key;

		if (!bsearch(&kp, a->sorted, had, sizeof(*a->sorted), cmp_entry))
			queue_add(a, &oids[i]);
	}
	if (a->nr)
		memcpy(a->sorted, a->queue, a->nr * sizeof(*a->sorted));
	qsort(a->sorted, a->nr, sizeof(*a->sorted), cmp_entry);
	a->closed = 1;
	pthread_cond_broadcast(&a->more);
	pthread_mutex_unlock(&a->lock);
	free(want);
}

struct mbox_ahead *mbox_ahead_start(const char *git_path, const git_oid *oids,
				    size_t nr, int threads)
{
	struct mbox_ahead *a = mbox_ahead_open(git_path, nr ? threads : 0);

	mbox_ahead_close(a, oids, nr);
	return a;
}

int mbox_ahead_take(struct mbox_ahead *a, const git_oid *oid,
		    struct strbuf *out)
{
	struct ahead_entry key = { .oid = *oid }, *kp = &key, **ep, *e;
	int found = 0;

	if (!a->closed) /* the sorted list is made when it closes */
		return 0;
	ep = bsearch(&kp, a->sorted, a->nr, sizeof(*a->sorted), cmp_entry);
	if (!ep)
		return 0;
	e = *ep;
	pthread_mutex_lock(&a->lock);
	while (e->state == AHEAD_RUNNING)
		pthread_cond_wait(&a->done, &a->lock);
	if (e->state == AHEAD_PENDING)
		e->state = AHEAD_CLAIMED;
	else if (e->state == AHEAD_DONE && !e->failed) {
		strbuf_add(out, e->text.buf, e->text.len);
		found = 1;
	}
	pthread_mutex_unlock(&a->lock);
	return found;
}

void mbox_ahead_finish(struct mbox_ahead *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = 1;
	pthread_cond_broadcast(&a->more);
	pthread_mutex_unlock(&a->lock);
	for (int i = 0; i < a->nr_threads; i++)
		pthread_join(a->tids[i], NULL);
	for (size_t i = 0; i < a->nr; i++) {
		strbuf_release(&a->queue[i]->text);
		free(a->queue[i]);
	}
	pthread_cond_destroy(&a->more);
	pthread_cond_destroy(&a->done);
	pthread_mutex_destroy(&a->lock);
	free(a->queue);
	free(a->sorted);
	free(a->tids);
	free(a->git_path);
	free(a);
}
