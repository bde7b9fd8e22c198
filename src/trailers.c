#include "trailers.h"
#include "strbuf.h"
#include "usage.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ID 64

static int is_word(int c)
{
	return isalnum(c) || c == '_';
}

static int has_id(char **ids, size_t nr, const char *id)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(ids[i], id))
			return 1;
	return 0;
}

/* Record an id: stated ones go to advisories, the rest to mentions. */
static void add_id(struct msg_facts *f, const char *s, size_t n, int stated)
{
	char id[MAX_ID + 1];

	if (n > MAX_ID)
		return;
	for (size_t i = 0; i < n; i++)
		id[i] = (char)toupper((unsigned char)s[i]);
	id[n] = '\0';
	if (has_id(f->advisories, f->nr_adv, id))
		return;
	if (stated) {
		ALLOC_GROW(f->advisories, f->nr_adv + 1, f->alloc_adv);
		f->advisories[f->nr_adv++] = xstrdup(id);
	} else if (!has_id(f->mentions, f->nr_mention, id)) {
		ALLOC_GROW(f->mentions, f->nr_mention + 1, f->alloc_mention);
		f->mentions[f->nr_mention++] = xstrdup(id);
	}
}

/* Drop the mentions of ids a stating line also stated. */
static void settle_ids(struct msg_facts *f, size_t mention_before)
{
	size_t keep = mention_before;

	for (size_t i = mention_before; i < f->nr_mention; i++) {
		if (has_id(f->advisories, f->nr_adv, f->mentions[i]))
			free(f->mentions[i]);
		else
			f->mentions[keep++] = f->mentions[i];
	}
	f->nr_mention = keep;
}

static void add_ref(struct msg_facts *f, enum fact_kind kind, const char *hex,
		    size_t n)
{
	struct msg_ref *r;

	for (size_t i = 0; i < f->nr_refs; i++)
		if (f->refs[i].kind == kind &&
		    !strncasecmp(f->refs[i].hex, hex, n) &&
		    f->refs[i].hex[n] == '\0')
			return;
	ALLOC_GROW(f->refs, f->nr_refs + 1, f->alloc_refs);
	r = &f->refs[f->nr_refs++];
	r->kind = kind;
	for (size_t i = 0; i < n; i++)
		r->hex[i] = (char)tolower((unsigned char)hex[i]);
	r->hex[n] = '\0';
}

static size_t span_digits(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && isdigit((unsigned char)*p))
		p++;
	return (size_t)(p - s);
}

/* A commit id at p: 7..40 hex digits not followed by a word character. */
static size_t span_hex(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && isxdigit((unsigned char)*q))
		q++;
	if (q - p < 7 || q - p > 40 || (q < end && is_word(*q)))
		return 0;
	return (size_t)(q - p);
}

static int states_ids(const char *p, const char *eol);

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether the 8 bytes at p may hold a letter an id starts with (c or x in
 * either case): a byte of (p | 0x20) ^ 'c' or ^ 'x' is zero. */
static int may_start_id(const char *p)
{
	uint64_t v, c, x;

	memcpy(&v, p, sizeof(v));
	v |= 0x20 * ONES;
	c = v ^ ('c' * ONES);
	x = v ^ ('x' * ONES);
	return !!((((c - ONES) & ~c) | ((x - ONES) & ~x)) & HIGHS);
}

/*
 * Built-in advisory ids anywhere on the line s[0..len): CVE-YYYY-N{4,}
 * and XSA-N, case-insensitive, not preceded by a word character.  An XSA
 * id written without its dash is recorded as XSA-N.  They are stated ids
 * or mentions as stated says (-1: as states_ids says, asked only of a
 * line that has an id).  A message is mostly text without ids, so the
 * scan skips to the letters an id starts with.
 */
