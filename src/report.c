/* report: the static HTML site (see report.h). */
#include "report.h"

#include "advisory.h"
#include "embargo.h"
#include "record.h"
#include "strbuf.h"
#include "usage.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".secport-report"
#define PATCH_MAX (64u << 20) /* a larger patch file is not copied */

/* One [stream "NAME"] of secport.conf with its [stream "NAME.COMPONENT"]
 * sections (stream.h): the settings, in file order, keys relative to
 * the stream ("version", "hypervisor.release"). */
struct report_stream {
	char *name;
	char *file; /* streams/<file>.html */
	struct strlist keys, values;
};

struct ctx {
	const struct repo *repo;
	struct index *ix;
	const struct affected *a;
	const struct report_options *opts;
	struct report_stats *st;
	char *tmp;	       /* the directory being written */
	struct record *recs;   /* per advisory of a */
	unsigned char *public; /* per advisory: written to the report */
	struct report_stream *streams;
	size_t nr_streams, alloc_streams;
};

/* ---- HTML helpers --------------------------------------------------------- */

void report_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_addch(out, *s);
		}
	}
}

static void esc(struct strbuf *out, const char *s)
{
	report_escape(out, s);
}

/* A path segment for an href: percent-encode all but [A-Za-z0-9._~-]. */
static void url_seg(struct strbuf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._~-", *p))
			strbuf_addch(out, *p);
		else
			strbuf_addf(out, "%%%02X", *p);
	}
}

static void page_head(struct strbuf *sb, const char *up, const char *title)
{
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			  "<meta charset=\"utf-8\">\n"
			  "<meta name=\"generator\" content=\"secport\">\n"
			  "<title>");
	esc(sb, title);
	strbuf_addf(sb, "</title>\n"
			"<link rel=\"stylesheet\" href=\"%sstyle.css\">\n"
			"<link rel=\"stylesheet\" href=\"%sprint.css\" "
			"media=\"print\">\n</head>\n<body>\n", up, up);
}

static void page_foot(struct strbuf *sb)
{
	strbuf_addstr(sb, "</body>\n</html>\n");
}

/* The cell letter and class of a verdict, as `secport matrix` prints it. */
static const char *cell_code(const struct reach_verdict *v)
{
	switch (v->state) {
	case REACH_VULNERABLE:
		return v->flags & REACH_INTRO_UNKNOWN ? "v" : "V";
	case REACH_FIXED:
		return v->flags & REACH_VIA_BACKPORT ? "B" : "F";
	case REACH_NOT_AFFECTED:
		break;
	}
	return "n";
}

static const char *cell_text(const char *code)
{
	return *code == 'n' ? "\xc2\xb7" : code; /* U+00B7 middle dot */
}

static void legend(struct strbuf *sb)
{
	static const char *const rows[][2] = {
		{ "V", "vulnerable: the release has the bug and not the fix" },
		{ "v", "vulnerable, assumed: the introducer is unknown and "
		       "the release lacks the fix" },
		{ "F", "fixed by the upstream commit" },
		{ "B", "fixed by a backport" },
		{ "n", "not affected: the release never had the bug" },
	};

	strbuf_addstr(sb, "<table class=\"legend\" id=\"legend\">\n");
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		strbuf_addf(sb, "<tr><td class=\"%s\">%s</td><td>%s</td></tr>\n",
			    rows[i][0], cell_text(rows[i][0]), rows[i][1]);
	strbuf_addstr(sb, "</table>\n");
}

/* ---- files ---------------------------------------------------------------- */

static int write_file(struct ctx *c, const char *rel, const void *buf,
		      size_t len, int page)
{
	struct strbuf path = STRBUF_INIT;
	FILE *fp;
	int ret = -1;

	strbuf_addf(&path, "%s/%s", c->tmp, rel);
	fp = fopen(path.buf, "wb");
	if (!fp) {
		error("cannot create '%s': %s", path.buf, strerror(errno));
		goto done;
	}
	if (fwrite(buf, 1, len, fp) != len) {
		error("cannot write '%s': %s", path.buf, strerror(errno));
		fclose(fp);
		goto done;
	}
	if (fclose(fp)) {
		error("cannot write '%s': %s", path.buf, strerror(errno));
		goto done;
	}
	c->st->bytes += len;
	if (page)
		c->st->pages++;
	ret = 0;
done:
	strbuf_release(&path);
	return ret;
}

/* A page written in parts: index.html can outgrow memory on big trees. */
struct part_file {
	FILE *fp;
	char *path;
};

