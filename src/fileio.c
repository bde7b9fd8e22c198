#include "fileio.h"
#include "strbuf.h"
#include "usage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int fileio_mkdirs(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	strbuf_addstr(&sb, dir);
	for (char *p = sb.buf + 1;; p++) {
		int last = !*p;

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(sb.buf, 0777) < 0 && errno != EEXIST) {
			ret = error("cannot create directory '%s': %s", sb.buf,
				    strerror(errno));
			break;
		}
		if (last)
			break;
		*p = '/';
	}
	strbuf_release(&sb);
	return ret;
}

static int same_content(const char *path, const void *buf, size_t len)
{
	struct strbuf old = STRBUF_INIT;
	int same;

	if (strbuf_read_file(&old, path, len + 1) < 0) {
		strbuf_release(&old);
		return 0;
	}
	same = old.len == len && !memcmp(old.buf, buf, len);
	strbuf_release(&old);
	return same;
}

int fileio_write_atomic(const char *path, const void *buf, size_t len,
			int *changed)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *p = buf;
	size_t left = len;
	int fd, ret = -1;

	if (changed)
		*changed = 0;
	if (same_content(path, buf, len))
		return 0;
	strbuf_addf(&tmp, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		error("cannot create '%s': %s", tmp.buf, strerror(errno));
		goto done;
	}
	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error("cannot write '%s': %s", tmp.buf, strerror(errno));
			close(fd);
			unlink(tmp.buf);
			goto done;
		}
		p += n;
		left -= (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || close(fd) < 0) {
		error("cannot write '%s': %s", tmp.buf, strerror(errno));
		unlink(tmp.buf);
		goto done;
	}
	if (rename(tmp.buf, path) < 0) {
		error("cannot rename '%s' to '%s': %s", tmp.buf, path,
		      strerror(errno));
		unlink(tmp.buf);
		goto done;
	}
	if (changed)
		*changed = 1;
	ret = 0;
done:
	strbuf_release(&tmp);
	return ret;
}

const void *fileio_map(const char *path, size_t *size)
{
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return map;
}
