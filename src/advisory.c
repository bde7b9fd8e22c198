#include "advisory.h"
#include "fileio.h"
#include "mbox.h"
#include "record.h"
#include "strbuf.h"
#include "usage.h"

#include <ctype.h>
#include <pthread.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int is_cve(const char *id)
{
	return !strncmp(id, "CVE-", 4);
}

/*
 * A CVE id no commit states, but which the commits mentioning it name
 * beside exactly one other advisory and no other CVE ("QEMU_TAG update
 * (XSA-17 / CVE-2012-3515)"): that advisory, else NULL.  Two CVE ids
 * beside one XSA ("XSA-52 ... like CVE-2006-1056") are not taken as one.
 */
static int mentioned_beside(struct advisory_ctx *ctx, const char *id,
			    char **out)
{
	struct strlist co = STRLIST_INIT;
	const char *other = NULL;
	size_t nr_other = 0, nr_cve = 0;
	int states = index_states(ctx->ix, id);

	if (states)
		return states < 0 ? -1 : 0;
	if (index_comentioned(ctx->ix, id, &co))
		return -1;
	for (size_t i = 0; i < co.nr; i++) {
		if (is_cve(co.items[i])) {
			nr_cve++;
		} else {
			other = co.items[i];
			nr_other++;
		}
	}
	if (nr_other == 1 && !nr_cve)
		*out = xstrdup(other);
	strlist_clear(&co);
	return 0;
}

struct primary_memo {
	char *id, *primary;
};

static int find_primary(struct advisory_ctx *ctx, const char *id, char **out)
{
	struct strlist co = STRLIST_INIT;

	*out = NULL;
	if (is_cve(id)) {
		if (index_costated(ctx->ix, id, &co))
			return -1;
		for (size_t i = 0; i < co.nr && !*out; i++)
			if (!is_cve(co.items[i]))
				*out = xstrdup(co.items[i]);
		strlist_clear(&co);
		if (!*out && mentioned_beside(ctx, id, out))
			return -1;
	}
	if (!*out)
		*out = xstrdup(id);
	return 0;
}

int advisory_primary(struct advisory_ctx *ctx, const char *id, char **out)
{
	size_t lo = 0, hi = ctx->nr_memo;
	struct primary_memo *m;

	/* an advisory's commits name the same CVEs over and over */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, ctx->memo[mid].id);

		if (!c) {
			*out = xstrdup(ctx->memo[mid].primary);
			return 0;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (find_primary(ctx, id, out))
		return -1;
	ALLOC_GROW(ctx->memo, ctx->nr_memo + 1, ctx->alloc_memo);
	m = &ctx->memo[lo];
	memmove(m + 1, m, (ctx->nr_memo++ - lo) * sizeof(*m));
	m->id = xstrdup(id);
	m->primary = xstrdup(*out);
	return 0;
}

char *advisory_url(const char *id)
{
	struct strbuf sb = STRBUF_INIT;

	if (is_cve(id))
		strbuf_addf(&sb, "https://www.cve.org/CVERecord?id=%s", id);
	else if (!strncmp(id, "XSA-", 4))
		strbuf_addf(&sb, "https://xenbits.xen.org/xsa/advisory-%s.html",
			    id + 4);
	else if (!strncmp(id, "GHSA-", 5))
		strbuf_addf(&sb, "https://github.com/advisories/%s", id);
	else
		return NULL;
	return strbuf_detach(&sb, NULL);
}

void advisory_slug(struct strbuf *out, const char *subject)
{
	size_t start = out->len;
	int dash = 0;

	for (const char *p = subject; *p && out->len - start < 52; p++) {
		if (isalnum((unsigned char)*p) || *p == '_' || *p == '.') {
			if (dash && out->len > start)
				strbuf_addch(out, '-');
			dash = 0;
			strbuf_addch(out, *p);
		} else {
			dash = 1;
		}
	}
	while (out->len > start && (out->buf[out->len - 1] == '.' ||
				    out->buf[out->len - 1] == '-'))
		strbuf_setlen(out, out->len - 1);
	if (out->len == start)
		strbuf_addstr(out, "patch");
}

/* A set of commits ordered by their number in the index. */
struct commit_item {
	git_oid oid;
	int64_t n; /* -1: not indexed (sorts last, by id) */
};

struct commit_set {
	struct commit_item *items;
	size_t nr, alloc;
};

static int set_has(const struct commit_set *s, const git_oid *oid)
{
	for (size_t i = 0; i < s->nr; i++)
		if (git_oid_equal(&s->items[i].oid, oid))
			return 1;
	return 0;
}

