/*
 * status: which advisories' fixes a source tree already has; see status.h.
 */
#include "status.h"

#include "advisory.h"
#include "apply.h"
#include "banned.h"
#include "gitutil.h"
#include "record.h"
#include "trailers.h"
#include "usage.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct status_commit {
	git_oid oid;
	char (*refs)[41]; /* backport references, hex as written */
	size_t nr_refs;
	char pid[41];
};

/* ---- reading an advisory's patches -------------------------------------- */

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return 0;
	return 1;
}

static long long parse_date(const char *v)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(v, "%a, %d %b %Y %H:%M:%S %z", &tm);
	if (!end)
		return 0;
	return (long long)timegm(&tm) - tm.tm_gmtoff;
}

static void take_header(struct status_patch *p, const char *name,
			const char *value)
{
	if (!strcasecmp(name, "Subject")) {
		const char *v = value;

		if (*v == '[' && strchr(v, ']')) {
			v = strchr(v, ']') + 1;
			while (*v == ' ')
				v++;
		}
		free(p->subject);
		p->subject = xstrdup(v);
	} else if (!strcasecmp(name, "From")) {
		free(p->author);
		p->author = xstrdup(value);
	} else if (!strcasecmp(name, "Date")) {
		p->date = parse_date(value);
	} else if (!strcasecmp(name, "Origin") || !strcasecmp(name, "Bug") ||
		   !strncasecmp(name, "Bug-", 4) ||
		   !strcasecmp(name, "Applied-Upstream")) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s: %s", name, value);
		strlist_add(&p->dep3, sb.buf);
		strbuf_release(&sb);
	}
}

/* The mail's From line, headers (folded lines joined) and body. */
static void parse_mail(struct status_patch *p)
{
	const char *s = p->text.buf, *end = s + p->text.len;
	struct strbuf name = STRBUF_INIT, value = STRBUF_INIT;
	struct strbuf body = STRBUF_INIT;
	int first = 1, in_body = 0;

	while (s < end) {
		const char *e = memchr(s, '\n', end - s);
		size_t n = e ? (size_t)(e - s) : (size_t)(end - s);

		if (first && n >= 45 && !strncmp(s, "From ", 5) &&
		    is_hex(s + 5, 40)) {
			p->has_commit = !git_oid_fromstrn(&p->commit, s + 5, 40);
		} else if (in_body) {
			if ((n == 3 && !strncmp(s, "---", 3)) ||
			    (n > 5 && !strncmp(s, "diff ", 5)))
				break;
			strbuf_add(&body, s, n);
			strbuf_addch(&body, '\n');
		} else if (!n) {
			in_body = 1;
		} else if ((*s == ' ' || *s == '\t') && name.len) {
			strbuf_addch(&value, ' ');
			while (n && (*s == ' ' || *s == '\t'))
				s++, n--;
			strbuf_add(&value, s, n);
		} else {
			const char *colon = memchr(s, ':', n);

			if (name.len)
				take_header(p, name.buf, value.buf);
			strbuf_reset(&name);
			strbuf_reset(&value);
			if (colon) {
				const char *v = colon + 1;

				strbuf_add(&name, s, colon - s);
				while (v < s + n && *v == ' ')
					v++;
				strbuf_add(&value, v, s + n - v);
			}
		}
		first = 0;
		s = e ? e + 1 : end;
	}
	if (name.len)
		take_header(p, name.buf, value.buf);
	while (body.len && body.buf[body.len - 1] == '\n' &&
	       (body.len == 1 || body.buf[body.len - 2] == '\n'))
		strbuf_setlen(&body, body.len - 1);
	strbuf_rtrim(&body);
	{
		size_t off = 0;

		while (off < body.len && body.buf[off] == '\n')
			off++;
		if (off < body.len)
			p->body = xstrdup(body.buf + off);
	}
	strbuf_release(&name);
	strbuf_release(&value);
	strbuf_release(&body);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int status_load_advisory(struct status_advisory *out, const struct repo *repo,
			 struct index *ix, const char *id)
{
	struct strbuf rel = STRBUF_INIT;
	struct strlist names = STRLIST_INIT;
	char *dir = NULL;
	DIR *d = NULL;
	struct dirent *de;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->id = xstrdup(id);
	out->order = INT64_MAX;
	strbuf_addf(&rel, "advisories/%s", id);
	dir = repo_path(repo, rel.buf);
	d = opendir(dir);
	if (!d) {
		ret = error("cannot read advisory directory '%s': %s", dir,
			    strerror(errno));
		goto done;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] != '.' && n > 6 &&
		    !strcmp(de->d_name + n - 6, ".patch"))
			strlist_add(&names, de->d_name);
	}
	if (names.nr)
		qsort(names.items, names.nr, sizeof(*names.items), cmp_name);
	out->patches = xcalloc(names.nr ? names.nr : 1, sizeof(*out->patches));
	for (size_t i = 0; i < names.nr; i++) {
		struct status_patch *p = &out->patches[out->nr++];
		struct strbuf path = STRBUF_INIT;

		strbuf_init(&p->text, 0);
		p->name = xstrdup(names.items[i]);
		strbuf_addf(&path, "%s/%s", dir, p->name);
		p->path = strbuf_detach(&path, NULL);
		if (strbuf_read_file(&p->text, p->path, PATCH_MAX_SIZE)) {
			ret = error("cannot read patch '%s': %s", p->path,
				    strerror(errno));
			goto done;
		}
		parse_mail(p);
		if (!p->subject)
			p->subject = xstrdup(p->name);
		if (patch_parse(&p->patch, p->text.buf, p->text.len, p->path,
				1)) {
			ret = -1;
			goto done;
		}
		if (ix && p->has_commit) {
			int64_t n = -1;

			if (!index_commit_info(ix, &p->commit, &n, NULL) &&
			    n >= 0 && n < out->order)
				out->order = n;
		}
		if (p->date && (!out->date || p->date < out->date))
			out->date = p->date;
	}
