/*
 * export: the public outputs of the patch repository, written to a
 * directory: CVE JSON 5 records, OSV files, OpenVEX documents, a CSV of
 * the verdicts, or the published patch repository.
 *
 * Inputs: the records (record.h), the verdicts of every advisory in every
 * release (affected.h, from the index: no git object is read), the commit
 * author dates of the index, and secport.conf:
 *   source.<name>.url        git URL of the source (OSV and CVE "repo");
 *                            default: source.<name>.path
 *   source.<name>.commitUrl  web URL of a commit, "%s" standing for its
 *                            full id: fix references; none by default
 *   export.assignerOrgId     CVE assigner / provider UUID (default
 *                            00000000-0000-4000-8000-000000000000)
 *   export.vendor            CVE vendor (default: the source name)
 *   export.author            OpenVEX author (default "secport")
 * Embargoed advisories (embargo.h) are left out unless include_embargoed.
 *
 * Output is a function of the repository only (no clock, no host name):
 * the same repository gives byte-identical files.  DIR holds one export;
 * DIR/.secport-export lists its files, so the next export into DIR
 * removes what it no longer writes (an advisory embargoed again
 * disappears) and never touches a directory that is not an export.
 *
 * Costs: affected_load() (see affected.h), plus for CVE records one
 * ancestry walk per fix commit (bounded below by the oldest introducer),
 * O(commits) memory for its marks.
 */
#ifndef SECPORT_EXPORT_H
#define SECPORT_EXPORT_H

#include "affected.h"
#include "index.h"
#include "record.h"
#include "repo.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum export_format {
	EXPORT_CVE5,
	EXPORT_OSV,
	EXPORT_OPENVEX,
	EXPORT_CSV,
	EXPORT_PATCHES,
};

struct export_options {
	enum export_format format;
	const char *dir;	/* output directory, created when missing */
	int include_embargoed;
	time_t now;		/* for the embargo dates (embargo_now) */
	const char *stream;	/* openvex: one document for this stream */
};
#define EXPORT_OPTIONS_INIT { EXPORT_CVE5, NULL, 0, 0, NULL }

struct export_stats {
	size_t advisories; /* advisories exported */
	size_t embargoed;  /* advisories left out */
	size_t files;	   /* files written (including unchanged ones) */
	size_t removed;	   /* files of the previous export removed */
	size_t duplicates; /* CVE ids claimed by two advisories (first kept) */
};

/* "cve5", "osv", "openvex", "csv" -> *out; -1 if name is none of them. */
int export_format_parse(const char *name, enum export_format *out);

/*
 * Write the export opts describes into opts->dir.  ix is the open index
 * (read only; unused for EXPORT_PATCHES, may then be NULL).  Returns 0,
 * or -1 having reported the error; files already written then stay.
 */
int export_run(const struct repo *repo, struct index *ix,
	       const struct export_options *opts, struct export_stats *stats);

/* ---- shared by export.c and export_json.c only ------------------------- */

struct export_adv {
	size_t idx;	      /* advisory index in a.advs */
	struct record rec;
	const char *subject;  /* from rec, never NULL */
	char **aliases;	      /* Aliases words */
	size_t nr_aliases;
	size_t source;	      /* index into sources, for URLs and names */
	int64_t modified;     /* newest author time of the fix commits, or 0 */
};

struct export_ctx {
	const struct repo *repo;
	const struct export_options *opts;
	struct affected a;
	struct export_adv *advs; /* the public advisories, in id order */
	size_t nr;
	struct strlist sources;	 /* configured source names, sorted */
	char **repo_url;	 /* per source: url, or path, or the name */
	char **commit_url;	 /* per source: template or NULL */
	size_t *rel_source;	 /* per release of a: its source */
	char *assigner, *vendor, *author;
	struct strlist written;	 /* paths written, relative to the dir */
	struct export_stats *stats;
	uint32_t *mark;		 /* ancestry walk marks, per commit */
	uint32_t gen;
};

/* Write doc (pretty, keys in insertion order, ASCII) to dir/name. */
int export_write_json(struct export_ctx *x, const char *name, json_t *doc);
/* Write buf to dir/name and remember name. */
int export_write(struct export_ctx *x, const char *name, const char *buf,
		 size_t len);
/* "YYYY-MM-DDTHH:MM:SSZ" of t (UTC) into out. */
void export_timestamp(struct strbuf *out, int64_t t);
/* The web URL of commit hex in source s, malloc'ed, or NULL. */
char *export_commit_url(const struct export_ctx *x, size_t s, const char *hex);

int export_cve5(struct export_ctx *x);
int export_osv(struct export_ctx *x);
int export_openvex(struct export_ctx *x);
int export_openvex_stream(struct export_ctx *x, struct index *ix);

#endif
