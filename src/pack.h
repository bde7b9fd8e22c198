/*
 * pack: read objects from git's pack files without libgit2, so the
 * history walk does not queue on libgit2's pack-window lock while another
 * thread diffs.
 *
 * pack_open() maps every index (pack/pack-*.idx, version 2) and its pack
 * of an objects directory and of its alternates, read-only.  pack_read()
 * finds an object by a fan-out step and a binary search in each index,
 * inflates it (libdeflate: whole buffers, twice zlib's speed) and applies
 * its delta chain (OFS_DELTA and REF_DELTA,
 * at most PACK_MAX_DEPTH deep).  The maps are never written: any number of
 * threads may read through one struct packs, each with its own
 * struct pack_reader.
 *
 * The reader only answers what it is sure of.  Anything else (a loose
 * object, an index it does not know, an entry that does not check out, a
 * base it cannot find) is "not mine", and the caller asks libgit2, which
 * reports what is wrong.  It checks zlib's checksum and every size, but
 * not the object's hash (libgit2 does; `git log` does not).
 * Cost: a lookup is O(log n) per pack; a read inflates the object and each
 * base of its chain (no base cache: Xen's commits are 91% whole, chains
 * short).  Memory: the maps, file-backed.  Format: gitformat-pack(5).
 */
#ifndef SECPORT_PACK_H
#define SECPORT_PACK_H

#include <git2.h>
#include <stddef.h>

#define PACK_MAX_DEPTH 64

struct pack;

struct packs {
	struct pack *pack;
	size_t nr;
};

/* Map the packs of objects_dir and its alternates.  Packs that cannot be
 * used are left out; *out may hold none.  Release with pack_close(). */
void pack_open(struct packs *out, const char *objects_dir);
void pack_close(struct packs *p);

/* What one thread reads with: an inflater, and the pack it last read from
 * (tried first: objects near in history are near in packs). */
struct pack_reader;
struct pack_reader *pack_reader_new(void);
void pack_reader_free(struct pack_reader *r);

/*
 * Read the object id: 0 with *out its contents (malloc'ed, NUL-terminated,
 * the caller's to free), *size and *type; 1 when the reader cannot give it
 * (*out is then NULL): ask libgit2.
 */
int pack_read(char **out, size_t *size, git_object_t *type,
	      const struct packs *p, struct pack_reader *r, const git_oid *id);

#endif
