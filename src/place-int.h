/*
 * place-int.h: what the placement modules (place.c, anchor.c, refuse.c,
 * wordmerge.c) share and nobody else uses.  See place.h for the cascade's contract.
 */
#ifndef SECPORT_PLACE_INT_H
#define SECPORT_PLACE_INT_H

#include "place.h"

#include <stdint.h>

struct place_key {
	uint64_t h;
	size_t pos;
};

/* One side (pre- or post-image) of a hunk: hunk line indices and hashes. */
struct side {
	size_t n;
	size_t *idx;
	uint64_t *h, *wh;
};

/* FNV-1a of a line; with ignore_ws, of its non-blank characters. */
uint64_t place_hash_line(const char *s, size_t n, int ignore_ws);

/* Lines of the file with hash h: their count, the first at *first. */
size_t place_lookup(const struct place_key *k, size_t nr, uint64_t h,
		    size_t *first);

/* Whether file lines [pos, pos + n) are free of other hunks (taken). */
int place_range_free(const unsigned char *taken, size_t pos, size_t n);

/* Whether file line q is the hunk line l byte for byte. */
int place_same_text(const struct place_file *pf, long q,
		    const struct patch_line *l);

/* Whether hunk line l holds only blanks. */
int place_blank_line(const struct patch_line *l);

/*
 * Whether the hunk's nearest context line not blank from line k outward
 * (dir) stands, at the file's nearest line not blank from q outward, as
 * a line only alike to it in words while the @@ function (the whole file
 * when it has none) holds a closer copy of it elsewhere: the line itself,
 * or one more alike holding a word of it the first lacks.  Then q is a
 * look-alike, and an insertion it pins may belong beside the copy.  With
 * map (an alignment), q must stand for that line there (aligned to it,
 * or both to nothing); file lines [slo, shi) are not looked at (the
 * hunk's lines matched line for line).
 */
int place_pin_elsewhere(const struct place_file *pf,
			const struct patch_hunk *h, const long *map, long k,
			long q, int dir, long slo, long shi);

/* place_pin_elsewhere beside every run of changes that only adds lines,
 * at lmap (per hunk line, its file line or -1). */
int place_pins_elsewhere(const struct place_file *pf,
			 const struct patch_hunk *h, const long *lmap);

/*
 * wordmerge_replay (wordmerge.h), also setting lmap[i] (h->nr longs) to
 * the file line that most of hunk line i's tokens went to (-1 for added
 * lines and lines that found none): the lines each edit is pinned by.
 */
int wordmerge_replay_lines(char **out, long *lmap,
			   const struct place_file *pf,
			   const struct patch_hunk *h, const long *map,
			   long lo, long hi);

/* Append a line (or file lines [from, to)) to out->post. */
void place_add_post(struct place_result *out, size_t *alloc, const char *s,
		    size_t len);
void place_add_file_lines(struct place_result *out, size_t *alloc,
			  const struct place_file *pf, long from, long to);

/*
 * The anchor tiers (anchor.c), tried in this order when realignment
 * fails: each places a hunk whose context drifted too much to align by
 * lines it can still trust, and returns 0 when it placed it (out set).
 */
int anchor_core(struct place_result *out, const struct place_file *pf,
		const struct patch_hunk *h, const struct side *pre,
		long expected, const unsigned char *taken);
int anchor_between(struct place_result *out, const struct place_file *pf,
		   const struct patch_hunk *h, const struct side *pre,
		   long expected, const unsigned char *taken);
/* The tiers that need no pre-image side; each defined in anchor.c. */
typedef int anchor_tier(struct place_result *out, const struct place_file *pf,
			const struct patch_hunk *h, long expected,
			const unsigned char *taken);
anchor_tier anchor_one_side, anchor_after_func, anchor_alike, anchor_header,
	anchor_adjacent, anchor_gone, anchor_removed, anchor_defs_gone,
	anchor_run_deleted;

/*
 * refuse.c: why out, placed by a tier, would make code the fix never
 * meant (NULL if not); whether out takes h as applied only outside its
 * @@ function, which still calls what h removes.
 */
const char *place_wrong_code(const struct place_result *out,
			     const struct place_file *pf,
			     const struct patch_hunk *h);
int place_applied_elsewhere(const struct place_result *out,
			    const struct place_file *pf,
			    const struct patch_hunk *h);

/* Whether line s is code: not blank, a comment or a preprocessor line. */
int place_code_line(const char *s, size_t n);

/* The file line in [q, end) that post line l is, or end: l is new. */
long place_file_line_of(const struct place_file *pf, const struct place_line *l,
			long q, long end);

#endif
