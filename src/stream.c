/* stream: lockstep package streams; see stream.h. */
#include "stream.h"

#include "advisory.h"
#include "affected.h"
#include "banned.h"
#include "embargo.h"
#include "fileio.h"
#include "gitutil.h"
#include "record.h"
#include "usage.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Largest debian/changelog or series file read. */
#define STREAM_MAX_FILE (64u << 20)

const char *stream_state_name(enum stream_state s)
{
	switch (s) {
	case STREAM_NOT_AFFECTED:
		return "not affected";
	case STREAM_APPLIED:
		return "applied";
	case STREAM_RELEASED:
		return "released";
	default:
		return "pending";
	}
}

static int has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

/* ---- configuration ------------------------------------------------------- */

/* Split "stream.<sub>.<key>" into sub and key (malloc'ed). */
static int split_key(const char *name, char **sub, char **key)
{
	const char *dot;

	if (strncmp(name, "stream.", 7))
		return -1;
	name += 7;
	dot = strrchr(name, '.');
	if (!dot || dot == name)
		return -1;
	*sub = xstrndup(name, (size_t)(dot - name));
	*key = xstrdup(dot + 1);
	return 0;
}

int stream_names(struct strlist *out, const struct repo *repo)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;

	if (git_config_iterator_new(&it, repo->cfg) < 0)
		return gitutil_fail("cannot read", "secport.conf");
	while (git_config_next(&e, it) == 0) {
		char *sub, *key, *dot;

		if (split_key(e->name, &sub, &key))
			continue;
		dot = strchr(sub, '.');
		if (dot)
			*dot = '\0';
		if (!has(out, sub))
			strlist_add(out, sub);
		free(sub);
		free(key);
	}
	git_config_iterator_free(it);
	return 0;
}

static struct stream_component *component(struct stream *s, const char *name)
{
	struct stream_component *c;

	for (size_t i = 0; i < s->nr; i++)
		if (!strcmp(s->comps[i].name, name))
			return &s->comps[i];
	s->comps = xrealloc(s->comps, (s->nr + 1) * sizeof(*s->comps));
	c = &s->comps[s->nr++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	return c;
}

static void set_value(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

int stream_load(struct stream *out, const struct repo *repo, const char *name)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct strlist sources = STRLIST_INIT;
	size_t nl = strlen(name);
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	if (git_config_iterator_new(&it, repo->cfg) < 0)
		return gitutil_fail("cannot read", "secport.conf");
	while (git_config_next(&e, it) == 0) {
		char *sub = NULL, *key = NULL;
		int bad = 0;

		if (split_key(e->name, &sub, &key) || strncmp(sub, name, nl) ||
		    (sub[nl] && sub[nl] != '.')) {
			free(sub);
			free(key);
			continue;
		}
		if (!e->value) {
			bad = error("configuration key '%s' has no value",
				    e->name);
		} else if (!sub[nl]) {
			if (!strcmp(key, "version"))
				set_value(&out->version, e->value);
			else if (!strcmp(key, "distribution"))
				set_value(&out->distribution, e->value);
			else if (!strcmp(key, "maintainer"))
				set_value(&out->maintainer, e->value);
			else
				bad = error("unknown configuration key '%s'",
					    e->name);
		} else {
			struct stream_component *c = component(out, sub + nl + 1);

			if (!strcmp(key, "source"))
				set_value(&c->source, e->value);
			else if (!strcmp(key, "release"))
				set_value(&c->release, e->value);
			else if (!strcmp(key, "target"))
				set_value(&c->target, e->value);
			else if (!strcmp(key, "package"))
				set_value(&c->package, e->value);
			else
				bad = error("unknown configuration key '%s'",
					    e->name);
		}
		free(sub);
		free(key);
		if (bad)
			goto done;
	}
	if (!out->nr) {
		error("stream '%s' has no components (no [stream \"%s.NAME\"] "
		      "in secport.conf)", name, name);
		goto done;
	}
	if (!out->distribution)
		out->distribution = xstrdup(name);
	if (repo_sources(repo, &sources))
		goto done;
	for (size_t i = 0; i < out->nr; i++) {
		struct stream_component *c = &out->comps[i];
		const char *miss = !c->source ? "source"
				   : !c->release ? "release"
				   : !c->target ? "target" : NULL;

		if (miss) {
			error("stream component '%s.%s' has no %s", name,
			      c->name, miss);
			goto done;
		}
		if (!has(&sources, c->source)) {
			error("stream component '%s.%s': '%s' is not a "
			      "configured source", name, c->name, c->source);
			goto done;
		}
		if (!c->package)
			c->package = xstrdup(c->name);
		if (c->target[0] != '/') {
			char *abs = repo_path(repo, c->target);

			free(c->target);
			c->target = abs;
		}
	}
	ret = 0;
done:
	git_config_iterator_free(it);
	strlist_clear(&sources);
	return ret;
}

static void component_clear(struct stream_component *c)
{
	for (size_t i = 0; i < c->nr; i++) {
		struct stream_row *r = &c->rows[i];

		advapply_result_release(&r->res);
		free(r->subject);
		strlist_clear(&r->aliases);
	}
	for (size_t i = 0; i < c->nr; i++)
		status_advisory_release(&c->advs[i]);
	free(c->rows);
	free(c->advs);
	free(c->failure);
	free(c->name);
	free(c->source);
	free(c->release);
	free(c->target);
	free(c->package);
}

void stream_release(struct stream *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr; i++)
		component_clear(&s->comps[i]);
	free(s->comps);
	free(s->name);
	free(s->version);
	free(s->distribution);
	free(s->maintainer);
	memset(s, 0, sizeof(*s));
}

