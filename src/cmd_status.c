/*
 * secport status: which advisories' fixes a source tree has, with the
 * evidence; see secport-status(1).
 */
#include "advisory.h"
#include "affected.h"
#include "banned.h"
#include "cmd.h"
#include "index.h"
#include "jsonutil.h"
#include "record.h"
#include "repo.h"
#include "status.h"
#include "usage.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct status_row {
	struct status_advisory adv;
	struct status_result res;
	int verdict; /* enum reach_state, or -1 when the release is unknown */
	int counts;  /* the release needs the fix in the tree */
};

static const char *verdict_name(int v)
{
	return v < 0 ? "unknown" : reach_state_name((enum reach_state)v);
}

static void short_oid(char *hex, size_t n, const git_oid *id)
{
	git_oid_tostr(hex, n, id);
}

static const char *hunk_word(enum place_tier t)
{
	return t == PLACE_ALREADY ? "present" : t == PLACE_FAILED ? "conflict"
								  : "applies";
}

static void print_text(const char *tree, const char *release,
		       const char *from, const struct status_git *g,
		       const struct status_row *rows, size_t nr, size_t missing)
{
	size_t n[3] = { 0, 0, 0 };

	printf("tree '%s': release %s", tree, release ? release : "unknown");
	if (release)
		printf(" (%s)", from ? from : "--release");
	if (g->repo)
		printf(", git work tree, %zu commits examined%s", g->nr,
		       g->patch_ids ? " with patch ids" : "");
	putchar('\n');
	for (size_t i = 0; i < nr; i++) {
		const struct status_row *r = &rows[i];

		n[r->res.state]++;
		printf("%-20s %-8s", r->adv.id, status_state_name(r->res.state));
		if (r->verdict >= 0)
			printf(" release %s%s", verdict_name(r->verdict),
			       r->counts ? "" : " (not needed)");
		putchar('\n');
		for (size_t p = 0; p < r->res.nr; p++) {
			const struct status_patch_result *pr = &r->res.patches[p];
			char hex[13];

			printf("  %s: %s", r->adv.patches[p].name,
			       status_state_name(pr->state));
			if (pr->how == STATUS_BY_CONTENT)
				printf(" (content: %zu of %zu hunks)",
				       pr->present, pr->nr);
			else if (pr->how) {
				short_oid(hex, sizeof(hex), &pr->by);
				printf(" (%s %s)", status_how_name(pr->how), hex);
			} else if (pr->nr)
				printf(" (%zu of %zu hunks present)",
				       pr->present, pr->nr);
			putchar('\n');
			for (size_t h = 0; h < pr->nr; h++) {
				const struct status_hunk *sh = &pr->hunks[h];

				printf("    %s hunk %zu: %s", sh->path,
				       sh->hunk + 1, hunk_word(sh->tier));
				if (sh->tier != PLACE_FAILED &&
				    sh->tier != PLACE_ALREADY)
					printf(" (%s)", place_tier_name(sh->tier));
				if (sh->line)
					printf(" at line %ld", sh->line);
				if (sh->reason)
					printf(": %s", sh->reason);
				putchar('\n');
			}
		}
	}
	printf("%zu present, %zu partial, %zu absent; %zu needed and not "
	       "present\n", n[STATUS_PRESENT], n[STATUS_PARTIAL],
	       n[STATUS_ABSENT], missing);
}

static void print_json(const char *tree, const char *release,
		       const char *from, const struct status_git *g,
		       const struct status_row *rows, size_t nr, size_t missing)
{
	json_t *root = json_object(), *advs = json_array();

	json_object_set_new(root, "tree", json_text(tree));
	json_object_set_new(root, "release",
			    release ? json_text(release) : json_null());
	json_object_set_new(root, "release_from",
			    release ? json_string(from ? from : "option")
				    : json_null());
	json_object_set_new(root, "git", json_boolean(g->repo != NULL));
	json_object_set_new(root, "commits_examined",
			    json_integer((json_int_t)g->nr));
	json_object_set_new(root, "missing", json_integer((json_int_t)missing));
	for (size_t i = 0; i < nr; i++) {
		const struct status_row *r = &rows[i];
		json_t *o = json_object(), *ps = json_array();

		json_object_set_new(o, "id", json_text(r->adv.id));
		json_object_set_new(o, "state",
				    json_string(status_state_name(r->res.state)));
		json_object_set_new(o, "release_state",
				    r->verdict >= 0
					    ? json_string(verdict_name(r->verdict))
					    : json_null());
		json_object_set_new(o, "needed", json_boolean(r->counts));
		for (size_t p = 0; p < r->res.nr; p++) {
			const struct status_patch_result *pr = &r->res.patches[p];
			const struct status_patch *sp = &r->adv.patches[p];
			json_t *po = json_object(), *hs = json_array();
			char hex[41];

			json_object_set_new(po, "patch", json_text(sp->name));
			git_oid_tostr(hex, sizeof(hex), &sp->commit);
			json_object_set_new(po, "commit", sp->has_commit
					    ? json_string(hex) : json_null());
			json_object_set_new(po, "state",
					    json_string(status_state_name(pr->state)));
			json_object_set_new(po, "evidence",
					    pr->how ? json_string(status_how_name(pr->how))
						    : json_null());
			git_oid_tostr(hex, sizeof(hex), &pr->by);
			json_object_set_new(po, "by",
					    pr->how > STATUS_BY_CONTENT
						    ? json_string(hex)
						    : json_null());
			for (size_t h = 0; h < pr->nr; h++) {
				const struct status_hunk *sh = &pr->hunks[h];
				json_t *ho = json_object();

				json_object_set_new(ho, "path", json_text(sh->path));
				json_object_set_new(ho, "hunk",
						    json_integer((json_int_t)sh->hunk + 1));
				json_object_set_new(ho, "state",
						    json_string(hunk_word(sh->tier)));
				json_object_set_new(ho, "tier",
						    json_string(place_tier_name(sh->tier)));
				json_object_set_new(ho, "line",
						    sh->line ? json_integer(sh->line)
							     : json_null());
				if (sh->reason)
					json_object_set_new(ho, "reason",
							    json_string(sh->reason));
				json_array_append_new(hs, ho);
			}
			json_object_set_new(po, "hunks", hs);
			json_array_append_new(ps, po);
		}
		json_object_set_new(o, "patches", ps);
		json_array_append_new(advs, o);
	}
	json_object_set_new(root, "advisories", advs);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
}