static int set_add(struct advisory_ctx *ctx, struct commit_set *s,
		   const git_oid *oid)
{
	int64_t n;

	if (set_has(s, oid))
		return 0;
	if (index_commit_info(ctx->ix, oid, &n, NULL))
		return -1;
	ALLOC_GROW(s->items, s->nr + 1, s->alloc);
	s->items[s->nr].oid = *oid;
	s->items[s->nr++].n = n;
	return 0;
}

static int cmp_item(const void *a, const void *b)
{
	const struct commit_item *x = a, *y = b;

	if (x->n != y->n) {
		if (x->n < 0 || y->n < 0)
			return x->n < 0 ? 1 : -1;
		return x->n < y->n ? -1 : 1;
	}
	return git_oid_cmp(&x->oid, &y->oid);
}

static void set_sort(struct commit_set *s)
{
	if (s->nr > 1)
		qsort(s->items, s->nr, sizeof(*s->items), cmp_item);
}

static void add_word(struct strlist *l, const char *w)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], w))
			return;
	strlist_add(l, w);
}

static void join_lines(struct strbuf *out, const struct strlist *l,
		       const char *sep)
{
	for (size_t i = 0; i < l->nr; i++) {
		if (i)
			strbuf_addstr(out, sep);
		strbuf_addstr(out, l->items[i]);
	}
}

/* What the index says about one advisory id. */
struct scanned {
	struct commit_set fixes;
	struct commit_set taken_back; /* fixes a revert naming id undid */
	struct strlist aliases;
	struct strlist introduced;   /* hex ids from Fixes: */
	struct commit_set fix_intro; /* which fixes gave Fixes: targets */
};

static int on_mainline(const struct advisory_ctx *ctx, const git_oid *oid)
{
	if (ctx->mainline == SIZE_MAX || !ctx->graph)
		return 0;
	return reach_contains(ctx->branches, ctx->mainline,
			      graph_find(ctx->graph, oid));
}

/*
 * Is commit c reverted on the main line by a revert that is not reverted
 * there in turn?  -1 on an index error.  depth bounds a chain of reverts
 * of reverts; the reach engine follows longer ones.
 */
static int undone(struct advisory_ctx *ctx, const git_oid *c, int depth)
{
	git_oid *r = NULL;
	size_t nr = 0;
	int ret = 0;

	if (depth > 2 || !on_mainline(ctx, c))
		return 0;
	if (index_referrers(ctx->ix, FACT_REVERT, c, &r, &nr))
		return -1;
	for (size_t i = 0; i < nr && !ret; i++) {
		int back;

		if (!on_mainline(ctx, &r[i]))
			continue;
		if ((back = undone(ctx, &r[i], depth + 1)) < 0)
			ret = -1;
		else
			ret = !back;
	}
	free(r);
	return ret;
}

/* Does commit oid's message state or mention id?  -1 on an index error. */
static int names_id(struct advisory_ctx *ctx, const git_oid *oid,
		    const char *id)
{
	struct index_fact *f = NULL;
	size_t nf = 0;
	int ret = 0;

	if (index_commit_facts(ctx->ix, oid, &f, &nf))
		return -1;
	for (size_t j = 0; j < nf && !ret; j++)
		ret = (f[j].kind == FACT_ADVISORY || f[j].kind == FACT_MENTION) &&
		      !strcmp(f[j].value, id);
	index_facts_free(f, nf);
	return ret;
}

/*
 * Is a revert that names id one of its fixes?  Yes when it reverts the
 * commit that brought the bug (Xen's XSA-425 reverts a xenstore change);
 * no when it reverts a commit that names id itself (a fix taken back), or
 * one the index cannot resolve.
 */
static int revert_fixes(struct advisory_ctx *ctx, const struct index_fact *f,
			size_t nf, const char *id)
{
	int fixes = 0;

	for (size_t j = 0; j < nf; j++) {
		int named;

		if (f[j].kind != FACT_REVERT)
			continue;
		if (!f[j].resolved)
			return 0;
		if ((named = names_id(ctx, &f[j].target, id)))
			return named < 0 ? -1 : 0;
		fixes = 1;
	}
	return fixes;
}

/* Did the main line take fix c back, with a revert that names id and is
 * not reverted in turn? */
static int taken_back(struct advisory_ctx *ctx, const git_oid *c,
		      const char *id)
{
	git_oid *r = NULL;
	size_t nr = 0;
	int ret = 0;

	if (index_referrers(ctx->ix, FACT_REVERT, c, &r, &nr))
		return -1;
	for (size_t i = 0; i < nr && !ret; i++) {
		int u;

		if (!on_mainline(ctx, &r[i]) ||
		    (ret = names_id(ctx, &r[i], id)) <= 0)
			continue;
		u = undone(ctx, &r[i], 1);
		ret = u < 0 ? -1 : !u;
	}
	free(r);
	return ret;
}