static int part_open(struct ctx *c, struct part_file *pf, const char *rel)
{
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", c->tmp, rel);
	pf->path = strbuf_detach(&path, NULL);
	pf->fp = fopen(pf->path, "wb");
	if (!pf->fp)
		return error("cannot create '%s': %s", pf->path, strerror(errno));
	return 0;
}

/* Write out sb (and empty it); with close, finish the file too. */
static int part_write(struct ctx *c, struct part_file *pf, struct strbuf *sb,
		      int close)
{
	int ret = 0;

	if (pf->fp && fwrite(sb->buf, 1, sb->len, pf->fp) != sb->len)
		ret = error("cannot write '%s': %s", pf->path, strerror(errno));
	c->st->bytes += sb->len;
	strbuf_reset(sb);
	if (close && pf->fp) {
		if (fclose(pf->fp) && !ret)
			ret = error("cannot write '%s': %s", pf->path,
				    strerror(errno));
		pf->fp = NULL;
		c->st->pages++;
	}
	return ret;
}

static void part_release(struct part_file *pf)
{
	if (pf->fp)
		fclose(pf->fp);
	free(pf->path);
}

static int make_dir(struct ctx *c, const char *rel)
{
	struct strbuf path = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&path, "%s/%s", c->tmp, rel);
	if (mkdir(path.buf, 0777) && errno != EEXIST)
		ret = error("cannot create '%s': %s", path.buf, strerror(errno));
	strbuf_release(&path);
	return ret;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) ? -1 : 0;
}

static int remove_tree(const char *path)
{
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) && errno != ENOENT)
		return error("cannot remove '%s': %s", path, strerror(errno));
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The *.patch files of advisories/<id>/, sorted. */
static void list_patches(const struct repo *repo, const char *id,
			 struct strlist *out)
{
	struct strbuf rel = STRBUF_INIT;
	char *dir;
	DIR *d;
	struct dirent *de;

	strbuf_addf(&rel, "advisories/%s", id);
	dir = repo_path(repo, rel.buf);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 6 && de->d_name[0] != '.' &&
		    !strcmp(de->d_name + n - 6, ".patch"))
			strlist_add(out, de->d_name);
	}
	if (d)
		closedir(d);
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), cmp_str);
	free(dir);
	strbuf_release(&rel);
}

/* ---- commits ---------------------------------------------------------------- */

/* "<code>abcdef123456</code> subject" for a commit id of a record. */
static void commit_html(struct ctx *c, struct strbuf *sb, const char *hex)
{
	git_oid oid;
	char *subject = NULL;
	int64_t n = -1;

	strbuf_addstr(sb, "<code title=\"");
	esc(sb, hex);
	strbuf_addstr(sb, "\">");
	if (strlen(hex) == GIT_OID_HEXSZ && !git_oid_fromstr(&oid, hex)) {
		strbuf_add(sb, hex, 12);
		strbuf_addstr(sb, "</code>");
		if (!index_commit_info(c->ix, &oid, &n, &subject) && subject) {
			strbuf_addch(sb, ' ');
			esc(sb, subject);
		} else if (n < 0) {
			strbuf_addstr(sb, " <em>(not in the index)</em>");
		}
		free(subject);
	} else {
		esc(sb, hex);
		strbuf_addstr(sb, "</code>");
	}
}

/* Each line of text as an <li>, escaped. */
static void lines_li(struct strbuf *sb, const char *text)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);

		if (n) {
			strbuf_addstr(sb, "<li>");
			esc(sb, line);
			strbuf_addstr(sb, "</li>\n");
		}
		free(line);
		p += n + (p[n] == '\n');
	}
}

static void link_advisory_id(struct strbuf *sb, const char *id)
{
	char *url = advisory_url(id);

	if (url) {
		strbuf_addstr(sb, "<a href=\"");
		esc(sb, url);
		strbuf_addstr(sb, "\">");
		esc(sb, id);
		strbuf_addstr(sb, "</a>");
	} else {
		esc(sb, id);
	}
	free(url);
}

/* ---- index.html ------------------------------------------------------------ */

static void release_headers(struct strbuf *sb, const struct reach_releases *rel)
{
	strbuf_addstr(sb, "<thead>\n<tr><th rowspan=\"2\" class=\"corner\">"
			  "Advisory</th>");
	for (size_t r = 0; r < rel->nr;) {
		size_t s = rel->items[r].series, n = 0;

		while (r + n < rel->nr && rel->items[r + n].series == s)
			n++;
		strbuf_addf(sb, "<th colspan=\"%zu\" class=\"series s\">", n);
		esc(sb, rel->series[s]);
		strbuf_addstr(sb, "</th>");
		r += n;
	}
	strbuf_addstr(sb, "</tr>\n<tr>");
	for (size_t r = 0; r < rel->nr; r++) {
		int first = !r || rel->items[r].series != rel->items[r - 1].series;

		strbuf_addf(sb, "<th class=\"rel%s\" id=\"r-", first ? " s" : "");
		esc(sb, rel->items[r].name);
		strbuf_addstr(sb, "\" title=\"");
		esc(sb, rel->items[r].name);
		strbuf_addstr(sb, "\"><span>");
		esc(sb, reach_version(rel->items[r].name));
		strbuf_addstr(sb, "</span></th>");
	}
	strbuf_addstr(sb, "</tr>\n</thead>\n");
}

