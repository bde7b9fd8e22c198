/*
 * fault.so: a test-only LD_PRELOAD library for fault injection (t6002,
 * t6003).  Not linked into secport.  Build:
 *   cc -shared -fPIC -o fault.so tests/fault/fault.c -ldl
 *
 * FAULT_KILL_AT=N      raise SIGKILL at the Nth call of rename(), renameat(),
 *                      write(), pwrite(), close() or unlink(), before the
 *                      call is made (so N = 1, 2, ... until a run completes
 *                      visits the state after every such call).
 * FAULT_ENOSPC_AFTER=N write() and pwrite() to regular files fail with
 *                      ENOSPC once N bytes in all have been written (a write
 *                      crossing the limit is short, as on a full disk).
 * FAULT_LOG=FILE       append one line per counted call, "N call path" (and
 *                      the byte count for writes), to FILE; the last line
 *                      names the kill point.
 *
 * Only calls through the dynamic symbols are seen: glibc's stdio (fwrite,
 * fclose) calls its internal write and close, so stdout, stderr and
 * fopen()ed files are not counted; SQLite's and libgit2's calls are.  The
 * log itself is written with raw system calls.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static long kill_at = -1;
static long long enospc_after = -1;
static long calls;
static long long written;
static int log_fd = -1;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static int (*real_close)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_unlink)(const char *);

__attribute__((constructor)) static void fault_init(void)
{
	const char *s;

	real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	real_pwrite = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
	real_pwrite64 = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
	real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	real_rename = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	real_renameat = (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");
	real_unlink = (int (*)(const char *))dlsym(RTLD_NEXT, "unlink");
	if ((s = getenv("FAULT_KILL_AT")) && *s)
		kill_at = strtol(s, NULL, 10);
	if ((s = getenv("FAULT_ENOSPC_AFTER")) && *s)
		enospc_after = strtoll(s, NULL, 10);
	if ((s = getenv("FAULT_LOG")) && *s)
		log_fd = (int)syscall(SYS_openat, AT_FDCWD, s,
				      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				      0644);
}

static void fd_path(char *buf, size_t size, int fd)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	if (n < 0)
		n = snprintf(buf, size, "fd %d", fd) > 0 ? (ssize_t)strlen(buf) : 0;
	buf[n] = '\0';
}

/* Count one call; log it; die if it is the chosen one.  what is printed
 * after the number (a call name and a path). */
static void point(const char *fmt, ...)
{
	long n = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);

	if (log_fd >= 0) {
		char line[4200];
		int len = snprintf(line, sizeof(line), "%ld ", n);
		va_list ap;

		va_start(ap, fmt);
		if (len > 0 && (size_t)len < sizeof(line))
			len += vsnprintf(line + len, sizeof(line) - (size_t)len,
					 fmt, ap);
		va_end(ap);
		if (len > (int)sizeof(line) - 2)
			len = (int)sizeof(line) - 2;
		line[len++] = '\n';
		syscall(SYS_write, log_fd, line, (size_t)len);
	}
	if (n == kill_at)
		raise(SIGKILL);
}

/* len < 0: not a write */
static void fd_point(const char *call, int fd, long long len)
{
	char path[4096];

	if (log_fd >= 0)
		fd_path(path, sizeof(path), fd);
	else
		path[0] = '\0';
	if (len < 0)
		point("%s %s", call, path);
	else
		point("%s %s %lld", call, path, len);
}

/* How much of len may be written to fd before the disk is "full". */
static size_t room(int fd, size_t len)
{
	struct stat st;
	long long left;

	if (enospc_after < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
		return len;
	left = enospc_after - __atomic_load_n(&written, __ATOMIC_SEQ_CST);
	if (left <= 0)
		return 0;
	return (unsigned long long)left < len ? (size_t)left : len;
}

static ssize_t account(ssize_t n)
{
	if (n > 0)
		__atomic_add_fetch(&written, n, __ATOMIC_SEQ_CST);
	return n;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	size_t ok;

	fd_point("write", fd, (long long)len);
	ok = room(fd, len);
	if (len && !ok) {
		errno = ENOSPC;
		return -1;
	}
	return account(real_write(fd, buf, ok));
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	size_t ok;

	fd_point("pwrite", fd, (long long)len);
	ok = room(fd, len);
	if (len && !ok) {
		errno = ENOSPC;
		return -1;
	}
	return account(real_pwrite(fd, buf, ok, off));
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	size_t ok;

	fd_point("pwrite64", fd, (long long)len);
	ok = room(fd, len);
	if (len && !ok) {
		errno = ENOSPC;
		return -1;
	}
	return account(real_pwrite64(fd, buf, ok, off));
}

int close(int fd)
{
	fd_point("close", fd, -1);
	return real_close(fd);
}

int rename(const char *from, const char *to)
{
	point("rename %s %s", from, to);
	return real_rename(from, to);
}

int renameat(int dfrom, const char *from, int dto, const char *to)
{
	point("renameat %s %s", from, to);
	return real_renameat(dfrom, from, dto, to);
}

int unlink(const char *path)
{
	point("unlink %s", path);
	return real_unlink(path);
}
