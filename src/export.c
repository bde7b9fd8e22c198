/*
 * export: loading what every format needs, the output directory and its
 * list of files, the CSV and the published patch repository.  The JSON
 * formats are in export_json.c.  See export.h.
 */
#include "export.h"
#include "advisory.h"
#include "embargo.h"
#include "fileio.h"
#include "jsonutil.h"
#include "strbuf.h"
#include "usage.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".secport-export"
#define MAX_COPY (64u << 20) /* a record or patch larger than this is refused */
#define DEFAULT_ASSIGNER "00000000-0000-4000-8000-000000000000"

int export_format_parse(const char *name, enum export_format *out)
{
	static const char *const names[] = { "cve5", "osv", "openvex", "csv" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i])) {
			*out = (enum export_format)i;
			return 0;
		}
	return -1;
}

static const char *format_name(enum export_format f)
{
	switch (f) {
	case EXPORT_CVE5:
		return "cve5";
	case EXPORT_OSV:
		return "osv";
	case EXPORT_OPENVEX:
		return "openvex";
	case EXPORT_CSV:
		return "csv";
	case EXPORT_PATCHES:
		break;
	}
	return "patches";
}

/* ---- writing ------------------------------------------------------------- */


int export_write(struct export_ctx *x, const char *name, const char *buf,
		 size_t len)
{
	struct strbuf path = STRBUF_INIT;
	const char *slash = strrchr(name, '/');
	int ret = 0;

	strbuf_addf(&path, "%s/%s", x->opts->dir, name);
	if (slash) {
		struct strbuf dir = STRBUF_INIT;

		strbuf_addf(&dir, "%s/%.*s", x->opts->dir, (int)(slash - name),
			    name);
		ret = fileio_mkdirs(dir.buf);
		strbuf_release(&dir);
	}
	if (!ret)
		ret = fileio_write_atomic(path.buf, buf, len, NULL);
	if (!ret) {
		strlist_add(&x->written, name);
		x->stats->files++;
	}
	strbuf_release(&path);
	return ret;
}

int export_write_json(struct export_ctx *x, const char *name, json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII |
					     JSON_PRESERVE_ORDER);
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (!text)
		return error("cannot serialise '%s'", name);
	strbuf_addstr(&sb, text);
	strbuf_addch(&sb, '\n');
	free(text);
	ret = export_write(x, name, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

void export_timestamp(struct strbuf *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0 || !gmtime_r(&tt, &tm))
		tt = 0, gmtime_r(&tt, &tm);
	strbuf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *export_commit_url(const struct export_ctx *x, size_t s, const char *hex)
{
	struct strbuf sb = STRBUF_INIT;
	const char *t = s < x->sources.nr ? x->commit_url[s] : NULL, *p;

	if (!t || !*t)
		return NULL;
	/* substitute "%s" by hand: the template is not a printf format */
	while ((p = strstr(t, "%s"))) {
		strbuf_add(&sb, t, (size_t)(p - t));
		strbuf_addstr(&sb, hex);
		t = p + 2;
	}
	strbuf_addstr(&sb, t);
	return strbuf_detach(&sb, NULL);
}

/* ---- the output directory ------------------------------------------------ */

/* A path from a marker we may delete: relative, inside the directory. */
static int safe_path(const char *p)
{
	if (!*p || *p == '/' || !strcmp(p, MARKER))
		return 0;
	for (const char *c = p; *c; c = strchr(c, '/') ? strchr(c, '/') + 1 : "")
		if (!strncmp(c, "..", 2) && (c[2] == '/' || !c[2]))
			return 0;
	return 1;
}

static int dir_is_empty(const char *dir, int *empty)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return error("cannot open directory '%s': %s", dir,
			     strerror(errno));
	*empty = 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			*empty = 0;
	closedir(d);
	return 0;
}

