/*
 * series: regenerated patches and their DEP-3 headers; see series.h.
 */
#include "series.h"

#include "banned.h"
#include "gitutil.h"
#include "usage.h"

#include <git2.h>
#include <string.h>

/* One file section: "--- a/old" / "+++ b/new" (or /dev/null) and the hunks
 * of before -> after. */
static int file_diff(struct strbuf *out, const char *old_path,
		     const char *new_path, const struct strbuf *before,
		     const struct strbuf *after)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_patch *gp = NULL;
	size_t nh;
	int ret = 0;

	opts.flags |= GIT_DIFF_FORCE_TEXT;
	opts.context_lines = 3;
	if (git_patch_from_buffers(&gp, before ? before->buf : NULL,
				   before ? before->len : 0, old_path,
				   after ? after->buf : NULL,
				   after ? after->len : 0, new_path, &opts) < 0)
		return gitutil_fail("cannot diff", new_path ? new_path
							       : old_path);
	nh = git_patch_num_hunks(gp);
	if (!nh)
		goto done;
	if (old_path)
		strbuf_addf(out, "--- a/%s\n", old_path);
	else
		strbuf_addstr(out, "--- /dev/null\n");
	if (new_path)
		strbuf_addf(out, "+++ b/%s\n", new_path);
	else
		strbuf_addstr(out, "+++ /dev/null\n");
	for (size_t h = 0; h < nh; h++) {
		const git_diff_hunk *hunk;
		size_t nl;

		if (git_patch_get_hunk(&hunk, &nl, gp, h) < 0) {
			ret = gitutil_fail("cannot diff", old_path);
			goto done;
		}
		strbuf_add(out, hunk->header, hunk->header_len);
		if (!hunk->header_len || hunk->header[hunk->header_len - 1] != '\n')
			strbuf_addch(out, '\n');
		for (size_t l = 0; l < nl; l++) {
			const git_diff_line *line;

			if (git_patch_get_line_in_hunk(&line, gp, h, l) < 0) {
				ret = gitutil_fail("cannot diff", old_path);
				goto done;
			}
			if (line->origin != GIT_DIFF_LINE_CONTEXT &&
			    line->origin != GIT_DIFF_LINE_ADDITION &&
			    line->origin != GIT_DIFF_LINE_DELETION)
				continue;
			strbuf_addch(out, line->origin);
			strbuf_add(out, line->content, line->content_len);
			if (!line->content_len ||
			    line->content[line->content_len - 1] != '\n')
				strbuf_addstr(out,
					      "\n\\ No newline at end of file\n");
		}
	}
done:
	git_patch_free(gp);
	return ret;
}

int series_diff(struct strbuf *out, const struct apply_report *rep)
{
	for (size_t i = 0; i < rep->nr; i++) {
		const struct apply_file *af = &rep->files[i];
		const struct patch_file *pf = af->pf;
		const char *target = af->target ? af->target
						: patch_file_path(pf);
		int ret = 0;

		if (af->status != APPLY_OK)
			continue;
		if (pf->is_delete)
			ret = file_diff(out, target, NULL, &af->content, NULL);
		else if (pf->is_rename || pf->is_copy) {
			if (pf->is_rename)
				ret = file_diff(out, target, NULL, &af->content,
						NULL);
			if (!ret)
				ret = file_diff(out, NULL, pf->new_path, NULL,
						&af->result);
		} else if (!af->exists)
			ret = file_diff(out, NULL, target, NULL, &af->result);
		else
			ret = file_diff(out, target, target, &af->content,
					&af->result);
		if (ret)
			return ret;
	}
	return 0;
}

int series_adapted(const struct apply_report *rep)
{
	for (size_t i = 0; i < rep->nr; i++) {
		const struct apply_file *af = &rep->files[i];

		if (af->moved)
			return 1;
		for (size_t j = 0; j < af->nr; j++)
			if (af->hunks[j].tier == PLACE_WHITESPACE ||
			    af->hunks[j].tier == PLACE_FUZZ ||
			    af->hunks[j].tier == PLACE_REALIGNED)
				return 1;
	}
	return 0;
}

/* A DEP-3 multi-line value: continuation lines start with a space and an
 * empty line is " ."; text is untrusted, so no line can look like a diff. */
static void add_folded(struct strbuf *out, const char *text)
{
	const char *s = text;

	while (*s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n)
			strbuf_addch(out, ' '), strbuf_add(out, s, n);
		else
			strbuf_addstr(out, " .");
		strbuf_addch(out, '\n');
		s += n + (e != NULL);
	}
}

void series_header(struct strbuf *out, const struct status_patch *p,
		   const char *id, int adapted)
{
	strbuf_addf(out, "Description: %s\n", p->subject);
	if (p->body)
		add_folded(out, p->body);
	if (p->author)
		strbuf_addf(out, "Author: %s\n", p->author);
	for (size_t i = 0; i < p->dep3.nr; i++) {
		const char *l = p->dep3.items[i];

		if (adapted && !strncmp(l, "Origin: upstream,", 17))
			strbuf_addf(out, "Origin: backport,%s\n", l + 17);
		else
			strbuf_addf(out, "%s\n", l);
	}
	if (!p->dep3.nr && p->has_commit) {
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), &p->commit);
		strbuf_addf(out, "Origin: %s, %s\n",
			    adapted ? "backport" : "upstream", hex);
	}
	strbuf_addf(out, "X-Secport-Advisory: %s\n", id);
	strbuf_addstr(out, "---\n");
}