int stream_lockstep(struct strbuf *msg, const struct stream *s)
{
	int ret = 0;

	for (size_t i = 0; i < s->nr; i++)
		for (size_t j = i + 1; j < s->nr; j++) {
			const struct stream_component *a = &s->comps[i];
			const struct stream_component *b = &s->comps[j];

			if (strcmp(a->source, b->source) ||
			    !strcmp(a->release, b->release))
				continue;
			if (msg->len)
				strbuf_addstr(msg, "; ");
			strbuf_addf(msg, "components '%s' (%s) and '%s' (%s) "
				    "of source '%s' are not built from the "
				    "same release", a->name, a->release,
				    b->name, b->release, a->source);
			ret = -1;
		}
	return ret;
}

/* ---- planning ------------------------------------------------------------ */

/* Is one of adv's fix commits in the source repository? */
static int from_source(git_odb *odb, const struct status_advisory *adv)
{
	for (size_t i = 0; i < adv->nr; i++)
		if (adv->patches[i].has_commit &&
		    git_odb_exists(odb, &adv->patches[i].commit))
			return 1;
	return 0;
}

static int read_row_record(struct stream_row *r, const struct repo *repo,
			   time_t now)
{
	struct record rec = RECORD_INIT;
	struct strbuf rel = STRBUF_INIT;
	char *path;
	int ret = 0;

	strbuf_addf(&rel, "advisories/%s/record", r->adv->id);
	path = repo_path(repo, rel.buf);
	if (record_read(&rec, path)) {
		ret = -1;
		goto done;
	}
	if (record_get(&rec, "Subject"))
		r->subject = xstrdup(record_get(&rec, "Subject"));
	if (record_get(&rec, "Aliases")) {
		char **w;
		size_t n;

		record_words(record_get(&rec, "Aliases"), &w, &n);
		for (size_t i = 0; i < n; i++)
			strlist_add(&r->aliases, w[i]);
		record_words_free(w, n);
	}
	r->embargoed = embargo_active(&rec, now);
done:
	record_release(&rec);
	free(path);
	strbuf_release(&rel);
	return ret;
}

