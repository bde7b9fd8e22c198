/*
 * secport apply: apply a patch to a source tree with no history, placing
 * each hunk where it belongs or refusing; see secport-apply(1).
 */
#include "advapply.h"
#include "gitutil.h"
#include "advisory.h"
#include "apply.h"
#include "banned.h"
#include "cmd.h"
#include "fileio.h"
#include "index.h"
#include "jsonutil.h"
#include "repo.h"
#include "status.h"
#include "patch.h"
#include "place.h"
#include "strbuf.h"
#include "usage.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *status_name(enum apply_status s)
{
	return s == APPLY_OK ? "ok" : s == APPLY_ALREADY ? "already applied"
							: "failed";
}

static int read_patch(struct strbuf *sb, const char *path)
{
	if (strcmp(path, "-")) {
		if (strbuf_read_file(sb, path, PATCH_MAX_SIZE)) {
			if (errno == EFBIG)
				return error("cannot read patch '%s': larger "
					     "than %u bytes", path, PATCH_MAX_SIZE);
			return error("cannot read patch '%s': %s", path,
				     strerror(errno));
		}
		return 0;
	}
	for (;;) {
		size_t n;

		strbuf_grow(sb, 65536);
		n = fread(sb->buf + sb->len, 1, 65536, stdin);
		strbuf_setlen(sb, sb->len + n);
		if (sb->len > PATCH_MAX_SIZE)
			return error("cannot read patch from standard input: "
				     "larger than %u bytes", PATCH_MAX_SIZE);
		if (n < 65536)
			break;
	}
	if (ferror(stdin))
		return error("cannot read patch from standard input");
	return 0;
}

static void print_hunk(const struct patch_hunk *h, size_t i,
		       const struct place_result *r)
{
	printf("  hunk %zu @@ -%ld,%ld +%ld,%ld @@: ", i + 1, h->old_start,
	       h->old_count, h->new_start, h->new_count);
	switch (r->tier) {
	case PLACE_FAILED:
		printf("failed: %s", r->reason ? r->reason : "no place found");
		for (size_t c = 0; c < r->cand_nr; c++)
			printf("%s line %ld (score %.2f)",
			       c ? "," : "; best candidates:",
			       r->cand[c].pos + 1, r->cand[c].score);
		break;
	case PLACE_OFFSET:
		printf("offset %+ld at line %ld", r->offset, r->pos + 1);
		break;
	case PLACE_FUZZ:
	case PLACE_REALIGNED:
		printf("%s at line %ld (offset %+ld, score %.2f",
		       place_tier_name(r->tier), r->pos + 1, r->offset,
		       r->score);
		for (size_t f = 0; f < r->fuzzed_nr; f++)
			printf("%s%zu", f ? "," : "; context lines differ: ",
			       r->fuzzed[f] + 1);
		printf(")");
		break;
	default:
		printf("%s at line %ld", place_tier_name(r->tier), r->pos + 1);
		if (r->cosmetic)
			printf(" (it only changes blanks at line ends, and "
			       "has no place)");
		break;
	}
	if (r->tier != PLACE_FAILED && r->translated)
		printf(", once written in the file's words");
	if (r->tier != PLACE_FAILED && r->adapted)
		printf("; adapted: %s", r->adapted);
	putchar('\n');
}

static size_t failed_files(const struct apply_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nr; i++)
		n += r->files[i].status == APPLY_FAILED;
	return n;
}

static void print_files(const struct apply_report *r, const char *indent)
{
	for (size_t i = 0; i < r->nr; i++) {
		const struct apply_file *af = &r->files[i];
		const char *path = patch_file_path(af->pf);

		printf("%s%s", indent, af->target ? af->target : path);
		if (af->moved)
			printf(" (patch names '%s')", path);
		printf(": %s", status_name(af->status));
		if (af->reason)
			printf(": %s", af->reason);
		if (af->tried)
			printf("; '%s' has its %s, but only %zu of the %zu "
			       "hunks place there", af->tried,
			       af->tried_by_text ? "code" : "name",
			       af->tried_placed, af->pf->nr);
		putchar('\n');
		for (size_t j = 0; j < af->nr; j++) {
			fputs(indent, stdout);
			print_hunk(&af->pf->hunks[j], j, &af->hunks[j]);
		}
	}
}

static void print_text(const struct apply_report *r, int ret, int dry_run)
{
	print_files(r, "");
	if (!ret)
		printf("%s: %zu hunks in %zu files%s\n",
		       dry_run ? "would apply" : "applied", r->hunks, r->nr,
		       r->hunks_already ? " (some already applied)" : "");
	else
		printf("not applied: %zu of %zu hunks failed, %zu of %zu files; "
		       "%s\n", r->hunks_failed, r->hunks, failed_files(r), r->nr,
		       r->written ? "placed hunks written, rest in .rej files"
				  : "nothing written");
}

