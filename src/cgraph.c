#include "cgraph.h"
#include "fileio.h"
#include "strbuf.h"
#include "usage.h"

#include <string.h>
#include <sys/mman.h>

#define CHUNK_OIDF 0x4f494446u
#define CHUNK_OIDL 0x4f49444cu
#define CHUNK_CDAT 0x43444154u
#define CHUNK_EDGE 0x45444745u
#define PARENT_NONE 0x70000000u
#define PARENT_EXTRA 0x80000000u
#define CDAT_SIZE (GIT_OID_RAWSZ + 16)

/* Check the header and chunk table; fill the chunk pointers. */
static int parse(struct cgraph *g)
{
	const unsigned char *m = g->map;
	unsigned chunks;
	size_t oidl = 0, cdat = 0, edge_len = 0, oidl_len = 0, cdat_len = 0;

	if (g->size < 8 + 12 || memcmp(m, "CGPH", 4) || m[4] != 1 || m[5] != 1 ||
	    m[7] != 0) /* version 1, SHA-1, no base graphs */
		return -1;
	chunks = m[6];
	if (g->size < 8 + (size_t)(chunks + 1) * 12)
		return -1;
	for (unsigned i = 0; i < chunks; i++) {
		const unsigned char *e = m + 8 + (size_t)i * 12;
		uint64_t off = be64(e + 4), next = be64(e + 16);

		if (off > g->size || next > g->size || next < off)
			return -1;
		switch (be32(e)) {
		case CHUNK_OIDF:
			if (next - off != 256 * 4)
				return -1;
			g->fanout = m + off;
			break;
		case CHUNK_OIDL:
			oidl = off;
			oidl_len = next - off;
			break;
		case CHUNK_CDAT:
			cdat = off;
			cdat_len = next - off;
			break;
		case CHUNK_EDGE:
			g->edges = m + off;
			edge_len = next - off;
			break;
		}
	}
	if (!g->fanout || !oidl || !cdat)
		return -1;
	g->nr = be32(g->fanout + 255 * 4);
	if (oidl_len != (size_t)g->nr * GIT_OID_RAWSZ ||
	    cdat_len != (size_t)g->nr * CDAT_SIZE)
		return -1;
	g->oids = m + oidl;
	g->data = m + cdat;
	g->nr_edges = edge_len / 4;
	return 0;
}

int cgraph_open(struct cgraph *out, const char *objects_dir)
{
	struct strbuf path = STRBUF_INIT;

	memset(out, 0, sizeof(*out));
	strbuf_addf(&path, "%s/info/commit-graph", objects_dir);
	out->map = fileio_map(path.buf, &out->size);
	strbuf_release(&path);
	if (!out->map)
		return 1;
	if (parse(out)) {
		cgraph_close(out);
		return 1;
	}
	return 0;
}

void cgraph_close(struct cgraph *g)
{
	if (g->map)
		munmap((void *)g->map, g->size);
	memset(g, 0, sizeof(*g));
}

uint32_t cgraph_find(const struct cgraph *g, const git_oid *id)
{
	uint32_t lo, hi;

	if (!g->map)
		return CGRAPH_NONE;
	lo = id->id[0] ? be32(g->fanout + (id->id[0] - 1) * 4) : 0;
	hi = be32(g->fanout + id->id[0] * 4);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(id->id, g->oids + (size_t)mid * GIT_OID_RAWSZ,
			       GIT_OID_RAWSZ);

		if (!c)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return CGRAPH_NONE;
}

static int add_parent(const struct cgraph *g, uint32_t pos, git_oid **out,
		      unsigned *nr, size_t *alloc)
{
	if (pos >= g->nr)
		return -1;
	ALLOC_GROW(*out, *nr + 1, *alloc);
	memcpy((*out)[(*nr)++].id, g->oids + (size_t)pos * GIT_OID_RAWSZ,
	       GIT_OID_RAWSZ);
	return 0;
}

int cgraph_parents(const struct cgraph *g, uint32_t pos, git_oid **out,
		   unsigned *nr, size_t *alloc)
{
	const unsigned char *d = g->data + (size_t)pos * CDAT_SIZE + GIT_OID_RAWSZ;
	uint32_t p1 = be32(d), p2 = be32(d + 4);

	if (p1 != PARENT_NONE && add_parent(g, p1, out, nr, alloc))
		return -1;
	if (p2 == PARENT_NONE)
		return 0;
	if (!(p2 & PARENT_EXTRA))
		return add_parent(g, p2, out, nr, alloc);
	/* an octopus: the rest of the parents are in the EDGE chunk */
	for (size_t e = p2 & ~PARENT_EXTRA;; e++) {
		uint32_t v;

		if (e >= g->nr_edges)
			return -1;
		v = be32(g->edges + e * 4);
		if (add_parent(g, v & ~PARENT_EXTRA, out, nr, alloc))
			return -1;
		if (v & PARENT_EXTRA)
			return 0;
	}
}