/* "ID patch: file: hunk N @@ ... @@: reason" for the first failure of r. */
static void describe_failure(struct strbuf *out, const struct stream_row *r)
{
	for (size_t i = 0; i < r->res.nr; i++) {
		const struct advapply_patch *ap = &r->res.patches[i];

		if (ap->state != ADVAPPLY_FAILED)
			continue;
		strbuf_addf(out, "%s %s", r->adv->id, ap->sp->name);
		for (size_t f = 0; f < ap->rep.nr; f++) {
			const struct apply_file *af = &ap->rep.files[f];

			if (af->status != APPLY_FAILED)
				continue;
			strbuf_addf(out, ": %s", af->target ? af->target
					: patch_file_path(af->pf));
			if (af->reason) {
				strbuf_addf(out, ": %s", af->reason);
				return;
			}
			for (size_t h = 0; h < af->nr; h++) {
				const struct patch_hunk *ph = &af->pf->hunks[h];

				if (af->hunks[h].tier != PLACE_FAILED)
					continue;
				strbuf_addf(out, ": hunk %zu @@ -%ld,%ld +%ld,%ld "
					    "@@ failed: %s", h + 1,
					    ph->old_start, ph->old_count,
					    ph->new_start, ph->new_count,
					    af->hunks[h].reason
						    ? af->hunks[h].reason
						    : "no place found");
				return;
			}
			return;
		}
		return;
	}
}

/* Does target/debian/patches hold every entry of s exactly? */
static int series_on_disk(const struct advapply_series *s, const char *target)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	int same = s->names.nr > 0;

	for (size_t i = 0; same && i < s->names.nr; i++) {
		strbuf_reset(&path);
		strbuf_reset(&data);
		strbuf_addf(&path, "%s/debian/patches/%s", target,
			    s->names.items[i]);
		same = !strbuf_read_file(&data, path.buf, STREAM_MAX_FILE) &&
		       data.len == s->texts[i].len &&
		       !memcmp(data.buf, s->texts[i].buf, data.len);
	}
	strbuf_release(&path);
	strbuf_release(&data);
	return same;
}

static int plan_component(struct stream_component *c, const struct repo *repo,
			  struct index *ix, const struct affected *aff,
			  const struct strlist *ids, time_t now)
{
	struct advapply_options aopts = ADVAPPLY_OPTIONS_INIT;
	struct advapply run = ADVAPPLY_INIT;
	struct status_git g = STATUS_GIT_INIT;
	struct strbuf fail = STRBUF_INIT;
	git_repository *src = NULL;
	git_odb *odb = NULL;
	char *path = repo_source_path(repo, c->source);
	size_t redact = 0;
	long rel;
	int ret = -1;

	rel = affected_find_release(aff, c->release);
	if (rel < 0) {
		error("component '%s': unknown release '%s': not a scanned "
		      "release tag", c->name, c->release);
		goto done;
	}
	if (!path || git_repository_open(&src, path) < 0 ||
	    git_repository_odb(&odb, src) < 0) {
		gitutil_fail("cannot open source repository",
			     path ? path : c->source);
		goto done;
	}
	c->advs = xcalloc(ids->nr ? ids->nr : 1, sizeof(*c->advs));
	for (size_t i = 0; i < ids->nr; i++) {
		struct status_advisory a = { 0 };

		if (status_load_advisory(&a, repo, ix, ids->items[i])) {
			status_advisory_release(&a);
			goto done;
		}
		if (from_source(odb, &a))
			c->advs[c->nr++] = a;
		else
			status_advisory_release(&a);
	}
	status_sort(c->advs, c->nr);
	c->rows = xcalloc(c->nr ? c->nr : 1, sizeof(*c->rows));
	for (size_t i = 0; i < c->nr; i++)
		c->rows[i].adv = &c->advs[i];
	if (status_git_open(&g, c->target, c->release, ix) < 0)
		goto done;
	if (g.repo)
		status_git_patch_ids(&g, c->advs, c->nr);
	aopts.tree = c->target;
	aopts.dry_run = 1;
	aopts.series = 1;
	if (advapply_init(&run, &aopts))
		goto done;
	for (size_t i = 0; i < c->nr; i++) {
		struct stream_row *r = &c->rows[i];
		struct status_result st = { 0 };
		long a = -1;

		if (read_row_record(r, repo, now))
			goto done;
		for (size_t k = 0; k < aff->nr && a < 0; k++)
			if (!strcmp(aff->advs[k].id, r->adv->id))
				a = (long)k;
		r->verdict = a < 0 ? REACH_VULNERABLE
				   : (int)affected_verdicts(aff, (size_t)a)[rel].state;
		if (r->verdict != REACH_VULNERABLE) {
			r->state = STREAM_NOT_AFFECTED;
			r->reason = r->verdict == REACH_FIXED
					    ? "fixed before the release"
					    : "bug not present in the release";
			continue;
		}
		if (status_check(&st, c->target, r->adv, g.repo ? &g : NULL,
				 ix, NULL)) {
			status_result_release(&st);
			goto done;
		}
		r->state = st.state == STATUS_PRESENT ? STREAM_APPLIED
						      : STREAM_PENDING;
		status_result_release(&st);
		if (r->state == STREAM_APPLIED)
			continue;
		if (advapply_advisory(&r->res, &run, r->adv))
			goto done;
		if (r->res.failed) {
			r->failed = 1;
			if (!fail.len)
				describe_failure(&fail, r);
			continue;
		}
		{
			struct advapply_series plain = ADVAPPLY_SERIES_INIT;
			struct advapply_series red = ADVAPPLY_SERIES_INIT;

			advapply_series_add(&plain, &r->res, "secport/", 0);
			if (r->embargoed)
				advapply_series_add(&red, &r->res, "secport/",
						    ++redact);
			if (!plain.names.nr)
				r->state = STREAM_APPLIED;
			else if (series_on_disk(&plain, c->target) ||
				 (r->embargoed && series_on_disk(&red, c->target)))
				r->state = STREAM_RELEASED;
			advapply_series_release(&plain);
			advapply_series_release(&red);
		}
	}
	if (fail.len)
		c->failure = strbuf_detach(&fail, NULL);
	ret = 0;
done:
	advapply_release(&run);
	status_git_release(&g);
	git_odb_free(odb);
	git_repository_free(src);
	strbuf_release(&fail);
	free(path);
	return ret;
}

