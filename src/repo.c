#include "repo.h"
#include "gitutil.h"
#include "fileio.h"
#include "strbuf.h"
#include "usage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CONF_NAME "secport.conf"

void strlist_add(struct strlist *l, const char *s)
{
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr++] = xstrdup(s);
}

void strlist_clear(struct strlist *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

static int write_new_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wx");

	if (!fp)
		return error("cannot create '%s': %s", path, strerror(errno));
	fputs(text, fp);
	if (fclose(fp))
		return error("cannot write '%s': %s", path, strerror(errno));
	return 0;
}

int repo_init(const char *dir)
{
	struct strbuf path = STRBUF_INIT;
	git_config *cfg = NULL;
	int ret = -1;

	if (!dir)
		dir = ".";
	if (fileio_mkdirs(dir))
		goto done;
	strbuf_addf(&path, "%s/" CONF_NAME, dir);
	if (!access(path.buf, F_OK)) {
		error("'%s' already exists", path.buf);
		goto done;
	}
	if (write_new_file(path.buf,
			   "# secport patch repository configuration "
			   "(git-config syntax, see secport-repo(5))\n"))
		goto done;
	if (git_config_open_ondisk(&cfg, path.buf) < 0 ||
	    git_config_set_int32(cfg, "secport.version", 1) < 0) {
		gitutil_fail("cannot write", path.buf);
		goto done;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/advisories", dir);
	if (fileio_mkdirs(path.buf))
		goto done;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/.secport", dir);
	if (fileio_mkdirs(path.buf))
		goto done;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/.gitignore", dir);
	if (access(path.buf, F_OK) &&
	    write_new_file(path.buf, "# secport's rebuildable cache\n/.secport/\n"))
		goto done;
	ret = 0;
done:
	git_config_free(cfg);
	strbuf_release(&path);
	return ret;
}

int repo_open(struct repo *out, const char *start)
{
	char buf[PATH_MAX];
	struct strbuf conf = STRBUF_INIT;
	char *slash;

	memset(out, 0, sizeof(*out));
	out->lock_fd = -1;
	if (!realpath(start ? start : ".", buf))
		return error("cannot resolve '%s': %s", start ? start : ".",
			     strerror(errno));
	for (;;) {
		strbuf_reset(&conf);
		strbuf_addf(&conf, "%s/" CONF_NAME, strcmp(buf, "/") ? buf : "");
		if (!access(conf.buf, F_OK))
			break;
		slash = strrchr(buf, '/');
		if (!slash || slash == buf) {
			strbuf_release(&conf);
			return error("not a secport repository (no " CONF_NAME
				     " here or in any parent); run 'secport init'");
		}
		*slash = '\0';
	}
	if (git_config_open_ondisk(&out->cfg, conf.buf) < 0) {
		gitutil_fail("cannot read", conf.buf);
		strbuf_release(&conf);
		return -1;
	}
	strbuf_release(&conf);
	out->root = xstrdup(buf);
	return 0;
}

void repo_release(struct repo *r)
{
	if (r->lock_fd >= 0) {
		char *marker = repo_path(r, ".secport/dirty");

		unlink(marker); /* a clean end: nothing to sweep next time */
		free(marker);
		close(r->lock_fd); /* releases the flock */
	}
	git_config_free(r->cfg);
	free(r->root);
	memset(r, 0, sizeof(*r));
	r->lock_fd = -1;
}

char *repo_path(const struct repo *r, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", r->root, rel);
	return strbuf_detach(&sb, NULL);
}

/* A temporary file of fileio_write_atomic: "<name>.tmpXXXXXX". */
static int is_temp_name(const char *name)
{
	size_t n = strlen(name);

	return n > 10 && !strncmp(name + n - 10, ".tmp", 4);
}

/*
 * .secport/dirty exists while a command holds the lock: found when taking
 * the lock, it says the last holder was killed, so the temporary files its
 * writes may have left in advisories/ are removed, and so is the lock file
 * of a secport.conf write it was in (libgit2's secport.conf.lock, which
 * would make every later write of the configuration fail).
 */
static int sweep_if_interrupted(struct repo *r)
{
	char *marker = repo_path(r, ".secport/dirty");
	char *adv = repo_path(r, "advisories");
	char *conf_lock = repo_path(r, "secport.conf.lock");
	DIR *d = NULL;
	struct dirent *de;
	size_t swept = 0;
	int fd, ret = 0;

	if (access(marker, F_OK))
		goto mark;
	if (!unlink(conf_lock))
		swept++;
	d = opendir(adv);
	while (d && (de = readdir(d))) {
		struct strbuf sub = STRBUF_INIT;
		DIR *d2;
		struct dirent *f;

		if (de->d_name[0] == '.')
			continue;
		strbuf_addf(&sub, "%s/%s", adv, de->d_name);
		d2 = opendir(sub.buf);
		while (d2 && (f = readdir(d2))) {
			struct strbuf p = STRBUF_INIT;

			strbuf_addf(&p, "%s/%s", sub.buf, f->d_name);
			if (is_temp_name(f->d_name) && !unlink(p.buf))
				swept++;
			strbuf_release(&p);
		}
		if (d2)
			closedir(d2);
		strbuf_release(&sub);
	}
	if (d)
		closedir(d);
	if (swept)
		warning("removed %zu temporary files left by an interrupted "
			"secport", swept);
mark:
	fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		ret = error("cannot create '%s': %s", marker, strerror(errno));
	else
		close(fd);
	free(marker);
	free(adv);
	free(conf_lock);
	return ret;
}

/*
 * The lock is an flock() on .secport/lock: the kernel drops it when the
 * holder dies, so a lock left by a killed process can never block anyone.
 * The file itself stays and names the last holder's pid for diagnostics.
 */
int repo_lock(struct repo *r, int timeout_ms)
{
	char *dir = repo_path(r, ".secport"), *path = repo_path(r, ".secport/lock");
	int fd, waited = 0, ret = -1, said = 0;
	char pid[32];

	if (fileio_mkdirs(dir))
		goto done;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		error("cannot open '%s': %s", path, strerror(errno));
		goto done;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (errno != EWOULDBLOCK || waited >= timeout_ms) {
			error("'%s' is locked by another secport process", r->root);
			close(fd);
			goto done;
		}
		if (!said++)
			warning("waiting for another secport process to finish");
		nanosleep(&ts, NULL);
		waited += 50;
	}
	if (sweep_if_interrupted(r))
		goto done_fd;
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	/* the pid is informative only: failing to write it is harmless */
	if (ftruncate(fd, 0) == 0 && write(fd, pid, strlen(pid)) < 0)
		errno = 0;
	r->lock_fd = fd;
	ret = 0;
	goto done;
done_fd:
	close(fd);
done:
	free(dir);
	free(path);
	return ret;
}

