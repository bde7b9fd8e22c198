/*
 * trailers: what a commit message says about security fixes.
 *
 * Extracts, in one pass over the message:
 *   - advisory ids: CVE-YYYY-NNNN... (any case) and XSA-N built in, plus
 *     configured POSIX ERE patterns (advisory.pattern); upper-cased,
 *     de-duplicated, in order of appearance.  Ids on a line starting
 *     "This is" (Xen's "This is XSA-507 / CVE-2026-62434.", "This is part
 *     of XSA-102.") are the commit's advisories; other ids are mentions
 *     ("the fix for XSA-443 introduced ...").  An id that no commit states
 *     is taken from the commits mentioning it (index_mentions);
 *   - "Fixes: <hex>" trailers (7 to 40 hex digits; "Fixes: a typo" is not a
 *     reference);
 *   - backport references: "commit <hex> upstream", "[ Upstream commit
 *     <hex> ]", "(cherry picked from commit <hex>)", "master commit: <hex>",
 *     "(backported from commit <hex>)", plus configured regexes
 *     (trailer.backport) whose first group captures the id;
 *   - reverts: "This reverts commit <hex>".
 * Cost: linear in the message for the built-in rules; each configured regex
 * adds one regexec over the message.
 */
#ifndef SECPORT_TRAILERS_H
#define SECPORT_TRAILERS_H

#include <regex.h>
#include <stddef.h>

enum fact_kind {
	FACT_ADVISORY = 1, /* value: the id, upper case */
	FACT_FIXES = 2,    /* value: the id as written; resolved: full oid */
	FACT_BACKPORT = 3, /* value: the id as written; resolved: full oid */
	FACT_REVERT = 4,   /* value: the id as written; resolved: full oid */
	FACT_MENTION = 5,  /* value: an advisory id the message only mentions */
};

struct msg_ref {
	enum fact_kind kind; /* FACT_FIXES, FACT_BACKPORT or FACT_REVERT */
	char hex[41];        /* lower case, 7 to 40 digits */
};

struct msg_facts {
	char **advisories; /* the advisories this commit is about */
	size_t nr_adv, alloc_adv;
	char **mentions;   /* other advisories it names */
	size_t nr_mention, alloc_mention;
	struct msg_ref *refs;
	size_t nr_refs, alloc_refs;
};
#define MSG_FACTS_INIT { NULL, 0, 0, NULL, 0, 0, NULL, 0, 0 }

struct trailer_rules {
	regex_t *adv;
	size_t nr_adv;
	regex_t *backport;
	size_t nr_backport;
};
#define TRAILER_RULES_INIT { NULL, 0, NULL, 0 }

/* Compile extra patterns (either list may be empty); reports a bad regex
 * by its text and returns -1. */
int trailer_rules_init(struct trailer_rules *out, char *const *adv,
		       size_t nr_adv, char *const *backport,
		       size_t nr_backport);
void trailer_rules_release(struct trailer_rules *r);

/* Append the facts of msg[0..len) to out (which the caller clears with
 * msg_facts_clear).  rules may be NULL for the built-in rules only. */
void trailers_parse(struct msg_facts *out, const struct trailer_rules *rules,
		    const char *msg, size_t len);
void msg_facts_clear(struct msg_facts *f);

/* Is s a plausible advisory id (built-in forms, upper case)? */
int trailers_is_advisory(const char *s);

#endif