/*
 * Drop from s->fixes the fixes the main line took back with a revert that
 * names the advisory (Xen's XSA-155: a commit "wrongly associated" with
 * it), as long as other fixes remain: a lone fix reverted stays, and the
 * reach engine counts the releases between fix and revert as fixed.
 */
static void drop_taken_back(struct scanned *s)
{
	size_t keep = 0;

	for (size_t i = 0; i < s->fixes.nr; i++)
		if (!set_has(&s->taken_back, &s->fixes.items[i].oid))
			keep++;
	if (!keep)
		return;
	keep = 0;
	for (size_t i = 0; i < s->fixes.nr; i++)
		if (!set_has(&s->taken_back, &s->fixes.items[i].oid))
			s->fixes.items[keep++] = s->fixes.items[i];
	s->fixes.nr = keep;
}

/* Gather what the index says of id into s; CVE ids stated beside it whose
 * primary is `primary` become aliases. */
static int collect_id(struct advisory_ctx *ctx, const char *id,
		      const char *primary, struct scanned *s)
{
	git_oid *c = NULL;
	size_t nr = 0;
	int ret = -1;

	/*
	 * An alias only mentioned beside a stated advisory adds its name
	 * alone: the commits mentioning it ("these reintroduce XSA-286 /
	 * CVE-2018-15469") are not that advisory's fixes.
	 */
	if (strcmp(id, primary)) {
		int a = index_states(ctx->ix, id), p = 0;

		if (a < 0 || (!a && (p = index_states(ctx->ix, primary)) < 0))
			return -1;
		if (!a && p)
			return 0;
	}
	if (index_mentions(ctx->ix, id, &c, &nr))
		return -1;
	for (size_t i = 0; i < nr; i++) {
		struct index_fact *f = NULL;
		size_t nf = 0;
		int backport = 0, revert = 0, fix, back;

		if (index_commit_facts(ctx->ix, &c[i], &f, &nf))
			goto done;
		for (size_t j = 0; j < nf; j++) {
			if (f[j].kind == FACT_REVERT)
				revert = 1;
			if (f[j].kind != FACT_BACKPORT)
				continue;
			backport = 1;
			/* its upstream commit fixes the advisory too; one not in
			 * the history is reported by the scan (index_dangling) */
			if (f[j].resolved) {
				int64_t n;

				if (index_commit_info(ctx->ix, &f[j].target, &n,
						      NULL))
					goto fail_facts;
				if (n >= 0 && set_add(ctx, &s->fixes,
						      &f[j].target))
					goto fail_facts;
			}
		}
		fix = !backport;
		if (fix && revert && (fix = revert_fixes(ctx, f, nf, id)) < 0)
			goto fail_facts;
		if (fix && ((back = taken_back(ctx, &c[i], id)) < 0 ||
			    (back && set_add(ctx, &s->taken_back, &c[i]))))
			goto fail_facts;
		if (fix && set_add(ctx, &s->fixes, &c[i]))
			goto fail_facts;
		for (size_t j = 0; j < nf; j++) {
			char *p = NULL;

			if ((f[j].kind != FACT_ADVISORY &&
			     f[j].kind != FACT_MENTION) ||
			    !strcmp(f[j].value, id) || !is_cve(f[j].value))
				continue;
			if (advisory_primary(ctx, f[j].value, &p))
				goto fail_facts;
			if (!strcmp(p, primary))
				add_word(&s->aliases, f[j].value);
			free(p);
		}
		index_facts_free(f, nf);
		continue;
fail_facts:
		index_facts_free(f, nf);
		goto done;
	}
	ret = 0;
done:
	free(c);
	return ret;
}

/* Fixes: targets of one fix commit, added to out. */
static int fixes_of(struct advisory_ctx *ctx, const git_oid *fix,
		    struct strlist *out)
{
	struct index_fact *f = NULL;
	size_t nf = 0;
	char hex[GIT_OID_HEXSZ + 1];

	if (index_commit_facts(ctx->ix, fix, &f, &nf))
		return -1;
	for (size_t j = 0; j < nf; j++) {
		if (f[j].kind != FACT_FIXES)
			continue;
		if (f[j].resolved)
			git_oid_tostr(hex, sizeof(hex), &f[j].target);
		add_word(out, f[j].resolved ? hex : f[j].value);
	}
	index_facts_free(f, nf);
	return 0;
}

/* "<branch> <backport> <upstream>" for each configured branch holding the
 * backport but not the upstream commit; "- <backport> <upstream>" when
 * none does. */