static int collect(const git_config_entry *e, void *payload)
{
	/* "[source \"x\"] release" with no '=' has no value (git's
	 * "missing value"): an error, not a NULL string */
	if (!e->value) {
		error("configuration key '%s' has no value", e->name);
		return GIT_EUSER;
	}
	strlist_add(payload, e->value);
	return 0;
}

int repo_config_multivar(const struct repo *r, const char *key,
			 struct strlist *out)
{
	int rc = git_config_get_multivar_foreach(r->cfg, key, NULL, collect, out);

	if (rc == GIT_EUSER)
		return -1;
	if (rc < 0 && rc != GIT_ENOTFOUND)
		return gitutil_fail("cannot read configuration key", key);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int repo_sources(const struct repo *r, struct strlist *out)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;

	if (git_config_iterator_new(&it, r->cfg) < 0)
		return gitutil_fail("cannot read", CONF_NAME);
	while (git_config_next(&e, it) == 0) {
		size_t n = strlen(e->name);

		if (strncmp(e->name, "source.", 7) || n < 13 ||
		    strcmp(e->name + n - 5, ".path"))
			continue;
		char *s = xstrndup(e->name + 7, n - 12);
		strlist_add(out, s);
		free(s);
	}
	git_config_iterator_free(it);
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), cmp_str);
	return 0;
}

char *repo_source_path(const struct repo *r, const char *name)
{
	struct strbuf key = STRBUF_INIT;
	git_buf buf = GIT_BUF_INIT;
	char *ret = NULL;

	strbuf_addf(&key, "source.%s.path", name);
	if (!git_config_get_string_buf(&buf, r->cfg, key.buf)) {
		ret = xstrdup(buf.ptr);
		git_buf_dispose(&buf);
	}
	strbuf_release(&key);
	return ret;
}

int repo_release_globs(const struct repo *r, const char *name,
		       struct strlist *out)
{
	struct strbuf key = STRBUF_INIT;
	int ret;

	strbuf_addf(&key, "source.%s.release", name);
	ret = repo_config_multivar(r, key.buf, out);
	strbuf_release(&key);
	if (!ret && !out->nr) {
		strlist_add(out, "RELEASE-*");
		strlist_add(out, "v[0-9]*");
	}
	return ret;
}
