#include "pack.h"
#include "fileio.h"
#include "strbuf.h"
#include "usage.h"

#include <dirent.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define OBJ_OFS_DELTA 6
#define OBJ_REF_DELTA 7
#define MAX_OBJECT (1u << 30) /* larger objects are libgit2's */
#define MAX_ALTERNATE_DEPTH 5 /* as git and libgit2 */
#define IDX_HEADER (8 + 256 * 4)
#define TRAILER GIT_OID_RAWSZ

struct pack {
	const unsigned char *idx, *map;
	size_t idx_size, size;
	uint32_t nr;
	const unsigned char *fanout, *oids, *off32, *off64;
	size_t nr_off64;
};

/* A pack entry: its type, its inflated size, where its zlib data starts
 * and, for a delta, where its base is. */
struct entry {
	int type;
	size_t size;
	size_t data;
	uint64_t base_off;	      /* OFS_DELTA */
	const unsigned char *base_id; /* REF_DELTA */
};

struct pack_reader {
	struct libdeflate_decompressor *z;
	/*
	 * The pack the last object was in, tried first: objects near in
	 * history are near in packs, and a repository fetched often and
	 * never repacked has many.  Only a hint (an index; any packs may
	 * come).
	 */
	size_t last_pack;
};

struct pack_reader *pack_reader_new(void)
{
	struct pack_reader *r = xcalloc(1, sizeof(*r));

	r->z = libdeflate_alloc_decompressor();
	if (!r->z)
		die("out of memory");
	return r;
}

void pack_reader_free(struct pack_reader *r)
{
	if (r) {
		libdeflate_free_decompressor(r->z);
		free(r);
	}
}

static void unmap(struct pack *k)
{
	if (k->idx)
		munmap((void *)k->idx, k->idx_size);
	if (k->map)
		munmap((void *)k->map, k->size);
}

/* Check an index (v2) and its pack against each other; fill the tables. */
static int check(struct pack *k)
{
	const unsigned char *m = k->idx;
	size_t min;

	if (k->idx_size < IDX_HEADER + 2 * TRAILER ||
	    memcmp(m, "\377tOc", 4) || be32(m + 4) != 2)
		return -1;
	k->fanout = m + 8;
	for (int i = 1; i < 256; i++) /* ascending: searches stay inside */
		if (be32(k->fanout + i * 4) < be32(k->fanout + i * 4 - 4))
			return -1;
	k->nr = be32(k->fanout + 255 * 4);
	min = IDX_HEADER + (size_t)k->nr * (GIT_OID_RAWSZ + 8) + 2 * TRAILER;
	if (k->idx_size < min || (k->idx_size - min) % 8)
		return -1;
	k->oids = m + IDX_HEADER;
	k->off32 = k->oids + (size_t)k->nr * (GIT_OID_RAWSZ + 4);
	k->off64 = k->off32 + (size_t)k->nr * 4;
	k->nr_off64 = (k->idx_size - min) / 8;
	/* the pack: its header, and the checksum the index names */
	if (k->size < 12 + TRAILER || memcmp(k->map, "PACK", 4) ||
	    (be32(k->map + 4) != 2 && be32(k->map + 4) != 3) ||
	    be32(k->map + 8) != k->nr ||
	    memcmp(k->map + k->size - TRAILER,
		   m + k->idx_size - 2 * TRAILER, TRAILER))
		return -1;
	return 0;
}

static void add_pack(struct packs *p, size_t *alloc, const char *idx_path)
{
	struct pack k = { 0 };
	struct strbuf path = STRBUF_INIT;

	strbuf_add(&path, idx_path, strlen(idx_path) - 4);
	strbuf_addstr(&path, ".pack");
	k.idx = fileio_map(idx_path, &k.idx_size);
	k.map = fileio_map(path.buf, &k.size);
	strbuf_release(&path);
	if (!k.idx || !k.map || check(&k)) {
		unmap(&k);
		return;
	}
	ALLOC_GROW(p->pack, p->nr + 1, *alloc);
	p->pack[p->nr++] = k;
}

