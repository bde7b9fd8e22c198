/*
 * apply: place every hunk, then write all or nothing; see apply.h.
 */
#include "apply.h"
#include "adapt.h"
#include "repo.h"
#include "banned.h"
#include "usage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TREE_ENTRIES 500000

/* A path from a patch must stay inside the tree by its spelling. */
static int check_path(const char *patch_name, const char *path)
{
	const char *s = path;

	if (!*path || path[0] == '/')
		return error("unsafe path '%s' in '%s': absolute or empty",
			     path, patch_name);
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if ((n == 2 && !memcmp(s, "..", 2)) ||
		    (n == 4 && !memcmp(s, ".git", 4)) || n == 0 ||
		    (n == 1 && *s == '.'))
			return error("unsafe path '%s' in '%s': contains '%.*s'",
				     path, patch_name, (int)n, s);
		s += n;
		if (*s == '/')
			s++;
	}
	return 0;
}

static int inside(const char *real, const char *root)
{
	size_t n = strlen(root);

	return !strncmp(real, root, n) &&
	       (real[n] == '/' || real[n] == '\0' || !strcmp(root, "/"));
}

/*
 * ... and by the file system: no component may be a symbolic link that
 * leads out of the tree, and the file itself may not be a link at all.
 */
static int check_links(const char *root, const char *dir, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = path;
	int ret = 0;

	strbuf_addstr(&sb, dir);
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		struct stat st;

		strbuf_addch(&sb, '/');
		strbuf_add(&sb, s, n);
		s += n;
		if (*s == '/')
			s++;
		if (lstat(sb.buf, &st))
			break;
		if (!S_ISLNK(st.st_mode))
			continue;
		if (!*s) {
			ret = error("'%s' is a symbolic link; not patching it",
				    path);
			break;
		}
		{
			char *real = realpath(sb.buf, NULL);

			if (!real || !inside(real, root))
				ret = error("unsafe path '%s': a symbolic link "
					    "leads out of the tree", path);
			free(real);
			if (ret)
				break;
		}
	}
	strbuf_release(&sb);
	return ret;
}

static void full_path(struct strbuf *sb, const char *dir, const char *path)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", dir, path);
}

/* Split content into lines; decide CRLF and the final newline. */
static void split_lines(struct apply_file *af)
{
	char *p = af->content.buf, *end = p + af->content.len;
	size_t alloc = 0, cr = 0;

	af->line_nr = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		ALLOC_GROW(af->line, af->line_nr + 1, alloc);
		af->line[af->line_nr].s = p;
		af->line[af->line_nr].len = len;
		af->line_nr++;
		if (len && p[len - 1] == '\r')
			cr++;
		p = nl ? nl + 1 : end;
	}
	af->final_eol = !af->content.len || end[-1] == '\n';
	af->crlf = af->line_nr && cr * 2 > af->line_nr;
	if (af->crlf)
		for (size_t i = 0; i < af->line_nr; i++)
			if (af->line[i].len && af->line[i].s[af->line[i].len - 1] == '\r')
				af->line[i].len--;
}

