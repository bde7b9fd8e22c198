/* secport list [--json]: the advisories of the repository. */
#include "advisory.h"
#include "cmd.h"
#include "embargo.h"
#include "record.h"
#include "repo.h"
#include "strbuf.h"
#include "usage.h"

#include <getopt.h>
#include "jsonutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t count_lines(const char *v)
{
	char **w;
	size_t nw, lines = 0;

	if (!v)
		return 0;
	for (const char *p = v; *p; p++)
		lines += *p == '\n';
	record_words(v, &w, &nw);
	record_words_free(w, nw);
	return nw ? (v[0] == '\n' ? lines : lines + 1) : 0;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct strlist ids = STRLIST_INIT;
	struct repo repo;
	json_t *arr = NULL;
	int c, json = 0, ret = EXIT_FATAL;
	time_t now;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else
			return cmd_usage("list", c == 'h');
	}
	if (optind != argc)
		return cmd_usage("list", 0);
	if (embargo_now(&now))
		return EXIT_FATAL;
	if (repo_open(&repo, ".") || advisory_list(&repo, &ids))
		goto done;
	if (json)
		arr = json_array();
	for (size_t i = 0; i < ids.nr; i++) {
		struct record r = RECORD_INIT;
		struct strbuf path = STRBUF_INIT;
		const char *aliases, *subject;
		size_t fixes, bps;
		int bad, embargoed;

		strbuf_addf(&path, "%s/advisories/%s/record", repo.root,
			    ids.items[i]);
		bad = record_read(&r, path.buf);
		strbuf_release(&path);
		if (bad)
			goto done;
		aliases = record_get(&r, "Aliases");
		subject = record_get(&r, "Subject");
		fixes = count_lines(record_get(&r, "Fixed-By"));
		bps = count_lines(record_get(&r, "Backports"));
		embargoed = embargo_active(&r, now);
		if (json) {
			json_t *o = json_object(), *al = json_array();
			char **w;
			size_t nw;

			record_words(aliases, &w, &nw);
			for (size_t k = 0; k < nw; k++)
				json_array_append_new(al, json_text(w[k]));
			record_words_free(w, nw);
			json_object_set_new(o, "id", json_text(ids.items[i]));
			json_object_set_new(o, "aliases", al);
			json_object_set_new(o, "subject",
					    json_text(subject));
			json_object_set_new(o, "fixes", json_integer((json_int_t)fixes));
			json_object_set_new(o, "backports",
					    json_integer((json_int_t)bps));
			json_object_set_new(o, "embargoed",
					    json_boolean(embargoed));
			json_array_append_new(arr, o);
		} else {
			struct strbuf name = STRBUF_INIT;

			strbuf_addstr(&name, ids.items[i]);
			if (aliases && *aliases)
				strbuf_addf(&name, " [%s]", aliases);
			if (embargoed)
				strbuf_addstr(&name, " [embargoed]");
			printf("%-30s %2zu fix%s %3zu backport%s  %s\n", name.buf,
			       fixes, fixes == 1 ? " " : "es", bps,
			       bps == 1 ? " " : "s", subject ? subject : "");
			strbuf_release(&name);
		}
		record_release(&r);
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		putchar('\n');
	}
	ret = 0;
done:
	json_decref(arr);
	strlist_clear(&ids);
	repo_release(&repo);
	return ret;
}