/* Create the directory; old gets the files of the previous export. */
static int dir_begin(struct export_ctx *x, struct strlist *old)
{
	const char *dir = x->opts->dir;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int ret = -1, empty = 0;

	if (fileio_mkdirs(dir))
		goto done;
	strbuf_addf(&path, "%s/%s", dir, MARKER);
	if (strbuf_read_file(&text, path.buf, MAX_COPY) < 0) {
		if (errno != ENOENT) {
			error("cannot read '%s': %s", path.buf, strerror(errno));
			goto done;
		}
		if (dir_is_empty(dir, &empty))
			goto done;
		if (!empty) {
			error("'%s' is not empty and holds no secport export "
			      "(no %s file)", dir, MARKER);
			goto done;
		}
		ret = 0;
		goto done;
	}
	for (char *p = text.buf; *p;) {
		size_t n = strcspn(p, "\n");
		char c = p[n];

		p[n] = '\0';
		if (*p != '#' && safe_path(p))
			strlist_add(old, p);
		p += n + (c != '\0');
	}
	ret = 0;
done:
	strbuf_release(&path);
	strbuf_release(&text);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove what the previous export wrote and this one did not; write the
 * new list. */
static int dir_finish(struct export_ctx *x, const struct strlist *old)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	struct strlist *w = &x->written;
	int ret;

	if (w->nr > 1)
		qsort(w->items, w->nr, sizeof(*w->items), cmp_str);
	for (size_t i = 0; i < old->nr; i++) {
		const char *p = old->items[i];
		char *slash;

		if (w->nr && bsearch(&p, w->items, w->nr, sizeof(*w->items),
				     cmp_str))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", x->opts->dir, p);
		if (unlink(path.buf) < 0) {
			if (errno != ENOENT)
				warning("cannot remove '%s': %s", path.buf,
					strerror(errno));
			continue;
		}
		x->stats->removed++;
		/* and its directories, once empty */
		while ((slash = strrchr(path.buf + strlen(x->opts->dir) + 1,
					'/'))) {
			*slash = '\0';
			if (rmdir(path.buf) < 0)
				break;
		}
	}
	strbuf_addf(&sb, "# secport export --format %s: the files of this "
		    "export, removed by the next one\n",
		    format_name(x->opts->format));
	for (size_t i = 0; i < w->nr; i++)
		strbuf_addf(&sb, "%s\n", w->items[i]);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", x->opts->dir, MARKER);
	ret = fileio_write_atomic(path.buf, sb.buf, sb.len, NULL);
	strbuf_release(&sb);
	strbuf_release(&path);
	return ret;
}

/* ---- loading ------------------------------------------------------------- */

static char *config_str(const struct repo *r, const char *fmt, const char *arg)
{
	struct strbuf key = STRBUF_INIT;
	git_buf buf = GIT_BUF_INIT;
	char *ret = NULL;

	strbuf_addf(&key, fmt, arg);
	if (!git_config_get_string_buf(&buf, r->cfg, key.buf)) {
		ret = xstrdup(buf.ptr);
		git_buf_dispose(&buf);
	}
	strbuf_release(&key);
	return ret;
}

static int load_sources(struct export_ctx *x, struct index *ix)
{
	const struct reach_releases *rel = &x->a.releases;
	size_t ns;

	if (repo_sources(x->repo, &x->sources))
		return -1;
	ns = x->sources.nr;
	x->repo_url = xcalloc(ns ? ns : 1, sizeof(char *));
	x->commit_url = xcalloc(ns ? ns : 1, sizeof(char *));
	x->rel_source = xcalloc(rel->nr ? rel->nr : 1, sizeof(size_t));
	for (size_t r = 0; r < rel->nr; r++)
		x->rel_source[r] = SIZE_MAX;
	for (size_t s = 0; s < ns; s++) {
		const char *name = x->sources.items[s];
		struct strlist names = STRLIST_INIT;
		git_oid *tips = NULL;

		x->repo_url[s] = config_str(x->repo, "source.%s.url", name);
		if (!x->repo_url[s])
			x->repo_url[s] = repo_source_path(x->repo, name);
		if (!x->repo_url[s])
			x->repo_url[s] = xstrdup(name);
		x->commit_url[s] = config_str(x->repo, "source.%s.commitUrl",
					      name);
		if (!ix)
			continue;
		/* a release belongs to the first source that has its tag, as
		 * in affected.c's load_releases() */
		if (index_list_refs(ix, name, "refs/tags/", &names, &tips))
			return -1;
		for (size_t r = 0; r < rel->nr; r++) {
			if (x->rel_source[r] != SIZE_MAX)
				continue;
			for (size_t k = 0; k < names.nr; k++)
				if (!strcmp(names.items[k] + strlen("refs/tags/"),
					    rel->items[r].name)) {
					x->rel_source[r] = s;
					break;
				}
		}
		free(tips);
		strlist_clear(&names);
	}
	for (size_t r = 0; r < rel->nr; r++)
		if (x->rel_source[r] == SIZE_MAX)
			x->rel_source[r] = 0;
	x->assigner = config_str(x->repo, "%s", "export.assignerOrgId");
	if (!x->assigner)
		x->assigner = xstrdup(DEFAULT_ASSIGNER);
	x->vendor = config_str(x->repo, "%s", "export.vendor");
	x->author = config_str(x->repo, "%s", "export.author");
	if (!x->author)
		x->author = xstrdup("secport");
	return 0;
}