static void stream_nav(struct ctx *c, struct strbuf *sb, const char *up)
{
	if (!c->nr_streams)
		return;
	strbuf_addstr(sb, "<nav class=\"streams\">Streams:");
	for (size_t i = 0; i < c->nr_streams; i++) {
		strbuf_addf(sb, " <a href=\"%sstreams/", up);
		url_seg(sb, c->streams[i].file);
		strbuf_addstr(sb, ".html\">");
		esc(sb, c->streams[i].name);
		strbuf_addstr(sb, "</a>");
	}
	strbuf_addstr(sb, "</nav>\n");
}

static int write_index(struct ctx *c)
{
	const struct affected *a = c->a;
	const struct reach_releases *rel = &a->releases;
	struct strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
	struct part_file pf = { NULL, NULL };
	int ret = -1;

	if (part_open(c, &pf, "index.html"))
		goto done;
	page_head(&sb, "", "Security advisories");
	strbuf_addf(&sb, "<header>\n<h1>Security advisories</h1>\n"
			 "<p class=\"summary\">%zu advisories, %zu releases "
			 "in %zu series.</p>\n",
		    c->st->advisories, rel->nr, rel->nr_series);
	stream_nav(c, &sb, "");
	strbuf_addstr(&sb, "</header>\n<h2>Legend</h2>\n");
	legend(&sb);
	strbuf_addstr(&sb, "<h2 id=\"matrix-title\">Advisories by release</h2>\n"
			   "<div class=\"scroll\">\n"
			   "<table class=\"matrix\" id=\"matrix\">\n");
	release_headers(&sb, rel);
	strbuf_addstr(&sb, "<tbody>\n");
	for (size_t i = 0; i < a->nr; i++) {
		const struct reach_verdict *v = affected_verdicts(a, i);
		const char *id = a->advs[i].id, *subject;

		if (!c->public[i])
			continue;
		subject = record_get(&c->recs[i], "Subject");
		strbuf_addstr(&sb, "<tr id=\"a-");
		esc(&sb, id);
		strbuf_addstr(&sb, "\"><th><a href=\"advisories/");
		url_seg(&sb, id);
		strbuf_addstr(&sb, ".html\" title=\"");
		esc(&sb, subject ? subject : "");
		strbuf_addstr(&sb, "\">");
		esc(&sb, id);
		strbuf_addstr(&sb, "</a></th>");
		for (size_t r = 0; r < rel->nr; r++) {
			const char *code = cell_code(&v[r]);
			int first = !r ||
				    rel->items[r].series != rel->items[r - 1].series;

			strbuf_addf(&sb, "<td class=\"%s%s\">%s</td>", code,
				    first ? " s" : "", cell_text(code));
		}
		strbuf_addstr(&sb, "</tr>\n");
		if (sb.len > (1u << 20) && part_write(c, &pf, &sb, 0))
			goto done;
	}
	strbuf_addstr(&sb, "</tbody>\n</table>\n</div>\n"
			   "<h2>Advisories</h2>\n<table class=\"list\" "
			   "id=\"list\">\n<thead><tr><th>Advisory</th>"
			   "<th>Aliases</th><th>Subject</th><th>Needed for</th>"
			   "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < a->nr; i++) {
		const char *id = a->advs[i].id, *f;

		if (!c->public[i])
			continue;
		strbuf_addstr(&sb, "<tr><th><a href=\"advisories/");
		url_seg(&sb, id);
		strbuf_addstr(&sb, ".html\">");
		esc(&sb, id);
		strbuf_addstr(&sb, "</a></th><td>");
		f = record_get(&c->recs[i], "Aliases");
		esc(&sb, f ? f : "");
		strbuf_addstr(&sb, "</td><td>");
		f = record_get(&c->recs[i], "Subject");
		esc(&sb, f ? f : "");
		strbuf_addstr(&sb, "</td><td>");
		strbuf_reset(&tmp);
		affected_needed_for(&tmp, a, i);
		for (const char *p = tmp.buf; *p;) {
			size_t n = strcspn(p, "\n");
			char *line = xstrndup(p, n);

			esc(&sb, line);
			free(line);
			p += n;
			if (*p == '\n' && *++p)
				strbuf_addstr(&sb, "; ");
		}
		strbuf_addstr(&sb, "</td></tr>\n");
		if (sb.len > (1u << 20) && part_write(c, &pf, &sb, 0))
			goto done;
	}
	strbuf_addstr(&sb, "</tbody>\n</table>\n");
	page_foot(&sb);
	ret = part_write(c, &pf, &sb, 1);
done:
	part_release(&pf);
	strbuf_release(&sb);
	strbuf_release(&tmp);
	return ret;
}

