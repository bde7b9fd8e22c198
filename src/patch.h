/*
 * patch: parse a unified diff (git's extended format or plain `diff -u`)
 * into files and hunks.
 *
 * Input is the whole patch text; the parsed patch keeps its own copy and
 * every line points into it, so parsing costs O(size) time and about twice
 * the patch's size in memory.  Text outside file sections (a commit message,
 * `Only in` lines) is skipped as git apply and GNU patch do.  Binary diffs are
 * recognised and flagged, never decoded.  Errors name the patch and the line.
 */
#ifndef SECPORT_PATCH_H
#define SECPORT_PATCH_H

#include <stddef.h>

/* Largest patch accepted: a hostile input cannot exhaust memory. */
#define PATCH_MAX_SIZE (64u << 20)

struct patch_line {
	char kind;        /* ' ' context, '-' removed, '+' added */
	int no_eol;       /* followed by "\ No newline at end of file" */
	const char *text; /* without the leading kind character or newline */
	size_t len;
};

struct patch_hunk {
	long old_start, old_count;
	long new_start, new_count;
	const char *func; /* text after the closing @@ (NUL-terminated) */
	long lineno;      /* line of the @@ header in the patch */
	struct patch_line *lines;
	size_t nr, alloc;
};

struct patch_file {
	char *old_path; /* after -p stripping; NULL for /dev/null */
	char *new_path;
	unsigned old_mode, new_mode; /* 0 when the patch does not say */
	unsigned is_new : 1, is_delete : 1, is_rename : 1, is_copy : 1,
		is_binary : 1, is_git : 1;
	long lineno; /* first line of the file's header */
	struct patch_hunk *hunks;
	size_t nr, alloc;
};

struct patch {
	char *name; /* for messages */
	char *buf;  /* owned copy of the text; lines point here */
	struct patch_file *files;
	size_t nr, alloc;
};

#define PATCH_INIT { 0 }

/*
 * Parse len bytes of buf.  name is used in messages.  strip is -pN: the
 * number of leading path components to drop (git and GNU patch default 1
 * for a/ b/ prefixes).  On success out holds the files (release it with
 * patch_release); on error a message naming the line was reported with
 * error() and -1 is returned (out is released).
 */
int patch_parse(struct patch *out, const char *buf, size_t len,
		const char *name, int strip);
void patch_release(struct patch *p);

/* The path a file section applies to: new_path, or old_path when deleting. */
const char *patch_file_path(const struct patch_file *f);

/*
 * Whether hunk h only inserts lines between context on both sides: lines
 * [0, *start) are context, [*start, *end) added, [*end, h->nr) context.
 */
int patch_hunk_insertion(const struct patch_hunk *h, size_t *start,
			 size_t *end);

#endif