static void find_advisories(struct msg_facts *f, const char *s, size_t len,
			    int stated)
{
	static const unsigned char starts_id[256] = {
		['c'] = 1, ['C'] = 1, ['x'] = 1, ['X'] = 1,
	};
	const char *end = s + len;

	for (const char *p = s; p + 5 <= end; p++) {
		int c;
		size_t n;

		while (p + 8 <= end && !may_start_id(p))
			p += 8;
		while (p + 5 <= end && !starts_id[(unsigned char)*p])
			p++;
		if (p + 5 > end)
			return;
		c = *p | 0x20;
		if (p > s && is_word(p[-1]))
			continue;
		if (c == 'c' && !strncasecmp(p, "cve-", 4)) {
			const char *q = p + 4;

			if (span_digits(q, end) != 4 || q + 5 >= end ||
			    q[4] != '-')
				continue;
			n = span_digits(q + 5, end);
			if (n < 4 || n > 9 || (q + 5 + n < end && is_word(q[5 + n])))
				continue;
			if (stated < 0)
				stated = states_ids(s, end);
			add_id(f, p, 9 + n, stated);
			p += 8 + n;
		} else if (c == 'x' && !strncasecmp(p, "xsa", 3)) {
			/* XSA-155, also written XSA155 and XSA 155 */
			const char *q = p + 3 + (p[3] == '-' || p[3] == ' ');
			char id[16];

			n = span_digits(q, end);
			if (!n || n > 6 || (q + n < end && is_word(q[n])))
				continue;
			snprintf(id, sizeof(id), "XSA-%.*s", (int)n, q);
			if (stated < 0)
				stated = states_ids(s, end);
			add_id(f, id, strlen(id), stated);
			p = q + n - 1;
		}
	}
}

static int skip_prefix_ci(const char **p, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	if ((size_t)(end - *p) < n || strncasecmp(*p, prefix, n))
		return 0;
	*p += n;
	return 1;
}

