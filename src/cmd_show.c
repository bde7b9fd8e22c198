/* secport show [--json] ID: one advisory's record and patches. */
#include "advisory.h"
#include "cmd.h"
#include "record.h"
#include "repo.h"
#include "strbuf.h"
#include "usage.h"

#include <dirent.h>
#include <getopt.h>
#include "jsonutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_patches(const char *dir, struct strlist *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 6 && !strcmp(de->d_name + n - 6, ".patch"))
			strlist_add(out, de->d_name);
	}
	if (d)
		closedir(d);
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), cmp_str);
}

/* A field as JSON: lists of words for the list fields, else a string. */
static json_t *field_json(const char *name, const char *value)
{
	static const char *const lists[] = { "Aliases", "Fixed-By",
					     "Introduced-By" };
	json_t *arr;
	char **w;
	size_t nw;

	if (!strcasecmp(name, "Backports")) {
		arr = json_array();
		for (const char *p = value; *p;) {
			size_t n = strcspn(p, "\n");

			if (n) {
				char *line = xstrndup(p, n);
				json_t *o = json_object();

				record_words(line, &w, &nw);
				json_object_set_new(o, "branch", json_text(nw > 0 ? w[0] : ""));
				json_object_set_new(o, "commit", json_text(nw > 1 ? w[1] : ""));
				json_object_set_new(o, "upstream", json_text(nw > 2 ? w[2] : ""));
				record_words_free(w, nw);
				json_array_append_new(arr, o);
				free(line);
			}
			p += n + (p[n] == '\n');
		}
		return arr;
	}
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		if (strcasecmp(name, lists[i]))
			continue;
		arr = json_array();
		record_words(value, &w, &nw);
		for (size_t k = 0; k < nw; k++)
			json_array_append_new(arr, json_text(w[k]));
		record_words_free(w, nw);
		return arr;
	}
	return json_text(value);
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct record r = RECORD_INIT;
	struct strlist patches = STRLIST_INIT;
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, text = STRBUF_INIT;
	struct repo repo;
	char *id = NULL;
	int c, json = 0, ret = EXIT_FATAL;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else
			return cmd_usage("show", c == 'h');
	}
	if (optind + 1 != argc)
		return cmd_usage("show", 0);
	if (repo_open(&repo, "."))
		return EXIT_FATAL;
	if (advisory_find(&repo, argv[optind], &id)) {
		ret = EXIT_NEGATIVE;
		goto done;
	}
	strbuf_addf(&dir, "%s/advisories/%s", repo.root, id);
	strbuf_addf(&path, "%s/record", dir.buf);
	if (record_read(&r, path.buf))
		goto done;
	list_patches(dir.buf, &patches);
	if (json) {
		json_t *o = json_object(), *fields = json_object(),
		       *pa = json_array();

		for (size_t i = 0; i < r.nr; i++)
			json_object_set_new(fields, r.fields[i].name,
					    field_json(r.fields[i].name,
						       r.fields[i].value));
		for (size_t i = 0; i < patches.nr; i++) {
			strbuf_reset(&text);
			strbuf_addf(&text, "advisories/%s/%s", id, patches.items[i]);
			json_array_append_new(pa, json_text(text.buf));
		}
		json_object_set_new(o, "id", json_text(id));
		json_object_set_new(o, "record", fields);
		json_object_set_new(o, "patches", pa);
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
					      JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
	} else {
		record_format(&r, &text);
		fputs(text.buf, stdout);
		for (size_t i = 0; i < patches.nr; i++)
			printf("%s advisories/%s/%s\n", i ? "       " : "Patches:",
			       id, patches.items[i]);
	}
	ret = 0;
done:
	record_release(&r);
	strlist_clear(&patches);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&text);
	free(id);
	repo_release(&repo);
	return ret;
}
