/*
 * reach: release containment by one children-first pass with hash-consed
 * bitsets, verdicts and per-series ranges.  See reach.h for the algorithm
 * and its costs.
 */
#include "reach.h"
#include "usage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- versions and series ----------------------------------------------- */

/* Debian's order of a non-digit character; "-rc" and '~' sort first. */
static int ver_order(const char *s)
{
	unsigned char c = (unsigned char)*s;

	if (!c || isdigit(c))
		return 0;
	if (c == '~' || (c == '-' && s[1] == 'r' && s[2] == 'c'))
		return -1;
	if (isalpha(c))
		return c;
	return c + 256;
}

int reach_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		int first_diff = 0;

		while ((*a && !isdigit((unsigned char)*a)) ||
		       (*b && !isdigit((unsigned char)*b))) {
			int ac = ver_order(a), bc = ver_order(b);

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		while (isdigit((unsigned char)*a) &&
		       isdigit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (isdigit((unsigned char)*a))
			return 1;
		if (isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

const char *reach_version(const char *name)
{
	for (const char *p = name; *p; p++)
		if (isdigit((unsigned char)*p))
			return p;
	return name;
}

void reach_series(struct strbuf *out, const char *name)
{
	const char *v = reach_version(name), *p = v;
	size_t want = 2, comps = 0;

	if (!strncmp(v, "2.6.", 4))
		want = 3;
	while (*p && (isdigit((unsigned char)*p) || *p == '.')) {
		if (*p == '.' && ++comps == want)
			break;
		p++;
	}
	if (p == v) /* no version at all: the name is its own series */
		p = v + strlen(v);
	strbuf_add(out, v, (size_t)(p - v));
}

/* ---- releases ---------------------------------------------------------- */

void reach_releases_add(struct reach_releases *rel, const char *name,
			uint32_t commit)
{
	ALLOC_GROW(rel->items, rel->nr + 1, rel->alloc);
	rel->items[rel->nr].name = xstrdup(name);
	rel->items[rel->nr].commit = commit;
	rel->items[rel->nr].series = 0;
	rel->nr++;
}

static int release_cmp(const void *va, const void *vb)
{
	const struct reach_release *a = va, *b = vb;
	int c =
	    reach_version_cmp(reach_version(a->name), reach_version(b->name));

	if (c)
		return c;
	if (a->series != b->series)
		return a->series < b->series ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int release_series_cmp(const void *va, const void *vb)
{
	const struct reach_release *a = va, *b = vb;

	if (a->series != b->series)
		return a->series < b->series ? -1 : 1;
	return release_cmp(va, vb);
}

void reach_releases_sort(struct reach_releases *rel)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < rel->nr_series; i++)
		free(rel->series[i]);
	rel->nr_series = 0;
	for (size_t i = 0; i < rel->nr; i++)
		rel->items[i].series = 0;
	if (rel->nr > 1)
		qsort(rel->items, rel->nr, sizeof(*rel->items), release_cmp);

	/* Number the series by their first release; few, so search linearly
	 * from the most recent. */
	for (size_t i = 0; i < rel->nr; i++) {
		size_t s;

		strbuf_reset(&sb);
		reach_series(&sb, rel->items[i].name);
		for (s = rel->nr_series; s > 0; s--)
			if (!strcmp(rel->series[s - 1], sb.buf))
				break;
		if (!s) {
			ALLOC_GROW(rel->series, rel->nr_series + 1,
				   rel->alloc_series);
			rel->series[rel->nr_series++] = xstrdup(sb.buf);
			s = rel->nr_series;
		}
		rel->items[i].series = s - 1;
	}
	if (rel->nr > 1)
		qsort(rel->items, rel->nr, sizeof(*rel->items), release_series_cmp);
	strbuf_release(&sb);
}

void reach_releases_clear(struct reach_releases *rel)
{
	if (!rel)
		return;
	for (size_t i = 0; i < rel->nr; i++)
		free(rel->items[i].name);
	for (size_t i = 0; i < rel->nr_series; i++)
		free(rel->series[i]);
	free(rel->items);
	free(rel->series);
	memset(rel, 0, sizeof(*rel));
}

/* ---- containment ------------------------------------------------------- */

/* Hash-consing state: the distinct sets live in res->sets. */
struct interner {
	struct reach_result *res;
	uint32_t *slots; /* set ids, UINT32_MAX empty; power-of-two size */
	size_t nr_slots;
	struct memo {
		uint32_t a, b, r; /* a < b; r = a | b */
	} * memo;
	size_t nr_memo, memo_used;
	uint64_t *tmp;
};

static uint64_t set_hash(const uint64_t *w, size_t words)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < words; i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return h;
}

static uint64_t *set_at(struct reach_result *res, uint32_t id)
{
	return res->sets + (size_t)id * res->words;
}

static void interner_rehash(struct interner *in)
{
	size_t n = in->nr_slots ? in->nr_slots * 2 : 1024;
	struct reach_result *res = in->res;

	free(in->slots);
	in->slots = xmalloc(n * sizeof(*in->slots));
	memset(in->slots, 0xff, n * sizeof(*in->slots));
	in->nr_slots = n;
	for (size_t id = 0; id < res->nr_sets; id++) {
		size_t s =
		    set_hash(set_at(res, (uint32_t)id), res->words) & (n - 1);

		while (in->slots[s] != UINT32_MAX)
			s = (s + 1) & (n - 1);
		in->slots[s] = (uint32_t)id;
	}
}

/* The id of the set in w (copied when new). */
static uint32_t intern(struct interner *in, const uint64_t *w)
{
	struct reach_result *res = in->res;
	size_t bytes = res->words * sizeof(uint64_t);
	size_t s;

	if ((res->nr_sets + 1) * 2 > in->nr_slots)
		interner_rehash(in);
	s = set_hash(w, res->words) & (in->nr_slots - 1);
	while (in->slots[s] != UINT32_MAX) {
		if (!memcmp(set_at(res, in->slots[s]), w, bytes))
			return in->slots[s];
		s = (s + 1) & (in->nr_slots - 1);
	}
	if (res->nr_sets + 1 > res->alloc_sets) {
		size_t a = res->alloc_sets < 64 ? 64 : res->alloc_sets * 2;

		res->sets = xrealloc(res->sets, a * bytes);
		res->alloc_sets = a;
	}
	memcpy(set_at(res, (uint32_t)res->nr_sets), w, bytes);
	in->slots[s] = (uint32_t)res->nr_sets;
	return (uint32_t)res->nr_sets++;
}

/* The memo is a cache: when it fills past half it is emptied, which bounds
 * it at MEMO_MAX entries (12 bytes each). */
#define MEMO_MAX ((size_t)1 << 21)

static void memo_reset(struct interner *in, size_t n)
{
	if (n != in->nr_memo) {
		free(in->memo);
		in->memo = xmalloc(n * sizeof(*in->memo));
		in->nr_memo = n;
	}
	for (size_t i = 0; i < n; i++)
		in->memo[i].a = UINT32_MAX;
	in->memo_used = 0;
}

static size_t memo_slot(struct interner *in, uint32_t a, uint32_t b)
{
	uint64_t h = ((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ull;
	size_t s = (size_t)(h >> 20) & (in->nr_memo - 1);

	while (in->memo[s].a != UINT32_MAX &&
	       (in->memo[s].a != a || in->memo[s].b != b))
		s = (s + 1) & (in->nr_memo - 1);
	return s;
}

static uint32_t set_union(struct interner *in, uint32_t a, uint32_t b)
{
	struct reach_result *res = in->res;
	const uint64_t *wa, *wb;
	uint32_t r;
	size_t s;

	if (a == b || !b)
		return a;
	if (!a)
		return b;
	if (a > b) {
		uint32_t t = a;

		a = b;
		b = t;
	}
	s = memo_slot(in, a, b);
	if (in->memo[s].a == a)
		return in->memo[s].r;

	wa = set_at(res, a);
	wb = set_at(res, b);
	for (size_t i = 0; i < res->words; i++)
		in->tmp[i] = wa[i] | wb[i];
	r = intern(in, in->tmp);

	if ((in->memo_used + 1) * 2 > in->nr_memo) {
		if (in->nr_memo < MEMO_MAX)
			memo_reset(in, in->nr_memo * 2);
		else
			memo_reset(in, in->nr_memo);
		/* the table changed: find the slot again */
		s = memo_slot(in, a, b);
	}
	in->memo[s] = (struct memo){a, b, r};
	in->memo_used++;
	return r;
}

struct tag_at {
	uint32_t commit;
	uint32_t release;
};

static int tag_at_cmp(const void *va, const void *vb)
{
	const struct tag_at *a = va, *b = vb;

	if (a->commit != b->commit)
		return a->commit > b->commit ? -1 : 1; /* descending */
	return a->release < b->release ? -1 : a->release > b->release;
}

int reach_contained(struct reach_result *out, const struct graph *g,
		    const uint32_t *release_commits, size_t nr_releases)
{
	struct interner in = {0};
	struct tag_at *tags = NULL;
	size_t t = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->nr_commits = g->nr;
	out->nr_releases = nr_releases;
	out->words = (nr_releases + 63) / 64;
	if (!out->words)
		out->words = 1;
	in.res = out;
	in.tmp = xcalloc(out->words, sizeof(uint64_t));
	out->set_of = xcalloc(g->nr ? g->nr : 1, sizeof(*out->set_of));
	memo_reset(&in, 1024);
	intern(&in, in.tmp); /* id 0: the empty set */

	tags = xmalloc((nr_releases ? nr_releases : 1) * sizeof(*tags));
	for (size_t r = 0; r < nr_releases; r++) {
		if (release_commits[r] >= g->nr) {
			error("release %zu names commit %u outside the graph",
			      r, (unsigned)release_commits[r]);
			goto done;
		}
		tags[r].commit = release_commits[r];
		tags[r].release = (uint32_t)r;
	}
	if (nr_releases > 1)
		qsort(tags, nr_releases, sizeof(*tags), tag_at_cmp);

	/* set_of[i] holds the union of i's children's sets until i is
	 * reached, then i's own set. */
	for (uint32_t i = g->nr; i-- > 0;) {
		uint32_t id = out->set_of[i];

		if (t < nr_releases && tags[t].commit == i) {
			memcpy(in.tmp, set_at(out, id),
			       out->words * sizeof(uint64_t));
			for (; t < nr_releases && tags[t].commit == i; t++)
				in.tmp[tags[t].release / 64] |=
				    (uint64_t)1 << (tags[t].release % 64);
			id = intern(&in, in.tmp);
			out->set_of[i] = id;
		}
		if (!id)
			continue;
		for (uint32_t k = g->parent_start[i];
		     k < g->parent_start[i + 1]; k++) {
			uint32_t p = g->parents[k];

			if (p >= i) {
				error("commit graph is not parents-first "
				      "(commit %u has parent %u)",
				      (unsigned)i, (unsigned)p);
				goto done;
			}
			out->set_of[p] = set_union(&in, out->set_of[p], id);
		}
	}
	ret = 0;
done:
	if (ret < 0)
		reach_result_release(out);
	free(tags);
	free(in.tmp);
	free(in.slots);
	free(in.memo);
	return ret;
}

void reach_result_release(struct reach_result *res)
{
	if (!res)
		return;
	free(res->set_of);
	free(res->sets);
	memset(res, 0, sizeof(*res));
}

/* ---- verdicts ---------------------------------------------------------- */

/* Reverts of reverts are followed this deep; deeper chains count as
 * present (real histories stop at two). */
#define REVERT_DEPTH 8

static int counts(const struct reach_result *res,
		  const struct reach_advisory *adv, size_t rel, uint32_t c,
		  int depth)
{
	if (!reach_contains(res, rel, c))
		return 0;
	if (depth >= REVERT_DEPTH)
		return 1;
	for (size_t i = 0; i < adv->nr_reverts; i++)
		if (adv->reverts[i].target == c &&
		    counts(res, adv, rel, adv->reverts[i].revert, depth + 1))
			return 0;
	return 1;
}

/* The first commit of alts that counts in rel (the upstream one first), or
 * GRAPH_NONE; *index is its position. */
static uint32_t first_counting(const struct reach_result *res,
			       const struct reach_advisory *adv, size_t rel,
			       const struct reach_alts *alts, size_t *index)
{
	for (size_t k = 0; k < alts->nr; k++)
		if (counts(res, adv, rel, alts->commits[k], 0)) {
			*index = k;
			return alts->commits[k];
		}
	return GRAPH_NONE;
}

void reach_verdicts(struct reach_verdict *out, const struct reach_result *res,
		    const struct reach_advisory *adv)
{
	for (size_t rel = 0; rel < res->nr_releases; rel++) {
		struct reach_verdict *v = &out[rel];
		int introduced = 0, fixed = 1;
		unsigned flags = 0;
		uint32_t fixed_by = GRAPH_NONE;
		size_t idx;

		for (size_t i = 0; i < adv->nr_introducers && !introduced; i++)
			introduced =
			    first_counting(res, adv, rel, &adv->introducers[i],
					   &idx) != GRAPH_NONE;
		if (!adv->nr_introducers) {
			introduced = 1;
			flags |= REACH_INTRO_UNKNOWN;
		}
		if (!adv->nr_fixes)
			fixed = 0;
		for (size_t i = 0; i < adv->nr_fixes && fixed; i++) {
			uint32_t c =
			    first_counting(res, adv, rel, &adv->fixes[i], &idx);

			if (c == GRAPH_NONE) {
				fixed = 0;
				break;
			}
			if (idx)
				flags |= REACH_VIA_BACKPORT;
			if (fixed_by == GRAPH_NONE || c > fixed_by)
				fixed_by = c;
		}

		v->fixed_by = GRAPH_NONE;
		v->flags = 0;
		if (!introduced) {
			v->state = REACH_NOT_AFFECTED;
		} else if (fixed) {
			v->state = REACH_FIXED;
			v->fixed_by = fixed_by;
			v->flags = flags;
		} else {
			v->state = REACH_VULNERABLE;
			v->flags = flags & REACH_INTRO_UNKNOWN;
		}
	}
}

/* ---- ranges ------------------------------------------------------------ */

static void add_range(struct reach_ranges *out, enum reach_range_kind kind,
		      size_t series, size_t first, size_t last,
		      const struct reach_verdict *v)
{
	struct reach_range *r;

	ALLOC_GROW(out->items, out->nr + 1, out->alloc);
	r = &out->items[out->nr++];
	r->kind = kind;
	r->series = series;
	r->first = first;
	r->last = last;
	r->fixed_in = 0;
	r->fixed_by = GRAPH_NONE;
	r->flags = 0;
	for (size_t i = first; i <= last; i++)
		r->flags |= v[i].flags;
}

/* Ranges of the releases start..end-1, one series. */
static void series_ranges(struct reach_ranges *out, size_t series, size_t start,
			  size_t end, const struct reach_verdict *v)
{
	size_t j = start;
	int any = 0;

	for (size_t i = start; i < end; i++)
		any |= v[i].state != REACH_NOT_AFFECTED;
	if (!any) {
		add_range(out, REACH_RANGE_UNAFFECTED, series, start, end - 1,
			  v);
		return;
	}
	while (j < end) {
		size_t k = j;

		if (v[j].state == REACH_NOT_AFFECTED) {
			j++;
			continue;
		}
		while (k + 1 < end && v[k + 1].state == v[j].state)
			k++;
		if (v[j].state == REACH_FIXED) {
			add_range(out, REACH_RANGE_FIXED_BEFORE, series, j, k,
				  v);
		} else if (k + 1 == end) {
			add_range(out, REACH_RANGE_OPEN, series, j, k, v);
		} else if (v[k + 1].state == REACH_FIXED) {
			struct reach_range *r;

			add_range(out, REACH_RANGE_FIXED_IN, series, j, k, v);
			r = &out->items[out->nr - 1];
			r->fixed_in = k + 1;
			r->fixed_by = v[k + 1].fixed_by;
			/* the fixed run that follows is told by this range */
			for (k++; k + 1 < end && v[k + 1].state == REACH_FIXED;)
				k++;
		} else {
			add_range(out, REACH_RANGE_AFFECTED, series, j, k, v);
		}
		j = k + 1;
	}
}

void reach_ranges_build(struct reach_ranges *out,
			const struct reach_releases *rel,
			const struct reach_verdict *v)
{
	size_t i = 0;

	while (i < rel->nr) {
		size_t e = i + 1;

		while (e < rel->nr &&
		       rel->items[e].series == rel->items[i].series)
			e++;
		series_ranges(out, rel->items[i].series, i, e, v);
		i = e;
	}
}

void reach_ranges_clear(struct reach_ranges *r)
{
	if (!r)
		return;
	free(r->items);
	memset(r, 0, sizeof(*r));
}

#define EN_DASH "\xe2\x80\x93"

static void add_span(struct strbuf *out, const struct reach_releases *rel,
		     size_t first, size_t last)
{
	strbuf_addstr(out, reach_version(rel->items[first].name));
	if (last != first) {
		strbuf_addstr(out, EN_DASH);
		strbuf_addstr(out, reach_version(rel->items[last].name));
	}
}

/* Does the range cover its series to the end (and from the start)? */
static int to_series_end(const struct reach_releases *rel, size_t last)
{
	return last + 1 == rel->nr ||
	       rel->items[last + 1].series != rel->items[last].series;
}

static int from_series_start(const struct reach_releases *rel, size_t first)
{
	return !first ||
	       rel->items[first - 1].series != rel->items[first].series;
}

void reach_range_format(struct strbuf *out, const struct reach_releases *rel,
			const struct reach_range *r, const struct graph *g)
{
	const char *series = rel->series[r->series];
	const char *unknown =
	    r->flags & REACH_INTRO_UNKNOWN ? " (introducer unknown)" : "";

	switch (r->kind) {
	case REACH_RANGE_UNAFFECTED:
		strbuf_addf(out, "%s.x unaffected%s", series,
			    r->flags & REACH_STABLE_ONLY ?
				    " (fixed on stable branches only)" : "");
		break;
	case REACH_RANGE_FIXED_BEFORE:
		if (to_series_end(rel, r->last)) {
			strbuf_addstr(out,
				      reach_version(rel->items[r->first].name));
			strbuf_addstr(out, " and later");
		} else {
			add_span(out, rel, r->first, r->last);
		}
		strbuf_addstr(out, " unaffected (fixed before release)");
		break;
	case REACH_RANGE_FIXED_IN:
		add_span(out, rel, r->first, r->last);
		strbuf_addf(out, " affected%s, fixed in %s", unknown,
			    reach_version(rel->items[r->fixed_in].name));
		if (g && r->fixed_by < g->nr) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, 13, &g->oids[r->fixed_by]);
			strbuf_addf(out, " (%s)", hex);
		}
		break;
	case REACH_RANGE_OPEN:
		if (from_series_start(rel, r->first))
			strbuf_addf(out, "%s.x", series);
		else
			strbuf_addf(out, "%s and later",
				    reach_version(rel->items[r->first].name));
		strbuf_addf(out, " affected%s, no fix in series", unknown);
		break;
	case REACH_RANGE_AFFECTED:
		add_span(out, rel, r->first, r->last);
		strbuf_addf(out, " affected%s", unknown);
		break;
	}
}

const char *reach_state_name(enum reach_state s)
{
	switch (s) {
	case REACH_VULNERABLE:
		return "vulnerable";
	case REACH_FIXED:
		return "fixed";
	case REACH_NOT_AFFECTED:
		break;
	}
	return "not affected";
}