int stream_plan(struct stream *s, const struct repo *repo, struct index *ix,
		time_t now)
{
	struct affected aff = AFFECTED_INIT;
	struct strlist ids = STRLIST_INIT;
	int ret = -1;

	if (advisory_list(repo, &ids) || affected_load(&aff, repo, ix, NULL, 0))
		goto done;
	for (size_t i = 0; i < s->nr; i++)
		if (plan_component(&s->comps[i], repo, ix, &aff, &ids, now))
			goto done;
	ret = 0;
done:
	affected_release(&aff);
	strlist_clear(&ids);
	return ret;
}

/* ---- release ------------------------------------------------------------- */

int stream_next_version(char **out, const char *version)
{
	const char *dash = version ? strrchr(version, '-') : NULL;
	size_t n, d;
	struct strbuf sb = STRBUF_INIT;
	unsigned long long v;

	*out = NULL;
	if (!dash || !dash[1])
		return error("version '%s' has no Debian revision to bump",
			     version ? version : "");
	n = strlen(version);
	for (d = n; d > (size_t)(dash - version) + 1 &&
		    isdigit((unsigned char)version[d - 1]);)
		d--;
	if (d == n || n - d > 9)
		return error("version '%s': the Debian revision does not end "
			     "in a number", version);
	v = strtoull(version + d, NULL, 10);
	strbuf_add(&sb, version, d);
	strbuf_addf(&sb, "%llu", v + 1);
	*out = strbuf_detach(&sb, NULL);
	return 0;
}

static void rfc2822(struct strbuf *out, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
					    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	strbuf_addf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000",
		    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The advisory ids named by X-Secport-Advisory in the files of the old
 * series. */
static void old_ids(struct strlist *out, const char *dir,
		    const struct strlist *names)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;

	for (size_t i = 0; i < names->nr; i++) {
		const char *s;

		strbuf_reset(&path);
		strbuf_reset(&data);
		strbuf_addf(&path, "%s/%s", dir, names->items[i]);
		if (strbuf_read_file(&data, path.buf, STREAM_MAX_FILE))
			continue;
		for (s = data.buf; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : s) {
			if (!strncmp(s, "---", 3))
				break;
			if (!strncmp(s, "X-Secport-Advisory: ", 20)) {
				const char *e = strchr(s, '\n');
				char *id = xstrndup(s + 20, e ? (size_t)(e - s - 20)
							      : strlen(s + 20));

				if (!has(out, id))
					strlist_add(out, id);
				free(id);
			}
		}
	}
	strbuf_release(&path);
	strbuf_release(&data);
}