static int read_file(struct apply_file *af, const char *dir, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int ret = 0;

	full_path(&sb, dir, path);
	strbuf_reset(&af->content);
	free(af->line);
	af->line = NULL;
	af->line_nr = 0;
	af->exists = 0;
	af->not_regular = 0;
	if (lstat(sb.buf, &st)) {
		if (errno != ENOENT && errno != ENOTDIR)
			ret = error("cannot read '%s': %s", path,
				    strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) { /* no file there: the caller decides */
		af->not_regular = 1;
		goto done;
	}
	if (strbuf_read_file(&af->content, sb.buf, APPLY_MAX_FILE)) {
		ret = error("cannot read '%s': %s", path, strerror(errno));
		goto done;
	}
	af->exists = 1;
	split_lines(af);
done:
	strbuf_release(&sb);
	return ret;
}

/* The extension of a file name ("" when none) and the length of its stem. */
static const char *name_ext(const char *name, size_t *stem)
{
	const char *dot = strrchr(name, '.');

	if (!dot || dot == name)
		dot = name + strlen(name);
	*stem = (size_t)(dot - name);
	return dot;
}

/* Whether path names C source or a C header (may be NULL). */
static int c_path(const char *path)
{
	size_t stem;
	const char *ext = path ? name_ext(path, &stem) : "";

	return !strcmp(ext, ".c") || !strcmp(ext, ".h");
}

/*
 * The hunks with a trailing CR dropped when the patch itself is CRLF,
 * and, in C, the blanks that end an added line: they mean nothing to the
 * compiler, and a backport is committed without them (git am
 * --whitespace=fix, checkpatch).  Elsewhere they may mean something (a
 * Markdown line break) and stay.
 */
static struct patch_hunk *normalise_hunks(const struct patch_file *pf)
{
	struct patch_hunk *nh = xcalloc(pf->nr + 1, sizeof(*nh));
	int c = c_path(patch_file_path(pf));

	for (size_t i = 0; i < pf->nr; i++) {
		const struct patch_hunk *h = &pf->hunks[i];
		size_t cr = 0;

		nh[i] = *h;
		nh[i].lines = xcalloc(h->nr + 1, sizeof(*h->lines));
		nh[i].alloc = h->nr;
		memcpy(nh[i].lines, h->lines, h->nr * sizeof(*h->lines));
		for (size_t j = 0; j < h->nr; j++)
			if (h->lines[j].len &&
			    h->lines[j].text[h->lines[j].len - 1] == '\r')
				cr++;
		if (cr * 2 > h->nr)
			for (size_t j = 0; j < h->nr; j++)
				if (nh[i].lines[j].len &&
				    nh[i].lines[j].text[nh[i].lines[j].len - 1] == '\r')
					nh[i].lines[j].len--;
		for (size_t j = 0; c && j < h->nr; j++) {
			struct patch_line *l = &nh[i].lines[j];

			while (l->kind == '+' && l->len &&
			       (l->text[l->len - 1] == ' ' ||
				l->text[l->len - 1] == '\t'))
				l->len--;
		}
	}
	return nh;
}

static void free_hunks(struct patch_hunk *nh, size_t nr)
{
	if (!nh)
		return;
	for (size_t i = 0; i < nr; i++)
		free(nh[i].lines);
	free(nh);
}

static void clear_results(struct apply_file *af)
{
	for (size_t i = 0; i < af->nr; i++)
		place_result_release(&af->hunks[i]);
	free(af->hunks);
	af->hunks = NULL;
	af->nr = 0;
}

/*
 * Place every hunk of nh in pfile, in order; returns the failures.  Sets
 * *stale when a hunk taught words (adapt.h) after an earlier one placed:
 * that one was written without them.
 */
static size_t place_pass(struct apply_file *af, struct place_file *pfile,
			 const struct patch_hunk *nh, size_t nr, int *stale)
{
	unsigned char *taken = xcalloc(af->line_nr + 1, 1);
	long carried = 0;
	size_t failed = 0;
	int placed = 0;

	clear_results(af);
	af->hunks = xcalloc(nr + 1, sizeof(*af->hunks));
	af->nr = nr;
	*stale = 0;
	for (size_t i = 0; i < nr; i++) {
		struct place_result *r = &af->hunks[i];
		long start = nh[i].old_start > 0 ? nh[i].old_start - 1 : 0;
		unsigned long taught = adapt_vocab_changes(pfile->vocab);

		place_hunk(r, pfile, &nh[i], start + carried, taken);
		if (placed && adapt_vocab_changes(pfile->vocab) != taught)
			*stale = 1;
		if (r->tier == PLACE_FAILED) {
			failed++;
			continue;
		}
		placed = 1;
		if (r->tier == PLACE_ALREADY) {
			long at = nh[i].new_start > 0 ? nh[i].new_start - 1 : 0;

			/* a cosmetic hunk found no place to carry from */
			if (!r->cosmetic)
				carried = r->pos - at;
			continue;
		}
		carried = r->pos - start;
		memset(taken + r->pos, 1, (size_t)r->len);
	}
	free(taken);
	return failed;
}

/*
 * Place every hunk of nh in af's current content; returns the failures.
 * When a hunk taught words after an earlier one placed, all are placed
 * again with what the whole file taught (the same places: only the
 * words of the added lines depend on it), so every hunk of the file is
 * written in the same words.
 */
static size_t place_all(struct apply_file *af, const struct patch_hunk *nh,
			size_t nr)
{
	struct place_file pfile;
	size_t failed;
	int stale;

	place_file_init(&pfile, af->line, af->line_nr);
	pfile.hunks = nh;
	pfile.hunk_nr = nr;
	if (af->shared)
		adapt_vocab_seed(pfile.vocab, &pfile, af->shared);
	failed = place_pass(af, &pfile, nh, nr, &stale);
	if (stale)
		failed = place_pass(af, &pfile, nh, nr, &stale);
	if (af->shared) {
		adapt_vocab_free(af->taught);
		af->taught = adapt_vocab_new();
		adapt_vocab_gather(af->taught, pfile.vocab);
	}
	place_file_release(&pfile);
	return failed;
}

static int pos_cmp(const void *a, const void *b)
{
	const struct place_result *const *x = a, *const *y = b;

	if ((*x)->pos != (*y)->pos)
		return (*x)->pos < (*y)->pos ? -1 : 1;
	return *x < *y ? -1 : *x > *y;
}

static int is_no_eol(const struct patch_hunk *nh, size_t nr, const char *s)
{
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nh[i].nr; j++)
			if (nh[i].lines[j].no_eol && nh[i].lines[j].kind != '-' &&
			    nh[i].lines[j].text == s)
				return 1;
	return 0;
}

/* The new content from the placed hunks (failed ones are left out). */
static void build_result(struct apply_file *af, const struct patch_hunk *nh)
{
	struct place_result **order = xcalloc(af->nr + 1, sizeof(*order));
	const char *eol = af->crlf ? "\r\n" : "\n";
	const char *last = NULL;
	size_t n = 0, total = 0;
	long cur = 0;

	for (size_t i = 0; i < af->nr; i++)
		if (af->hunks[i].tier != PLACE_FAILED &&
		    af->hunks[i].tier != PLACE_ALREADY)
			order[n++] = &af->hunks[i];
	if (n > 1)
		qsort(order, n, sizeof(*order), pos_cmp);
	strbuf_reset(&af->result);
	for (size_t i = 0; i <= n; i++) {
		long to = i < n ? order[i]->pos : (long)af->line_nr;

		for (; cur < to; cur++) {
			strbuf_add(&af->result, af->line[cur].s,
				   af->line[cur].len);
			strbuf_addstr(&af->result, eol);
			last = af->line[cur].s;
			total++;
		}
		if (i == n)
			break;
		for (size_t j = 0; j < order[i]->post_nr; j++) {
			strbuf_add(&af->result, order[i]->post[j].s,
				   order[i]->post[j].len);
			strbuf_addstr(&af->result, eol);
			last = order[i]->post[j].s;
			total++;
		}
		cur = order[i]->pos + order[i]->len;
	}
	if (total) {
		int no_eol;

		if (af->line_nr && last == af->line[af->line_nr - 1].s)
			no_eol = !af->final_eol;
		else
			no_eol = is_no_eol(nh, af->nr, last);
		if (no_eol)
			strbuf_setlen(&af->result,
				      af->result.len - strlen(eol));
	}
	free(order);
}

struct pathlist {
	char **v;
	size_t nr, alloc;
};