static void add_backport_lines(struct advisory_ctx *ctx, const git_oid *b,
			       const git_oid *upstream, struct strlist *out)
{
	uint32_t bn = ctx->graph ? graph_find(ctx->graph, b) : GRAPH_NONE;
	uint32_t un = ctx->graph ? graph_find(ctx->graph, upstream) : GRAPH_NONE;
	char bh[GIT_OID_HEXSZ + 1], uh[GIT_OID_HEXSZ + 1];
	struct strbuf line = STRBUF_INIT;
	int named = 0;

	git_oid_tostr(bh, sizeof(bh), b);
	git_oid_tostr(uh, sizeof(uh), upstream);
	for (size_t r = 0; ctx->branches && r < ctx->nr_branches; r++) {
		if (!reach_contains(ctx->branches, r, bn) ||
		    reach_contains(ctx->branches, r, un))
			continue;
		strbuf_reset(&line);
		strbuf_addf(&line, "%s %s %s", ctx->branch_names[r], bh, uh);
		add_word(out, line.buf);
		named = 1;
	}
	if (!named) {
		strbuf_reset(&line);
		strbuf_addf(&line, "- %s %s", bh, uh);
		add_word(out, line.buf);
	}
	strbuf_release(&line);
}

/* Backport lines for every commit whose trailer names fix. */
static int backports_of(struct advisory_ctx *ctx, const git_oid *fix,
			struct strlist *out)
{
	git_oid *b = NULL;
	size_t nr = 0;

	if (index_referrers(ctx->ix, FACT_BACKPORT, fix, &b, &nr))
		return -1;
	for (size_t i = 0; i < nr; i++)
		add_backport_lines(ctx, &b[i], fix, out);
	free(b);
	return 0;
}

/*
 * One fix committed to several branches as separate commits is one change:
 * Xen's older advisories were committed to each stable branch with no
 * trailer naming the master commit.  Fix commits with the same subject are
 * grouped; the one on the source's main line (else the oldest) stays in
 * Fixed-By, the others become its backports, so a release is fixed by any
 * of them rather than needing all.  fixes is sorted (oldest first).
 * Memory: the subjects of the fixes; cost: one index lookup per fix and
 * O(fixes^2) comparisons (an advisory has a handful).
 */
static int merge_duplicates(struct advisory_ctx *ctx, struct commit_set *fixes,
			    struct strlist *bps)
{
	size_t nr = fixes->nr, keep = 0;
	char **subj = xcalloc(nr + 1, sizeof(*subj));
	unsigned char *gone = xcalloc(nr + 1, 1);
	int ret = -1;

	for (size_t i = 0; i < nr; i++) {
		int64_t n;

		if (index_commit_info(ctx->ix, &fixes->items[i].oid, &n, &subj[i]))
			goto done;
	}
	for (size_t i = 0; i < nr; i++) {
		size_t rep = i;

		if (gone[i] || !subj[i] || !*subj[i])
			continue;
		for (size_t j = i; j < nr; j++)
			if (subj[j] && !strcmp(subj[i], subj[j]) &&
			    on_mainline(ctx, &fixes->items[j].oid)) {
				rep = j;
				break;
			}
		for (size_t j = i; j < nr; j++) {
			if (j == rep || gone[j] || !subj[j] ||
			    strcmp(subj[i], subj[j]))
				continue;
			gone[j] = 1;
			add_backport_lines(ctx, &fixes->items[j].oid,
					   &fixes->items[rep].oid, bps);
		}
	}
	/*
	 * A fix commit left that is not on the main line while the main line
	 * has fixes is that branch's own version of the whole fix (Xen's
	 * per-branch xsaNNN-4.x.patch): a backport of every main-line fix.
	 */
	for (size_t i = 0; i < nr; i++) {
		int backported = 0;

		if (gone[i] || on_mainline(ctx, &fixes->items[i].oid))
			continue;
		for (size_t j = 0; j < nr; j++)
			if (!gone[j] && on_mainline(ctx, &fixes->items[j].oid)) {
				add_backport_lines(ctx, &fixes->items[i].oid,
						   &fixes->items[j].oid, bps);
				backported = 1;
			}
		gone[i] = (unsigned char)backported;
	}
	for (size_t i = 0; i < nr; i++)
		if (!gone[i])
			fixes->items[keep++] = fixes->items[i];
	fixes->nr = keep;
	ret = 0;
done:
	for (size_t i = 0; i < nr; i++)
		free(subj[i]);
	free(subj);
	free(gone);
	return ret;
}

/*
 * "- <backport> <upstream>" lines (imported, branch not known yet) are
 * dropped once the scan placed the same backport on a branch.
 */
static void drop_unplaced(struct strlist *bps)
{
	size_t keep = 0;

	for (size_t i = 0; i < bps->nr; i++) {
		const char *line = bps->items[i];
		int placed = 0;

		if (!strncmp(line, "- ", 2))
			for (size_t j = 0; j < bps->nr && !placed; j++) {
				const char *o = bps->items[j];
				const char *sp = strchr(o, ' ');

				placed = j != i && strncmp(o, "- ", 2) && sp &&
					 !strcmp(sp + 1, line + 2);
			}
		if (placed)
			free(bps->items[i]);
		else
			bps->items[keep++] = bps->items[i];
	}
	bps->nr = keep;
}