done:
	if (d)
		closedir(d);
	free(dir);
	strbuf_release(&rel);
	strlist_clear(&names);
	return ret;
}

void status_advisory_release(struct status_advisory *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nr; i++) {
		struct status_patch *p = &a->patches[i];

		free(p->name);
		free(p->path);
		free(p->subject);
		free(p->author);
		free(p->body);
		strlist_clear(&p->dep3);
		strbuf_release(&p->text);
		patch_release(&p->patch);
	}
	free(a->patches);
	free(a->id);
	memset(a, 0, sizeof(*a));
}

static int cmp_upstream(const void *x, const void *y)
{
	const struct status_advisory *a = x, *b = y;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->date != b->date) {
		if (!a->date || !b->date)
			return a->date ? -1 : 1;
		return a->date < b->date ? -1 : 1;
	}
	return strcmp(a->id, b->id);
}

void status_sort(struct status_advisory *a, size_t nr)
{
	if (nr > 1)
		qsort(a, nr, sizeof(*a), cmp_upstream);
}

/* ---- the release a tree says it is --------------------------------------- */

/* The value of `[export] NAME [?:+]= value` in a Makefile, with $(...)
 * references dropped. */
static int makefile_var(struct strbuf *out, const char *buf, const char *name)
{
	size_t nl = strlen(name);

	for (const char *s = buf; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : s) {
		const char *p = s, *e;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, "export", 6) && (p[6] == ' ' || p[6] == '\t'))
			for (p += 6; *p == ' ' || *p == '\t';)
				p++;
		if (strncmp(p, name, nl))
			continue;
		p += nl;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '?' || *p == ':' || *p == '+')
			p++;
		if (*p != '=')
			continue;
		p++;
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		strbuf_reset(out);
		while (p < e) {
			if (*p == '$' && (p[1] == '(' || p[1] == '{')) {
				char close = p[1] == '(' ? ')' : '}';
				const char *c = memchr(p, close, e - p);

				p = c ? c + 1 : e;
				continue;
			}
			if (*p == '#')
				break;
			strbuf_addch(out, *p++);
		}
		strbuf_rtrim(out);
		while (out->len && (*out->buf == ' ' || *out->buf == '\t'))
			memmove(out->buf, out->buf + 1, out->len--);
		return 1;
	}
	return 0;
}