/*
 * Whether name could be the file base was renamed to: the same stem with
 * another extension (xen-command-line.pandoc, .markdown), or the same
 * extension and a shared word of at least three letters in the stem
 * (microcode/amd.c, microcode_amd.c; xg_cpuid_x86.c, xc_cpuid_x86.c).
 */
static int name_similar(const char *base, const char *name)
{
	size_t bs, ns;
	const char *be = name_ext(base, &bs), *ne = name_ext(name, &ns);

	if (!strcmp(base, name))
		return 0;
	if (bs == ns && !memcmp(base, name, bs))
		return 1;
	if (strcmp(be, ne))
		return 0;
	for (size_t i = 0; i < bs;) {
		size_t j = i;

		while (j < bs && base[j] != '_' && base[j] != '-' &&
		       base[j] != '.')
			j++;
		if (j - i >= 3)
			for (size_t k = 0; k + (j - i) <= ns; k++)
				if (!memcmp(name + k, base + i, j - i) &&
				    (!k || strchr("_-.", name[k - 1])) &&
				    (k + (j - i) == ns ||
				     strchr("_-.", name[k + (j - i)])))
					return 1;
		i = j + 1;
	}
	return 0;
}

/*
 * What a walk of the tree looks for: files named base (how = MATCH_NAME),
 * named like it (MATCH_SIMILAR), or of base's kind whose text holds one of
 * keys (MATCH_TEXT).
 */
enum match_how { MATCH_NAME, MATCH_SIMILAR, MATCH_TEXT };

struct match {
	enum match_how how;
	const char *base;
	const struct place_line *keys;
	size_t nkeys;
	const char *skip;   /* a directory not to enter (searched already) */
	struct strbuf text; /* MATCH_TEXT: the file read */
	size_t bytes_left;  /* MATCH_TEXT: how much more it may read */
};

/* Whether a file named name is of the same kind as one named base (.c and
 * .h count as one kind: code moves between them). */
static int same_kind(const char *base, const char *name)
{
	size_t bs, ns;
	const char *be = name_ext(base, &bs), *ne = name_ext(name, &ns);

	if (!strcmp(be, ne))
		return *be != 0;
	return c_path(base) && c_path(name);
}

static int matches(struct match *m, const char *full, const char *name)
{
	switch (m->how) {
	case MATCH_NAME:
		return !strcmp(name, m->base);
	case MATCH_SIMILAR:
		return name_similar(m->base, name);
	case MATCH_TEXT:
		if (!same_kind(m->base, name) || !m->bytes_left)
			return 0;
		strbuf_reset(&m->text);
		if (strbuf_read_file(&m->text, full, m->bytes_left)) {
			if (errno == EFBIG) /* the budget is spent */
				m->bytes_left = 0;
			return 0;
		}
		m->bytes_left -= m->text.len;
		for (size_t i = 0; i < m->nkeys; i++)
			if (memmem(m->text.buf, m->text.len, m->keys[i].s,
				   m->keys[i].len))
				return 1;
		return 0;
	}
	return 0;
}

/* The regular files under dir/rel that m matches, depth first. */
static void find_files(struct pathlist *out, struct strbuf *rel,
		       const char *dir, struct match *m, size_t *budget)
{
	struct strbuf sb = STRBUF_INIT;
	struct dirent *de;
	DIR *d;

	full_path(&sb, dir, rel->buf);
	d = opendir(rel->len ? sb.buf : dir);
	if (!d)
		goto done;
	while ((de = readdir(d)) && *budget) {
		size_t keep = rel->len;
		struct stat st;

		(*budget)--;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		if (rel->len)
			strbuf_addch(rel, '/');
		strbuf_addstr(rel, de->d_name);
		full_path(&sb, dir, rel->buf);
		if (!lstat(sb.buf, &st)) {
			if (S_ISDIR(st.st_mode)) {
				if (!m->skip || strcmp(rel->buf, m->skip))
					find_files(out, rel, dir, m, budget);
			} else if (S_ISREG(st.st_mode) &&
				   matches(m, sb.buf, de->d_name)) {
				ALLOC_GROW(out->v, out->nr + 1, out->alloc);
				out->v[out->nr++] = xstrdup(rel->buf);
			}
		}
		strbuf_setlen(rel, keep);
	}
	closedir(d);
done:
	strbuf_release(&sb);
}

static int same_top(const char *a, const char *b)
{
	const char *sa = strchr(a, '/'), *sb = strchr(b, '/');

	return sa && sb && sa - a == sb - b && !memcmp(a, b, (size_t)(sa - a));
}

/*
 * How many of the words of path a ("/", "-", "_" and "." part them) path b
 * has: xen/arch/x86/include/asm/current.h shares five with
 * xen/include/asm-x86/current.h, four with xen/include/asm-arm/current.h.
 */
static size_t shared_words(const char *a, const char *b)
{
	static const char sep[] = "/-_.";
	size_t n = 0;

	for (a += strspn(a, sep); *a; a += strspn(a, sep)) {
		size_t len = strcspn(a, sep);

		for (const char *w = b + strspn(b, sep); *w;) {
			size_t wl = strcspn(w, sep);

			if (wl == len && !memcmp(w, a, len)) {
				n++;
				break;
			}
			w += wl;
			w += strspn(w, sep);
		}
		a += len;
	}
	return n;
}