/* One component's release, worked out in memory. */
struct comp_release {
	struct advapply_series series; /* "secport/..." names */
	struct strlist keep;           /* other lines of the old series */
	struct strlist old;            /* the old series' secport/ names */
	struct strbuf changelog;       /* the new file */
	int changed;
};

static int work_out(struct comp_release *cr, struct stream_written *w,
		    const struct stream *s, const struct stream_component *c,
		    const char *version,
		    const struct stream_write_options *opts)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	struct strlist ids = STRLIST_INIT;
	size_t redact = 0;
	int redacted_new = 0, ret = -1;

	strbuf_addf(&path, "%s/debian/patches/series", c->target);
	if (!strbuf_read_file(&data, path.buf, STREAM_MAX_FILE)) {
		for (char *l = data.buf; *l;) {
			char *e = strchr(l, '\n');

			if (e)
				*e = '\0';
			if (!strncmp(l, "secport/", 8))
				strlist_add(&cr->old, l);
			else if (*l)
				strlist_add(&cr->keep, l);
			if (!e)
				break;
			l = e + 1;
		}
	} else if (errno != ENOENT) {
		error("cannot read '%s': %s", path.buf, strerror(errno));
		goto done;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/debian/patches", c->target);
	old_ids(&ids, path.buf, &cr->old);
	for (size_t i = 0; i < c->nr; i++) {
		const struct stream_row *r = &c->rows[i];
		size_t before = cr->series.names.nr;
		int red;

		if (r->state != STREAM_PENDING && r->state != STREAM_RELEASED)
			continue;
		red = r->embargoed && !opts->include_embargoed;
		advapply_series_add(&cr->series, &r->res, "secport/",
				    red ? ++redact : 0);
		if (cr->series.names.nr == before)
			continue;
		if (red) {
			struct advapply_series one = ADVAPPLY_SERIES_INIT;

			one.names.items = cr->series.names.items + before;
			one.names.nr = cr->series.names.nr - before;
			one.texts = cr->series.texts + before;
			redacted_new |= !series_on_disk(&one, c->target);
		} else if (!has(&ids, r->adv->id)) {
			struct strbuf line = STRBUF_INIT;

			strbuf_addstr(&line, "Fix ");
			for (size_t a = 0; a < r->aliases.nr; a++)
				strbuf_addf(&line, "%s / ", r->aliases.items[a]);
			strbuf_addf(&line, "%s: %s", r->adv->id,
				    r->subject ? r->subject
				    : r->adv->patches[0].subject);
			strlist_add(&w->entries, line.buf);
			strbuf_release(&line);
		}
	}
	if (redacted_new)
		strlist_add(&w->entries, "Fix security issues, details "
					 "embargoed.");
	w->patches = cr->series.names.nr;
	cr->changed = cr->old.nr != cr->series.names.nr ||
		      (cr->series.names.nr &&
		       !series_on_disk(&cr->series, c->target));
	for (size_t i = 0; !cr->changed && i < cr->old.nr; i++)
		cr->changed = strcmp(cr->old.items[i], cr->series.names.items[i]);
	if (!w->entries.nr)
		strlist_add(&w->entries,
			    cr->changed ? "Refresh the security patches."
					: "No change: new version in lockstep "
					  "with the other packages of the "
					  "stream.");
	strbuf_addf(&cr->changelog, "%s (%s) %s; urgency=high\n\n",
		    c->package, version, s->distribution);
	for (size_t i = 0; i < w->entries.nr; i++)
		strbuf_addf(&cr->changelog, "  * %s\n", w->entries.items[i]);
	strbuf_addf(&cr->changelog, "\n -- %s  ", opts->maintainer);
	rfc2822(&cr->changelog, opts->date);
	strbuf_addstr(&cr->changelog, "\n");
	strbuf_reset(&path);
	strbuf_reset(&data);
	strbuf_addf(&path, "%s/debian/changelog", c->target);
	if (!strbuf_read_file(&data, path.buf, STREAM_MAX_FILE)) {
		strbuf_addch(&cr->changelog, '\n');
		strbuf_add(&cr->changelog, data.buf, data.len);
	} else if (errno != ENOENT) {
		error("cannot read '%s': %s", path.buf, strerror(errno));
		goto done;
	}
	for (size_t i = 0; i < cr->series.names.nr; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "debian/patches/%s", cr->series.names.items[i]);
		strlist_add(&w->files, path.buf);
	}
	for (size_t i = 0; i < cr->old.nr; i++)
		if (!has(&cr->series.names, cr->old.items[i])) {
			strbuf_reset(&path);
			strbuf_addf(&path, "debian/patches/%s",
				    cr->old.items[i]);
			strlist_add(&w->removed, path.buf);
		}
	strlist_add(&w->files, "debian/patches/series");
	strlist_add(&w->files, "debian/changelog");
	ret = 0;
