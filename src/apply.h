/*
 * apply: apply a parsed patch to a plain directory (no history needed).
 *
 * Every hunk is placed with place_hunk against the file as it is; only when
 * every hunk of every file placed are the results written, each to a
 * temporary file beside its target and then renamed over it, so a failure
 * leaves the tree untouched (with opts.partial the placed files are written
 * and the rest reported in NAME.rej).  Paths are checked before anything is
 * read: absolute paths, `..`, `.git` and symbolic links leading out of the
 * tree are refused.  A file missing at its path is looked for under the
 * same name elsewhere in the tree (moved headers) and used when exactly one
 * such file takes every hunk.  Words one C file of the patch shows
 * drifted (adapt.h) are the tree's spelling for its other C files under
 * the same top-level directory: those whose added lines have such a word
 * are placed again knowing it (twice the placing time for them).
 * Memory: the touched files, twice.
 */
#ifndef SECPORT_APPLY_H
#define SECPORT_APPLY_H

#include "patch.h"
#include "place.h"
#include "strbuf.h"

/* Largest file read from the tree. */
#define APPLY_MAX_FILE (256u << 20)

struct apply_options {
	int dry_run; /* place and report, write nothing */
	int partial; /* write what placed, NAME.rej for the rest */
};

#define APPLY_OPTIONS_INIT { 0, 0 }

enum apply_status {
	APPLY_OK = 0,     /* every hunk placed */
	APPLY_ALREADY,    /* every hunk already applied */
	APPLY_FAILED,     /* some hunk or the file itself failed */
};

struct apply_file {
	const struct patch_file *pf; /* borrowed from the patch */
	char *target;                /* path used in the tree */
	int moved;                   /* target found elsewhere */
	enum apply_status status;
	const char *reason;          /* file-level failure, static text */
	char *tried;                 /* not in the tree: the file of its name
					(else that holds its code) that took
					the most hunks (not all) */
	size_t tried_placed;         /* how many */
	int tried_by_text;           /* tried has its code, not its name */
	struct place_result *hunks;  /* one per hunk of pf */
	size_t nr;
	/* the file's text and lines (the placements point into them) */
	struct strbuf content;
	struct place_line *line;
	size_t line_nr;
	int crlf, final_eol, exists;
	int not_regular;      /* the path is a directory or special file */
	struct strbuf result; /* new content */
	int written;
	/* the words the patch's files showed drifted (adapt.h): shared is
	 * apply_patch's, borrowed while it runs; taught, owned, is what
	 * this file taught itself */
	struct adapt_vocab *shared, *taught;
};

struct apply_report {
	struct apply_file *files;
	size_t nr;
	size_t hunks, hunks_failed, hunks_already;
	int written; /* something was written to the tree */
};

#define APPLY_REPORT_INIT { 0 }

/*
 * Apply p to the tree at dir.  Returns 0 when every hunk placed (and, unless
 * dry_run, the tree was updated), 1 when some did not (nothing written,
 * or with partial what placed), -1 on an error already reported (unsafe
 * path, I/O).  out is filled in all cases; release it with
 * apply_report_release (it borrows from p: release it first).
 */
int apply_patch(struct apply_report *out, const char *dir,
		const struct patch *p, const struct apply_options *opts);
void apply_report_release(struct apply_report *r);

#endif
