/*
 * status: which advisories' fixes a source tree already has.
 *
 * Inputs: the advisories' patch files (advisories/<ID>/NNNN-*.patch, git
 * format-patch mails), the tree (a plain directory, read only), and, when
 * the tree is a git work tree, its history.  Evidence, per patch:
 *   content   every hunk's post-image is in the tree and its pre-image is
 *             not (place.h's "already applied", via an apply_patch dry run:
 *             nothing is written);
 *   ancestry  the upstream commit or one of its backports (index and
 *             record) is HEAD or an ancestor of HEAD;
 *   trailer   a commit of the branch names the upstream commit in a
 *             backport trailer ("(cherry picked from commit ...)");
 *   patch-id  a commit of the branch has the patch's `git patch-id
 *             --stable` (a vendor backport without a trailer).
 * A patch is present with any evidence; an advisory is present when every
 * patch is, absent when no patch and no hunk is, partial otherwise.
 * Branch commits examined: HEAD's history, less the release tag's when the
 * target repository has it.  Cost: one dry run per patch (the touched files,
 * read twice), one libgit2 diff per examined commit and one `git patch-id`
 * process per tree.  Nothing here prints (errors go through error()).
 */
#ifndef SECPORT_STATUS_H
#define SECPORT_STATUS_H

#include "graph.h"
#include "index.h"
#include "patch.h"
#include "place.h"
#include "repo.h"
#include "strbuf.h"

#include <git2.h>
#include <stdint.h>

/* One patch file of an advisory, read and parsed. */
struct status_patch {
	char *name;          /* file name, "0001-slug.patch" */
	char *path;          /* full path */
	git_oid commit;      /* upstream commit (the mail's From line) */
	int has_commit;
	char *subject;       /* without "[PATCH]" */
	char *author;        /* "Name <mail>", or NULL */
	char *body;          /* commit message body, or NULL */
	long long date;      /* author date (seconds), 0 when unknown */
	struct strlist dep3; /* the mail's Origin/Bug/Applied-Upstream lines */
	struct strbuf text;  /* the whole file */
	struct patch patch;  /* parsed with -p1 */
	char pid[41];        /* `git patch-id --stable`, "" when unknown */
};

struct status_advisory {
	char *id;
	struct status_patch *patches; /* in file-name order */
	size_t nr;
	int64_t order;  /* smallest index number of its commits (INT64_MAX:
			   none indexed) */
	long long date; /* earliest author date */
};

/*
 * Read advisories/<id>/ (id as advisory_find returns it).  ix may be NULL
 * (no upstream order then).  Returns 0, or -1 having reported (an
 * unreadable or malformed patch).  Release out with
 * status_advisory_release, also after an error.
 */
int status_load_advisory(struct status_advisory *out, const struct repo *repo,
			 struct index *ix, const char *id);
void status_advisory_release(struct status_advisory *a);

/* Sort advisories in upstream order: index number of the first fix, then
 * author date, then id. */
void status_sort(struct status_advisory *a, size_t nr);

/*
 * The release a tree says it is: the kernel's Makefile (VERSION,
 * PATCHLEVEL, SUBLEVEL, EXTRAVERSION: "v6.1.5", "v6.2", "v6.3-rc2") or
 * Xen's xen/Makefile (XEN_VERSION, XEN_SUBVERSION, XEN_EXTRAVERSION:
 * "RELEASE-4.17.3").  *out (malloc'ed) is NULL when neither is there;
 * *from (static) names the file used.
 */
void status_tree_release(char **out, const char **from, const char *dir);

enum status_state {
	STATUS_ABSENT = 0,
	STATUS_PARTIAL,
	STATUS_PRESENT,
};
const char *status_state_name(enum status_state s);

enum status_how {
	STATUS_BY_NONE = 0,
	STATUS_BY_CONTENT,
	STATUS_BY_ANCESTRY,
	STATUS_BY_TRAILER,
	STATUS_BY_PATCH_ID,
};
const char *status_how_name(enum status_how h);

/* What the tree shows of one hunk. */
struct status_hunk {
	const char *path;   /* in the tree (borrowed from the patch) */
	size_t file, hunk;  /* 0-based indexes in the patch */
	enum place_tier tier;
	long line;          /* 1-based where placed, 0 when failed */
	const char *reason; /* file-level failure, static text, or NULL */
};

struct status_patch_result {
	enum status_state state;
	enum status_how how;   /* the strongest evidence found */
	git_oid by;            /* ancestry/trailer/patch-id: the branch's
				  commit */
	struct status_hunk *hunks;
	size_t nr, present;
};

struct status_result {
	enum status_state state;
	struct status_patch_result *patches; /* one per patch of the advisory */
	size_t nr;
};

struct status_commit; /* one examined commit of the branch (status.c) */

/* History evidence of a git work tree; see status_git_open. */
struct status_git {
	git_repository *repo;
	git_oid head;
	struct status_commit *commits; /* the branch's own commits: HEAD
					  ^release ^indexed, parents' order */
	size_t nr;
	int patch_ids;                 /* the patch ids were computed */
	/* where HEAD's history meets the index: the index's graph, and which
	 * of its commits HEAD contains (NULL: none, or no index) */
	struct graph graph;
	unsigned char *contained;
};
#define STATUS_GIT_INIT { NULL, { { 0 } }, NULL, 0, 0, GRAPH_INIT, NULL }

/*
 * Open dir as a git work tree (dir must be its top).  Returns 1 when it is
 * not one (out stays empty), 0 when opened, -1 on an error reported.
 * The commits examined for trailers and patch ids are the branch's own:
 * the walk from HEAD stops at commits the index ix knows (upstream's: their
 * ancestry is answered from the index's graph, the reachability engine's
 * input, instead of walking them) and at hide_tag, when the repository
 * has it.  Either may be NULL.  Cost: the branch's own commits, plus
 * loading the graph when HEAD's history meets the index (about 1 s per
 * million commits).
 */
int status_git_open(struct status_git *out, const char *dir,
		    const char *hide_tag, struct index *ix);
/* Compute the patch ids of the examined commits and of advs' patches by
 * running `git patch-id --stable` once; on failure warns and returns -1
 * (patch-id evidence is then not used). */
int status_git_patch_ids(struct status_git *g, struct status_advisory *advs,
			 size_t nr);
void status_git_release(struct status_git *g);

/*
 * Check one advisory against the tree at dir, and, when g is not NULL,
 * the branch's history (ix may be NULL; it names backports; rec_backports
 * is the record's Backports value or NULL).  Returns 0, or -1 having
 * reported (an unsafe path in a patch).  Release out with
 * status_result_release.
 */
int status_check(struct status_result *out, const char *dir,
		 const struct status_advisory *adv, struct status_git *g,
		 struct index *ix, const char *rec_backports);
void status_result_release(struct status_result *r);

#endif