/* ---- advisories/<ID>.html ------------------------------------------------- */

static void words_commits(struct ctx *c, struct strbuf *sb, const char *value)
{
	char **w;
	size_t nw;

	record_words(value ? value : "", &w, &nw);
	strbuf_addstr(sb, "<ul class=\"commits\">\n");
	for (size_t k = 0; k < nw; k++) {
		strbuf_addstr(sb, "<li>");
		if (!strcasecmp(w[k], "unknown"))
			strbuf_addstr(sb, "unknown: every release without the "
					  "fix is assumed vulnerable");
		else
			commit_html(c, sb, w[k]);
		strbuf_addstr(sb, "</li>\n");
	}
	if (!nw)
		strbuf_addstr(sb, "<li>none recorded</li>\n");
	strbuf_addstr(sb, "</ul>\n");
	record_words_free(w, nw);
}

static void backports_html(struct ctx *c, struct strbuf *sb, const char *value)
{
	size_t rows = 0;

	strbuf_addstr(sb, "<table class=\"backports\" id=\"backports\">\n"
			  "<thead><tr><th>Branch</th><th>Backport</th>"
			  "<th>Of upstream</th></tr></thead>\n<tbody>\n");
	for (const char *p = value ? value : ""; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n), **w;
		size_t nw;

		record_words(line, &w, &nw);
		if (nw) {
			strbuf_addstr(sb, "<tr><td>");
			esc(sb, w[0]);
			strbuf_addstr(sb, "</td><td>");
			if (nw > 1)
				commit_html(c, sb, w[1]);
			strbuf_addstr(sb, "</td><td>");
			if (nw > 2)
				commit_html(c, sb, w[2]);
			strbuf_addstr(sb, "</td></tr>\n");
			rows++;
		}
		record_words_free(w, nw);
		free(line);
		p += n + (p[n] == '\n');
	}
	if (!rows)
		strbuf_addstr(sb, "<tr><td colspan=\"3\">none recorded</td>"
				  "</tr>\n");
	strbuf_addstr(sb, "</tbody>\n</table>\n");
}

/* The verdict of advisory i in every release, one row per series. */
static void releases_html(struct ctx *c, struct strbuf *sb, size_t i)
{
	const struct affected *a = c->a;
	const struct reach_releases *rel = &a->releases;
	const struct reach_verdict *v = affected_verdicts(a, i);

	strbuf_addstr(sb, "<table class=\"releases\" id=\"releases\">\n"
			  "<tbody>\n");
	for (size_t r = 0; r < rel->nr; r++) {
		const char *code = cell_code(&v[r]);

		if (!r || rel->items[r].series != rel->items[r - 1].series) {
			if (r)
				strbuf_addstr(sb, "</tr>\n");
			strbuf_addstr(sb, "<tr><th>");
			esc(sb, rel->series[rel->items[r].series]);
			strbuf_addstr(sb, "</th>");
		}
		strbuf_addf(sb, "<td class=\"%s\" id=\"r-", code);
		esc(sb, rel->items[r].name);
		strbuf_addch(sb, '"');
		if (v[r].fixed_by < a->graph.nr) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, 13, &a->graph.oids[v[r].fixed_by]);
			strbuf_addf(sb, " title=\"fixed by %s\"", hex);
		}
		strbuf_addstr(sb, "><span class=\"ver\">");
		esc(sb, reach_version(rel->items[r].name));
		strbuf_addf(sb, "</span> <b>%s</b></td>", cell_text(code));
	}
	if (rel->nr)
		strbuf_addstr(sb, "</tr>\n");
	strbuf_addstr(sb, "</tbody>\n</table>\n");
}

static int copy_patch(struct ctx *c, const char *id, const char *name)
{
	struct strbuf src = STRBUF_INIT, buf = STRBUF_INIT, rel = STRBUF_INIT;
	char *path;
	int ret = -1;

	strbuf_addf(&src, "advisories/%s/%s", id, name);
	path = repo_path(c->repo, src.buf);
	if (strbuf_read_file(&buf, path, PATCH_MAX)) {
		error("cannot read '%s': %s", path, strerror(errno));
		goto done;
	}
	strbuf_addf(&rel, "advisories/%s/%s", id, name);
	if (write_file(c, rel.buf, buf.buf, buf.len, 0))
		goto done;
	c->st->patches++;
	ret = 0;
done:
	free(path);
	strbuf_release(&src);
	strbuf_release(&buf);
	strbuf_release(&rel);
	return ret;
}

