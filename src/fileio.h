/* fileio: small file helpers shared by the writers of the repository. */
#ifndef SECPORT_FILEIO_H
#define SECPORT_FILEIO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Replace path with buf[0..len) atomically: a temporary file in the same
 * directory renamed into place, so a reader or a killed run sees the old or
 * the new content, never a mix.  No fsync: everything secport writes is
 * derived and rewritten by the next run (thousands of fsyncs made a scan
 * many times slower); a killed run's temporary files are swept by
 * repo_lock().  When the file already holds
 * exactly buf nothing is written and *changed (if given) is set to 0.
 */
int fileio_write_atomic(const char *path, const void *buf, size_t len,
			int *changed);
/* mkdir -p */
int fileio_mkdirs(const char *dir);
/* Map path read-only: its bytes and *size, or NULL (missing, empty or
 * unreadable).  Release with munmap. */
const void *fileio_map(const char *path, size_t *size);

/* The big-endian numbers of git's binary files (pack index, commit-graph). */
static inline uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

#endif
