/*
 * secport stream: lockstep package streams, their status and their
 * releases; see secport-stream(1).
 */
#include "banned.h"
#include "cmd.h"
#include "embargo.h"
#include "index.h"
#include "jsonutil.h"
#include "reach.h"
#include "repo.h"
#include "stream.h"
#include "usage.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counts {
	size_t needed, applied, released, pending, not_affected, embargoed;
};

static void count(struct counts *n, const struct stream_component *c)
{
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < c->nr; i++) {
		const struct stream_row *r = &c->rows[i];

		n->needed += r->state != STREAM_NOT_AFFECTED;
		n->applied += r->state == STREAM_APPLIED;
		n->released += r->state == STREAM_RELEASED;
		n->pending += r->state == STREAM_PENDING;
		n->not_affected += r->state == STREAM_NOT_AFFECTED;
		n->embargoed += r->embargoed;
	}
}

static void print_stream_text(const struct stream *s, const char *lockstep)
{
	printf("stream %s: version %s, distribution %s\n", s->name,
	       s->version ? s->version : "(none)", s->distribution);
	if (lockstep)
		printf("  not in lockstep: %s\n", lockstep);
	for (size_t i = 0; i < s->nr; i++) {
		const struct stream_component *c = &s->comps[i];
		struct counts n;

		count(&n, c);
		printf("  %s (package %s, source %s, %s, %s)", c->name,
		       c->package, c->source, c->release, c->target);
		if (lockstep) {
			putchar('\n');
			continue;
		}
		printf(": %zu needed, %zu applied, %zu released, %zu pending, "
		       "%zu not affected, %zu embargoed\n", n.needed,
		       n.applied, n.released, n.pending, n.not_affected,
		       n.embargoed);
		for (size_t j = 0; j < c->nr; j++) {
			const struct stream_row *r = &c->rows[j];

			printf("    %-20s %s", r->adv->id,
			       stream_state_name(r->state));
			if (r->reason)
				printf(": %s", r->reason);
			if (r->failed)
				printf(" (does not apply)");
			if (r->embargoed)
				printf(" [embargoed]");
			putchar('\n');
		}
		if (c->failure)
			printf("    cannot apply: %s\n", c->failure);
	}
}

static json_t *stream_json(const struct stream *s, const char *lockstep)
{
	json_t *o = json_object(), *comps = json_array();

	json_object_set_new(o, "name", json_text(s->name));
	json_object_set_new(o, "version",
			    s->version ? json_text(s->version) : json_null());
	json_object_set_new(o, "distribution", json_text(s->distribution));
	json_object_set_new(o, "lockstep", json_boolean(!lockstep));
	json_object_set_new(o, "lockstep_error",
			    lockstep ? json_text(lockstep) : json_null());
	for (size_t i = 0; i < s->nr; i++) {
		const struct stream_component *c = &s->comps[i];
		json_t *co = json_object(), *advs = json_array(), *cn;
		struct counts n;

		count(&n, c);
		json_object_set_new(co, "name", json_text(c->name));
		json_object_set_new(co, "package", json_text(c->package));
		json_object_set_new(co, "source", json_text(c->source));
		json_object_set_new(co, "release", json_text(c->release));
		json_object_set_new(co, "target", json_text(c->target));
		json_object_set_new(co, "failure", c->failure
				    ? json_text(c->failure) : json_null());
		for (size_t j = 0; !lockstep && j < c->nr; j++) {
			const struct stream_row *r = &c->rows[j];
			json_t *ao = json_object(), *al = json_array();

			json_object_set_new(ao, "id", json_text(r->adv->id));
			for (size_t k = 0; k < r->aliases.nr; k++)
				json_array_append_new(al,
						      json_text(r->aliases.items[k]));
			json_object_set_new(ao, "aliases", al);
			json_object_set_new(ao, "subject", r->subject
					    ? json_text(r->subject) : json_null());
			json_object_set_new(ao, "release_state",
					    json_string(reach_state_name(r->verdict)));
			json_object_set_new(ao, "state",
					    json_string(stream_state_name(r->state)));
			json_object_set_new(ao, "reason", r->reason
					    ? json_string(r->reason) : json_null());
			json_object_set_new(ao, "applies", json_boolean(!r->failed));
			json_object_set_new(ao, "embargoed",
					    json_boolean(r->embargoed));
			json_array_append_new(advs, ao);
		}
		cn = json_object();
		json_object_set_new(cn, "needed", json_integer((json_int_t)n.needed));
		json_object_set_new(cn, "applied", json_integer((json_int_t)n.applied));
		json_object_set_new(cn, "released",
				    json_integer((json_int_t)n.released));
		json_object_set_new(cn, "pending", json_integer((json_int_t)n.pending));
		json_object_set_new(cn, "not_affected",
				    json_integer((json_int_t)n.not_affected));
		json_object_set_new(cn, "embargoed",
				    json_integer((json_int_t)n.embargoed));
		json_object_set_new(co, "counts", cn);
		json_object_set_new(co, "advisories", advs);
		json_array_append_new(comps, co);
	}
	json_object_set_new(o, "components", comps);
	return o;
}