static int write_advisory(struct ctx *c, size_t i)
{
	const struct affected *a = c->a;
	const struct record *r = &c->recs[i];
	const char *id = a->advs[i].id, *f;
	struct strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT, rel = STRBUF_INIT;
	struct strlist patches = STRLIST_INIT;
	char **w;
	size_t nw;
	int ret = -1;

	strbuf_addf(&tmp, "%s: %s", id, (f = record_get(r, "Subject")) ? f : "");
	page_head(&sb, "../", tmp.buf);
	strbuf_addstr(&sb, "<nav><a href=\"../index.html\">All advisories</a>");
	strbuf_addstr(&sb, "</nav>\n");
	if (embargo_active(r, c->opts->now))
		strbuf_addstr(&sb, "<p class=\"embargo\" id=\"embargo\">"
				   "Embargoed: not for publication.</p>\n");
	strbuf_addstr(&sb, "<h1><span class=\"id\">");
	esc(&sb, id);
	strbuf_addstr(&sb, "</span> <span class=\"subject\" id=\"subject\">");
	esc(&sb, f ? f : "");
	strbuf_addstr(&sb, "</span></h1>\n<dl>\n<dt>Advisory</dt><dd>");
	link_advisory_id(&sb, id);
	strbuf_addstr(&sb, "</dd>\n<dt>Aliases</dt><dd id=\"aliases\">");
	record_words((f = record_get(r, "Aliases")) ? f : "", &w, &nw);
	for (size_t k = 0; k < nw; k++) {
		if (k)
			strbuf_addstr(&sb, ", ");
		link_advisory_id(&sb, w[k]);
	}
	if (!nw)
		strbuf_addstr(&sb, "none");
	record_words_free(w, nw);
	strbuf_addstr(&sb, "</dd>\n</dl>\n");
	strbuf_addstr(&sb, "<h2>Releases needing the fix</h2>\n"
			   "<ul class=\"needed\" id=\"needed-for\">\n");
	strbuf_reset(&tmp);
	affected_needed_for(&tmp, a, i);
	lines_li(&sb, tmp.buf);
	strbuf_addstr(&sb, "</ul>\n<h3>By series</h3>\n<ul class=\"ranges\" "
			   "id=\"fixed-in\">\n");
	strbuf_reset(&tmp);
	affected_fixed_in(&tmp, a, i);
	lines_li(&sb, tmp.buf);
	strbuf_addstr(&sb, "</ul>\n<h3>Every release</h3>\n");
	releases_html(c, &sb, i);
	legend(&sb);

	strbuf_addstr(&sb, "<h2>Introduced by</h2>\n");
	words_commits(c, &sb, record_get(r, "Introduced-By"));
	strbuf_addstr(&sb, "<h2>Fixed by (upstream)</h2>\n");
	words_commits(c, &sb, record_get(r, "Fixed-By"));
	strbuf_addstr(&sb, "<h2>Backports</h2>\n");
	backports_html(c, &sb, record_get(r, "Backports"));

	strbuf_addstr(&sb, "<h2>Patches</h2>\n<ul class=\"patches\" "
			   "id=\"patches\">\n");
	list_patches(c->repo, id, &patches);
	if (patches.nr) {
		strbuf_addf(&rel, "advisories/%s", id);
		if (make_dir(c, rel.buf))
			goto done;
	}
	for (size_t k = 0; k < patches.nr; k++) {
		if (copy_patch(c, id, patches.items[k]))
			goto done;
		strbuf_addstr(&sb, "<li><a href=\"");
		url_seg(&sb, id);
		strbuf_addch(&sb, '/');
		url_seg(&sb, patches.items[k]);
		strbuf_addstr(&sb, "\">");
		esc(&sb, patches.items[k]);
		strbuf_addstr(&sb, "</a></li>\n");
	}
	if (!patches.nr)
		strbuf_addstr(&sb, "<li>none</li>\n");
	strbuf_addstr(&sb, "</ul>\n");
	if ((f = record_get(r, "Notes")) && *f) {
		strbuf_addstr(&sb, "<h2>Notes</h2>\n<pre class=\"notes\">");
		esc(&sb, f);
		strbuf_addstr(&sb, "</pre>\n");
	}
	page_foot(&sb);
	strbuf_reset(&rel);
	strbuf_addf(&rel, "advisories/%s.html", id);
	ret = write_file(c, rel.buf, sb.buf, sb.len, 1);
done:
	strlist_clear(&patches);
	strbuf_release(&sb);
	strbuf_release(&tmp);
	strbuf_release(&rel);
	return ret;
}