static json_t *hunk_json(const struct patch_hunk *h, size_t i,
			 const struct place_result *r)
{
	json_t *o = json_object(), *a;

	json_object_set_new(o, "hunk", json_integer((json_int_t)i + 1));
	json_object_set_new(o, "old_start", json_integer(h->old_start));
	json_object_set_new(o, "tier", json_string(place_tier_name(r->tier)));
	if (r->tier == PLACE_FAILED) {
		json_object_set_new(o, "reason", json_string(r->reason ? r->reason
								  : ""));
		a = json_array();
		for (size_t c = 0; c < r->cand_nr; c++) {
			json_t *co = json_object();

			json_object_set_new(co, "line",
					    json_integer(r->cand[c].pos + 1));
			json_object_set_new(co, "score",
					    json_real(r->cand[c].score));
			json_array_append_new(a, co);
		}
		json_object_set_new(o, "candidates", a);
		return o;
	}
	if (r->cosmetic)
		json_object_set_new(o, "cosmetic", json_true());
	json_object_set_new(o, "line", json_integer(r->pos + 1));
	json_object_set_new(o, "offset", json_integer(r->offset));
	json_object_set_new(o, "score", json_real(r->score));
	a = json_array();
	for (size_t f = 0; f < r->fuzzed_nr; f++)
		json_array_append_new(a, json_integer((json_int_t)r->fuzzed[f] + 1));
	json_object_set_new(o, "fuzzed_lines", a);
	json_object_set_new(o, "translated", json_boolean(r->translated));
	if (r->adapted)
		json_object_set_new(o, "adapted", json_string(r->adapted));
	return o;
}

static json_t *files_json(const struct apply_report *r)
{
	json_t *files = json_array();

	for (size_t i = 0; i < r->nr; i++) {
		const struct apply_file *af = &r->files[i];
		json_t *fo = json_object(), *hs = json_array();

		json_object_set_new(fo, "path",
				    json_string(patch_file_path(af->pf)));
		json_object_set_new(fo, "target", json_string(af->target ? af->target : ""));
		json_object_set_new(fo, "moved", json_boolean(af->moved));
		json_object_set_new(fo, "status",
				    json_string(status_name(af->status)));
		if (af->reason)
			json_object_set_new(fo, "reason",
					    json_string(af->reason));
		if (af->tried) {
			json_object_set_new(fo, "tried", json_string(af->tried));
			json_object_set_new(fo, "tried_placed",
					    json_integer((json_int_t)af->tried_placed));
			json_object_set_new(fo, "tried_by",
					    json_string(af->tried_by_text ? "text" : "name"));
		}
		for (size_t j = 0; j < af->nr; j++)
			json_array_append_new(hs, hunk_json(&af->pf->hunks[j], j,
							    &af->hunks[j]));
		json_object_set_new(fo, "hunks", hs);
		json_array_append_new(files, fo);
	}
	return files;
}

static void print_json(const struct apply_report *r, int ret, int dry_run)
{
	json_t *root = json_object(), *files = files_json(r);

	json_object_set_new(root, "applied", json_boolean(!ret));
	json_object_set_new(root, "dry_run", json_boolean(dry_run));
	json_object_set_new(root, "written", json_boolean(r->written));
	json_object_set_new(root, "hunks", json_integer((json_int_t)r->hunks));
	json_object_set_new(root, "failed",
			    json_integer((json_int_t)r->hunks_failed));
	json_object_set_new(root, "already_applied",
			    json_integer((json_int_t)r->hunks_already));
	json_object_set_new(root, "files", files);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
}

/* ---- advisories: secport apply --tree DIR ID... | --needed ------------- */

struct adv_print {
	int json, quiet, dry_run;
};