static int is_number(const struct strbuf *sb)
{
	if (!sb->len || sb->len > 9)
		return 0;
	for (size_t i = 0; i < sb->len; i++)
		if (sb->buf[i] < '0' || sb->buf[i] > '9')
			return 0;
	return 1;
}

static int read_small(struct strbuf *sb, const char *dir, const char *rel)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", dir, rel);
	ret = strbuf_read_file(sb, path.buf, 1u << 20);
	strbuf_release(&path);
	return ret;
}

void status_tree_release(char **out, const char **from, const char *dir)
{
	struct strbuf mk = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct strbuf c = STRBUF_INIT, x = STRBUF_INIT, res = STRBUF_INIT;

	*out = NULL;
	*from = NULL;
	if (!read_small(&mk, dir, "Makefile") &&
	    makefile_var(&a, mk.buf, "VERSION") && is_number(&a) &&
	    makefile_var(&b, mk.buf, "PATCHLEVEL") && is_number(&b)) {
		strbuf_addf(&res, "v%s.%s", a.buf, b.buf);
		if (makefile_var(&c, mk.buf, "SUBLEVEL") && c.len &&
		    strcmp(c.buf, "0"))
			strbuf_addf(&res, ".%s", c.buf);
		if (makefile_var(&x, mk.buf, "EXTRAVERSION"))
			strbuf_addstr(&res, x.buf);
		*from = "Makefile";
		goto done;
	}
	strbuf_reset(&mk);
	if (!read_small(&mk, dir, "xen/Makefile") &&
	    makefile_var(&a, mk.buf, "XEN_VERSION") && is_number(&a) &&
	    makefile_var(&b, mk.buf, "XEN_SUBVERSION") && is_number(&b)) {
		strbuf_addf(&res, "RELEASE-%s.%s", a.buf, b.buf);
		if (makefile_var(&x, mk.buf, "XEN_EXTRAVERSION") && x.len)
			strbuf_addstr(&res, x.buf);
		else
			strbuf_addstr(&res, ".0");
		*from = "xen/Makefile";
	}
done:
	if (res.len)
		*out = strbuf_detach(&res, NULL);
	strbuf_release(&mk);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	strbuf_release(&x);
	strbuf_release(&res);
}

const char *status_state_name(enum status_state s)
{
	return s == STATUS_PRESENT ? "present"
	       : s == STATUS_PARTIAL ? "partial"
				     : "absent";
}

const char *status_how_name(enum status_how h)
{
	static const char *const names[] = { "none", "content", "ancestry",
					     "trailer", "patch-id" };

	return names[h];
}

/* ---- the branch's history ------------------------------------------------ */

/* Commits the revision walk must not go past: those the index knows. */
struct known_walk {
	struct index *ix;
	git_oid *met;	/* the known commits the walk came to */
	size_t nr, alloc;
};

static int hide_known(const git_oid *oid, void *payload)
{
	struct known_walk *k = payload;

	if (!index_has_commit(k->ix, oid))
		return 0;
	ALLOC_GROW(k->met, k->nr + 1, k->alloc);
	k->met[k->nr++] = *oid;
	return 1;
}

/* Mark in g->contained the index commits reachable from those met. */
static int mark_contained(struct status_git *g, struct index *ix,
			  const struct known_walk *k)
{
	uint32_t *stack;
	size_t sp = 0;

	if (index_load_graph(ix, &g->graph))
		return -1;
	g->contained = xcalloc(g->graph.nr + 1, 1);
	stack = xmalloc((g->graph.nr + 1) * sizeof(*stack));
	for (size_t i = 0; i < k->nr; i++) {
		uint32_t n = graph_find(&g->graph, &k->met[i]);

		if (n != GRAPH_NONE && !g->contained[n]) {
			g->contained[n] = 1;
			stack[sp++] = n;
		}
	}
	while (sp) {
		uint32_t n = stack[--sp];

		for (uint32_t e = g->graph.parent_start[n];
		     e < g->graph.parent_start[n + 1]; e++) {
			uint32_t p = g->graph.parents[e];

			if (!g->contained[p]) {
				g->contained[p] = 1;
				stack[sp++] = p;
			}
		}
	}
	free(stack);
	return 0;
}

