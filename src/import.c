#include "import.h"
#include "fileio.h"
#include "record.h"
#include "strbuf.h"
#include "trailers.h"
#include "usage.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_MAX_FILE (16u << 20)

static int is_full_hex(const char *s, size_t n)
{
	if (n != 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static void add_unique(struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return;
	strlist_add(l, s);
}

/* Add a commit id, lower-cased (ids compare as text everywhere). */
static void add_lower(struct strlist *l, const char *hex)
{
	char *c = xstrdup(hex);

	for (char *p = c; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	add_unique(l, c);
	free(c);
}

static struct import_entry *entry(struct import_set *set, const char *id)
{
	struct import_entry *e;

	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->items[i].id, id))
			return &set->items[i];
	ALLOC_GROW(set->items, set->nr + 1, set->alloc);
	e = &set->items[set->nr++];
	memset(e, 0, sizeof(*e));
	e->id = xstrdup(id);
	return e;
}

/* Call fn on every line of path (NUL-terminated, without '\n'). */
static int for_each_line(const char *path,
			 int (*fn)(const char *path, int lineno, char *line,
				   void *data),
			 void *data)
{
	struct strbuf sb = STRBUF_INIT;
	int lineno = 0, ret = 0;

	if (strbuf_read_file(&sb, path, IMPORT_MAX_FILE) < 0) {
		ret = error("cannot read '%s': %s", path,
			    errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
		goto done;
	}
	for (char *p = sb.buf; *p && !ret;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);

		ret = fn(path, ++lineno, line, data);
		free(line);
		p += n + (p[n] == '\n');
	}
done:
	strbuf_release(&sb);
	return ret;
}

/* Add a full commit id (lower-cased) to out, or report the line. */
static int add_commit_id(struct strlist *out, char *id, const char *path,
			 int lineno)
{
	if (!is_full_hex(id, strlen(id)))
		return error("'%s' line %d: '%s' is not a full commit id", path,
			     lineno, id);
	for (char *c = id; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	add_unique(out, id);
	return 0;
}

/* A CNA .sha1 / .vulnerable line: one commit id, or a '#' comment. */
static int id_line(const char *path, int lineno, char *line, void *out)
{
	char *q = line + strspn(line, " \t");
	size_t len = strcspn(q, " \t\r");

	if (!len || *q == '#')
		return 0;
	q[len] = '\0';
	return add_commit_id(out, q, path, lineno);
}

static int read_ids(const char *path, struct strlist *out)
{
	return for_each_line(path, id_line, out);
}

static int read_cve_json(struct import_set *set, const char *id,
			 const char *path)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr), *cna, *affected, *a;
	struct import_entry *e;
	size_t i;

	if (!root)
		return error("'%s' line %d: %s", path, jerr.line, jerr.text);
	e = entry(set, id);
	cna = json_object_get(json_object_get(root, "containers"), "cna");
	if (!json_is_object(cna)) {
		json_decref(root);
		return error("'%s': not a CVE JSON 5 record "
			     "(no containers.cna)", path);
	}
	if (json_is_string(json_object_get(cna, "title")) && !e->subject)
		e->subject = xstrdup(json_string_value(json_object_get(cna, "title")));
	affected = json_object_get(cna, "affected");
	json_array_foreach(affected, i, a) {
		json_t *versions = json_object_get(a, "versions"), *v;
		size_t j;

		json_array_foreach(versions, j, v) {
			const char *type = json_string_value(json_object_get(v, "versionType"));
			const char *ver = json_string_value(json_object_get(v, "version"));
			const char *lt = json_string_value(json_object_get(v, "lessThan"));

			if (!type || strcmp(type, "git"))
				continue;
			if (ver && is_full_hex(ver, strlen(ver)))
				add_lower(&e->introduced, ver);
			if (lt && is_full_hex(lt, strlen(lt)))
				add_lower(&e->backports, lt);
		}
	}
	json_decref(root);
	return 0;
}

/* A plain list line: "ID <commit>...", or a '#' comment. */
static int list_line(const char *path, int lineno, char *line, void *data)
{
	struct import_set *set = data;
	char **w;
	size_t nw;
	int ret = 0;

	record_words(line[0] == '#' ? NULL : line, &w, &nw);
	if (nw == 1 || (nw && !trailers_is_advisory(w[0]) &&
			!strchr(w[0], '-'))) {
		ret = error("'%s' line %d: expected 'ID <commit>...'", path,
			    lineno);
	} else if (nw) {
		struct import_entry *e = entry(set, w[0]);

		for (size_t i = 1; i < nw && !ret; i++)
			ret = add_commit_id(&e->fixes, w[i], path, lineno);
	}
	record_words_free(w, nw);
	return ret;
}