static int cmp_backport_line(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = reach_version_cmp(x, y);

	return c ? c : strcmp(x, y);
}

/* Write NNNN-<slug>.patch for each fix; remove stale patches. */
static int write_patches(git_repository *git, struct mbox_ahead *ahead,
			 size_t *written,
			 const char *dir, const char *id,
			 const struct strlist *aliases, const git_oid *fixes,
			 size_t nr_fixes)
{
	struct strlist keep = STRLIST_INIT;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	DIR *d;
	struct dirent *de;
	int ret = -1;

	for (size_t i = 0; i < nr_fixes; i++) {
		git_commit *c = NULL;
		struct strbuf hdr = STRBUF_INIT;
		char hex[GIT_OID_HEXSZ + 1];
		char *url;
		int changed, rc;

		if (!git || git_commit_lookup(&c, git, &fixes[i]) < 0)
			continue; /* not in this source: the record still names it */
		git_oid_tostr(hex, sizeof(hex), &fixes[i]);
		strbuf_reset(&path);
		strbuf_addf(&path, "%04zu-", i + 1);
		advisory_slug(&path, git_commit_summary(c));
		strbuf_addstr(&path, ".patch");
		strlist_add(&keep, path.buf);

		/* DEP-3 fields, at the end of the mail header */
		strbuf_addf(&hdr, "Origin: upstream, %s\n", hex);
		url = advisory_url(id);
		strbuf_addf(&hdr, "Bug: %s\n", url ? url : id);
		free(url);
		for (size_t a = 0; a < aliases->nr; a++) {
			url = advisory_url(aliases->items[a]);
			strbuf_addf(&hdr, "Bug: %s\n",
				    url ? url : aliases->items[a]);
			free(url);
		}
		strbuf_addf(&hdr, "Applied-Upstream: commit:%s\n", hex);
		strbuf_reset(&text);
		rc = mbox_format(&text, git, c, hdr.buf, ahead);
		strbuf_release(&hdr);
		git_commit_free(c);
		if (rc < 0)
			goto done;
		if (rc) { /* an empty commit: no patch (an old one goes) */
			free(keep.items[--keep.nr]);
			continue;
		}
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, keep.items[keep.nr - 1]);
		if (fileio_write_atomic(path.buf, text.buf, text.len, &changed))
			goto done;
		*written += (size_t)changed;
	}
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		int kept = 0;

		if (n < 7 || strcmp(de->d_name + n - 6, ".patch"))
			continue;
		for (size_t k = 0; k < keep.nr; k++)
			kept |= !strcmp(keep.items[k], de->d_name);
		if (kept)
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, de->d_name);
		if (unlink(path.buf) < 0)
			warning("cannot remove stale patch '%s': %s", path.buf,
				strerror(errno));
	}
	if (d)
		closedir(d);
	ret = 0;
done:
	strlist_clear(&keep);
	strbuf_release(&path);
	strbuf_release(&text);
	return ret;
}

struct patch_worker {
	struct advisory_ctx *ctx;
	const char *git_path;
	pthread_t tid;
	size_t written;
	int failed;
};

static void queue_patches(struct advisory_ctx *ctx, const struct patch_job *job)
{
	if (ctx->nr_workers)
		pthread_mutex_lock(&ctx->lock);
	ALLOC_GROW(ctx->jobs, ctx->nr_jobs + 1, ctx->alloc_jobs);
	ctx->jobs[ctx->nr_jobs++] = *job;
	if (ctx->nr_workers) {
		pthread_cond_signal(&ctx->more);
		pthread_mutex_unlock(&ctx->lock);
	}
}

/* The next job (a copy: the array may move), or 0 when there is none and
 * none will come. */
static int next_job(struct advisory_ctx *ctx, struct patch_job *out)
{
	int found;

	pthread_mutex_lock(&ctx->lock);
	while (ctx->next_job == ctx->nr_jobs && !ctx->closed)
		pthread_cond_wait(&ctx->more, &ctx->lock);
	found = ctx->next_job < ctx->nr_jobs;
	if (found)
		*out = ctx->jobs[ctx->next_job++];
	pthread_mutex_unlock(&ctx->lock);
	return found;
}

