/*
 * secport apply: apply a patch to a source tree with no history, placing
 * each hunk where it belongs or refusing; see secport-apply(1).
 */
#include "advisory.h"
#include "affected.h"
#include "apply.h"
#include "banned.h"
#include "cmd.h"
#include "fileio.h"
#include "index.h"
#include "jsonutil.h"
#include "repo.h"
#include "series.h"
#include "status.h"
#include "patch.h"
#include "place.h"
#include "strbuf.h"
#include "usage.h"

#include <errno.h>
#include <ftw.h>
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
		break;
	}
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
	json_object_set_new(o, "line", json_integer(r->pos + 1));
	json_object_set_new(o, "offset", json_integer(r->offset));
	json_object_set_new(o, "score", json_real(r->score));
	a = json_array();
	for (size_t f = 0; f < r->fuzzed_nr; f++)
		json_array_append_new(a, json_integer((json_int_t)r->fuzzed[f] + 1));
	json_object_set_new(o, "fuzzed_lines", a);
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

struct adv_run {
	const char *tree;
	char *stage;            /* --dry-run: scratch copies, or NULL */
	struct strlist touched; /* paths already copied into stage */
	const char *series_dir; /* or NULL */
	struct strbuf series;   /* the series file's text */
	int json, quiet, dry_run;
	size_t applied, already, failed, skipped;
};

static int seen(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return 1;
	return 0;
}

/* Copy the tree's regular file rel into the stage (nothing when the tree
 * has none).  rel was checked by apply_patch on the tree first. */
static int stage_copy(struct adv_run *run, const char *rel)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, data = STRBUF_INIT;
	struct stat st;
	int ret = 0;
	char *slash;

	if (seen(&run->touched, rel))
		return 0;
	strlist_add(&run->touched, rel);
	strbuf_addf(&from, "%s/%s", run->tree, rel);
	if (lstat(from.buf, &st) || !S_ISREG(st.st_mode))
		goto done;
	if (strbuf_read_file(&data, from.buf, APPLY_MAX_FILE)) {
		ret = error("cannot read '%s': %s", from.buf, strerror(errno));
		goto done;
	}
	strbuf_addf(&to, "%s/%s", run->stage, rel);
	slash = strrchr(to.buf, '/');
	*slash = '\0';
	if (fileio_mkdirs(to.buf)) {
		ret = -1;
		goto done;
	}
	*slash = '/';
	if (fileio_write_atomic(to.buf, data.buf, data.len, NULL) ||
	    chmod(to.buf, st.st_mode & 07777)) {
		ret = error("cannot write '%s'", to.buf);
		goto done;
	}
done:
	strbuf_release(&from);
	strbuf_release(&to);
	strbuf_release(&data);
	return ret;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

/*
 * Apply one patch: to the tree, or, in a dry run, to the stage after
 * copying the files it touches there (checked against the tree first, so
 * the paths are safe and moved files are found), so later patches see the
 * earlier ones.  Returns apply_patch's answer.
 */
static int apply_one(struct apply_report *rep, struct adv_run *run,
		     const struct patch *p)
{
	struct apply_options opts = APPLY_OPTIONS_INIT;
	struct apply_report probe = APPLY_REPORT_INIT;
	int ret;

	if (!run->stage)
		return apply_patch(rep, run->tree, p, &opts);
	opts.dry_run = 1;
	ret = apply_patch(&probe, run->tree, p, &opts);
	for (size_t i = 0; ret >= 0 && i < probe.nr; i++) {
		const struct apply_file *af = &probe.files[i];

		if ((af->target && stage_copy(run, af->target)) ||
		    (af->pf->old_path && stage_copy(run, af->pf->old_path)) ||
		    (af->pf->new_path && stage_copy(run, af->pf->new_path)))
			ret = -1;
	}
	apply_report_release(&probe);
	if (ret < 0)
		return ret;
	opts.dry_run = 0;
	return apply_patch(rep, run->stage, p, &opts);
}

static const char *patch_state(int ret, const struct apply_report *rep,
			       int dry_run)
{
	if (ret)
		return "failed";
	for (size_t i = 0; i < rep->nr; i++)
		if (rep->files[i].status != APPLY_ALREADY)
			return dry_run ? "would apply" : "applied";
	return "already applied";
}