/* The newest author time of advisory i's fix commits (with backports). */
static int fix_time(struct export_ctx *x, struct index *ix, size_t i,
		    int64_t *out)
{
	const struct affected_advisory *adv = &x->a.advs[i];
	sqlite3_stmt *st;

	*out = 0;
	if (sqlite3_prepare_v2(ix->db,
			       "SELECT author_time FROM commits WHERE oid = ?",
			       -1, &st, NULL))
		return index_sql_fail(ix, "cannot prepare");
	for (size_t k = 0; k < adv->nr_fix; k++)
		for (size_t c = 0; c < adv->fix[k].nr; c++) {
			uint32_t n = adv->fix[k].commits[c];

			if (n >= x->a.graph.nr)
				continue;
			sqlite3_reset(st);
			sqlite3_bind_blob(st, 1, x->a.graph.oids[n].id,
					  GIT_OID_RAWSZ, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW &&
			    sqlite3_column_int64(st, 0) > *out)
				*out = sqlite3_column_int64(st, 0);
		}
	sqlite3_finalize(st);
	return 0;
}

/* Read the record of id into adv; 1 if it is embargoed and left out. */
static int load_record(struct export_ctx *x, struct export_adv *adv,
		       const char *id)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/advisories/%s/record", x->repo->root, id);
	ret = record_read(&adv->rec, path.buf);
	strbuf_release(&path);
	if (ret) {
		record_release(&adv->rec);
		return -1;
	}
	if (!x->opts->include_embargoed &&
	    embargo_active(&adv->rec, x->opts->now)) {
		record_release(&adv->rec);
		x->stats->embargoed++;
		return 1;
	}
	adv->subject = record_get(&adv->rec, "Subject");
	if (!adv->subject)
		adv->subject = "";
	record_words(record_get(&adv->rec, "Aliases"), &adv->aliases,
		     &adv->nr_aliases);
	return 0;
}

static int load(struct export_ctx *x, struct index *ix)
{
	if (affected_load(&x->a, x->repo, ix, NULL, 0))
		return -1;
	if (!x->a.graph.nr)
		return error("the index is empty: run 'secport scan' first");
	if (load_sources(x, ix))
		return -1;
	x->advs = xcalloc(x->a.nr ? x->a.nr : 1, sizeof(*x->advs));
	for (size_t i = 0; i < x->a.nr; i++) {
		struct export_adv *adv = &x->advs[x->nr];
		const struct reach_verdict *v = affected_verdicts(&x->a, i);
		int rc = load_record(x, adv, x->a.advs[i].id);

		if (rc < 0)
			return -1;
		if (rc)
			continue;
		adv->idx = i;
		for (size_t r = 0; r < x->a.releases.nr; r++)
			if (v[r].state != REACH_NOT_AFFECTED) {
				adv->source = x->rel_source[r];
				break;
			}
		x->nr++; /* owned by x from here */
		if (fix_time(x, ix, i, &adv->modified))
			return -1;
	}
	x->stats->advisories = x->nr;
	return 0;
}

static void ctx_release(struct export_ctx *x)
{
	for (size_t i = 0; i < x->nr; i++) {
		record_release(&x->advs[i].rec);
		record_words_free(x->advs[i].aliases, x->advs[i].nr_aliases);
	}
	free(x->advs);
	for (size_t s = 0; s < x->sources.nr; s++) {
		free(x->repo_url ? x->repo_url[s] : NULL);
		free(x->commit_url ? x->commit_url[s] : NULL);
	}
	free(x->repo_url);
	free(x->commit_url);
	free(x->rel_source);
	free(x->assigner);
	free(x->vendor);
	free(x->author);
	free(x->mark);
	strlist_clear(&x->sources);
	strlist_clear(&x->written);
	affected_release(&x->a);
}

/* ---- csv ----------------------------------------------------------------- */

static void csv_field(struct strbuf *sb, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

static int export_csv(struct export_ctx *x)
{
	const struct reach_releases *rel = &x->a.releases;
	struct strbuf sb = STRBUF_INIT, al = STRBUF_INIT;
	int ret;

	strbuf_addstr(&sb, "advisory,aliases,release,series,state,"
			   "introducer_unknown,via_backport,fixed_by\n");
	for (size_t i = 0; i < x->nr; i++) {
		const struct export_adv *adv = &x->advs[i];
		const struct reach_verdict *v = affected_verdicts(&x->a, adv->idx);

		strbuf_reset(&al);
		for (size_t k = 0; k < adv->nr_aliases; k++)
			strbuf_addf(&al, "%s%s", k ? " " : "", adv->aliases[k]);
		for (size_t r = 0; r < rel->nr; r++) {
			char hex[GIT_OID_HEXSZ + 1] = "";

			if (v[r].fixed_by < x->a.graph.nr)
				git_oid_tostr(hex, sizeof(hex),
					      &x->a.graph.oids[v[r].fixed_by]);
			csv_field(&sb, x->a.advs[adv->idx].id);
			strbuf_addch(&sb, ',');
			csv_field(&sb, al.buf);
			strbuf_addch(&sb, ',');
			csv_field(&sb, rel->items[r].name);
			strbuf_addch(&sb, ',');
			csv_field(&sb, rel->series[rel->items[r].series]);
			strbuf_addf(&sb, ",%s,%d,%d,%s\n", reach_state_name(v[r].state),
				    !!(v[r].flags & REACH_INTRO_UNKNOWN),
				    !!(v[r].flags & REACH_VIA_BACKPORT), hex);
		}
	}
	ret = export_write(x, "matrix.csv", sb.buf, sb.len);
	strbuf_release(&sb);
	strbuf_release(&al);
	return ret;
}

/* ---- the patch repository ------------------------------------------------ */

static int copy_file(struct export_ctx *x, const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (strbuf_read_file(&sb, from, MAX_COPY) < 0)
		ret = error("cannot read '%s': %s", from, strerror(errno));
	else
		ret = export_write(x, to, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

/* The *.patch files of advisory directory dir, sorted. */
static int list_patches(const char *dir, struct strlist *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return error("cannot open directory '%s': %s", dir,
			     strerror(errno));
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] != '.' && n > 6 &&
		    !strcmp(e->d_name + n - 6, ".patch"))
			strlist_add(out, e->d_name);
	}
	closedir(d);
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), cmp_str);
	return 0;
}