static void *patch_work(void *arg)
{
	struct patch_worker *w = arg;
	git_repository *git = NULL;
	struct patch_job j;

	if (git_repository_open_ext(&git, w->git_path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		w->failed = error("cannot open repository '%s'", w->git_path);
	/* after a failure, keep taking jobs so that the queue drains */
	while (next_job(w->ctx, &j))
		if (!w->failed &&
		    write_patches(git, w->ctx->ahead, &w->written, j.dir, j.id,
				  &j.aliases, j.fixes, j.nr_fixes))
			w->failed = -1;
	git_repository_free(git);
	return NULL;
}

static void release_scanned(struct scanned *s)
{
	free(s->fixes.items);
	free(s->taken_back.items);
	free(s->fix_intro.items);
	strlist_clear(&s->aliases);
	strlist_clear(&s->introduced);
}

int advisory_update(struct advisory_ctx *ctx, const char *id,
		    char *const *aliases, size_t nr_aliases)
{
	struct scanned s = { 0 };
	struct record rec = RECORD_INIT;
	struct strbuf path = STRBUF_INIT, val = STRBUF_INIT;
	struct strlist words = STRLIST_INIT, bps = STRLIST_INIT;
	char **old = NULL;
	size_t nr_old = 0;
	char *dir = NULL;
	const char *v;
	int ret = -1;

	if (collect_id(ctx, id, id, &s))
		goto done;
	for (size_t i = 0; i < nr_aliases; i++) {
		add_word(&s.aliases, aliases[i]);
		if (collect_id(ctx, aliases[i], id, &s))
			goto done;
	}

	strbuf_addf(&path, "advisories/%s", id);
	dir = repo_path(ctx->repo, path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/record", dir);
	if (!access(path.buf, F_OK)) {
		if (record_read(&rec, path.buf))
			goto done;
	} else {
		record_set(&rec, "Advisory", id);
	}

	/* Aliases: union, minus the id itself; the commits stating a
	 * recorded alias count as the advisory's own */
	record_words(record_get(&rec, "Aliases"), &old, &nr_old);
	for (size_t i = 0; i < nr_old; i++) {
		add_word(&words, old[i]);
		if (collect_id(ctx, old[i], id, &s))
			goto done;
	}
	record_words_free(old, nr_old);
	old = NULL;
	nr_old = 0;
	for (size_t i = 0; i < s.aliases.nr; i++)
		if (strcmp(s.aliases.items[i], id))
			add_word(&words, s.aliases.items[i]);
	strbuf_reset(&val);
	join_lines(&val, &words, " ");
	if (words.nr || record_get(&rec, "Aliases"))
		record_set(&rec, "Aliases", val.buf);

	/* Fixed-By: the record's commits (hand edits kept) and the scanned */
	drop_taken_back(&s);
	record_words(record_get(&rec, "Fixed-By"), &old, &nr_old);
	{
		struct commit_set all = { 0 };

		for (size_t i = 0; i < nr_old; i++) {
			git_oid oid;

			if (strlen(old[i]) != GIT_OID_HEXSZ ||
			    git_oid_fromstr(&oid, old[i])) {
				error("'%s': Fixed-By: '%s' is not a full commit id",
				      path.buf, old[i]);
				free(all.items);
				goto done;
			}
			if (set_add(ctx, &all, &oid))
				goto done;
		}
		for (size_t i = 0; i < s.fixes.nr; i++) {
			if (set_has(&all, &s.fixes.items[i].oid))
				continue;
			/* a fix new to the record: its Fixes: count */
			if (fixes_of(ctx, &s.fixes.items[i].oid, &s.introduced) ||
			    set_add(ctx, &all, &s.fixes.items[i].oid)) {
				free(all.items);
				goto done;
			}
		}
		free(s.fixes.items);
		s.fixes = all;
	}
	record_words_free(old, nr_old);
	old = NULL;
	nr_old = 0;
	set_sort(&s.fixes);
	if (merge_duplicates(ctx, &s.fixes, &bps))
		goto done;
	strbuf_reset(&val);
	for (size_t i = 0; i < s.fixes.nr; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &s.fixes.items[i].oid);
		strbuf_addf(&val, "%s%s", i ? "\n" : "", hex);
	}
	if (!record_get(&rec, "Subject") && s.fixes.nr) {
		char *subject = NULL;
		int64_t n;

		if (index_commit_info(ctx->ix, &s.fixes.items[0].oid, &n,
				      &subject))
			goto done;
		if (subject)
			record_set(&rec, "Subject", subject);
		free(subject);
	}
	if (!record_get(&rec, "Subject"))
		record_set(&rec, "Subject", "");
	record_set(&rec, "Fixed-By", val.buf);

	/* Introduced-By: set once, then only grows from new fixes */
	v = record_get(&rec, "Introduced-By");
	strlist_clear(&words);
	if (v && strcmp(v, "unknown")) {
		record_words(v, &old, &nr_old);
		for (size_t i = 0; i < nr_old; i++)
			add_word(&words, old[i]);
		record_words_free(old, nr_old);
		old = NULL;
		nr_old = 0;
	}
	for (size_t i = 0; i < s.introduced.nr; i++)
		add_word(&words, s.introduced.items[i]);
	strbuf_reset(&val);
	join_lines(&val, &words, "\n");
	record_set(&rec, "Introduced-By", words.nr ? val.buf : "unknown");

	/* Backports: kept lines plus every scanned backport */
	v = record_get(&rec, "Backports");
	for (const char *p = v ? v : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n) {
			char *line = xstrndup(p, n);
			add_word(&bps, line);
			free(line);
		}
		p += n + (nl ? 1 : 0);
	}
	for (size_t i = 0; i < s.fixes.nr; i++)
		if (backports_of(ctx, &s.fixes.items[i].oid, &bps))
			goto done;
	drop_unplaced(&bps);
	if (bps.nr > 1)
		qsort(bps.items, bps.nr, sizeof(*bps.items), cmp_backport_line);
	strbuf_reset(&val);
	if (bps.nr)
		strbuf_addch(&val, '\n');
	join_lines(&val, &bps, "\n");
	record_set(&rec, "Backports", val.buf);
	if (!record_get(&rec, "Notes"))
		record_set(&rec, "Notes", "");

	if (fileio_mkdirs(dir)) /* now: the patch threads write into it */
		goto done;
	record_words(record_get(&rec, "Aliases"), &old, &nr_old);
	strlist_clear(&words);
	for (size_t i = 0; i < nr_old; i++)
		add_word(&words, old[i]);
	{
		struct patch_job job = { dir, xstrdup(id), words, NULL,
					 s.fixes.nr };

		dir = NULL;
		memset(&words, 0, sizeof(words));
		job.fixes = xmalloc((s.fixes.nr + 1) * sizeof(git_oid));
		for (size_t i = 0; i < s.fixes.nr; i++)
			job.fixes[i] = s.fixes.items[i].oid;
		queue_patches(ctx, &job);
	}
	{
		struct advisory_batch *b = &ctx->records;
		struct batch_record *r;

		ALLOC_GROW(b->items, b->nr + 1, b->alloc);
		r = &b->items[b->nr++];
		r->id = xstrdup(id);
		r->path = strbuf_detach(&path, NULL);
		r->rec = rec; /* taken over */
		memset(&rec, 0, sizeof(rec));
	}
	ret = 0;
done:
	release_scanned(&s);
	record_words_free(old, nr_old);
	record_release(&rec);
	strlist_clear(&words);
	strlist_clear(&bps);
	strbuf_release(&path);
	strbuf_release(&val);
	free(dir);
	return ret;
}

static int cmp_id(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t px = strcspn(x, "-"), py = strcspn(y, "-");
	int c = px == py ? strncmp(x, y, px) : strcmp(x, y);

	if (c)
		return c;
	c = reach_version_cmp(x, y);
	return c ? c : strcmp(x, y);
}

static int cmp_batch_record(const void *a, const void *b)
{
	return strcmp(((const struct batch_record *)a)->id,
		      ((const struct batch_record *)b)->id);
}

struct record *advisory_batch_find(struct advisory_batch *b, const char *id)
{
	struct batch_record key = { (char *)id, NULL, RECORD_INIT }, *r;

	if (b->sorted != b->nr) {
		qsort(b->items, b->nr, sizeof(*b->items), cmp_batch_record);
		b->sorted = b->nr;
	}
	r = b->nr ? bsearch(&key, b->items, b->nr, sizeof(*b->items),
			    cmp_batch_record) : NULL;
	return r ? &r->rec : NULL;
}

int advisory_batch_write(struct advisory_batch *b, size_t *written)
{
	struct strbuf text = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < b->nr && !ret; i++) {
		int changed = 0;

		strbuf_reset(&text);
		record_format(&b->items[i].rec, &text);
		ret = fileio_write_atomic(b->items[i].path, text.buf, text.len,
					  &changed);
		*written += (size_t)changed;
	}
	strbuf_release(&text);
	return ret;
}

