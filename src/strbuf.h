/*
 * strbuf: growable NUL-terminated byte strings (after git's strbuf.h).
 *
 * A strbuf owns its buffer; STRBUF_INIT is an empty string that allocates
 * nothing.  Every append grows geometrically, so building a string of n bytes
 * costs O(n).  Allocation failure is fatal (xalloc), never returned.
 */
#ifndef SECPORT_STRBUF_H
#define SECPORT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Hand the buffer to the caller (always malloc'ed) and reset sb. */
char *strbuf_detach(struct strbuf *sb, size_t *len_out);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_rtrim(struct strbuf *sb);

/* Read a whole file; returns 0, or -1 with errno set.  max caps the size:
 * a larger file fails with EFBIG (0 means no cap). */
int strbuf_read_file(struct strbuf *sb, const char *path, size_t max);

#endif
