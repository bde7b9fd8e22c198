/*
 * advapply: apply whole advisories to a source tree, patch by patch, in the
 * order given (status_sort gives upstream order).
 *
 * Each patch of an advisory goes through apply_patch (apply.h), all or
 * nothing per patch; once one patch of an advisory fails, its later patches
 * are skipped.  In a dry run the patches go to a scratch copy (the stage)
 * of the files they touch, so later patches see the earlier ones while the
 * tree is never written.  With opts.series every patch that changed
 * something is also regenerated against the tree as it was (series.h), for
 * a quilt series.  Nothing here prints: every advisory gives an
 * advapply_result that the caller reports.  Cost: apply_patch's, plus one
 * copy of each touched file in a dry run; the reports of one advisory are
 * held until the caller releases them.
 */
#ifndef SECPORT_ADVAPPLY_H
#define SECPORT_ADVAPPLY_H

#include "apply.h"
#include "index.h"
#include "repo.h"
#include "status.h"
#include "strbuf.h"

#include <stddef.h>

struct advapply_options {
	const char *tree; /* the target directory */
	int dry_run;      /* apply to the stage, never to the tree */
	int series;       /* regenerate each applied patch (diff, adapted) */
};
#define ADVAPPLY_OPTIONS_INIT { NULL, 0, 0 }

enum advapply_state {
	ADVAPPLY_APPLIED = 0, /* placed (written, or staged in a dry run) */
	ADVAPPLY_ALREADY,     /* every file already had it */
	ADVAPPLY_FAILED,      /* some hunk or file failed: nothing written */
	ADVAPPLY_SKIPPED,     /* an earlier patch of the advisory failed */
};

/* "applied" ("would apply" in a dry run), "already applied", "failed",
 * "skipped". */
const char *advapply_state_name(enum advapply_state s, int dry_run);

struct advapply_patch {
	const struct status_patch *sp; /* borrowed from the advisory */
	enum advapply_state state;
	struct apply_report rep; /* empty when skipped; borrows sp->patch */
	struct strbuf diff;      /* opts.series: regenerated, "" if no change */
	int adapted;             /* placement went beyond offsets */
};

struct advapply_result {
	const struct status_advisory *adv; /* borrowed */
	struct advapply_patch *patches;    /* one per patch of adv */
	size_t nr, failed;                 /* failed or skipped patches */
};
#define ADVAPPLY_RESULT_INIT { NULL, NULL, 0, 0 }

/* "applied", "partial" or "failed" (the patches that did not apply). */
const char *advapply_result_state(const struct advapply_result *r);

struct advapply {
	struct advapply_options opts;
	char *stage;            /* dry run: the scratch directory */
	struct strlist touched; /* paths already copied into the stage */
	size_t applied, already, failed, skipped; /* patches so far */
};
#define ADVAPPLY_INIT { ADVAPPLY_OPTIONS_INIT, NULL, STRLIST_INIT, 0, 0, 0, 0 }

/*
 * Start a run on opts->tree (copied; the strings stay the caller's).  A
 * dry run creates its stage under $TMPDIR.  Returns 0, or -1 having
 * reported.  Release with advapply_release (removes the stage), also after
 * an error.
 */
int advapply_init(struct advapply *run, const struct advapply_options *opts);
void advapply_release(struct advapply *run);

/*
 * Apply every patch of adv.  out (release with advapply_result_release
 * before adv) says what happened to each; the run's counters grow.  A
 * failed patch is an answer, not an error: returns 0, or -1 having
 * reported an error (an unsafe path, I/O, libgit2).
 */
int advapply_advisory(struct advapply_result *out, struct advapply *run,
		      const struct status_advisory *adv);
void advapply_result_release(struct advapply_result *r);

/* The advisories the release tag needs (affected verdict vulnerable),
 * appended to out.  Returns 0, or -1 having reported (unknown release). */
int advapply_needed(struct strlist *out, const struct repo *repo,
		    struct index *ix, const char *release);

/* A quilt series being built: file names (relative to the series
 * directory, may hold a '/') and their texts, in order. */
struct advapply_series {
	struct strlist names;
	struct strbuf *texts;
	size_t alloc;
};
#define ADVAPPLY_SERIES_INIT { STRLIST_INIT, NULL, 0 }

/*
 * Add the applied patches of r (opts.series) to s, each with its DEP-3
 * header.  name_prefix goes before every file name ("" or "secport/").
 * With redact, the advisory's id, aliases, subject, author and commits
 * appear nowhere: the files are "<prefix>security-fix-<redact>-NNNN.patch"
 * with the header "Description: security fix, details embargoed";
 * otherwise "<prefix><ID>-<patch file name>" with series_header's header.
 */
void advapply_series_add(struct advapply_series *s,
			 const struct advapply_result *r,
			 const char *name_prefix, size_t redact);
/* Write every patch under dir (creating directories), and, with
 * write_series, dir/series listing them.  Returns 0 or -1 having
 * reported. */
int advapply_series_write(const struct advapply_series *s, const char *dir,
			  int write_series);
void advapply_series_release(struct advapply_series *s);

#endif
