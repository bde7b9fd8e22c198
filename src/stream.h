/*
 * stream: packages released in lockstep (secport.conf [stream "NAME"]).
 *
 * A stream has a package version (Debian-style, "4.17.3-2") and
 * components ([stream "NAME.COMPONENT"]), each built from a configured
 * source at a base release tag into a target tree.  stream_load reads the
 * configuration; stream_plan works out, per component, what each advisory
 * of its source means for the base release (affected.h), whether the
 * target already has it (status.h), and dry-runs the needed ones on a
 * scratch copy (advapply.h), keeping the regenerated patches;
 * stream_write writes the quilt series, changelog entries and the new
 * version, all of it or, when any component fails, none.  Only
 * stream_write writes; nothing here prints.  Cost: one affected_load per
 * plan, one status check per advisory, one dry run of the needed patches
 * per component; memory: the apply reports of the needed patches.
 */
#ifndef SECPORT_STREAM_H
#define SECPORT_STREAM_H

#include "advapply.h"
#include "index.h"
#include "repo.h"
#include "status.h"
#include "strbuf.h"

#include <time.h>

enum stream_state {
	STREAM_NOT_AFFECTED = 0, /* the base release does not need it */
	STREAM_APPLIED,          /* the target tree already has it */
	STREAM_RELEASED,         /* debian/patches holds it as release would
				    write it */
	STREAM_PENDING,          /* needed, not in the tree or the series */
};
/* "not affected", "applied", "released", "pending". */
const char *stream_state_name(enum stream_state s);

/* One advisory of a component's source. */
struct stream_row {
	struct status_advisory *adv; /* borrowed from the component */
	char *subject;               /* the record's Subject, or NULL */
	struct strlist aliases;      /* the record's Aliases */
	int verdict;                 /* enum reach_state in the release */
	const char *reason;          /* not affected: why (static text) */
	enum stream_state state;
	int embargoed;
	struct advapply_result res;  /* needed and not applied: the dry run */
	int failed;                  /* some patch did not apply */
};

struct stream_component {
	char *name, *source, *release, *target, *package;
	struct status_advisory *advs; /* the source's advisories, upstream
					 order */
	struct stream_row *rows;      /* one per advs[i] */
	size_t nr;
	char *failure; /* the first failure, "ID patch: file: hunk ..." */
};

struct stream {
	char *name, *version, *distribution, *maintainer; /* maintainer may be
							     NULL */
	struct stream_component *comps; /* in configuration order */
	size_t nr;
};
#define STREAM_INIT { NULL, NULL, NULL, NULL, NULL, 0 }

/* The configured stream names, in configuration order. */
int stream_names(struct strlist *out, const struct repo *repo);

/*
 * Read stream name and its components (every key checked: a component
 * needs source, release and target, its source must be configured).
 * Returns 0, or -1 having reported.  Release out with stream_release.
 */
int stream_load(struct stream *out, const struct repo *repo,
		const char *name);
void stream_release(struct stream *s);

/*
 * The lockstep rule: components built from the same source share the base
 * release.  Returns 0, or -1 with the mismatch (naming the components)
 * appended to msg.
 */
int stream_lockstep(struct strbuf *msg, const struct stream *s);

/*
 * Fill every component's rows (see the header comment); now decides
 * embargoes.  A patch that does not apply is an answer (row failed,
 * component failure set), not an error.  Returns 0, or -1 having reported.
 */
int stream_plan(struct stream *s, const struct repo *repo, struct index *ix,
		time_t now);

/* The next lockstep version: the Debian revision's last number plus one
 * ("4.17.3-2" -> "4.17.3-3", "1.0-1+deb12u1" -> "1.0-1+deb12u2").
 * Returns 0, or -1 having reported a version without one. */
int stream_next_version(char **out, const char *version);

struct stream_write_options {
	int include_embargoed; /* name embargoed advisories in public files */
	int dry_run;           /* work everything out, write nothing */
	const char *maintainer; /* "Name <email>" for the changelog */
	time_t date;            /* the changelog date */
};
#define STREAM_WRITE_OPTIONS_INIT { 0, 0, NULL, 0 }

/* What stream_write did (or would do) to one component. */
struct stream_written {
	struct strlist files;   /* paths written, under the target */
	struct strlist removed; /* old secport/ patches removed */
	struct strlist entries; /* the changelog's "  * ..." lines */
	size_t patches;         /* patches in the series */
};

/*
 * Release stream s (planned, lockstep checked, no component failed):
 * for every component, debian/patches/secport/ holds one patch per needed
 * fix, debian/patches/series lists them after its other lines, and
 * debian/changelog starts with an entry for the new version; then
 * stream.<name>.version is set.  *changed says whether any series differs
 * from what is there (when none does, nothing is written).  out[i] (nr of
 * s->nr, caller releases with stream_written_release) reports component
 * i.  Returns 0, or -1 having reported.
 */
int stream_write(struct stream_written *out, int *changed, char **new_version,
		 struct stream *s, const struct repo *repo,
		 const struct stream_write_options *opts);
void stream_written_release(struct stream_written *w);

#endif