/* Write the regenerated patch into the series directory. */
static int series_add(struct adv_run *run, const struct status_advisory *adv,
		      const struct status_patch *p,
		      const struct apply_report *rep, char **name_out)
{
	struct strbuf text = STRBUF_INIT, diff = STRBUF_INIT;
	struct strbuf name = STRBUF_INIT, path = STRBUF_INIT;
	int ret = 0;

	*name_out = NULL;
	if (series_diff(&diff, rep)) {
		ret = -1;
		goto done;
	}
	if (!diff.len)
		goto done;
	series_header(&text, p, adv->id, series_adapted(rep));
	strbuf_add(&text, diff.buf, diff.len);
	strbuf_addf(&name, "%s-%s", adv->id, p->name);
	strbuf_addf(&path, "%s/%s", run->series_dir, name.buf);
	if (fileio_write_atomic(path.buf, text.buf, text.len, NULL)) {
		ret = -1;
		goto done;
	}
	strbuf_addf(&run->series, "%s\n", name.buf);
	*name_out = strbuf_detach(&name, NULL);
done:
	strbuf_release(&text);
	strbuf_release(&diff);
	strbuf_release(&name);
	strbuf_release(&path);
	return ret;
}

static int apply_advisory(struct adv_run *run,
			  const struct status_advisory *adv, json_t *jadvs)
{
	json_t *jo = json_object(), *jps = json_array();
	size_t failed = 0, applied = 0;
	int broken = 0, ret = 0;

	if (!run->json && !run->quiet)
		printf("%s: %s\n", adv->id,
		       adv->nr ? adv->patches[0].subject : "(no patches)");
	for (size_t i = 0; i < adv->nr; i++) {
		const struct status_patch *p = &adv->patches[i];
		struct apply_report rep = APPLY_REPORT_INIT;
		const char *state = "skipped";
		char *sname = NULL;
		json_t *jp = json_object();
		int r = 1;

		if (!broken) {
			r = apply_one(&rep, run, &p->patch);
			if (r < 0) {
				apply_report_release(&rep);
				json_decref(jp);
				ret = -1;
				break;
			}
			state = patch_state(r, &rep, run->dry_run);
			if (!r && run->series_dir &&
			    series_add(run, adv, p, &rep, &sname)) {
				apply_report_release(&rep);
				json_decref(jp);
				ret = -1;
				break;
			}
		}
		if (broken)
			run->skipped++;
		else if (r)
			run->failed++;
		else if (!strcmp(state, "already applied"))
			run->already++;
		else
			run->applied++;
		failed += r != 0;
		applied += !r;
		if (!run->json && (!run->quiet || r)) {
			printf(" %s: %s%s\n", p->name, state,
			       broken ? " (an earlier patch of the advisory "
					"failed)" : "");
			if (!broken)
				print_files(&rep, "   ");
		}
		json_object_set_new(jp, "patch", json_text(p->name));
		if (p->has_commit) {
			char hex[41];

			git_oid_tostr(hex, sizeof(hex), &p->commit);
			json_object_set_new(jp, "commit", json_string(hex));
		} else {
			json_object_set_new(jp, "commit", json_null());
		}
		json_object_set_new(jp, "state", json_string(state));
		json_object_set_new(jp, "series_file",
				    sname ? json_text(sname) : json_null());
		json_object_set_new(jp, "files", broken ? json_array()
							: files_json(&rep));
		json_array_append_new(jps, jp);
		broken |= r != 0;
		free(sname);
		apply_report_release(&rep);
	}
	json_object_set_new(jo, "id", json_text(adv->id));
	json_object_set_new(jo, "subject",
			    adv->nr ? json_text(adv->patches[0].subject)
				    : json_null());
	json_object_set_new(jo, "state",
			    json_string(!failed ? "applied"
					: applied ? "partial" : "failed"));
	json_object_set_new(jo, "patches", jps);
	json_array_append_new(jadvs, jo);
	return ret;
}

/* The advisories the tree's release needs (affected.h). */
static int needed_ids(struct strlist *out, const struct repo *repo,
		      struct index *ix, const char *release)
{
	struct affected aff = AFFECTED_INIT;
	long rel;
	int ret = 0;

	if (affected_load(&aff, repo, ix, NULL, 0))
		return -1;
	rel = affected_find_release(&aff, release);
	if (rel < 0) {
		ret = error("unknown release '%s': not a scanned release tag",
			    release);
		goto done;
	}
	for (size_t a = 0; a < aff.nr; a++)
		if (affected_verdicts(&aff, a)[rel].state == REACH_VULNERABLE)
			strlist_add(out, aff.advs[a].id);
done:
	affected_release(&aff);
	return ret;
}

