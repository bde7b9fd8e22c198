/*
 * secport apply: apply a patch to a source tree with no history, placing
 * each hunk where it belongs or refusing; see secport-apply(1).
 */
#include "apply.h"
#include "banned.h"
#include "cmd.h"
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

static const char *status_name(enum apply_status s)
{
	return s == APPLY_OK ? "ok" : s == APPLY_ALREADY ? "already applied"
							: "failed";
}

static int read_patch(struct strbuf *sb, const char *path)
{
	if (strcmp(path, "-")) {
		if (strbuf_read_file(sb, path, PATCH_MAX_SIZE))
			return error("cannot read patch '%s': %s", path,
				     strerror(errno));
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

static void print_text(const struct apply_report *r, int ret, int dry_run)
{
	for (size_t i = 0; i < r->nr; i++) {
		const struct apply_file *af = &r->files[i];
		const char *path = patch_file_path(af->pf);

		printf("%s", af->target ? af->target : path);
		if (af->moved)
			printf(" (patch names '%s')", path);
		printf(": %s", status_name(af->status));
		if (af->reason)
			printf(": %s", af->reason);
		putchar('\n');
		for (size_t j = 0; j < af->nr; j++)
			print_hunk(&af->pf->hunks[j], j, &af->hunks[j]);
	}
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

static void print_json(const struct apply_report *r, int ret, int dry_run)
{
	json_t *root = json_object(), *files = json_array();

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

int cmd_apply(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "patch", required_argument, NULL, 'P' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "partial", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct apply_options opts = APPLY_OPTIONS_INIT;
	struct apply_report report = APPLY_REPORT_INIT;
	struct patch patch = PATCH_INIT;
	struct strbuf text = STRBUF_INIT;
	const char *tree = NULL, *patch_path = NULL;
	int strip = 1, json = 0, quiet = 0, c, ret;
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
	if (optind < argc) {
		error("unexpected argument '%s'", argv[optind]);
		return cmd_usage("apply", 0);
	}
	if (!tree || !patch_path) {
		error("--tree and --patch are required");
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