void advisory_batch_release(struct advisory_batch *b)
{
	for (size_t i = 0; i < b->nr; i++) {
		free(b->items[i].id);
		free(b->items[i].path);
		record_release(&b->items[i].rec);
	}
	free(b->items);
	memset(b, 0, sizeof(*b));
}

int advisory_list(const struct repo *repo, struct strlist *out)
{
	char *dir = repo_path(repo, "advisories");
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		int ret = errno == ENOENT ? 0 : error("cannot read '%s': %s",
						      dir, strerror(errno));
		free(dir);
		return ret;
	}
	while ((de = readdir(d))) {
		struct strbuf p = STRBUF_INIT;

		if (de->d_name[0] == '.')
			continue;
		strbuf_addf(&p, "%s/%s/record", dir, de->d_name);
		if (!access(p.buf, F_OK))
			strlist_add(out, de->d_name);
		strbuf_release(&p);
	}
	closedir(d);
	free(dir);
	advisory_sort_ids(out);
	return 0;
}

void advisory_sort_ids(struct strlist *ids)
{
	size_t k = 0;

	if (ids->nr > 1)
		qsort(ids->items, ids->nr, sizeof(*ids->items), cmp_id);
	for (size_t i = 0; i < ids->nr; i++) {
		if (k && !strcmp(ids->items[k - 1], ids->items[i]))
			free(ids->items[i]);
		else
			ids->items[k++] = ids->items[i];
	}
	ids->nr = k;
}