static void open_dir(struct packs *p, size_t *alloc, const char *objdir,
		     int depth)
{
	struct strbuf path = STRBUF_INIT, alt = STRBUF_INIT;
	struct dirent *d;
	DIR *dir;
	char *line, *next;

	strbuf_addf(&path, "%s/pack", objdir);
	dir = opendir(path.buf);
	while (dir && (d = readdir(dir))) {
		size_t n = strlen(d->d_name);

		if (n <= 4 || strcmp(d->d_name + n - 4, ".idx"))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/pack/%s", objdir, d->d_name);
		add_pack(p, alloc, path.buf);
	}
	if (dir)
		closedir(dir);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/info/alternates", objdir);
	if (depth >= MAX_ALTERNATE_DEPTH ||
	    strbuf_read_file(&alt, path.buf, 1 << 16))
		goto done;
	for (line = alt.buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line || *line == '#')
			continue;
		strbuf_reset(&path);
		if (*line != '/')
			strbuf_addf(&path, "%s/", objdir);
		strbuf_addstr(&path, line);
		while (path.len > 1 && path.buf[path.len - 1] == '/')
			strbuf_setlen(&path, path.len - 1);
		open_dir(p, alloc, path.buf, depth + 1);
	}
done:
	strbuf_release(&alt);
	strbuf_release(&path);
}

void pack_open(struct packs *out, const char *objects_dir)
{
	size_t alloc = 0;

	memset(out, 0, sizeof(*out));
	open_dir(out, &alloc, objects_dir, 0);
}

void pack_close(struct packs *p)
{
	for (size_t i = 0; i < p->nr; i++)
		unmap(&p->pack[i]);
	free(p->pack);
	memset(p, 0, sizeof(*p));
}

/* The offset of id in pack k: 0, or -1 when it is not there (or the index
 * says nonsense). */
static int find(uint64_t *out, const struct pack *k, const unsigned char *id)
{
	uint32_t lo = id[0] ? be32(k->fanout + (id[0] - 1) * 4) : 0;
	uint32_t hi = be32(k->fanout + id[0] * 4);
	uint32_t want = be32(id + 1); /* id[0] is the bucket's: compare on */

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const unsigned char *o = k->oids + (size_t)mid * GIT_OID_RAWSZ;
		uint32_t v, have = be32(o + 1);
		int c = want < have ? -1 :
			want > have ? 1 : memcmp(id, o, GIT_OID_RAWSZ);

		if (c < 0) {
			hi = mid;
			continue;
		}
		if (c > 0) {
			lo = mid + 1;
			continue;
		}
		v = be32(k->off32 + (size_t)mid * 4);
		if (!(v & 0x80000000u))
			*out = v;
		else if ((v & 0x7fffffffu) < k->nr_off64)
			*out = be64(k->off64 + (size_t)(v & 0x7fffffffu) * 8);
		else
			return -1;
		return *out >= 12 && *out < k->size - TRAILER ? 0 : -1;
	}
	return -1;
}

/* Find id in any pack, trying first the pack first (may be NULL). */
static const struct pack *find_any(uint64_t *out, const struct packs *p,
				   const struct pack *first,
				   const unsigned char *id)
{
	if (first && !find(out, first, id))
		return first;
	for (size_t i = 0; i < p->nr; i++)
		if (&p->pack[i] != first && !find(out, &p->pack[i], id))
			return &p->pack[i];
	return NULL;
}