static double total_score(const struct apply_file *af)
{
	double s = 0;

	for (size_t i = 0; i < af->nr; i++)
		if (af->hunks[i].tier != PLACE_ALREADY)
			s += af->hunks[i].score;
	return s;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Whether another file of the patch changes path: by name, or found there
 * (two results for one file would overwrite each other).
 */
static int in_patch(const struct apply_report *r, const char *path)
{
	for (size_t i = 0; i < r->nr; i++) {
		const struct patch_file *pf = r->files[i].pf;
		const char *t = r->files[i].target;

		if ((pf->old_path && !strcmp(pf->old_path, path)) ||
		    (pf->new_path && !strcmp(pf->new_path, path)) ||
		    (t && !strcmp(t, path)))
			return 1;
	}
	return 0;
}

/*
 * A file found by its text alone must show each hunk's code: more than
 * half of every hunk's context aligned where it placed.  How many placed
 * hunks do not.
 */
static size_t weak_hunks(const struct apply_file *af)
{
	size_t n = 0;

	for (size_t i = 0; i < af->nr; i++)
		n += af->hunks[i].tier != PLACE_FAILED &&
		     af->hunks[i].tier != PLACE_ALREADY &&
		     af->hunks[i].score <= 0.5;
	return n;
}

/*
 * The lines a file that took in the hunks' code must hold: of each of the
 * first hunks, its longest context or removed line, trimmed, when long
 * enough to tell files apart.
 */
#define TEXT_KEYS 4
#define TEXT_KEY_MIN 16
#define TEXT_CANDIDATES 64 /* more files hold them: not telling enough */
#define TEXT_BYTES (64u << 20) /* read at most this much of the tree */

static size_t text_keys(struct place_line *keys, const struct patch_hunk *nh,
			size_t nr)
{
	size_t n = 0;

	for (size_t i = 0; i < nr && n < TEXT_KEYS; i++) {
		struct place_line best = { NULL, 0 };

		for (size_t j = 0; j < nh[i].nr; j++) {
			const char *s = nh[i].lines[j].text;
			size_t len = nh[i].lines[j].len;

			if (nh[i].lines[j].kind == '+')
				continue;
			while (len && (*s == ' ' || *s == '\t'))
				s++, len--;
			while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
				len--;
			if (len > best.len)
				best = (struct place_line){ s, len };
		}
		if (best.len >= TEXT_KEY_MIN)
			keys[n++] = best;
	}
	return n;
}

/* A search for the file a missing one became. */
struct moved_search {
	const struct apply_report *r;
	struct apply_file *af;
	const char *dir, *path;
	const struct patch_hunk *nh;
	struct pathlist pl; /* every candidate, in the order found */
	long best, tried;   /* indices into pl, or -1 */
	double best_score, second;
	size_t tried_failed, takers;
	enum match_how found;     /* the search that found best */
	enum match_how tried_how; /* and tried */
};

/*
 * Add the files under scope ("" for the whole tree) that m matches and a
 * search may use; returns the index of the first one added.
 */
static size_t collect(struct moved_search *ms, struct match *m,
		      const char *scope)
{
	struct strbuf rel = STRBUF_INIT;
	size_t budget = MAX_TREE_ENTRIES, first = ms->pl.nr;
	struct pathlist *pl = &ms->pl;

	strbuf_addstr(&rel, scope);
	find_files(pl, &rel, ms->dir, m, &budget);
	strbuf_release(&rel);
	strbuf_release(&m->text);
	for (size_t k = pl->nr; k-- > first;)
		if ((m->how == MATCH_SIMILAR &&
		     !same_top(pl->v[k], ms->path)) ||
		    (m->how == MATCH_TEXT &&
		     !strcmp(base_name(pl->v[k]), m->base)) ||
		    in_patch(ms->r, pl->v[k])) {
			free(pl->v[k]);
			pl->v[k] = pl->v[--pl->nr];
		}
	return first;
}

/* Place the hunks in each candidate from first on: the best taker, and
 * (of the files of its name) the closest miss, for the report. */
static void weigh(struct moved_search *ms, size_t first, enum match_how how)
{
	struct apply_file *af = ms->af;

	for (size_t i = first; i < ms->pl.nr; i++) {
		const char *cand = ms->pl.v[i];
		size_t failed;
		double s;

		if (read_file(af, ms->dir, cand) || !af->exists)
			continue;
		failed = place_all(af, ms->nh, af->pf->nr);
		if (how == MATCH_TEXT)
			failed += weak_hunks(af);
		if (failed) {
			/* for the report: the closest miss of its name, else
			 * of those that hold its code */
			if (how != MATCH_SIMILAR &&
			    (ms->tried < 0 ||
			     (ms->tried_how == how &&
			      (failed < ms->tried_failed ||
			       (failed == ms->tried_failed &&
				shared_words(ms->path, cand) >
					shared_words(ms->path,
						     ms->pl.v[ms->tried])))))) {
				ms->tried = (long)i;
				ms->tried_failed = failed;
				ms->tried_how = how;
			}
			continue;
		}
		ms->takers++;
		s = total_score(af);
		if (s > ms->best_score) {
			ms->second = ms->best_score;
			ms->best_score = s;
			ms->best = (long)i;
			ms->found = how;
		} else if (s > ms->second) {
			ms->second = s;
		}
	}
}

static int is_dir(const char *dir, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int ret;

	full_path(&sb, dir, rel);
	ret = !stat(sb.buf, &st) && S_ISDIR(st.st_mode);
	strbuf_release(&sb);
	return ret;
}

/* Cut path to its directory ("" at the top). */
static void to_parent(char *path)
{
	char *slash = strrchr(path, '/');

	*(slash ? slash : path) = '\0';
}

/*
 * By text: in the nearest directory of the path that the tree has, then in
 * each directory above it up to the top-level one, until a file takes the
 * hunks.  Code moves near: the nearest taker wins, and must be alone.
 */
static void find_by_text(struct moved_search *ms)
{
	struct place_line keys[TEXT_KEYS];
	struct match m = { MATCH_TEXT, base_name(ms->path), keys, 0, NULL,
			   STRBUF_INIT, TEXT_BYTES };
	char *scope = xstrdup(ms->path), *inner = NULL;

	m.nkeys = text_keys(keys, ms->nh, ms->af->pf->nr);
	to_parent(scope);
	while (*scope && !is_dir(ms->dir, scope))
		to_parent(scope);
	while (m.nkeys && *scope && ms->best < 0) {
		size_t first;

		m.skip = inner;
		first = collect(ms, &m, scope);
		if (ms->pl.nr - first > TEXT_CANDIDATES)
			break;
		weigh(ms, first, MATCH_TEXT);
		if (ms->takers > 1) /* no guess between two */
			ms->second = ms->best_score;
		if (!strchr(scope, '/') || !m.bytes_left)
			break;
		free(inner);
		inner = xstrdup(scope);
		to_parent(scope);
	}
	free(scope);
	free(inner);
}

/*
 * The file is not at its path.  It is the one file elsewhere in the tree
 * that takes every hunk, looked for first among the files of its name,
 * then (in the same top-level directory) among files named like it, then
 * by its text (find_by_text): code that moved to a file of another name
 * (xen/common/schedule.c became sched/core.c; pv/domain.c was split out of
 * domain.c).  Files the patch itself changes are not candidates.  Where
 * several files of a name take it, the best score must be alone.
 * Returns 0 (found, af filled), 1 (not found) or -1.
 */
static int find_moved(const struct apply_report *r, struct apply_file *af,
		      const char *dir, const char *path,
		      const struct patch_hunk *nh)
{
	struct moved_search ms = { .r = r, .af = af, .dir = dir,
				   .path = path, .nh = nh, .best = -1,
				   .tried = -1, .best_score = -1,
				   .second = -1 };
	int ret = 1;

	for (enum match_how how = MATCH_NAME; how < MATCH_TEXT && ms.best < 0;
	     how++) {
		struct match m = { how, base_name(path), NULL, 0, NULL,
				   STRBUF_INIT };

		weigh(&ms, collect(&ms, &m, ""), how);
	}
	if (ms.best < 0)
		find_by_text(&ms);
	if (ms.best >= 0 && ms.best_score > ms.second) {
		const char *found = ms.pl.v[ms.best];

		if (check_links(dir, dir, found) < 0) {
			ret = -1;
		} else {
			read_file(af, dir, found);
			place_all(af, nh, af->pf->nr);
			free(af->target);
			af->target = xstrdup(found);
			af->moved = 1;
			ret = 0;
		}
	} else {
		strbuf_reset(&af->content);
		free(af->line);
		af->line = NULL;
		af->line_nr = 0;
		af->exists = 0;
		clear_results(af);
		if (ms.best >= 0) {
			af->reason = ms.found == MATCH_NAME
					     ? "several files of that name "
					       "take the patch"
					     : "several files take the patch";
		} else if (ms.tried >= 0) {
			af->tried = xstrdup(ms.pl.v[ms.tried]);
			af->tried_placed = af->pf->nr - ms.tried_failed;
			af->tried_by_text = ms.tried_how == MATCH_TEXT;
		}
	}
	for (size_t i = 0; i < ms.pl.nr; i++)
		free(ms.pl.v[i]);
	free(ms.pl.v);
	return ret;
}

/* Where a new file goes when its directory moved like a sibling did. */
static char *moved_dir(const struct apply_report *r, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;

	if (!dlen)
		return NULL;
	for (size_t i = 0; i < r->nr; i++) {
		const struct apply_file *o = &r->files[i];
		const char *op = patch_file_path(o->pf);
		const char *os = strrchr(op, '/'), *ts;

		if (!o->moved || !os || (size_t)(os - op) != dlen ||
		    memcmp(op, path, dlen))
			continue;
		ts = strrchr(o->target, '/');
		if (!ts)
			continue;
		{
			struct strbuf sb = STRBUF_INIT;

			strbuf_add(&sb, o->target, ts - o->target);
			strbuf_addstr(&sb, slash);
			return strbuf_detach(&sb, NULL);
		}
	}
	return NULL;
}

/* Whether the directory of path is in the tree (a top-level path's is). */
static int dir_exists(const char *dir, const char *path)
{
	char *parent = xstrdup(path);
	int ret;

	to_parent(parent);
	ret = !*parent || is_dir(dir, parent);
	free(parent);
	return ret;
}

/* Prepare one file: read it (or find it) and place its hunks. */
/*
 * A rename whose old path is gone: applied already when the new path holds
 * the post-image (every hunk already there); else the rename cannot apply.
 */
static int renamed_already(struct apply_file *af, const char *dir,
			   struct patch_hunk *nh)
{
	const struct patch_file *pf = af->pf;
	size_t already = 0;

	if (read_file(af, dir, pf->new_path) < 0)
		return -1;
	if (af->exists) {
		place_all(af, nh, pf->nr);
		for (size_t i = 0; i < af->nr; i++)
			already += af->hunks[i].tier == PLACE_ALREADY;
	}
	if (af->exists && already == af->nr) {
		af->status = APPLY_ALREADY;
	} else {
		af->status = APPLY_FAILED;
		af->reason = "no such file in the tree";
	}
	return 0;
}

/*
 * Does the rename or copy target exist with other content than the result
 * would give it?  (The same content: a rename killed between writing the
 * new path and removing the old one; finishing it is safe.)
 */
static int target_differs(struct apply_file *af, const char *dir,
			  struct patch_hunk *nh)
{
	struct strbuf sb = STRBUF_INIT, have = STRBUF_INIT;
	struct apply_file tmp = { 0 };
	struct stat st;
	int differs = 0;

	full_path(&sb, dir, af->pf->new_path);
	if (lstat(sb.buf, &st))
		goto done;
	differs = 1;
	if (!S_ISREG(st.st_mode) ||
	    strbuf_read_file(&have, sb.buf, APPLY_MAX_FILE))
		goto done;
	/* the result the old file gives */
	strbuf_init(&tmp.content, 0);
	strbuf_init(&tmp.result, 0);
	strbuf_add(&tmp.content, af->content.buf, af->content.len);
	tmp.pf = af->pf;
	split_lines(&tmp);
	place_all(&tmp, nh, af->pf->nr);
	build_result(&tmp, nh);
	differs = tmp.result.len != have.len ||
		  memcmp(tmp.result.buf, have.buf, have.len);
	clear_results(&tmp);
	free(tmp.line);
	strbuf_release(&tmp.content);
	strbuf_release(&tmp.result);
done:
	strbuf_release(&sb);
	strbuf_release(&have);
	return differs;
}

static int prepare(struct apply_report *r, struct apply_file *af,
		   const char *root, const char *dir, const char *pname)
{
	const struct patch_file *pf = af->pf;
	const char *path = pf->is_rename || pf->is_copy || pf->is_delete ||
					   !pf->new_path
				   ? pf->old_path
				   : pf->new_path;
	struct patch_hunk *nh = NULL;
	int ret = 0;

	if ((pf->old_path && check_path(pname, pf->old_path)) ||
	    (pf->new_path && check_path(pname, pf->new_path)))
		return -1;
	if ((pf->old_path && check_links(root, dir, pf->old_path)) ||
	    (pf->new_path && check_links(root, dir, pf->new_path)))
		return -1;
	af->target = xstrdup(path);
	if (pf->is_binary) {
		af->status = APPLY_FAILED;
		af->reason = "binary patches cannot be applied";
		return 0;
	}
	nh = normalise_hunks(pf);
	if (pf->is_new) {
		char *moved = dir_exists(dir, path) ? NULL : moved_dir(r, path);

		if (moved) {
			free(af->target);
			af->target = moved;
			af->moved = 1;
		}
		if (read_file(af, dir, af->target) < 0) {
			ret = -1;
			goto done;
		}
		if (af->not_regular) {
			af->status = APPLY_FAILED;
			af->reason = "a directory or special file is in the way";
			goto done;
		}
		if (af->exists) {
			/* identical content means already applied */
			struct apply_file tmp = { 0 };
			int same;

			strbuf_init(&tmp.content, 0);
			strbuf_init(&tmp.result, 0);
			tmp.pf = pf;
			place_all(&tmp, nh, pf->nr);
			build_result(&tmp, nh);
			same = tmp.result.len == af->content.len &&
			       !memcmp(tmp.result.buf, af->content.buf,
				       af->content.len);
			clear_results(&tmp);
			free(tmp.line);
			strbuf_release(&tmp.content);
			strbuf_release(&tmp.result);
			af->status = same ? APPLY_ALREADY : APPLY_FAILED;
			if (!same)
				af->reason = "a file to create already exists";
			goto done;
		}
		place_all(af, nh, pf->nr);
		/* the new file takes the patch's own line ends */
		for (size_t i = 0; i < pf->nr; i++)
			for (size_t j = 0; j < pf->hunks[i].nr; j++)
				if (nh[i].lines[j].len != pf->hunks[i].lines[j].len)
					af->crlf = 1;
	} else {
		if (read_file(af, dir, path) < 0) {
			ret = -1;
			goto done;
		}
		if (!af->exists && pf->is_delete) {
			/* gone already: a rerun after a kill, or applied twice
			 * (or a directory took the name: no file is there) */
			af->status = APPLY_ALREADY;
			goto done;
		}
		if (af->not_regular) {
			af->status = APPLY_FAILED;
			af->reason = "not a regular file in the tree";
			goto done;
		}
		if (!af->exists && pf->is_rename && pf->new_path) {
			ret = renamed_already(af, dir, nh);
			goto done;
		}
		if (!af->exists) {
			ret = find_moved(r, af, dir, path, nh);
			if (ret < 0)
				goto done;
			if (ret) {
				ret = 0;
				af->status = APPLY_FAILED;
				if (!af->reason)
					af->reason = "no such file in the tree";
				goto done;
			}
		} else {
			place_all(af, nh, pf->nr);
		}
		if ((pf->is_rename || pf->is_copy) && pf->new_path &&
		    target_differs(af, dir, nh)) {
			af->status = APPLY_FAILED;
			af->reason = "the rename target already exists";
			goto done;
		}
	}
	{
		size_t failed = 0, already = 0;

		for (size_t i = 0; i < af->nr; i++) {
			failed += af->hunks[i].tier == PLACE_FAILED;
			already += af->hunks[i].tier == PLACE_ALREADY;
		}
		build_result(af, nh);
		if (failed)
			af->status = APPLY_FAILED;
		else if (af->nr && already == af->nr && !pf->is_rename)
			af->status = APPLY_ALREADY;
		if (!failed && pf->is_delete && af->result.len) {
			af->status = APPLY_FAILED;
			af->reason = "the file to delete has other content";
		}
	}
done:
	free_hunks(nh, pf->nr);
	return ret;
}

/* Create the directories of path under dir; those made are added to made
 * (full paths, outermost first) so a failed apply can remove them. */
static int mkdirs(const char *dir, const char *path, struct strlist *made)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = path;
	int ret = 0;

	strbuf_addstr(&sb, dir);
	for (;;) {
		const char *e = strchr(s, '/');

		if (!e)
			break;
		strbuf_addch(&sb, '/');
		strbuf_add(&sb, s, e - s);
		if (!mkdir(sb.buf, 0777)) {
			strlist_add(made, sb.buf);
		} else if (errno != EEXIST) {
			ret = error("cannot create directory '%s': %s", sb.buf,
				    strerror(errno));
			break;
		}
		s = e + 1;
	}
	strbuf_release(&sb);
	return ret;
}