int status_git_open(struct status_git *out, const char *dir,
		    const char *hide_tag, struct index *ix)
{
	struct known_walk known = { ix, NULL, 0, 0 };
	git_revwalk *walk = NULL;
	git_oid oid;
	size_t alloc = 0;
	int ret = 0, err;

	memset(out, 0, sizeof(*out));
	err = git_repository_open_ext(&out->repo, dir,
				      GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (err == GIT_ENOTFOUND)
		return 1;
	if (err < 0)
		return gitutil_fail("cannot open repository", dir);
	if (git_repository_is_bare(out->repo) ||
	    git_reference_name_to_id(&out->head, out->repo, "HEAD") < 0) {
		git_error_clear();
		status_git_release(out);
		return 1;
	}
	if (git_revwalk_new(&walk, out->repo) < 0 ||
	    (ix && git_revwalk_add_hide_cb(walk, hide_known, &known) < 0) ||
	    git_revwalk_push(walk, &out->head) < 0) {
		ret = gitutil_fail("cannot walk the history of", dir);
		goto done;
	}
	if (hide_tag) {
		git_object *obj = NULL, *peeled = NULL;

		if (!git_revparse_single(&obj, out->repo, hide_tag) &&
		    !git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT))
			git_revwalk_hide(walk, git_object_id(peeled));
		git_error_clear();
		git_object_free(obj);
		git_object_free(peeled);
	}
	while (!git_revwalk_next(&oid, walk)) {
		struct msg_facts facts = MSG_FACTS_INIT;
		struct status_commit *c;
		git_commit *commit = NULL;
		const char *msg;

		if (git_commit_lookup(&commit, out->repo, &oid) < 0) {
			ret = gitutil_fail_oid("cannot read commit", &oid);
			goto done;
		}
		ALLOC_GROW(out->commits, out->nr + 1, alloc);
		c = &out->commits[out->nr++];
		memset(c, 0, sizeof(*c));
		git_oid_cpy(&c->oid, &oid);
		msg = git_commit_message(commit);
		trailers_parse(&facts, NULL, msg, strlen(msg));
		for (size_t i = 0; i < facts.nr_refs; i++) {
			if (facts.refs[i].kind != FACT_BACKPORT)
				continue;
			c->refs = xrealloc(c->refs,
					   (c->nr_refs + 1) * sizeof(*c->refs));
			memcpy(c->refs[c->nr_refs++], facts.refs[i].hex, 41);
		}
		msg_facts_clear(&facts);
		git_commit_free(commit);
	}
	git_error_clear();
	if (known.nr)
		ret = mark_contained(out, ix, &known);
done:
	git_revwalk_free(walk);
	free(known.met);
	if (ret)
		status_git_release(out);
	return ret;
}

void status_git_release(struct status_git *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nr; i++)
		free(g->commits[i].refs);
	free(g->commits);
	graph_release(&g->graph);
	free(g->contained);
	git_repository_free(g->repo);
	memset(g, 0, sizeof(*g));
}

/* Append the diff of commit c against its only parent (roots and merges
 * are left out: their patch ids mean nothing here). */
static int commit_diff(struct strbuf *out, git_repository *repo,
		       const git_oid *id)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	git_buf buf = GIT_BUF_INIT;
	int ret = 0;

	if (git_commit_lookup(&c, repo, id) < 0)
		return gitutil_fail_oid("cannot read commit", id);
	if (git_commit_parentcount(c) != 1)
		goto done;
	if (git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&a, parent) < 0 || git_commit_tree(&b, c) < 0 ||
	    git_diff_tree_to_tree(&diff, repo, a, b, NULL) < 0 ||
	    git_diff_to_buf(&buf, diff, GIT_DIFF_FORMAT_PATCH) < 0) {
		ret = gitutil_fail_oid("cannot diff commit", id);
		goto done;
	}
	strbuf_add(out, buf.ptr, buf.size);
