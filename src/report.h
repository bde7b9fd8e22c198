/*
 * report: the static HTML site of a patch repository, for people and for
 * print: no server, no JavaScript.
 *
 *   index.html                 the matrix of advisories x releases, grouped
 *                              by series, one letter and one colour per
 *                              cell (V v F B ·), and the advisory list
 *   advisories/<ID>.html       one page per advisory: subject, aliases,
 *                              introducers, fixes, backports per branch,
 *                              the releases needing it, its patches
 *   advisories/<ID>/NNNN-<slug>.patch  the patches, copied so links work offline
 *   streams/<NAME>.html        one page per configured [stream "NAME"]
 *                              (none when no stream is configured)
 *   style.css print.css        screen and print style sheets
 *   .secport-report            marks the directory as ours (see below)
 *
 * Inputs: the verdicts (affected.h, as loaded), the records and patches of
 * the repository, commit subjects from the index, stream settings from
 * secport.conf.  Everything taken from records, commits, tags or the
 * configuration is HTML-escaped.  Advisories under embargo are left out
 * entirely (no page, no row, no patch) unless include_embargoed is set.
 * The output is deterministic: the same inputs give the same bytes.
 *
 * The site is built in a sibling temporary directory and renamed into
 * place, so a reader never sees half a report and nothing of an earlier
 * run (an advisory since embargoed, say) survives.  An existing output
 * directory is replaced only when it is empty or an earlier report.
 * Cost: O(advisories x releases) time and output (about 25 bytes a cell
 * in index.html), plus the size of the patches; memory: one advisory page
 * at a time, index.html in parts of about 1 MB.
 */
#ifndef SECPORT_REPORT_H
#define SECPORT_REPORT_H

#include "affected.h"
#include "index.h"
#include "repo.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct report_options {
	const char *dir;       /* output directory */
	int include_embargoed; /* write embargoed advisories too */
	time_t now;            /* for embargo dates (embargo_now()) */
};
#define REPORT_OPTIONS_INIT { NULL, 0, 0 }

struct report_stats {
	size_t advisories; /* advisories written */
	size_t withheld;   /* advisories left out for their embargo */
	size_t streams;    /* stream pages written */
	size_t pages;      /* HTML files written */
	size_t patches;    /* patch files copied */
	uint64_t bytes;    /* total bytes written */
};

/*
 * Write the report of the advisories of a (affected_load() on every
 * advisory of repo; ix is the index it came from, for commit subjects) to
 * opts->dir.  *out (may be NULL) is filled with counts.  Returns 0, or -1
 * having reported the error; opts->dir is then left as it was.
 */
int report_write(struct report_stats *out, const struct repo *repo,
		 struct index *ix, const struct affected *a,
		 const struct report_options *opts);

/* Append s HTML-escaped (& < > " '), for text and attribute values. */
void report_escape(struct strbuf *out, const char *s);

#endif