/* Write data to a temporary file beside path; its name goes to tmp. */
static int write_temp(struct strbuf *tmp, const char *dir, const char *path,
		      const char *data, size_t len, mode_t mode,
		      struct strlist *made)
{
	const char *slash = strrchr(path, '/');
	int fd;

	if (mkdirs(dir, path, made))
		return -1;
	strbuf_reset(tmp);
	strbuf_addf(tmp, "%s/%.*s%s.secport-XXXXXX", dir,
		    slash ? (int)(slash - path) : 0, path, slash ? "/" : "");
	fd = mkstemp(tmp->buf);
	if (fd < 0)
		return error("cannot create a file beside '%s': %s", path,
			     strerror(errno));
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error("cannot write '%s': %s", tmp->buf,
			      strerror(errno));
			close(fd);
			unlink(tmp->buf);
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, mode) || close(fd)) {
		error("cannot write '%s': %s", tmp->buf, strerror(errno));
		unlink(tmp->buf);
		return -1;
	}
	return 0;
}

static mode_t file_mode(const struct apply_file *af, const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	mode_t m = 0644;

	if (af->pf->new_mode)
		m = (af->pf->new_mode & 0111) ? 0755 : 0644;
	else if (af->exists) {
		full_path(&sb, dir, af->target);
		if (!stat(sb.buf, &st))
			m = st.st_mode & 07777;
	}
	strbuf_release(&sb);
	return m;
}