done:
	git_buf_dispose(&buf);
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	git_commit_free(parent);
	git_commit_free(c);
	return ret;
}

/* The diff part of a format-patch mail: from the first "diff " line to the
 * "-- " signature. */
static void mail_diff(struct strbuf *out, const struct strbuf *text)
{
	const char *s = text->buf, *end = s + text->len, *start = NULL;

	while (s < end) {
		const char *e = memchr(s, '\n', end - s);
		size_t n = e ? (size_t)(e - s + 1) : (size_t)(end - s);

		if (!start && !strncmp(s, "diff ", 5))
			start = s;
		if (start && (n == 4 && !strncmp(s, "-- \n", 4)))
			break;
		if (start)
			strbuf_add(out, s, n);
		s += n;
	}
}

#define PID_PATCH_PREFIX "ffffffffffffffffffffffff"

/* Run `git patch-id --stable` with stdin from the file fd; its output goes
 * to out. */
static int run_patch_id(struct strbuf *out, int fd)
{
	int pfd[2], status;
	pid_t pid;
	char buf[4096];
	ssize_t n;

	if (pipe(pfd) < 0)
		return error("cannot run 'git patch-id': %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return error("cannot run 'git patch-id': %s", strerror(errno));
	}
	if (!pid) {
		dup2(fd, 0);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execlp("git", "git", "patch-id", "--stable", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			strbuf_add(out, buf, n);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return error("'git patch-id --stable' failed");
	return 0;
}

static int cmp_commit(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct status_commit *)a)->oid,
			   &((const struct status_commit *)b)->oid);
}

int status_git_patch_ids(struct status_git *g, struct status_advisory *advs,
			 size_t nr)
{
	struct strbuf in = STRBUF_INIT, outp = STRBUF_INIT;
	char tmpl[] = "/tmp/secport-pid.XXXXXX", path[4096];
	const char *tmpdir = getenv("TMPDIR");
	struct status_patch **byidx = NULL;
	size_t np = 0;
	int fd = -1, ret = 0;

	if (tmpdir && *tmpdir && strlen(tmpdir) < sizeof(path) - 32)
		snprintf(path, sizeof(path), "%s/secport-pid.XXXXXX", tmpdir);
	else
		snprintf(path, sizeof(path), "%s", tmpl);
	for (size_t i = 0; i < g->nr; i++) {
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), &g->commits[i].oid);
		strbuf_addf(&in, "commit %s\n", hex);
		if (commit_diff(&in, g->repo, &g->commits[i].oid)) {
			ret = -1;
			goto done;
		}
	}
	for (size_t a = 0; a < nr; a++)
		for (size_t i = 0; i < advs[a].nr; i++) {
			byidx = xrealloc(byidx, (np + 1) * sizeof(*byidx));
			byidx[np] = &advs[a].patches[i];
			strbuf_addf(&in, "commit " PID_PATCH_PREFIX "%016zx\n", np);
			mail_diff(&in, &advs[a].patches[i].text);
			np++;
		}
	fd = mkstemp(path);
	if (fd < 0) {
		ret = error("cannot create a temporary file '%s': %s", path,
			    strerror(errno));
		goto done;
	}
	unlink(path);
	if (write(fd, in.buf, in.len) != (ssize_t)in.len ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		ret = error("cannot write a temporary file: %s",
			    strerror(errno));
		goto done;
	}
	if (run_patch_id(&outp, fd)) {
		ret = -1;
		goto done;
	}
	if (g->nr > 1)
		qsort(g->commits, g->nr, sizeof(*g->commits), cmp_commit);
	for (const char *s = outp.buf; s && *s;) {
		const char *e = strchr(s, '\n');

		if (e - s == 81 && s[40] == ' ') {
			const char *id = s + 41;

			if (!strncmp(id, PID_PATCH_PREFIX, 24)) {
				size_t k = strtoull(id + 24, NULL, 16);

				if (k < np)
					memcpy(byidx[k]->pid, s, 40);
			} else {
				struct status_commit key, *c;

				memset(&key, 0, sizeof(key));
				if (g->nr && !git_oid_fromstrn(&key.oid, id, 40) &&
				    (c = bsearch(&key, g->commits, g->nr,
						 sizeof(*c), cmp_commit)))
					memcpy(c->pid, s, 40);
			}
		}
		s = e ? e + 1 : NULL;
	}
	g->patch_ids = 1;
