#include "mbox.h"
#include "gitutil.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct file_stat {
	const char *path;
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

int mbox_format(struct strbuf *out, git_repository *repo, git_commit *c,
		const char *extra_headers)
{
	git_commit *parent = NULL;
	git_tree *old = NULL, *new = NULL;
	git_diff *diff = NULL;
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	struct strbuf patches = STRBUF_INIT;
	struct file_stat *stats = NULL;
	const git_signature *author = git_commit_author(c);
	const char *body = git_commit_body(c);
	char hex[GIT_OID_HEXSZ + 1];
	size_t nr = 0;
	int ret = -1;

	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	if ((git_commit_parentcount(c) &&
	     (git_commit_parent(&parent, c, 0) < 0 ||
	      git_commit_tree(&old, parent) < 0)) ||
	    git_commit_tree(&new, c) < 0 ||
	    git_diff_tree_to_tree(&diff, repo, old, new, &opts) < 0) {
		gitutil_fail_oid("cannot diff commit", git_commit_id(c));
		goto done;
	}
	nr = git_diff_num_deltas(diff);
	stats = xcalloc(nr + 1, sizeof(*stats));
	for (size_t i = 0; i < nr; i++) {
		git_patch *p = NULL;
		git_buf buf = GIT_BUF_INIT;
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (git_patch_from_diff(&p, diff, i) < 0 ||
		    git_patch_to_buf(&buf, p) < 0) {
			git_patch_free(p);
			gitutil_fail_oid("cannot make the patch of", git_commit_id(c));
			goto done;
		}
		stats[i].path = d->new_file.path ? d->new_file.path
						 : d->old_file.path;
		stats[i].binary = (d->flags & GIT_DIFF_FLAG_BINARY) != 0;
		git_patch_line_stats(NULL, &stats[i].adds, &stats[i].dels, p);
		strbuf_add(&patches, buf.ptr, buf.size);
		git_buf_dispose(&buf);
		git_patch_free(p);
	}

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
	add_diffstat(out, stats, nr);
	strbuf_addch(out, '\n');
	strbuf_add(out, patches.buf, patches.len);
	strbuf_addstr(out, "-- \nsecport\n\n");
	ret = 0;
done:
	free(stats);
	strbuf_release(&patches);
	git_diff_free(diff);
	git_tree_free(old);
	git_tree_free(new);
	git_commit_free(parent);
	return ret;
}