struct ctx {
	struct repo repo;
	struct index ix;
	int have_repo, have_ix;
	time_t now;
};

static int ctx_open(struct ctx *x, int lock)
{
	int ret;

	memset(x, 0, sizeof(*x));
	if (embargo_now(&x->now) || repo_open(&x->repo, "."))
		return -1;
	x->have_repo = 1;
	if (lock && repo_lock(&x->repo, lock_timeout()))
		return -1;
	ret = index_open_repo(&x->ix, &x->repo);
	x->have_ix = !ret;
	return ret;
}

static void ctx_close(struct ctx *x)
{
	if (x->have_ix)
		index_close(&x->ix);
	if (x->have_repo)
		repo_release(&x->repo);
}

static int stream_status(const char *name, int json)
{
	struct ctx x;
	struct strlist names = STRLIST_INIT;
	json_t *root = json_object(), *arr = json_array();
	size_t pending = 0;
	int ret = EXIT_FATAL, broken = 0;

	if (ctx_open(&x, 0))
		goto done;
	if (name)
		strlist_add(&names, name);
	else if (stream_names(&names, &x.repo))
		goto done;
	if (!names.nr) {
		error("no streams configured (see secport-repo(5))");
		goto done;
	}
	for (size_t i = 0; i < names.nr; i++) {
		struct stream s = STREAM_INIT;
		struct strbuf msg = STRBUF_INIT;
		const char *lock = NULL;
		int err = stream_load(&s, &x.repo, names.items[i]);

		if (!err && stream_lockstep(&msg, &s)) {
			error("stream '%s' is not in lockstep: %s", s.name,
			      msg.buf);
			lock = msg.buf;
			broken = 1;
		} else if (!err) {
			err = stream_plan(&s, &x.repo, &x.ix, x.now);
		}
		if (!err) {
			for (size_t c = 0; !lock && c < s.nr; c++) {
				struct counts n;

				count(&n, &s.comps[c]);
				pending += n.pending;
			}
			if (json)
				json_array_append_new(arr, stream_json(&s, lock));
			else
				print_stream_text(&s, lock);
		}
		stream_release(&s);
		strbuf_release(&msg);
		if (err)
			goto done;
	}
	if (json) {
		json_object_set_new(root, "streams", arr);
		arr = NULL;
		json_object_set_new(root, "pending",
				    json_integer((json_int_t)pending));
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	}
	ret = broken ? EXIT_FATAL : pending ? EXIT_NEGATIVE : 0;
done:
	json_decref(arr);
	json_decref(root);
	strlist_clear(&names);
	ctx_close(&x);
	return ret;
}

/* "Name <email>": DEBFULLNAME and DEBEMAIL (or a DEBEMAIL holding both),
 * else stream.<name>.maintainer; malloc'ed or NULL. */
static char *maintainer(const struct stream *s)
{
	const char *name = getenv("DEBFULLNAME"), *mail = getenv("DEBEMAIL");
	struct strbuf sb = STRBUF_INIT;

	if (mail && *mail && strchr(mail, '<'))
		return xstrdup(mail);
	if (mail && *mail && name && *name) {
		strbuf_addf(&sb, "%s <%s>", name, mail);
		return strbuf_detach(&sb, NULL);
	}
	return s->maintainer ? xstrdup(s->maintainer) : NULL;
}