done:
	if (fd >= 0)
		close(fd);
	if (ret)
		warning("patch ids not computed: vendor backports without a "
			"trailer are not recognised");
	free(byidx);
	strbuf_release(&in);
	strbuf_release(&outp);
	return ret;
}

/* ---- checking one advisory ----------------------------------------------- */

static int has_ancestor(struct status_git *g, const git_oid *c)
{
	int r;

	if (git_oid_equal(&g->head, c))
		return 1;
	if (g->contained) {
		/* an indexed commit: the graph says; else one of the
		 * branch's own commits, or (rarely) ask git */
		uint32_t n = graph_find(&g->graph, c);

		if (n != GRAPH_NONE)
			return g->contained[n];
		for (size_t i = 0; i < g->nr; i++)
			if (git_oid_equal(&g->commits[i].oid, c))
				return 1;
	}
	r = git_graph_descendant_of(g->repo, &g->head, c);
	if (r < 0)
		git_error_clear();
	return r > 0;
}

static int hex_names(const char *hex, const git_oid *c)
{
	char full[41];
	size_t n = strlen(hex);

	git_oid_tostr(full, sizeof(full), c);
	return n >= 7 && !strncmp(full, hex, n);
}

/* The history evidence of one patch: its commit and backports. */
static enum status_how git_evidence(git_oid *by, struct status_git *g,
				    const struct status_patch *p,
				    struct index *ix, const char *backports)
{
	git_oid *alts = NULL, *b = NULL;
	size_t nr = 0, nb = 0;
	enum status_how how = STATUS_BY_NONE;

	if (p->has_commit) {
		char **w = NULL;
		size_t nw = 0;
		char hex[41];

		alts = xmalloc(sizeof(*alts));
		git_oid_cpy(&alts[nr++], &p->commit);
		if (ix && !index_referrers(ix, FACT_BACKPORT, &p->commit, &b,
					   &nb)) {
			alts = xrealloc(alts, (nr + nb) * sizeof(*alts));
			for (size_t i = 0; i < nb; i++)
				git_oid_cpy(&alts[nr++], &b[i]);
		}
		git_oid_tostr(hex, sizeof(hex), &p->commit);
		record_words(backports ? backports : "", &w, &nw);
		for (size_t i = 0; i + 2 < nw; i += 3) {
			if (strcmp(w[i + 2], hex))
				continue;
			alts = xrealloc(alts, (nr + 1) * sizeof(*alts));
			if (git_oid_fromstrn(&alts[nr], w[i + 1],
					     strlen(w[i + 1])) == 0 &&
			    strlen(w[i + 1]) == 40)
				nr++;
		}
		record_words_free(w, nw);
	}
	for (size_t i = 0; i < nr && !how; i++)
		if (has_ancestor(g, &alts[i])) {
			how = STATUS_BY_ANCESTRY;
			git_oid_cpy(by, &alts[i]);
		}
	for (size_t c = 0; c < g->nr && !how; c++)
		for (size_t r = 0; r < g->commits[c].nr_refs && !how; r++)
			for (size_t i = 0; i < nr && !how; i++)
				if (hex_names(g->commits[c].refs[r], &alts[i])) {
					how = STATUS_BY_TRAILER;
					git_oid_cpy(by, &g->commits[c].oid);
				}
	for (size_t c = 0; c < g->nr && !how && p->pid[0]; c++)
		if (!strcmp(g->commits[c].pid, p->pid)) {
			how = STATUS_BY_PATCH_ID;
			git_oid_cpy(by, &g->commits[c].oid);
		}
	free(alts);
	free(b);
	return how;
}

