/*
 * series: turn what apply placed into plain patches a quilt series can
 * carry.
 *
 * Each patch is regenerated from the apply report: for every file, the
 * diff between the tree's file before and the placed result (libgit2's
 * git_patch_from_buffers, 3 lines of context), so `patch -p1 --fuzz=0` and
 * `quilt push` apply it to the same tree exactly.  New and deleted files
 * use /dev/null; a rename becomes a deletion plus a creation (GNU patch and
 * quilt handle both without git extensions); mode-only changes are left
 * out.  The DEP-3 header (Description, Author, Origin, Bug,
 * Applied-Upstream) comes from the advisory's mail; Last-Update is omitted
 * so the output is byte-for-byte repeatable.  Cost: one diff per file.
 */
#ifndef SECPORT_SERIES_H
#define SECPORT_SERIES_H

#include "apply.h"
#include "status.h"
#include "strbuf.h"

/*
 * Append the regenerated diff of every file of rep that changed (apply
 * status APPLY_OK) to out.  Returns 0, or -1 having reported a libgit2
 * failure.
 */
int series_diff(struct strbuf *out, const struct apply_report *rep);

/*
 * Append the DEP-3 header of patch p of advisory id, ending with a "---"
 * line.  adapted says the placement changed the patch beyond line offsets
 * (Origin then says "backport" instead of "upstream").
 */
void series_header(struct strbuf *out, const struct status_patch *p,
		   const char *id, int adapted);

/* Did placing rep need more than exact text at an offset (whitespace,
 * fuzz, realignment, a moved file)? */
int series_adapted(const struct apply_report *rep);

#endif