static int export_patches(struct export_ctx *x)
{
	struct strlist ids = STRLIST_INIT;
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	json_t *index = json_array();
	int ret = -1;

	if (advisory_list(x->repo, &ids))
		goto done;
	for (size_t i = 0; i < ids.nr; i++) {
		const char *id = ids.items[i];
		struct export_adv adv = { 0 };
		struct strlist patches = STRLIST_INIT;
		json_t *o, *al, *pa;
		int rc = load_record(x, &adv, id);

		if (rc < 0)
			goto done;
		if (rc)
			continue;
		strbuf_reset(&from);
		strbuf_addf(&from, "%s/advisories/%s", x->repo->root, id);
		rc = list_patches(from.buf, &patches);
		strbuf_addstr(&from, "/record");
		strbuf_reset(&to);
		strbuf_addf(&to, "%s/record", id);
		rc = rc || copy_file(x, from.buf, to.buf);
		o = json_object();
		al = json_array();
		pa = json_array();
		for (size_t k = 0; k < adv.nr_aliases; k++)
			json_array_append_new(al, json_text(adv.aliases[k]));
		for (size_t k = 0; !rc && k < patches.nr; k++) {
			strbuf_reset(&from);
			strbuf_addf(&from, "%s/advisories/%s/%s", x->repo->root,
				    id, patches.items[k]);
			strbuf_reset(&to);
			strbuf_addf(&to, "%s/%s", id, patches.items[k]);
			rc = copy_file(x, from.buf, to.buf);
			json_array_append_new(pa, json_text(to.buf));
		}
		json_object_set_new(o, "id", json_text(id));
		json_object_set_new(o, "aliases", al);
		json_object_set_new(o, "subject", json_text(adv.subject));
		strbuf_reset(&to);
		strbuf_addf(&to, "%s/record", id);
		json_object_set_new(o, "record", json_text(to.buf));
		json_object_set_new(o, "patches", pa);
		json_array_append_new(index, o);
		record_release(&adv.rec);
		record_words_free(adv.aliases, adv.nr_aliases);
		strlist_clear(&patches);
		if (rc)
			goto done;
		x->stats->advisories++;
	}
	ret = export_write_json(x, "index.json", index);
done:
	json_decref(index);
	strbuf_release(&from);
	strbuf_release(&to);
	strlist_clear(&ids);
	return ret;
}

/* ---- the driver ------------------------------------------------------------ */

int export_run(const struct repo *repo, struct index *ix,
	       const struct export_options *opts, struct export_stats *stats)
{
	struct export_ctx x = { 0 };
	struct strlist old = STRLIST_INIT;
	int ret = -1;

	memset(stats, 0, sizeof(*stats));
	x.repo = repo;
	x.opts = opts;
	x.stats = stats;
	x.a = (struct affected)AFFECTED_INIT;
	if (opts->format != EXPORT_PATCHES && load(&x, ix))
		goto done;
	if (dir_begin(&x, &old))
		goto done;
	switch (opts->format) {
	case EXPORT_CVE5:
		ret = export_cve5(&x);
		break;
	case EXPORT_OSV:
		ret = export_osv(&x);
		break;
	case EXPORT_OPENVEX:
		ret = opts->stream ? export_openvex_stream(&x, ix)
				   : export_openvex(&x);
		break;
	case EXPORT_CSV:
		ret = export_csv(&x);
		break;
	case EXPORT_PATCHES:
		ret = export_patches(&x);
		break;
	}
	if (!ret)
		ret = dir_finish(&x, &old);
done:
	strlist_clear(&old);
	ctx_release(&x);
	return ret;
}