/* ---- streams/<NAME>.html --------------------------------------------------- */

static int stream_name_safe(const char *s)
{
	if (!*s || *s == '.')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._-", *s)))
			return 0;
	return 1;
}

/* Collect stream.<name>.<key> of secport.conf, streams in file order. */
static int load_streams(struct ctx *c)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int rc;

	/* not the glob iterator: its regex leaks in libgit2 1.5 */
	if (git_config_iterator_new(&it, c->repo->cfg))
		return error("cannot read the stream settings: %s",
			     git_error_last() ? git_error_last()->message : "");
	while (!(rc = git_config_next(&e, it))) {
		const char *name, *dot;
		struct report_stream *s = NULL;
		char *n;

		if (strncmp(e->name, "stream.", strlen("stream.")))
			continue;
		name = e->name + strlen("stream.");
		dot = strrchr(name, '.');
		if (!dot || dot == name)
			continue; /* stream.key without a name */
		/* the stream is the subsection up to its first dot */
		dot = memchr(name, '.', (size_t)(dot - name) + 1);
		n = xstrndup(name, (size_t)(dot - name));
		for (size_t k = 0; k < c->nr_streams && !s; k++)
			if (!strcmp(c->streams[k].name, n))
				s = &c->streams[k];
		if (!s) {
			struct strbuf f = STRBUF_INIT;

			ALLOC_GROW(c->streams, c->nr_streams + 1, c->alloc_streams);
			s = &c->streams[c->nr_streams++];
			memset(s, 0, sizeof(*s));
			s->name = xstrdup(n);
			if (stream_name_safe(n))
				strbuf_addstr(&f, n);
			else
				strbuf_addf(&f, "stream-%zu", c->nr_streams);
			s->file = strbuf_detach(&f, NULL);
		}
		free(n);
		strlist_add(&s->keys, dot + 1);
		strlist_add(&s->values, e->value ? e->value : "");
	}
	git_config_iterator_free(it);
	if (rc != GIT_ITEROVER)
		return error("cannot read the stream settings: %s",
			     git_error_last() ? git_error_last()->message : "");
	return 0;
}

static void streams_clear(struct ctx *c)
{
	for (size_t i = 0; i < c->nr_streams; i++) {
		free(c->streams[i].name);
		free(c->streams[i].file);
		strlist_clear(&c->streams[i].keys);
		strlist_clear(&c->streams[i].values);
	}
	free(c->streams);
}

/* The advisories needing (or fixed in) release rel, for a stream page. */
static void stream_release(struct ctx *c, struct strbuf *sb, size_t rel)
{
	const struct affected *a = c->a;
	size_t rows = 0;

	strbuf_addstr(sb, "<h2>");
	esc(sb, a->releases.items[rel].name);
	strbuf_addstr(sb, "</h2>\n<table class=\"list\">\n<thead><tr>"
			  "<th>Advisory</th><th>State</th><th>Subject</th>"
			  "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < a->nr; i++) {
		const struct reach_verdict *v = &affected_verdicts(a, i)[rel];
		const char *code = cell_code(v), *f;

		if (!c->public[i] || v->state == REACH_NOT_AFFECTED)
			continue;
		strbuf_addstr(sb, "<tr id=\"a-");
		esc(sb, a->advs[i].id);
		strbuf_addstr(sb, "\"><th><a href=\"../advisories/");
		url_seg(sb, a->advs[i].id);
		strbuf_addstr(sb, ".html\">");
		esc(sb, a->advs[i].id);
		strbuf_addf(sb, "</a></th><td class=\"%s\">%s</td><td>", code,
			    cell_text(code));
		f = record_get(&c->recs[i], "Subject");
		esc(sb, f ? f : "");
		strbuf_addstr(sb, "</td></tr>\n");
		rows++;
	}
	if (!rows)
		strbuf_addstr(sb, "<tr><td colspan=\"3\">no advisory affects "
				  "this release</td></tr>\n");
	strbuf_addstr(sb, "</tbody>\n</table>\n");
}