done:
	strbuf_release(&path);
	strbuf_release(&data);
	strlist_clear(&ids);
	return ret;
}

static int write_component(const struct comp_release *cr,
			   const struct stream_component *c)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, list = STRBUF_INIT;
	int ret = -1;

	strbuf_addf(&dir, "%s/debian/patches", c->target);
	if (advapply_series_write(&cr->series, dir.buf, 0))
		goto done;
	for (size_t i = 0; i < cr->old.nr; i++)
		if (!has(&cr->series.names, cr->old.items[i]) &&
		    !strstr(cr->old.items[i], "..")) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", dir.buf, cr->old.items[i]);
			if (unlink(path.buf) && errno != ENOENT) {
				error("cannot remove '%s': %s", path.buf,
				      strerror(errno));
				goto done;
			}
		}
	for (size_t i = 0; i < cr->keep.nr; i++)
		strbuf_addf(&list, "%s\n", cr->keep.items[i]);
	for (size_t i = 0; i < cr->series.names.nr; i++)
		strbuf_addf(&list, "%s\n", cr->series.names.items[i]);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/series", dir.buf);
	if (fileio_write_atomic(path.buf, list.buf, list.len, NULL))
		goto done;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/debian/changelog", c->target);
	if (fileio_write_atomic(path.buf, cr->changelog.buf,
				cr->changelog.len, NULL))
		goto done;
	ret = 0;
done:
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&list);
	return ret;
}

int stream_write(struct stream_written *out, int *changed, char **new_version,
		 struct stream *s, const struct repo *repo,
		 const struct stream_write_options *opts)
{
	struct comp_release *cr = xcalloc(s->nr ? s->nr : 1, sizeof(*cr));
	struct strbuf key = STRBUF_INIT;
	char *version = NULL;
	int ret = -1;

	*changed = 0;
	*new_version = NULL;
	if (!s->version) {
		error("stream '%s' has no version (stream.%s.version)",
		      s->name, s->name);
		goto done;
	}
	if (stream_next_version(&version, s->version))
		goto done;
	for (size_t i = 0; i < s->nr; i++)
		strbuf_init(&cr[i].changelog, 0);
	for (size_t i = 0; i < s->nr; i++) {
		if (work_out(&cr[i], &out[i], s, &s->comps[i], version, opts))
			goto done;
		*changed |= cr[i].changed;
	}
	if (!*changed || opts->dry_run) {
		ret = 0;
		goto done;
	}
	for (size_t i = 0; i < s->nr; i++)
		if (write_component(&cr[i], &s->comps[i]))
			goto done;
	strbuf_addf(&key, "stream.%s.version", s->name);
	if (git_config_set_string(repo->cfg, key.buf, version) < 0) {
		gitutil_fail("cannot write", key.buf);
		goto done;
	}
	ret = 0;
done:
	if (!ret) {
		*new_version = version;
		version = NULL;
	}
	for (size_t i = 0; i < s->nr; i++) {
		advapply_series_release(&cr[i].series);
		strlist_clear(&cr[i].keep);
		strlist_clear(&cr[i].old);
		strbuf_release(&cr[i].changelog);
	}
	free(cr);
	free(version);
	strbuf_release(&key);
	return ret;
}

void stream_written_release(struct stream_written *w)
{
	if (!w)
		return;
	strlist_clear(&w->files);
	strlist_clear(&w->removed);
	strlist_clear(&w->entries);
}
