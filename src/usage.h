/*
 * usage: diagnostics and allocation wrappers (after git's usage.c).
 *
 * error() and warning() print "error: ..." / "warning: ..." to stderr and
 * return -1 / 0 so callers can `return error(...)`.  die() prints
 * "fatal: ..." and exits 128; only main.c, cmd_*.c and the x*alloc
 * wrappers may call it.  Messages are lowercase with no full stop.
 */
#ifndef SECPORT_USAGE_H
#define SECPORT_USAGE_H

#include <stddef.h>

#define PRINTF(a, b) __attribute__((format(printf, a, b)))

_Noreturn void die(const char *fmt, ...) PRINTF(1, 2);
int error(const char *fmt, ...) PRINTF(1, 2);
void warning(const char *fmt, ...) PRINTF(1, 2);

/* With SECPORT_TRACE set: "trace: <seconds since the first trace> msg"
 * on stderr, to see where time goes. */
void trace(const char *fmt, ...) PRINTF(1, 2);

/* Set by --quiet: warnings and progress are suppressed. */
extern int usage_quiet;

/*
 * While on, error() prints only the first error: threads writing at once
 * (a full disk fails every writer) report one line, the cause.
 */
void usage_first_error_only(int on);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow an array to hold at least n elements (ALLOC_GROW in git). */
#define ALLOC_GROW(arr, n, alloc)                                         \
	do {                                                              \
		if ((size_t)(n) > (alloc)) {                              \
			size_t a_ = (alloc) < 16 ? 16 : (alloc) * 3 / 2;  \
			if (a_ < (size_t)(n))                             \
				a_ = (size_t)(n);                         \
			(arr) = xrealloc((arr), a_ * sizeof(*(arr)));     \
			(alloc) = a_;                                     \
		}                                                         \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