static int write_stream(struct ctx *c, const struct report_stream *s)
{
	struct strbuf sb = STRBUF_INIT, rel = STRBUF_INIT;
	unsigned char *done;
	int ret;

	strbuf_addf(&rel, "Stream %s", s->name);
	page_head(&sb, "../", rel.buf);
	strbuf_addstr(&sb, "<nav><a href=\"../index.html\">All advisories</a>"
			   "</nav>\n<h1>Stream <span class=\"id\">");
	esc(&sb, s->name);
	strbuf_addstr(&sb, "</span></h1>\n<table class=\"settings\" "
			   "id=\"settings\">\n<tbody>\n");
	for (size_t k = 0; k < s->keys.nr; k++) {
		strbuf_addstr(&sb, "<tr><th>");
		esc(&sb, s->keys.items[k]);
		strbuf_addstr(&sb, "</th><td>");
		esc(&sb, s->values.items[k]);
		strbuf_addstr(&sb, "</td></tr>\n");
	}
	strbuf_addstr(&sb, "</tbody>\n</table>\n");
	legend(&sb);
	/* every release a setting names (a component's base release): what
	 * that release needs, once per release */
	done = xcalloc(c->a->releases.nr + 1, 1);
	for (size_t k = 0; k < s->values.nr; k++) {
		char **w;
		size_t nw;

		record_words(s->values.items[k], &w, &nw);
		for (size_t j = 0; j < nw; j++) {
			long r = affected_find_release(c->a, w[j]);

			if (r >= 0 && !done[r]) {
				done[r] = 1;
				stream_release(c, &sb, (size_t)r);
			}
		}
		record_words_free(w, nw);
	}
	free(done);
	page_foot(&sb);
	strbuf_reset(&rel);
	strbuf_addf(&rel, "streams/%s.html", s->file);
	ret = write_file(c, rel.buf, sb.buf, sb.len, 1);
	strbuf_release(&sb);
	strbuf_release(&rel);
	return ret;
}

/* ---- style sheets ---------------------------------------------------------- */

