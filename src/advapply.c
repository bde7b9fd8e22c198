/* advapply: whole advisories applied to a tree; see advapply.h. */
#include "advapply.h"

#include "affected.h"
#include "banned.h"
#include "fileio.h"
#include "series.h"
#include "usage.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *advapply_state_name(enum advapply_state s, int dry_run)
{
	switch (s) {
	case ADVAPPLY_APPLIED:
		return dry_run ? "would apply" : "applied";
	case ADVAPPLY_ALREADY:
		return "already applied";
	case ADVAPPLY_FAILED:
		return "failed";
	default:
		return "skipped";
	}
}

const char *advapply_result_state(const struct advapply_result *r)
{
	return !r->failed ? "applied" : r->failed < r->nr ? "partial" : "failed";
}

static int seen(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

int advapply_init(struct advapply *run, const struct advapply_options *opts)
{
	struct strbuf t = STRBUF_INIT;
	const char *tmp = getenv("TMPDIR");

	memset(run, 0, sizeof(*run));
	run->opts = *opts;
	if (!opts->dry_run)
		return 0;
	strbuf_addf(&t, "%s/secport-stage.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t.buf)) {
		error("cannot create a scratch directory '%s': %s", t.buf,
		      strerror(errno));
		strbuf_release(&t);
		return -1;
	}
	run->stage = strbuf_detach(&t, NULL);
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

void advapply_release(struct advapply *run)
{
	if (!run)
		return;
	if (run->stage)
		nftw(run->stage, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(run->stage);
	run->stage = NULL;
	strlist_clear(&run->touched);
}

/* Copy the tree's regular file rel into the stage (nothing when the tree
 * has none).  rel was checked by apply_patch on the tree first. */
static int stage_copy(struct advapply *run, const char *rel)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, data = STRBUF_INIT;
	struct stat st;
	int ret = 0;
	char *slash;

	if (seen(&run->touched, rel))
		return 0;
	strlist_add(&run->touched, rel);
	strbuf_addf(&from, "%s/%s", run->opts.tree, rel);
	if (lstat(from.buf, &st) || !S_ISREG(st.st_mode))
		goto done;
	if (strbuf_read_file(&data, from.buf, APPLY_MAX_FILE)) {
		ret = error("cannot read '%s': %s", from.buf, strerror(errno));
		goto done;
	}
	strbuf_addf(&to, "%s/%s", run->stage, rel);
	slash = strrchr(to.buf, '/');
	*slash = '\0';
	if (fileio_mkdirs(to.buf)) {
		ret = -1;
		goto done;
	}
	*slash = '/';
	if (fileio_write_atomic(to.buf, data.buf, data.len, NULL) ||
	    chmod(to.buf, st.st_mode & 07777)) {
		ret = error("cannot write '%s'", to.buf);
		goto done;
	}
done:
	strbuf_release(&from);
	strbuf_release(&to);
	strbuf_release(&data);
	return ret;
}

/*
 * Apply one patch: to the tree, or, in a dry run, to the stage after
 * copying the files it touches there (checked against the tree first, so
 * the paths are safe and moved files are found), so later patches see the
 * earlier ones.  Returns apply_patch's answer.
 */
static int apply_one(struct apply_report *rep, struct advapply *run,
		     const struct patch *p)
{
	struct apply_options opts = APPLY_OPTIONS_INIT;
	struct apply_report probe = APPLY_REPORT_INIT;
	int ret;

	if (!run->stage)
		return apply_patch(rep, run->opts.tree, p, &opts);
	opts.dry_run = 1;
	ret = apply_patch(&probe, run->opts.tree, p, &opts);
	for (size_t i = 0; ret >= 0 && i < probe.nr; i++) {
		const struct apply_file *af = &probe.files[i];

		if ((af->target && stage_copy(run, af->target)) ||
		    (af->pf->old_path && stage_copy(run, af->pf->old_path)) ||
		    (af->pf->new_path && stage_copy(run, af->pf->new_path)))
			ret = -1;
	}
	apply_report_release(&probe);
	if (ret < 0)
		return ret;
	opts.dry_run = 0;
	return apply_patch(rep, run->stage, p, &opts);
}

static enum advapply_state patch_state(int ret, const struct apply_report *rep)
{
	if (ret)
		return ADVAPPLY_FAILED;
	for (size_t i = 0; i < rep->nr; i++)
		if (rep->files[i].status != APPLY_ALREADY)
			return ADVAPPLY_APPLIED;
	return ADVAPPLY_ALREADY;
}

int advapply_advisory(struct advapply_result *out, struct advapply *run,
		      const struct status_advisory *adv)
{
	int broken = 0;

	memset(out, 0, sizeof(*out));
	out->adv = adv;
	out->patches = xcalloc(adv->nr ? adv->nr : 1, sizeof(*out->patches));
	for (size_t i = 0; i < adv->nr; i++) {
		struct advapply_patch *ap = &out->patches[i];
		int r;

		ap->sp = &adv->patches[i];
		strbuf_init(&ap->diff, 0);
		out->nr++;
		if (broken) {
			ap->state = ADVAPPLY_SKIPPED;
			run->skipped++;
			out->failed++;
			continue;
		}
		r = apply_one(&ap->rep, run, &ap->sp->patch);
		if (r < 0)
			return -1;
		ap->state = patch_state(r, &ap->rep);
		if (!r && run->opts.series) {
			if (series_diff(&ap->diff, &ap->rep))
				return -1;
			ap->adapted = series_adapted(&ap->rep);
		}
		switch (ap->state) {
		case ADVAPPLY_APPLIED:
			run->applied++;
			break;
		case ADVAPPLY_ALREADY:
			run->already++;
			break;
		default:
			run->failed++;
			out->failed++;
			broken = 1;
			break;
		}
	}
	return 0;
}

void advapply_result_release(struct advapply_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nr; i++) {
		apply_report_release(&r->patches[i].rep);
		strbuf_release(&r->patches[i].diff);
	}
	free(r->patches);
	memset(r, 0, sizeof(*r));
}

int advapply_needed(struct strlist *out, const struct repo *repo,
		    struct index *ix, const char *release)
{
	struct affected aff = AFFECTED_INIT;
	long rel;
	int ret = 0;

	if (affected_load(&aff, repo, ix, NULL, 0))
		return -1;
	rel = affected_find_release(&aff, release);
	if (rel < 0) {
		ret = error("unknown release '%s': not a scanned release tag",
			    release);
		goto done;
	}
	for (size_t a = 0; a < aff.nr; a++)
		if (affected_verdicts(&aff, a)[rel].state == REACH_VULNERABLE)
			strlist_add(out, aff.advs[a].id);
done:
	affected_release(&aff);
	return ret;
}

static struct strbuf *series_next(struct advapply_series *s, const char *name)
{
	struct strbuf *t;

	ALLOC_GROW(s->texts, s->names.nr + 1, s->alloc);
	strlist_add(&s->names, name);
	t = &s->texts[s->names.nr - 1];
	strbuf_init(t, 0);
	return t;
}

void advapply_series_add(struct advapply_series *s,
			 const struct advapply_result *r,
			 const char *name_prefix, size_t redact)
{
	struct strbuf name = STRBUF_INIT;

	for (size_t i = 0; i < r->nr; i++) {
		const struct advapply_patch *ap = &r->patches[i];
		struct strbuf *t;

		if (ap->state != ADVAPPLY_APPLIED || !ap->diff.len)
			continue;
		strbuf_reset(&name);
		if (redact)
			strbuf_addf(&name, "%ssecurity-fix-%zu-%04zu.patch",
				    name_prefix, redact, i + 1);
		else
			strbuf_addf(&name, "%s%s-%s", name_prefix, r->adv->id,
				    ap->sp->name);
		t = series_next(s, name.buf);
		if (redact)
			strbuf_addstr(t, "Description: security fix, details "
					 "embargoed\n---\n");
		else
			series_header(t, ap->sp, r->adv->id, ap->adapted);
		strbuf_add(t, ap->diff.buf, ap->diff.len);
	}
	strbuf_release(&name);
}

int advapply_series_write(const struct advapply_series *s, const char *dir,
			  int write_series)
{
	struct strbuf path = STRBUF_INIT, list = STRBUF_INIT;
	int ret = -1;

	if (fileio_mkdirs(dir))
		goto done;
	for (size_t i = 0; i < s->names.nr; i++) {
		char *slash;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, s->names.items[i]);
		slash = strrchr(path.buf, '/');
		*slash = '\0';
		if (fileio_mkdirs(path.buf))
			goto done;
		*slash = '/';
		if (fileio_write_atomic(path.buf, s->texts[i].buf,
					s->texts[i].len, NULL))
			goto done;
		strbuf_addf(&list, "%s\n", s->names.items[i]);
	}
	if (write_series) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/series", dir);
		if (fileio_write_atomic(path.buf, list.buf, list.len, NULL))
			goto done;
	}
	ret = 0;
done:
	strbuf_release(&path);
	strbuf_release(&list);
	return ret;
}

void advapply_series_release(struct advapply_series *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->names.nr; i++)
		strbuf_release(&s->texts[i]);
	free(s->texts);
	strlist_clear(&s->names);
	s->texts = NULL;
	s->alloc = 0;
}
