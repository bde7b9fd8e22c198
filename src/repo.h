/*
 * repo: the patch repository, a directory meant to be kept in git.
 *
 *   secport.conf              git-config syntax (libgit2 config API)
 *   advisories/<ID>/record    one deb822 record per advisory (record.h)
 *   advisories/<ID>/NNNN-*.patch
 *   .secport/index.sqlite     rebuildable cache (index.h)
 *   .secport/lock             held while a command writes
 *
 * secport.conf keys:
 *   source.<name>.path        upstream git repository
 *   source.<name>.release     release tag glob, multivar (default "RELEASE-*"
 *                             and "v[0-9]*")
 *   advisory.pattern          extra advisory id regex (POSIX ERE), multivar
 *   trailer.backport          extra backport trailer regex, multivar; its
 *                             first group captures the upstream commit id
 */
#ifndef SECPORT_REPO_H
#define SECPORT_REPO_H

#include <git2.h>
#include <stddef.h>

struct repo {
	char *root;      /* absolute path of the directory with secport.conf */
	git_config *cfg; /* secport.conf, opened for read and write */
	int lock_fd;     /* -1 when not locked */
};

struct strlist {
	char **items;
	size_t nr, alloc;
};
#define STRLIST_INIT { NULL, 0, 0 }
void strlist_add(struct strlist *l, const char *s);
void strlist_clear(struct strlist *l);

/* Create DIR (default ".") as a repository; fails if secport.conf exists. */
int repo_init(const char *dir);
/* Find secport.conf in start or its parents and open it. */
int repo_open(struct repo *out, const char *start);
void repo_release(struct repo *r);

/* Take the repository's write lock, waiting up to timeout_ms; a lock left by
 * a dead process is cleared.  Released by repo_release(). */
int repo_lock(struct repo *r, int timeout_ms);

/* root + "/" + rel, malloc'ed. */
char *repo_path(const struct repo *r, const char *rel);

/* Configured source names, sorted. */
int repo_sources(const struct repo *r, struct strlist *out);
/* source.<name>.path, malloc'ed, or NULL. */
char *repo_source_path(const struct repo *r, const char *name);
/* Release tag globs of a source (the defaults when none configured). */
int repo_release_globs(const struct repo *r, const char *name,
		       struct strlist *out);
/* All values of a multivar key (e.g. "advisory.pattern"). */
int repo_config_multivar(const struct repo *r, const char *key,
			 struct strlist *out);

#endif