static const char style_css[] =
	"/* secport report: screen */\n"
	"body { font: 14px/1.4 system-ui, sans-serif; margin: 1em 2em; "
	"color: #111; background: #fff; }\n"
	"code { font: 13px ui-monospace, monospace; }\n"
	"a { color: #0645ad; }\n"
	"table { border-collapse: collapse; }\n"
	"th, td { border: 1px solid #ccc; padding: 2px 4px; }\n"
	"th { text-align: left; background: #f4f4f4; }\n"
	".V, .v, .F, .B, .n { text-align: center; font-weight: bold; "
	"-webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	".V { background: #f28b82; color: #000; }\n"
	".v { background: #fcd0a1; color: #000; font-style: italic; }\n"
	".F { background: #a8dab5; color: #000; }\n"
	".B { background: #aecbfa; color: #000; }\n"
	".n { background: #f1f3f4; color: #777; font-weight: normal; }\n"
	".legend td { padding: 2px 8px; }\n"
	".scroll { overflow: auto; max-height: 85vh; width: fit-content; "
	"max-width: 100%; border: 1px solid #ccc; }\n"
	".matrix { font-size: 12px; }\n"
	".matrix td { min-width: 1.2em; padding: 1px 2px; }\n"
	".matrix thead { position: sticky; top: 0; z-index: 2; }\n"
	".matrix thead th { background: #f4f4f4; }\n"
	".matrix tbody th { position: sticky; left: 0; z-index: 1; "
	"background: #fff; white-space: nowrap; }\n"
	".matrix th.rel { vertical-align: bottom; padding: 2px 1px; }\n"
	".matrix th.rel span { writing-mode: vertical-rl; "
	"transform: rotate(180deg); font-weight: normal; }\n"
	".matrix .s { border-left: 2px solid #444; }\n"
	".releases td { white-space: nowrap; }\n"
	".releases .ver { font-weight: normal; }\n"
	".embargo { background: #000; color: #fff; padding: 4px 8px; "
	"font-weight: bold; }\n"
	".notes { white-space: pre-wrap; }\n"
	"nav { margin-bottom: 1em; }\n";

static const char print_css[] =
	"/* secport report: print (the letters carry the states without "
	"colour) */\n"
	"@page { size: A4 landscape; margin: 10mm; }\n"
	"body { font-size: 9pt; margin: 0; }\n"
	"nav { display: none; }\n"
	"a { color: inherit; text-decoration: none; }\n"
	".scroll { overflow: visible; max-height: none; border: 0; }\n"
	".matrix { font-size: 6pt; }\n"
	".matrix thead { position: static; display: table-header-group; }\n"
	".matrix tbody th { position: static; }\n"
	".matrix tr, .list tr, .releases tr { break-inside: avoid; }\n"
	"th, td { border-color: #888; }\n"
	"h2 { break-after: avoid; }\n";

/* ---- the whole site --------------------------------------------------------- */

/* May DIR be replaced?  Yes when absent, empty or an earlier report. */
static int check_target(const char *dir, int *exists)
{
	struct strbuf marker = STRBUF_INIT;
	struct stat st;
	DIR *d;
	struct dirent *de;
	int empty = 1, ret = 0;

	*exists = 0;
	if (lstat(dir, &st)) {
		if (errno == ENOENT)
			return 0;
		return error("cannot read '%s': %s", dir, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return error("'%s' exists and is not a directory", dir);
	*exists = 1;
	strbuf_addf(&marker, "%s/" MARKER, dir);
	if (!access(marker.buf, F_OK))
		goto done;
	d = opendir(dir);
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	if (d)
		closedir(d);
	if (!empty)
		ret = error("'%s' is not empty and not a secport report; "
			    "remove it or choose another directory", dir);
done:
	strbuf_release(&marker);
	return ret;
}

static int write_site(struct ctx *c)
{
	if (make_dir(c, "advisories") ||
	    (c->nr_streams && make_dir(c, "streams")))
		return -1;
	if (write_file(c, MARKER, "secport report\n", 15, 0) ||
	    write_file(c, "style.css", style_css, sizeof(style_css) - 1, 0) ||
	    write_file(c, "print.css", print_css, sizeof(print_css) - 1, 0))
		return -1;
	if (write_index(c))
		return -1;
	for (size_t i = 0; i < c->a->nr; i++)
		if (c->public[i] && write_advisory(c, i))
			return -1;
	for (size_t i = 0; i < c->nr_streams; i++) {
		if (write_stream(c, &c->streams[i]))
			return -1;
		c->st->streams++;
	}
	return 0;
}

/* Replace dir by the finished c->tmp. */
static int install(struct ctx *c, const char *dir, int exists)
{
	struct strbuf old = STRBUF_INIT;
	int ret = -1;

	if (exists) {
		strbuf_addf(&old, "%s.old-%ld", dir, (long)getpid());
		if (rename(dir, old.buf)) {
			error("cannot move '%s' aside: %s", dir, strerror(errno));
			goto done;
		}
	}
	if (rename(c->tmp, dir)) {
		error("cannot rename '%s' to '%s': %s", c->tmp, dir,
		      strerror(errno));
		if (exists && rename(old.buf, dir))
			error("the previous report is in '%s'", old.buf);
		goto done;
	}
	ret = exists ? remove_tree(old.buf) : 0;
done:
	strbuf_release(&old);
	return ret;
}

int report_write(struct report_stats *out, const struct repo *repo,
		 struct index *ix, const struct affected *a,
		 const struct report_options *opts)
{
	struct report_stats st = { 0 };
	struct ctx c = { repo, ix, a, opts, &st, NULL, NULL, NULL, NULL, 0, 0 };
	struct strbuf path = STRBUF_INIT, dir = STRBUF_INIT;
	int exists, ret = -1;

	/* no trailing slash: DIR.tmp-PID must be a sibling */
	strbuf_addstr(&dir, opts->dir);
	while (dir.len > 1 && dir.buf[dir.len - 1] == '/')
		strbuf_setlen(&dir, dir.len - 1);
	if (check_target(dir.buf, &exists))
		goto done;
	c.recs = xcalloc(a->nr ? a->nr : 1, sizeof(*c.recs));
	c.public = xcalloc(a->nr ? a->nr : 1, 1);
	for (size_t i = 0; i < a->nr; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "advisories/%s/record", a->advs[i].id);
		free(c.tmp);
		c.tmp = repo_path(repo, path.buf);
		if (record_read(&c.recs[i], c.tmp))
			goto done;
		c.public[i] = opts->include_embargoed ||
			      !embargo_active(&c.recs[i], opts->now);
		if (c.public[i])
			st.advisories++;
		else
			st.withheld++;
	}
	free(c.tmp);
	c.tmp = NULL;
	if (load_streams(&c))
		goto done;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s.tmp-%ld", dir.buf, (long)getpid());
	c.tmp = strbuf_detach(&path, NULL);
	if (remove_tree(c.tmp))
		goto done;
	if (mkdir(c.tmp, 0777)) {
		error("cannot create '%s': %s", c.tmp, strerror(errno));
		goto done;
	}
	if (write_site(&c) || install(&c, dir.buf, exists)) {
		remove_tree(c.tmp);
		goto done;
	}
	if (out)
		*out = st;
	ret = 0;
done:
	for (size_t i = 0; c.recs && i < a->nr; i++)
		record_release(&c.recs[i]);
	free(c.recs);
	free(c.public);
	free(c.tmp);
	streams_clear(&c);
	strbuf_release(&path);
	strbuf_release(&dir);
	return ret;
}