static int parse_entry(struct entry *e, const struct pack *k, uint64_t off)
{
	const unsigned char *end = k->map + k->size - TRAILER;
	const unsigned char *q = k->map + off;
	uint64_t size;
	unsigned shift = 4;
	unsigned char c = *q++;

	e->type = (c >> 4) & 7;
	size = c & 15;
	while (c & 0x80) {
		if (q >= end || shift > 60)
			return -1;
		c = *q++;
		size |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (size > MAX_OBJECT)
		return -1;
	e->size = (size_t)size;
	e->base_id = NULL;
	if (e->type == OBJ_OFS_DELTA) {
		uint64_t back;

		if (q >= end)
			return -1;
		c = *q++;
		back = c & 0x7f;
		while (c & 0x80) {
			if (q >= end || back >> 56)
				return -1;
			c = *q++;
			back = ((back + 1) << 7) | (c & 0x7f);
		}
		if (!back || back > off - 12)
			return -1;
		e->base_off = off - back;
	} else if (e->type == OBJ_REF_DELTA) {
		if (end - q < GIT_OID_RAWSZ)
			return -1;
		e->base_id = q;
		q += GIT_OID_RAWSZ;
	} else if (e->type < GIT_OBJECT_COMMIT || e->type > GIT_OBJECT_TAG) {
		return -1;
	}
	if (q >= end)
		return -1;
	e->data = (size_t)(q - k->map);
	return 0;
}

/* The size bytes that zlib data at data of pack k inflates to, exactly
 * (malloc'ed, NUL-terminated), or NULL. */
static unsigned char *inflate_entry(struct pack_reader *r, const struct pack *k,
				    size_t data, size_t size)
{
	unsigned char *buf = xmalloc(size + 1);

	if (libdeflate_zlib_decompress(r->z, k->map + data,
				       k->size - TRAILER - data, buf, size,
				       NULL) != LIBDEFLATE_SUCCESS) {
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	return buf;
}

static int delta_varint(size_t *out, const unsigned char **p,
			const unsigned char *end)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		if (*p >= end || shift > 63)
			return -1;
		c = *(*p)++;
		v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	if (v > MAX_OBJECT)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* Apply a delta (git's copy/insert instructions) to base: the result
 * (malloc'ed, NUL-terminated) and its size, or NULL. */
static unsigned char *delta_apply(size_t *out_size, const unsigned char *base,
				  size_t base_size, const unsigned char *d,
				  size_t d_size)
{
	const unsigned char *end = d + d_size;
	unsigned char *buf, *w;
	size_t src, dst;

	if (delta_varint(&src, &d, end) || src != base_size ||
	    delta_varint(&dst, &d, end))
		return NULL;
	buf = w = xmalloc(dst + 1);
	while (d < end) {
		unsigned char cmd = *d++;

		if (cmd & 0x80) { /* copy from the base */
			size_t off = 0, n = 0;

			for (int i = 0; i < 4; i++)
				if (cmd & (1u << i)) {
					if (d >= end)
						goto fail;
					off |= (size_t)*d++ << (8 * i);
				}
			for (int i = 0; i < 3; i++)
				if (cmd & (0x10u << i)) {
					if (d >= end)
						goto fail;
					n |= (size_t)*d++ << (8 * i);
				}
			if (!n)
				n = 0x10000;
			if (off > base_size || n > base_size - off ||
			    n > dst - (size_t)(w - buf))
				goto fail;
			memcpy(w, base + off, n);
			w += n;
		} else if (cmd) { /* insert cmd bytes of the delta */
			if (cmd > end - d ||
			    (size_t)cmd > dst - (size_t)(w - buf))
				goto fail;
			memcpy(w, d, cmd);
			w += cmd;
			d += cmd;
		} else {
			goto fail;
		}
	}
	if ((size_t)(w - buf) != dst)
		goto fail;
	*w = '\0';
	*out_size = dst;
	return buf;
fail:
	free(buf);
	return NULL;
}

int pack_read(char **out, size_t *size, git_object_t *type,
	      const struct packs *p, struct pack_reader *r, const git_oid *id)
{
	struct link {
		const struct pack *k;
		size_t data, size;
	} chain[PACK_MAX_DEPTH + 1];
	const struct pack *k;
	struct entry e;
	uint64_t off;
	unsigned char *buf;
	size_t n, depth;

	*out = NULL;
	if (!(k = find_any(&off, p,
			   r->last_pack < p->nr ? &p->pack[r->last_pack] : NULL,
			   id->id)))
		return 1;
	r->last_pack = (size_t)(k - p->pack);
	for (depth = 0;; depth++) {
		if (depth > PACK_MAX_DEPTH || parse_entry(&e, k, off))
			return 1;
		chain[depth] = (struct link){ k, e.data, e.size };
		if (e.type == OBJ_OFS_DELTA)
			off = e.base_off;
		else if (e.type != OBJ_REF_DELTA)
			break;
		else if (!(k = find_any(&off, p, k, e.base_id)))
			return 1;
	}
	buf = inflate_entry(r, k, e.data, e.size);
	n = e.size;
	while (buf && depth-- > 0) {
		struct link *l = &chain[depth];
		unsigned char *delta = inflate_entry(r, l->k, l->data, l->size);
		unsigned char *next = NULL;

		if (delta)
			next = delta_apply(&n, buf, n, delta, l->size);
		free(delta);
		free(buf);
		buf = next;
	}
	if (!buf)
		return 1;
	*out = (char *)buf;
	*size = n;
	*type = (git_object_t)e.type;
	return 0;
}