static int seen(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

/* Report one advisory's result (text, or a JSON object appended to
 * jadvs); sname[i] names patch i's series file or is NULL. */
static void print_advisory(const struct adv_print *pr,
			   const struct advapply_result *r, char **sname,
			   json_t *jadvs)
{
	const struct status_advisory *adv = r->adv;
	json_t *jo = json_object(), *jps = json_array();

	if (!pr->json && !pr->quiet)
		printf("%s: %s\n", adv->id,
		       adv->nr ? adv->patches[0].subject : "(no patches)");
	for (size_t i = 0; i < r->nr; i++) {
		const struct advapply_patch *ap = &r->patches[i];
		const struct status_patch *p = ap->sp;
		int skipped = ap->state == ADVAPPLY_SKIPPED;
		int bad = skipped || ap->state == ADVAPPLY_FAILED;
		json_t *jp = json_object();

		if (!pr->json && (!pr->quiet || bad)) {
			printf(" %s: %s%s\n", p->name,
			       advapply_state_name(ap->state, pr->dry_run),
			       skipped ? " (an earlier patch of the advisory "
					 "failed)" : "");
			if (!skipped)
				print_files(&ap->rep, "   ");
		}
		json_object_set_new(jp, "patch", json_text(p->name));
		if (p->has_commit) {
			char hex[41];

			git_oid_tostr(hex, sizeof(hex), &p->commit);
			json_object_set_new(jp, "commit", json_string(hex));
		} else {
			json_object_set_new(jp, "commit", json_null());
		}
		json_object_set_new(jp, "state",
				    json_string(advapply_state_name(ap->state,
								    pr->dry_run)));
		json_object_set_new(jp, "series_file",
				    sname && sname[i] ? json_text(sname[i])
						      : json_null());
		json_object_set_new(jp, "files", skipped ? json_array()
							 : files_json(&ap->rep));
		json_array_append_new(jps, jp);
	}
	json_object_set_new(jo, "id", json_text(adv->id));
	json_object_set_new(jo, "subject",
			    adv->nr ? json_text(adv->patches[0].subject)
				    : json_null());
	json_object_set_new(jo, "state",
			    json_string(advapply_result_state(r)));
	json_object_set_new(jo, "patches", jps);
	json_array_append_new(jadvs, jo);
}

static int apply_advisories(const struct adv_print *pr,
			    const struct advapply_options *aopts,
			    const char *series_dir, char **args, size_t nargs,
			    int needed, const char *opt_release)
{
	struct repo repo = { 0 };
	struct index ix = { 0 };
	struct advapply run = ADVAPPLY_INIT;
	struct advapply_series series = ADVAPPLY_SERIES_INIT;
	struct strlist ids = STRLIST_INIT;
	struct status_advisory *advs = NULL;
	char *release = NULL;
	const char *from = NULL, *tree = aopts->tree;
	json_t *jadvs = json_array();
	size_t nr = 0;
	int ret = EXIT_FATAL, have_repo = 0, have_ix = 0;

	gitutil_init();
	if (repo_open(&repo, "."))
		goto done;
	have_repo = 1;
	if (index_open_repo(&ix, &repo))
		goto done;
	have_ix = 1;
	for (size_t i = 0; i < nargs; i++) {
		char *id;

		if (advisory_find(&repo, args[i], &id))
			goto done;
		if (!seen(&ids, id))
			strlist_add(&ids, id);
		free(id);
	}
	if (needed) {
		if (opt_release)
			release = xstrdup(opt_release);
		else
			status_tree_release(&release, &from, tree);
		if (!release) {
			error("cannot tell the release of '%s': no kernel "
			      "Makefile or xen/Makefile; use --release",
			      tree);
			goto done;
		}
		if (advapply_needed(&ids, &repo, &ix, release))
			goto done;
	}
	advs = xcalloc(ids.nr ? ids.nr : 1, sizeof(*advs));
	for (size_t i = 0; i < ids.nr; i++)
		if (status_load_advisory(&advs[nr++], &repo, &ix,
					 ids.items[i]))
			goto done;
	status_sort(advs, nr);
	if (advapply_init(&run, aopts))
		goto done;
	if (series_dir && fileio_mkdirs(series_dir))
		goto done;
	if (needed && !pr->json && !pr->quiet)
		printf("release %s%s%s%s: %zu advisories needed\n", release,
		       from ? " (from " : "", from ? from : "", from ? ")" : "",
		       nr);
	for (size_t i = 0; i < nr; i++) {
		struct advapply_result r = ADVAPPLY_RESULT_INIT;
		char **sname = xcalloc(advs[i].nr + 1, sizeof(*sname));
		size_t before = series.names.nr;
		int err = advapply_advisory(&r, &run, &advs[i]);

		if (!err && series_dir) {
			advapply_series_add(&series, &r, "", 0);
			for (size_t p = 0, k = before; p < r.nr; p++)
				if (r.patches[p].state == ADVAPPLY_APPLIED &&
				    r.patches[p].diff.len)
					sname[p] = series.names.items[k++];
		}
		if (!err)
			print_advisory(pr, &r, sname, jadvs);
		free(sname);
		advapply_result_release(&r);
		if (err)
			goto done;
	}
	if (series_dir && advapply_series_write(&series, series_dir, 1))
		goto done;
	if (pr->json) {
		json_t *root = json_object();

		json_object_set_new(root, "tree", json_text(tree));
		json_object_set_new(root, "release",
				    release ? json_text(release) : json_null());
		json_object_set_new(root, "dry_run", json_boolean(pr->dry_run));
		json_object_set_new(root, "applied",
				    json_boolean(!run.failed && !run.skipped));
		json_object_set_new(root, "series",
				    series_dir ? json_text(series_dir)
					       : json_null());
		json_object_set_new(root, "advisories", jadvs);
		jadvs = NULL;
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(root);
	} else if (!pr->quiet || run.failed || run.skipped) {
		printf("%s %zu patches, %zu already applied, %zu failed, "
		       "%zu skipped%s%s\n",
		       pr->dry_run ? "would apply" : "applied", run.applied,
		       run.already, run.failed, run.skipped,
		       series_dir ? "; series in " : "",
		       series_dir ? series_dir : "");
	}
	ret = run.failed || run.skipped ? EXIT_NEGATIVE : 0;
done:
	json_decref(jadvs);
	advapply_release(&run);
	advapply_series_release(&series);
	for (size_t i = 0; i < nr; i++)
		status_advisory_release(&advs[i]);
	free(advs);
	strlist_clear(&ids);
	if (have_ix)
		index_close(&ix);
	if (have_repo)
		repo_release(&repo);
	free(release);
	return ret;
}

int cmd_apply(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "patch", required_argument, NULL, 'P' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "partial", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "series", required_argument, NULL, 's' },
		{ "needed", no_argument, NULL, 'N' },
		{ "release", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct apply_options opts = APPLY_OPTIONS_INIT;
	struct apply_report report = APPLY_REPORT_INIT;
	struct patch patch = PATCH_INIT;
	struct strbuf text = STRBUF_INIT;
	const char *tree = NULL, *patch_path = NULL, *series_dir = NULL;
	const char *release = NULL;
	int strip = 1, json = 0, quiet = 0, needed = 0, strip_set = 0, c, ret;
	char *end;

	while ((c = getopt_long(argc, argv, "p:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			tree = optarg;
			break;
		case 'P':
			patch_path = optarg;
			break;
		case 'p':
			errno = 0;
			strip = (int)strtol(optarg, &end, 10);
			if (*end || errno || strip < 0 || strip > 1000) {
				error("-p wants a number, not '%s'", optarg);
				return cmd_usage("apply", 0);
			}
			strip_set = 1;
			break;
		case 's':
			series_dir = optarg;
			break;
		case 'N':
			needed = 1;
			break;
		case 'R':
			release = optarg;
			break;
		case 'n':
			opts.dry_run = 1;
			break;
		case 'r':
			opts.partial = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			usage_quiet = 1;
			break;
		case 'h':
			return cmd_usage("apply", 1);
		default:
			return cmd_usage("apply", 0);
		}
	}
	if (!patch_path) {
		struct advapply_options aopts = ADVAPPLY_OPTIONS_INIT;
		struct adv_print pr = { json, quiet, opts.dry_run };

		if (!tree || (optind == argc && !needed)) {
			error("--tree and --patch, advisory ids or --needed "
			      "are required");
			return cmd_usage("apply", 0);
		}
		if (optind < argc && needed) {
			error("give advisory ids or --needed, not both");
			return cmd_usage("apply", 0);
		}
		if (opts.partial || strip_set) {
			error("--partial and -p go with --patch only");
			return cmd_usage("apply", 0);
		}
		if (release && !needed) {
			error("--release goes with --needed");
			return cmd_usage("apply", 0);
		}
		aopts.tree = tree;
		aopts.dry_run = opts.dry_run;
		aopts.series = series_dir != NULL;
		return apply_advisories(&pr, &aopts, series_dir, argv + optind,
					(size_t)(argc - optind), needed,
					release);
	}
	if (optind < argc) {
		error("unexpected argument '%s'", argv[optind]);
		return cmd_usage("apply", 0);
	}
	if (!tree || series_dir || needed || release) {
		error(tree ? "--series, --needed and --release go with "
			     "advisories, not --patch"
			   : "--tree is required");
		return cmd_usage("apply", 0);
	}
	if (read_patch(&text, patch_path)) {
		ret = EXIT_FATAL;
		goto done;
	}
	if (patch_parse(&patch, text.buf, text.len, patch_path, strip)) {
		ret = EXIT_FATAL;
		goto done;
	}
	ret = apply_patch(&report, tree, &patch, &opts);
	if (ret < 0) {
		ret = EXIT_FATAL;
		goto done;
	}
	for (size_t i = 0; i < report.nr; i++)
		if (report.files[i].pf->is_binary)
			error("binary patch for '%s' cannot be applied",
			      patch_file_path(report.files[i].pf));
	if (json)
		print_json(&report, ret, opts.dry_run);
	else if (!quiet || ret)
		print_text(&report, ret, opts.dry_run);
	ret = ret ? EXIT_NEGATIVE : 0;
done:
	apply_report_release(&report);
	patch_release(&patch);
	strbuf_release(&text);
	return ret;
}