static void skip_blanks(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

/* Match "<prefix><blanks><hex><suffix>" at p; add a ref on success. */
static int match_ref(struct msg_facts *f, const char *p, const char *end,
		     const char *prefix, const char *suffix,
		     enum fact_kind kind)
{
	size_t n;

	if (!skip_prefix_ci(&p, end, prefix))
		return 0;
	skip_blanks(&p, end);
	n = span_hex(p, end);
	if (!n)
		return 0;
	if (suffix) {
		const char *q = p + n;

		skip_blanks(&q, end);
		if (!skip_prefix_ci(&q, end, suffix))
			return 0;
	}
	add_ref(f, kind, p, n);
	return 1;
}

/* One line, leading blanks already skipped. */
static void parse_line(struct msg_facts *f, const char *p, const char *end)
{
	switch (tolower((unsigned char)*p)) {
	case 'f':
		match_ref(f, p, end, "fixes:", NULL, FACT_FIXES);
		break;
	case 'c':
		if (!match_ref(f, p, end, "commit", "upstream", FACT_BACKPORT))
			match_ref(f, p, end, "cherry picked from commit", NULL,
				  FACT_BACKPORT);
		break;
	case '(':
		if (!match_ref(f, p, end, "(cherry picked from commit", NULL,
			       FACT_BACKPORT))
			match_ref(f, p, end, "(backported from commit", NULL,
				  FACT_BACKPORT);
		break;
	case '[':
		p++;
		skip_blanks(&p, end);
		match_ref(f, p, end, "upstream commit", NULL, FACT_BACKPORT);
		break;
	case 'u':
		match_ref(f, p, end, "upstream commit", NULL, FACT_BACKPORT);
		break;
	case 'm':
		match_ref(f, p, end, "master commit:", NULL, FACT_BACKPORT);
		break;
	case 't':
		match_ref(f, p, end, "this reverts commit", NULL, FACT_REVERT);
		break;
	}
}

/* Is [p, eol) a list of ids: tokens with a digit, "and", separators? */
static int only_ids(const char *p, const char *eol)
{
	int tokens = 0;

	while (p < eol) {
		const char *w = p;
		int digit = 0;

		while (p < eol && !strchr(" \t,/().;", *p))
			digit |= isdigit((unsigned char)*p++) != 0;
		if (p > w && !digit && (p - w != 3 || strncasecmp(w, "and", 3)))
			return 0;
		tokens += digit;
		if (p < eol)
			p++;
	}
	return tokens > 0;
}

/*
 * Does the line at p (blanks skipped) state the advisory of its commit?
 * "This is XSA-507 / CVE-2026-62434.", "This is part of XSA-254.", and a
 * short sentence of the same shape: "Everything together is XSA-501.",
 * "This patch is part of XSA-175.".  Ids elsewhere ("The fix for XSA-52
 * was wrong") are mentions.
 */
static int states_ids(const char *p, const char *eol)
{
	int words = 0;

	if (skip_prefix_ci(&p, eol, "this is "))
		return 1;
	if (p == eol || !isupper((unsigned char)*p))
		return 0;
	for (;;) { /* up to three words, then "is" */
		const char *w = p;

		while (p < eol && isalpha((unsigned char)*p))
			p++;
		if (p == w || p == eol || *p != ' ' || ++words > 4)
			return 0;
		p++;
		if (words > 1 && p - w == 3 && !strncasecmp(w, "is", 2))
			break;
	}
	skip_prefix_ci(&p, eol, "part of ");
	return only_ids(p, eol);
}

/* Is p on a line stating its ids (see states_ids)? */
static int on_stating_line(const char *start, const char *p)
{
	const char *eol = strchr(p, '\n');

	while (p > start && p[-1] != '\n')
		p--;
	while (*p == ' ' || *p == '\t')
		p++;
	return states_ids(p, eol ? eol : p + strlen(p));
}

static void apply_regexes(struct msg_facts *f, const struct trailer_rules *r,
			  const char *msg, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	regmatch_t m[2];

	if (!r || (!r->nr_adv && !r->nr_backport))
		return;
	strbuf_add(&sb, msg, len); /* regexec needs a NUL-terminated string */
	for (size_t i = 0; i < r->nr_adv; i++) {
		const char *s = sb.buf;

		while (!regexec(&r->adv[i], s, 1, m, s == sb.buf ? 0 : REG_NOTBOL) &&
		       m[0].rm_eo > m[0].rm_so) {
			add_id(f, s + m[0].rm_so,
			       (size_t)(m[0].rm_eo - m[0].rm_so),
			       on_stating_line(sb.buf, s + m[0].rm_so));
			s += m[0].rm_eo;
		}
	}
	for (size_t i = 0; i < r->nr_backport; i++) {
		const char *s = sb.buf;

		while (!regexec(&r->backport[i], s, 2, m,
				s == sb.buf ? 0 : REG_NOTBOL) &&
		       m[0].rm_eo > m[0].rm_so) {
			if (m[1].rm_so >= 0) {
				const char *h = s + m[1].rm_so;
				size_t n = (size_t)(m[1].rm_eo - m[1].rm_so);

				if (span_hex(h, h + n) == n)
					add_ref(f, FACT_BACKPORT, h, n);
			}
			s += m[0].rm_eo;
		}
	}
	strbuf_release(&sb);
}

void trailers_parse(struct msg_facts *f, const struct trailer_rules *rules,
		    const char *msg, size_t len)
{
	const char *end = msg + len;
	size_t mention_before = f->nr_mention;

	for (const char *p = msg; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		if (!eol)
			eol = end;
		skip_blanks(&q, eol);
		if (q < eol) {
			find_advisories(f, q, (size_t)(eol - q), -1);
			parse_line(f, q, eol);
		}
		p = eol + 1;
	}
	apply_regexes(f, rules, msg, len);
	settle_ids(f, mention_before);
}

void msg_facts_clear(struct msg_facts *f)
{
	for (size_t i = 0; i < f->nr_adv; i++)
		free(f->advisories[i]);
	for (size_t i = 0; i < f->nr_mention; i++)
		free(f->mentions[i]);
	free(f->advisories);
	free(f->mentions);
	free(f->refs);
	memset(f, 0, sizeof(*f));
}

static int compile_all(regex_t **out, size_t *nr, char *const *pat,
		       size_t n, int cflags)
{
	*out = n ? xcalloc(n, sizeof(**out)) : NULL;
	*nr = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = regcomp(&(*out)[i], pat[i], cflags);

		if (rc) {
			char msg[256];

			regerror(rc, &(*out)[i], msg, sizeof(msg));
			return error("bad pattern '%s': %s", pat[i], msg);
		}
		(*nr)++;
	}
	return 0;
}

int trailer_rules_init(struct trailer_rules *out, char *const *adv,
		       size_t nr_adv, char *const *backport,
		       size_t nr_backport)
{
	memset(out, 0, sizeof(*out));
	if (compile_all(&out->adv, &out->nr_adv, adv, nr_adv,
			REG_EXTENDED | REG_ICASE) ||
	    compile_all(&out->backport, &out->nr_backport, backport,
			nr_backport, REG_EXTENDED | REG_ICASE | REG_NEWLINE)) {
		trailer_rules_release(out);
		return -1;
	}
	return 0;
}

void trailer_rules_release(struct trailer_rules *r)
{
	for (size_t i = 0; i < r->nr_adv; i++)
		regfree(&r->adv[i]);
	for (size_t i = 0; i < r->nr_backport; i++)
		regfree(&r->backport[i]);
	free(r->adv);
	free(r->backport);
	memset(r, 0, sizeof(*r));
}

int trailers_is_advisory(const char *s)
{
	struct msg_facts f = MSG_FACTS_INIT;
	int ret;

	find_advisories(&f, s, strlen(s), 1);
	ret = f.nr_adv == 1 && !strcasecmp(f.advisories[0], s);
	msg_facts_clear(&f);
	return ret;
}