static char *record_backports(const struct repo *repo, const char *id)
{
	struct record rec = RECORD_INIT;
	struct strbuf rel = STRBUF_INIT;
	char *path, *v = NULL;

	strbuf_addf(&rel, "advisories/%s/record", id);
	path = repo_path(repo, rel.buf);
	if (!record_read(&rec, path) && record_get(&rec, "Backports"))
		v = xstrdup(record_get(&rec, "Backports"));
	record_release(&rec);
	free(path);
	strbuf_release(&rel);
	return v;
}

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "release", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct repo repo = { 0 };
	struct index ix = { 0 };
	struct affected aff = AFFECTED_INIT;
	struct status_git g = STATUS_GIT_INIT;
	struct strlist ids = STRLIST_INIT;
	struct status_row *rows = NULL;
	const char *tree = NULL, *opt_release = NULL, *from = NULL;
	char *release = NULL;
	int json = 0, c, ret = EXIT_FATAL, have_repo = 0, have_ix = 0;
	long rel = -1;
	size_t nr = 0, missing = 0;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			tree = optarg;
			break;
		case 'r':
			opt_release = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_usage("status", 1);
		default:
			return cmd_usage("status", 0);
		}
	}
	if (optind < argc) {
		error("unexpected argument '%s'", argv[optind]);
		return cmd_usage("status", 0);
	}
	if (!tree) {
		error("--tree is required");
		return cmd_usage("status", 0);
	}
	if (repo_open(&repo, "."))
		goto done;
	have_repo = 1;
	if (index_open_repo(&ix, &repo))
		goto done;
	have_ix = 1;
	if (opt_release)
		release = xstrdup(opt_release);
	else
		status_tree_release(&release, &from, tree);
	if (release) {
		if (affected_load(&aff, &repo, &ix, NULL, 0))
			goto done;
		rel = affected_find_release(&aff, release);
		if (rel < 0 && opt_release) {
			error("unknown release '%s': not a scanned release tag",
			      release);
			goto done;
		}
		if (rel < 0)
			warning("release '%s' (from %s) is not a scanned release "
				"tag: every advisory counts as needed", release,
				from);
	}
	if (advisory_list(&repo, &ids))
		goto done;
	if (status_git_open(&g, tree, rel >= 0 ? release : NULL, &ix) < 0)
		goto done;
	rows = xcalloc(ids.nr ? ids.nr : 1, sizeof(*rows));
	for (size_t i = 0; i < ids.nr; i++) {
		struct status_row *r = &rows[nr++];

		r->verdict = -1;
		r->counts = 1;
		if (status_load_advisory(&r->adv, &repo, &ix, ids.items[i]))
			goto done;
		if (rel >= 0) {
			/* aff lists the same advisories in the same order,
			 * unless a scan added some in between */
			size_t a = i;

			if (a >= aff.nr || strcmp(aff.advs[a].id, ids.items[i]))
				for (a = 0; a < aff.nr; a++)
					if (!strcmp(aff.advs[a].id, ids.items[i]))
						break;
			if (a < aff.nr) {
				r->verdict = affected_verdicts(&aff, a)[rel].state;
				r->counts = r->verdict != REACH_NOT_AFFECTED;
			}
		}
	}
	if (g.repo) {
		struct status_advisory *advs = xcalloc(nr ? nr : 1, sizeof(*advs));

		/* shallow copies: the patch ids land in the rows' patches */
		for (size_t i = 0; i < nr; i++)
			advs[i] = rows[i].adv;
		status_git_patch_ids(&g, advs, nr);
		free(advs);
	}
	for (size_t i = 0; i < nr; i++) {
		struct status_row *r = &rows[i];
		char *bp = record_backports(&repo, r->adv.id);
		int err = status_check(&r->res, tree, &r->adv,
				       g.repo ? &g : NULL, &ix, bp);

		free(bp);
		if (err)
			goto done;
		missing += r->counts && r->res.state != STATUS_PRESENT;
	}
	if (json)
		print_json(tree, release, from, &g, rows, nr, missing);
	else
		print_text(tree, release, from, &g, rows, nr, missing);
	ret = missing ? EXIT_NEGATIVE : 0;
done:
	for (size_t i = 0; i < nr; i++) {
		status_advisory_release(&rows[i].adv);
		status_result_release(&rows[i].res);
	}
	free(rows);
	status_git_release(&g);
	affected_release(&aff);
	strlist_clear(&ids);
	if (have_ix)
		index_close(&ix);
	if (have_repo)
		repo_release(&repo);
	free(release);
	return ret;
}