static void rej_text(struct strbuf *sb, const struct apply_file *af)
{
	const struct patch_file *pf = af->pf;

	strbuf_addf(sb, "--- a/%s\n+++ b/%s\n", af->target, af->target);
	for (size_t i = 0; i < af->nr; i++) {
		const struct patch_hunk *h = &pf->hunks[i];

		if (af->hunks[i].tier != PLACE_FAILED)
			continue;
		strbuf_addf(sb, "@@ -%ld,%ld +%ld,%ld @@%s%s\n", h->old_start,
			    h->old_count, h->new_start, h->new_count,
			    *h->func ? " " : "", h->func);
		for (size_t j = 0; j < h->nr; j++) {
			strbuf_addch(sb, h->lines[j].kind);
			strbuf_add(sb, h->lines[j].text, h->lines[j].len);
			strbuf_addch(sb, '\n');
			if (h->lines[j].no_eol)
				strbuf_addstr(sb, "\\ No newline at end of "
						  "file\n");
		}
	}
}

static int write_plain(const char *path, const struct strbuf *sb)
{
	FILE *fp = fopen(path, "w");

	if (!fp || fwrite(sb->buf, 1, sb->len, fp) != sb->len) {
		if (fp)
			fclose(fp);
		return error("cannot write '%s': %s", path, strerror(errno));
	}
	if (fclose(fp))
		return error("cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/* Temp files first, then renames: a failure before the renames leaves
 * the tree as it was. */
/*
 * Remove the temporary files (".secport-XXXXXX") a killed apply left in
 * the directory of path: only apply makes such names.
 */
static void sweep_temps(const char *dir, const char *path)
{
	const char *slash = strrchr(path, '/');
	struct strbuf sb = STRBUF_INIT;
	struct dirent *de;
	DIR *d;

	strbuf_addf(&sb, "%s/%.*s", dir, slash ? (int)(slash - path) : 0, path);
	d = opendir(sb.buf);
	while (d && (de = readdir(d))) {
		struct strbuf p = STRBUF_INIT;

		if (strncmp(de->d_name, ".secport-", 9) ||
		    strlen(de->d_name) != 9 + 6)
			continue;
		strbuf_addf(&p, "%s/%s", sb.buf, de->d_name);
		unlink(p.buf);
		strbuf_release(&p);
	}
	if (d)
		closedir(d);
	strbuf_release(&sb);
}

/* The path a file's result goes to: a rename's or copy's new name. */
static const char *dest_of(const struct apply_file *af)
{
	const struct patch_file *pf = af->pf;

	return (pf->is_rename || pf->is_copy) && pf->new_path ? pf->new_path
							      : af->target;
}

static int write_all(struct apply_report *r, const char *dir, int partial)
{
	struct strbuf *tmp = xcalloc(r->nr + 1, sizeof(*tmp));
	struct strbuf sb = STRBUF_INIT, rej = STRBUF_INIT;
	struct strlist made = STRLIST_INIT;
	int *want = xcalloc(r->nr + 1, sizeof(*want));
	int ret = 0;
	size_t i;

	for (i = 0; i < r->nr; i++) { /* before this run makes its own */
		sweep_temps(dir, dest_of(&r->files[i]));
	}
	for (i = 0; i < r->nr; i++) {
		struct apply_file *af = &r->files[i];
		const struct patch_file *pf = af->pf;
		const char *dest = dest_of(af);

		strbuf_init(&tmp[i], 0);
		if (pf->is_binary || af->status == APPLY_ALREADY)
			continue;
		if (af->status == APPLY_FAILED) {
			size_t placed = 0;

			if (!partial || af->reason)
				continue;
			for (size_t j = 0; j < af->nr; j++)
				placed += af->hunks[j].tier != PLACE_FAILED &&
					  af->hunks[j].tier != PLACE_ALREADY;
			if (!placed)
				continue;
		}
		if (pf->is_delete) {
			want[i] = 2;
			continue;
		}
		if (af->exists && !pf->is_rename && !pf->is_copy &&
		    !pf->new_mode && af->result.len == af->content.len &&
		    !memcmp(af->result.buf, af->content.buf, af->result.len))
			continue;
		if (write_temp(&tmp[i], dir, dest, af->result.buf,
			       af->result.len, file_mode(af, dir), &made)) {
			ret = -1;
			goto undo;
		}
		want[i] = 1;
	}
	for (i = 0; i < r->nr; i++) {
		struct apply_file *af = &r->files[i];
		const struct patch_file *pf = af->pf;
		const char *dest = dest_of(af);

		if (want[i] == 1) {
			full_path(&sb, dir, dest);
			if (rename(tmp[i].buf, sb.buf)) {
				ret = error("cannot rename '%s' to '%s': %s",
					    tmp[i].buf, sb.buf,
					    strerror(errno));
				goto undo;
			}
			strbuf_reset(&tmp[i]);
			af->written = 1;
			r->written = 1;
		}
		if (want[i] == 2 || (want[i] == 1 && pf->is_rename)) {
			full_path(&sb, dir, af->target);
			if (unlink(sb.buf))
				ret = error("cannot remove '%s': %s", sb.buf,
					    strerror(errno));
			af->written = 1;
			r->written = 1;
		}
		if (partial && af->status == APPLY_FAILED && af->nr) {
			strbuf_reset(&rej);
			rej_text(&rej, af);
			full_path(&sb, dir, af->target);
			strbuf_addstr(&sb, ".rej");
			if (write_plain(sb.buf, &rej))
				ret = -1;
		}
	}
undo:
	for (i = 0; i < r->nr; i++) {
		if (tmp[i].len)
			unlink(tmp[i].buf);
		strbuf_release(&tmp[i]);
	}
	/* a failed apply takes back the directories it made (if still empty) */
	for (i = made.nr; ret && i-- > 0;)
		rmdir(made.items[i]);
	strlist_clear(&made);
	free(tmp);
	free(want);
	strbuf_release(&sb);
	strbuf_release(&rej);
	return ret;
}

/*
 * The vocabulary file i of p shares with the files before it (made when
 * it is the first): the words a file of the patch shows drifted are so
 * spelled in the other C sources and headers under the same top-level
 * directory only (a C type is a plain word in the documentation, and
 * the hypervisor and the tools are written apart).  NULL for a file of
 * another language.
 */
static struct adapt_vocab *shared_vocab(struct adapt_vocab **vocab,
					const struct patch *p, size_t i)
{
	const char *path = patch_file_path(&p->files[i]);

	if (!c_path(path))
		return NULL;
	for (size_t j = 0; j < i; j++)
		if (vocab[j] && same_top(path, patch_file_path(&p->files[j])))
			return vocab[j];
	return adapt_vocab_new();
}

/* Whether af's added lines have a word another file taught. */
static int learns(const struct apply_file *af)
{
	return af->shared && adapt_vocab_news(af->shared, af->taught,
					      af->pf->hunks, af->pf->nr);
}

/* Forget all prepare() found for af, to prepare it again. */
static void file_reset(struct apply_file *af)
{
	struct apply_file keep = *af;

	clear_results(af);
	free(af->target);
	free(af->tried);
	free(af->line);
	adapt_vocab_free(af->taught);
	memset(af, 0, sizeof(*af));
	af->pf = keep.pf;
	af->shared = keep.shared;
	af->content = keep.content;
	af->result = keep.result;
	strbuf_reset(&af->content);
	strbuf_reset(&af->result);
}

int apply_patch(struct apply_report *out, const char *dir,
		const struct patch *p, const struct apply_options *opts)
{
	char *root = realpath(dir, NULL);
	struct adapt_vocab **vocab;
	unsigned long changed = 0;
	int ret = 0, pass, round;

	memset(out, 0, sizeof(*out));
	if (!root)
		return error("cannot use tree '%s': %s", dir, strerror(errno));
	vocab = xcalloc(p->nr + 1, sizeof(*vocab));
	out->files = xcalloc(p->nr + 1, sizeof(*out->files));
	out->nr = p->nr;
	for (size_t i = 0; i < p->nr; i++) {
		out->files[i].pf = &p->files[i];
		out->files[i].shared = vocab[i] = shared_vocab(vocab, p, i);
		strbuf_init(&out->files[i].content, 0);
		strbuf_init(&out->files[i].result, 0);
	}
	/* what one file taught is the tree's spelling for the others
	 * (adapt.h): the files whose added lines have a word another one
	 * taught are placed again knowing it */
	for (round = 0; round < 2; round++) {
		/* existing files first, so new files can follow a moved
		 * directory */
		for (pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < p->nr; i++) {
				struct apply_file *af = &out->files[i];

				if (!!p->files[i].is_new != pass)
					continue;
				if (round && !learns(af))
					continue;
				if (round)
					file_reset(af);
				if (prepare(out, af, root, root, p->name)) {
					ret = -1;
					goto done;
				}
			}
		if (round)
			break;
		for (size_t i = 0; i < p->nr; i++)
			adapt_vocab_gather(vocab[i], out->files[i].taught);
		for (size_t i = 0; i < p->nr; i++)
			changed += adapt_vocab_changes(vocab[i]);
		if (!changed)
			break;
	}
	ret = 0;
	for (size_t i = 0; i < out->nr; i++) {
		struct apply_file *af = &out->files[i];

		for (size_t j = 0; j < af->nr; j++) {
			out->hunks++;
			out->hunks_failed += af->hunks[j].tier == PLACE_FAILED;
			out->hunks_already += af->hunks[j].tier == PLACE_ALREADY;
		}
		if (af->status == APPLY_FAILED)
			ret = 1;
	}
	if (opts->dry_run || (ret && !opts->partial))
		goto done;
	if (write_all(out, root, opts->partial))
		ret = -1;
done:
	for (size_t i = 0; i < out->nr; i++) {
		size_t j = 0;

		while (j < i && vocab[j] != vocab[i])
			j++;
		if (j == i)
			adapt_vocab_free(vocab[i]);
		out->files[i].shared = NULL;
	}
	free(vocab);
	free(root);
	return ret;
}

void apply_report_release(struct apply_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nr; i++) {
		struct apply_file *af = &r->files[i];

		clear_results(af);
		free(af->target);
		free(af->tried);
		free(af->line);
		adapt_vocab_free(af->taught);
		strbuf_release(&af->content);
		strbuf_release(&af->result);
	}
	free(r->files);
	memset(r, 0, sizeof(*r));
}