static void add_hunk(struct status_patch_result *pr, const char *path,
		     size_t file, size_t hunk, enum place_tier tier, long line,
		     const char *reason)
{
	struct status_hunk *h;

	pr->hunks = xrealloc(pr->hunks, (pr->nr + 1) * sizeof(*pr->hunks));
	h = &pr->hunks[pr->nr++];
	h->path = path;
	h->file = file;
	h->hunk = hunk;
	h->tier = tier;
	h->line = line;
	h->reason = reason;
	pr->present += tier == PLACE_ALREADY;
}

static int check_content(struct status_patch_result *pr, const char *dir,
			 const struct status_patch *p)
{
	struct apply_options opts = APPLY_OPTIONS_INIT;
	struct apply_report rep = APPLY_REPORT_INIT;
	int ret;

	opts.dry_run = 1;
	ret = apply_patch(&rep, dir, &p->patch, &opts);
	if (ret < 0)
		goto done;
	ret = 0;
	for (size_t f = 0; f < rep.nr; f++) {
		const struct apply_file *af = &rep.files[f];
		const struct patch_file *pf = af->pf;
		size_t fi = (size_t)(pf - p->patch.files);
		const char *path = patch_file_path(pf);
		int already = af->status == APPLY_ALREADY;

		if (!af->exists && pf->is_delete && af->status == APPLY_FAILED)
			already = 1; /* deleted already */
		if (!af->nr || !pf->nr) {
			add_hunk(pr, path, fi, 0,
				 already ? PLACE_ALREADY
				 : af->status == APPLY_OK ? PLACE_EXACT
							  : PLACE_FAILED,
				 0, already ? NULL : af->reason);
			continue;
		}
		for (size_t j = 0; j < af->nr; j++) {
			const struct place_result *r = &af->hunks[j];
			enum place_tier t = already ? PLACE_ALREADY : r->tier;

			add_hunk(pr, path, fi, j, t,
				 t == PLACE_FAILED ? 0 : r->pos + 1,
				 t == PLACE_FAILED ? af->reason : NULL);
		}
	}
done:
	apply_report_release(&rep);
	return ret;
}

int status_check(struct status_result *out, const char *dir,
		 const struct status_advisory *adv, struct status_git *g,
		 struct index *ix, const char *rec_backports)
{
	size_t present = 0, some = 0;

	memset(out, 0, sizeof(*out));
	out->patches = xcalloc(adv->nr ? adv->nr : 1, sizeof(*out->patches));
	out->nr = adv->nr;
	for (size_t i = 0; i < adv->nr; i++) {
		struct status_patch_result *pr = &out->patches[i];

		if (check_content(pr, dir, &adv->patches[i]))
			return -1;
		if (pr->nr && pr->present == pr->nr) {
			pr->state = STATUS_PRESENT;
			pr->how = STATUS_BY_CONTENT;
		} else if (pr->present) {
			pr->state = STATUS_PARTIAL;
		}
		if (g && g->repo) {
			git_oid by;
			enum status_how how = git_evidence(&by, g,
							   &adv->patches[i],
							   ix, rec_backports);

			if (how) {
				pr->state = STATUS_PRESENT;
				pr->how = how;
				git_oid_cpy(&pr->by, &by);
			}
		}
		present += pr->state == STATUS_PRESENT;
		some += pr->state != STATUS_ABSENT;
	}
	out->state = adv->nr && present == adv->nr ? STATUS_PRESENT
		     : some			   ? STATUS_PARTIAL
						   : STATUS_ABSENT;
	return 0;
}

void status_result_release(struct status_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nr; i++)
		free(r->patches[i].hunks);
	free(r->patches);
	memset(r, 0, sizeof(*r));
}