static int read_list(struct import_set *set, const char *path)
{
	return for_each_line(path, list_line, set);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* One CNA file: CVE-….sha1, .vulnerable or .json; others are ignored. */
static int read_cna_file(struct import_set *set, const char *path, int *used)
{
	const char *base = strrchr(path, '/');
	char *id;
	int ret = 0;

	base = base ? base + 1 : path;
	*used = 0;
	if (strncmp(base, "CVE-", 4))
		return 0;
	id = xstrndup(base, strcspn(base, "."));
	if (ends_with(base, ".sha1")) {
		ret = read_ids(path, &entry(set, id)->fixes);
		*used = 1;
	} else if (ends_with(base, ".vulnerable")) {
		ret = read_ids(path, &entry(set, id)->introduced);
		*used = 1;
	} else if (ends_with(base, ".json")) {
		ret = read_cve_json(set, id, path);
		*used = 1;
	}
	free(id);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_dir(struct import_set *set, const char *dir)
{
	struct strlist names = STRLIST_INIT;
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error("cannot read '%s': %s", dir, strerror(errno));
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			strlist_add(&names, de->d_name);
	closedir(d);
	if (names.nr > 1)
		qsort(names.items, names.nr, sizeof(*names.items), cmp_str);
	for (size_t i = 0; i < names.nr && !ret; i++) {
		struct strbuf p = STRBUF_INIT;
		struct stat st;
		int used;

		strbuf_addf(&p, "%s/%s", dir, names.items[i]);
		if (!stat(p.buf, &st) && S_ISDIR(st.st_mode))
			ret = read_dir(set, p.buf);
		else
			ret = read_cna_file(set, p.buf, &used);
		strbuf_release(&p);
	}
	strlist_clear(&names);
	return ret;
}

int import_read(struct import_set *set, const char *path)
{
	struct stat st;
	int used;

	if (stat(path, &st) < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return read_dir(set, path);
	if (read_cna_file(set, path, &used))
		return -1;
	return used ? 0 : read_list(set, path);
}

/* Merge words into a multi-line field (sep "\n") or a one-line one. */
static void merge_field(struct record *r, const char *name,
			const struct strlist *add, const char *sep,
			const char *drop)
{
	struct strlist all = STRLIST_INIT;
	struct strbuf v = STRBUF_INIT;
	char **w;
	size_t nw;

	record_words(record_get(r, name), &w, &nw);
	for (size_t i = 0; i < nw; i++)
		if (!drop || strcmp(w[i], drop))
			add_unique(&all, w[i]);
	record_words_free(w, nw);
	for (size_t i = 0; i < add->nr; i++)
		add_unique(&all, add->items[i]);
	for (size_t i = 0; i < all.nr; i++)
		strbuf_addf(&v, "%s%s", i ? sep : "", all.items[i]);
	if (all.nr)
		record_set(r, name, v.buf);
	strlist_clear(&all);
	strbuf_release(&v);
}

int import_apply(const struct repo *repo, const struct import_set *set,
		 struct strlist *done)
{
	for (size_t i = 0; i < set->nr; i++) {
		const struct import_entry *e = &set->items[i];
		struct record r = RECORD_INIT;
		struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
		struct strlist bps = STRLIST_INIT;
		int ret = -1;

		strbuf_addf(&dir, "%s/advisories/%s", repo->root, e->id);
		strbuf_addf(&path, "%s/record", dir.buf);
		if (!access(path.buf, F_OK) ? record_read(&r, path.buf)
					    : (record_set(&r, "Advisory", e->id), 0))
			goto next;
		if (e->subject && !record_get(&r, "Subject"))
			record_set(&r, "Subject", e->subject);
		merge_field(&r, "Fixed-By", &e->fixes, "\n", NULL);
		merge_field(&r, "Introduced-By", &e->introduced, "\n", "unknown");
		if (!record_get(&r, "Introduced-By"))
			record_set(&r, "Introduced-By", "unknown");
		/* stable backports named by the CNA; the scan names branches */
		for (size_t b = 0; b < e->backports.nr; b++) {
			struct strbuf line = STRBUF_INIT;
			int is_fix = 0;

			for (size_t f = 0; f < e->fixes.nr; f++)
				is_fix |= !strcmp(e->fixes.items[f],
						  e->backports.items[b]);
			if (!is_fix && e->fixes.nr == 1) {
				strbuf_addf(&line, "- %s %s", e->backports.items[b],
					    e->fixes.items[0]);
				strlist_add(&bps, line.buf);
			}
			strbuf_release(&line);
		}
		if (bps.nr) {
			const char *old = record_get(&r, "Backports");
			struct strbuf v = STRBUF_INIT;

			strbuf_addstr(&v, old ? old : "");
			for (size_t b = 0; b < bps.nr; b++)
				if (!old || !strstr(old, bps.items[b] + 2))
					strbuf_addf(&v, "\n%s", bps.items[b]);
			record_set(&r, "Backports", v.buf);
			strbuf_release(&v);
		}
		if (!record_get(&r, "Notes"))
			record_set(&r, "Notes", "");
		{
			struct strbuf text = STRBUF_INIT;

			record_format(&r, &text);
			ret = fileio_mkdirs(dir.buf) ||
			      fileio_write_atomic(path.buf, text.buf, text.len,
						  NULL) ? -1 : 0;
			strbuf_release(&text);
		}
		if (!ret)
			strlist_add(done, e->id);
next:
		record_release(&r);
		strlist_clear(&bps);
		strbuf_release(&dir);
		strbuf_release(&path);
		if (ret)
			return -1;
	}
	return 0;
}

void import_set_clear(struct import_set *set)
{
	for (size_t i = 0; i < set->nr; i++) {
		struct import_entry *e = &set->items[i];

		free(e->id);
		free(e->subject);
		strlist_clear(&e->fixes);
		strlist_clear(&e->introduced);
		strlist_clear(&e->backports);
	}
	free(set->items);
	memset(set, 0, sizeof(*set));
}