int advisory_find(const struct repo *repo, const char *id, char **out)
{
	struct strlist ids = STRLIST_INIT;
	int ret = -1;

	*out = NULL;
	if (advisory_list(repo, &ids))
		return -1;
	for (size_t i = 0; i < ids.nr && !*out; i++)
		if (!strcasecmp(ids.items[i], id))
			*out = xstrdup(ids.items[i]);
	for (size_t i = 0; i < ids.nr && !*out; i++) {
		struct record r = RECORD_INIT;
		struct strbuf p = STRBUF_INIT;
		char **w;
		size_t nw;

		strbuf_addf(&p, "%s/advisories/%s/record", repo->root,
			    ids.items[i]);
		if (!record_read(&r, p.buf)) {
			record_words(record_get(&r, "Aliases"), &w, &nw);
			for (size_t j = 0; j < nw && !*out; j++)
				if (!strcasecmp(w[j], id))
					*out = xstrdup(ids.items[i]);
			record_words_free(w, nw);
		}
		record_release(&r);
		strbuf_release(&p);
	}
	ret = *out ? 0 : error("no advisory '%s' in '%s'", id, repo->root);
	strlist_clear(&ids);
	return ret;
}

void advisory_start_patches(struct advisory_ctx *ctx, const char *git_path,
			    int threads)
{
	if (threads < 1)
		threads = 1;
	if (threads > 8)
		threads = 8;
	pthread_mutex_init(&ctx->lock, NULL);
	pthread_cond_init(&ctx->more, NULL);
	ctx->workers = xcalloc((size_t)threads, sizeof(*ctx->workers));
	for (int i = 0; i < threads; i++) {
		struct patch_worker *w = &ctx->workers[i];

		w->ctx = ctx;
		w->git_path = git_path;
		if (pthread_create(&w->tid, NULL, patch_work, w))
			die("cannot create a thread");
		ctx->nr_workers++;
	}
}

int advisory_finish_patches(struct advisory_ctx *ctx)
{
	int ret = 0;

	if (!ctx->nr_workers)
		return 0;
	pthread_mutex_lock(&ctx->lock);
	ctx->closed = 1;
	pthread_cond_broadcast(&ctx->more);
	pthread_mutex_unlock(&ctx->lock);
	for (int i = 0; i < ctx->nr_workers; i++) {
		pthread_join(ctx->workers[i].tid, NULL);
		ctx->patches_written += ctx->workers[i].written;
		if (ctx->workers[i].failed)
			ret = -1;
	}
	free(ctx->workers);
	ctx->workers = NULL;
	ctx->nr_workers = 0;
	pthread_cond_destroy(&ctx->more);
	pthread_mutex_destroy(&ctx->lock);
	return ret;
}

void advisory_ctx_release(struct advisory_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nr_jobs; i++) {
		free(ctx->jobs[i].dir);
		free(ctx->jobs[i].id);
		free(ctx->jobs[i].fixes);
		strlist_clear(&ctx->jobs[i].aliases);
	}
	advisory_batch_release(&ctx->records);
	free(ctx->jobs);
	ctx->jobs = NULL;
	ctx->nr_jobs = ctx->alloc_jobs = ctx->next_job = 0;
	for (size_t i = 0; i < ctx->nr_memo; i++) {
		free(ctx->memo[i].id);
		free(ctx->memo[i].primary);
	}
	free(ctx->memo);
	ctx->memo = NULL;
	ctx->nr_memo = ctx->alloc_memo = 0;
}

int advisory_exists(const struct repo *repo, const char *id)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/advisories/%s/record", repo->root, id);
	ret = !access(path.buf, F_OK);
	strbuf_release(&path);
	return ret;
}

int advisory_check(const struct repo *repo, const char *id)
{
	struct record r = RECORD_INIT;
	struct strbuf path = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&path, "%s/advisories/%s/record", repo->root, id);
	if (!access(path.buf, F_OK))
		ret = record_read(&r, path.buf);
	record_release(&r);
	strbuf_release(&path);
	return ret;
}