static int apply_advisories(struct adv_run *run, char **args, size_t nargs,
			    int needed, const char *opt_release)
{
	struct repo repo = { 0 };
	struct index ix = { 0 };
	struct strlist ids = STRLIST_INIT;
	struct status_advisory *advs = NULL;
	char *ixpath = NULL, *release = NULL;
	const char *from = NULL;
	json_t *jadvs = json_array();
	size_t nr = 0;
	int ret = EXIT_FATAL, have_repo = 0, have_ix = 0;

	if (repo_open(&repo, "."))
		goto done;
	have_repo = 1;
	ixpath = repo_path(&repo, ".secport/index.sqlite");
	if (index_open(&ix, ixpath))
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
			status_tree_release(&release, &from, run->tree);
		if (!release) {
			error("cannot tell the release of '%s': no kernel "
			      "Makefile or xen/Makefile; use --release",
			      run->tree);
			goto done;
		}
		if (needed_ids(&ids, &repo, &ix, release))
			goto done;
	}
	advs = xcalloc(ids.nr ? ids.nr : 1, sizeof(*advs));
	for (size_t i = 0; i < ids.nr; i++)
		if (status_load_advisory(&advs[nr++], &repo, &ix,
					 ids.items[i]))
			goto done;
	status_sort(advs, nr);
	if (run->dry_run) {
		struct strbuf t = STRBUF_INIT;
		const char *tmp = getenv("TMPDIR");

		strbuf_addf(&t, "%s/secport-stage.XXXXXX",
			    tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(t.buf)) {
			error("cannot create a scratch directory '%s': %s",
			      t.buf, strerror(errno));
			strbuf_release(&t);
			goto done;
		}
		run->stage = strbuf_detach(&t, NULL);
	}
	if (run->series_dir && fileio_mkdirs(run->series_dir))
		goto done;
	if (needed && !run->json && !run->quiet)
		printf("release %s%s%s%s: %zu advisories needed\n", release,
		       from ? " (from " : "", from ? from : "", from ? ")" : "",
		       nr);
	for (size_t i = 0; i < nr; i++)
		if (apply_advisory(run, &advs[i], jadvs))
			goto done;
	if (run->series_dir) {
		struct strbuf path = STRBUF_INIT;
		int err;

		strbuf_addf(&path, "%s/series", run->series_dir);
		err = fileio_write_atomic(path.buf, run->series.buf,
					  run->series.len, NULL);
		strbuf_release(&path);
		if (err)
			goto done;
	}
	if (run->json) {
		json_t *root = json_object();

		json_object_set_new(root, "tree", json_text(run->tree));
		json_object_set_new(root, "release",
				    release ? json_text(release) : json_null());
		json_object_set_new(root, "dry_run", json_boolean(run->dry_run));
		json_object_set_new(root, "applied",
				    json_boolean(!run->failed && !run->skipped));
		json_object_set_new(root, "series",
				    run->series_dir ? json_text(run->series_dir)
						    : json_null());
		json_object_set_new(root, "advisories", jadvs);
		jadvs = NULL;
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(root);
	} else if (!run->quiet || run->failed || run->skipped) {
		printf("%s %zu patches, %zu already applied, %zu failed, "
		       "%zu skipped%s%s\n",
		       run->dry_run ? "would apply" : "applied", run->applied,
		       run->already, run->failed, run->skipped,
		       run->series_dir ? "; series in " : "",
		       run->series_dir ? run->series_dir : "");
	}
	ret = run->failed || run->skipped ? EXIT_NEGATIVE : 0;
done:
	json_decref(jadvs);
	if (run->stage)
		nftw(run->stage, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < nr; i++)
		status_advisory_release(&advs[i]);
	free(advs);
	strlist_clear(&ids);
	if (have_ix)
		index_close(&ix);
	if (have_repo)
		repo_release(&repo);
	free(ixpath);
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
		struct adv_run run = { 0 };

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
		run.tree = tree;
		run.series_dir = series_dir;
		strbuf_init(&run.series, 0);
		run.json = json;
		run.quiet = quiet;
		run.dry_run = opts.dry_run;
		ret = apply_advisories(&run, argv + optind,
				       (size_t)(argc - optind), needed,
				       release);
		strlist_clear(&run.touched);
		strbuf_release(&run.series);
		free(run.stage);
		return ret;
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