static int stream_do_release(const char *name, int include_embargoed,
			     int dry_run)
{
	struct stream_write_options wo = STREAM_WRITE_OPTIONS_INIT;
	struct stream_written *w = NULL;
	struct stream s = STREAM_INIT;
	struct strbuf msg = STRBUF_INIT;
	struct ctx x;
	char *who = NULL, *version = NULL;
	int ret = EXIT_FATAL, changed = 0, failed = 0;

	if (ctx_open(&x, !dry_run) || stream_load(&s, &x.repo, name))
		goto done;
	if (stream_lockstep(&msg, &s)) {
		error("stream '%s' is not in lockstep: %s", name, msg.buf);
		goto done;
	}
	who = maintainer(&s);
	if (!who || !strchr(who, '<') || !strchr(who, '>')) {
		error("no maintainer for the changelog: set DEBFULLNAME and "
		      "DEBEMAIL, or stream.%s.maintainer to 'Name <email>'",
		      name);
		goto done;
	}
	if (stream_plan(&s, &x.repo, &x.ix, x.now))
		goto done;
	for (size_t i = 0; i < s.nr; i++)
		if (s.comps[i].failure) {
			if (!failed++)
				printf("stream %s: not released, nothing "
				       "written\n", name);
			printf("  %s: cannot apply %s\n", s.comps[i].name,
			       s.comps[i].failure);
		}
	if (failed) {
		ret = EXIT_NEGATIVE;
		goto done;
	}
	wo.include_embargoed = include_embargoed;
	wo.dry_run = dry_run;
	wo.maintainer = who;
	wo.date = x.now;
	w = xcalloc(s.nr ? s.nr : 1, sizeof(*w));
	if (stream_write(w, &changed, &version, &s, &x.repo, &wo))
		goto done;
	if (!changed) {
		printf("stream %s: every series is up to date at %s; nothing "
		       "written\n", name, s.version);
		ret = 0;
		goto done;
	}
	printf("stream %s: %s %s -> %s\n", name,
	       dry_run ? "would release" : "released", s.version, version);
	for (size_t i = 0; i < s.nr; i++) {
		const struct stream_component *c = &s.comps[i];

		printf("  %s: %s %s, %zu patches in %s/debian/patches/series\n",
		       c->name, c->package, version, w[i].patches, c->target);
		for (size_t j = 0; j < w[i].entries.nr; j++)
			printf("    * %s\n", w[i].entries.items[j]);
		for (size_t j = 0; j < w[i].files.nr; j++)
			printf("    %s %s\n", dry_run ? "would write" : "wrote",
			       w[i].files.items[j]);
		for (size_t j = 0; j < w[i].removed.nr; j++)
			printf("    %s %s\n", dry_run ? "would remove" : "removed",
			       w[i].removed.items[j]);
	}
	ret = 0;
done:
	for (size_t i = 0; w && i < s.nr; i++)
		stream_written_release(&w[i]);
	free(w);
	stream_release(&s);
	strbuf_release(&msg);
	free(who);
	free(version);
	ctx_close(&x);
	return ret;
}

int cmd_stream(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "include-embargoed", no_argument, NULL, 'e' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, include = 0, dry_run = 0, c;
	const char *sub;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return cmd_usage("stream", 1);
		default:
			return cmd_usage("stream", 0);
		}
	}
	if (optind >= argc) {
		error("a subcommand is required: status or release");
		return cmd_usage("stream", 0);
	}
	sub = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'e':
			include = 1;
			break;
		case 'n':
			dry_run = 1;
			break;
		case 'h':
			return cmd_usage("stream", 1);
		default:
			return cmd_usage("stream", 0);
		}
	}
	if (!strcmp(sub, "status")) {
		if (include || dry_run || argc - optind > 1) {
			error("stream status takes [NAME] [--json]");
			return cmd_usage("stream", 0);
		}
		return stream_status(optind < argc ? argv[optind] : NULL, json);
	}
	if (!strcmp(sub, "release")) {
		if (json || argc - optind != 1) {
			error("stream release takes NAME [--include-embargoed] "
			      "[--dry-run]");
			return cmd_usage("stream", 0);
		}
		return stream_do_release(argv[optind], include, dry_run);
	}
	error("unknown stream subcommand '%s'", sub);
	return cmd_usage("stream", 0);
}
