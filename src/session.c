/* session.c — one investigation session for the console, `run` and `query`: runbook,
 * window and lookback, case, sources, lists (see session.h). */
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case_state.h"
#include "jframe.h"
#include "query_check.h"
#include "source.h"
#include "tgtime.h"

void session_init(tg_session *ss)
{
	memset(ss, 0, sizeof *ss);
	cli_opts_init(&ss->o);
	qctx_init(&ss->ctx);
}

void session_free(tg_session *ss)
{
	if (ss->cs)
		case_close(&ss->cs);
	for (int i = 0; i < ss->nqs; i++)
		query_free(&ss->qs[i]);
	free(ss->qs);
	listset_free(&ss->ls);
	store_free(&ss->s);
	if (ss->own_rb)
		runbook_free(&ss->rb);
	rblib_free(&ss->lib);
	rblib_dirs_free(ss->search);
	if (ss->spill) {
		unlink(ss->spill);
		free(ss->spill);
	}
	cli_opts_free(&ss->o);
	memset(ss, 0, sizeof *ss);
}

int session_search(tg_session *ss)
{
	for (int i = 0; i < ss->nextra; i++)
		if (!rblib_is_dir(ss->extra[i])) {
			fprintf(stderr, "trailguide: --runbooks %s: no such directory\n", ss->extra[i]);
			return -1;
		}
	rblib_dirs_free(ss->search);
	ss->nsearch = rblib_search_path(ss->extra, ss->nextra, &ss->search);
	return 0;
}

static void load_lib(tg_session *ss, sbuf *diag, sbuf *shadow)
{
	if (!ss->search && session_search(ss) < 0)
		return;
	if (!ss->lib)
		ss->lib = rblib_load(ss->search, ss->nsearch, diag, shadow);
}

static void add_query(tg_session *ss, query *q)
{
	ss->qs = xrealloc(ss->qs, (size_t)(ss->nqs + 2) * sizeof *ss->qs);
	ss->qs[ss->nqs++] = q;
	ss->qs[ss->nqs] = NULL;
}

/* Parse every step of rb into ss->qs; -1 after printing the first error. */
static int parse_steps(tg_session *ss, const runbook *rb)
{
	for (int i = 0; i < rb->nsteps; i++) {
		qerr e;
		query *q = query_parse(rb->steps[i].query, &e);
		if (!q) {
			int line, col;
			runbook_query_pos(&rb->steps[i], e.col < 0 ? 0 : e.col, &line, &col);
			sbuf d;
			sbuf_init(&d);
			runbook_diag(&d, rb->path, line, col, "error", "query: %s", e.msg);
			fputs(d.s, stderr);
			sbuf_free(&d);
			return -1;
		}
		add_query(ss, q);
	}
	return 0;
}

int session_runbook(tg_session *ss, const char *arg)
{
	struct stat st;
	sbuf diag, shadow;
	sbuf_init(&diag);
	sbuf_init(&shadow);
	if (!ss->search && session_search(ss) < 0)
		goto fail;
	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		ss->rb = runbook_load(arg, &diag);
		ss->own_rb = ss->rb != NULL;
		if (!ss->rb)
			fputs(diag.s ? diag.s : "", stderr);
	} else {
		load_lib(ss, &diag, &shadow);
		ss->rb = ss->lib ? (runbook *)rblib_find(ss->lib, arg) : NULL;
		size_t idl = strlen(arg);
		for (const char *p = shadow.s; p && *p;) { /* only this id's shadowing */
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			if (n > idl + 4 && !memcmp(p, arg, idl) && !memcmp(p + idl, " in ", 4))
				fprintf(stderr, "trailguide: %.*s\n", (int)n, p);
			p += n + (e ? 1 : 0);
		}
		if (!ss->rb) {
			fputs(diag.s ? diag.s : "", stderr);
			fprintf(stderr, "trailguide: no runbook '%s': not a file, and no runbook in the "
					"search path (%d director%s) has that id; see `trailguide "
					"runbooks`\n", arg, ss->nsearch, ss->nsearch == 1 ? "y" : "ies");
		}
	}
	if (!ss->rb || parse_steps(ss, ss->rb) < 0)
		goto fail;
	sbuf_free(&diag);
	sbuf_free(&shadow);
	return 0;
fail:
	if (ss->own_rb)
		runbook_free(&ss->rb);
	ss->rb = NULL;
	ss->own_rb = 0;
	for (int i = 0; i < ss->nqs; i++)
		query_free(&ss->qs[i]);
	ss->nqs = 0;
	sbuf_free(&diag);
	sbuf_free(&shadow);
	return -1;
}

query *session_query(tg_session *ss, const char *text)
{
	qerr err;
	query *q = query_parse(text, &err);
	if (!q) {
		sbuf b;
		sbuf_init(&b);
		query_err_format(text, &err, &b);
		fprintf(stderr, "trailguide: bad query:\n%s", b.s ? b.s : "");
		sbuf_free(&b);
		return NULL;
	}
	add_query(ss, q);
	return q;
}

/* The longest lookback of any runbook in the library: the console's picker loads before it
 * knows which runbook will be chosen. */
static int64_t library_lookback(tg_session *ss)
{
	sbuf diag, shadow;
	sbuf_init(&diag);
	sbuf_init(&shadow);
	load_lib(ss, &diag, &shadow);
	sbuf_free(&diag);
	sbuf_free(&shadow);
	int64_t lb = 0;
	for (int i = 0; ss->lib && i < ss->lib->n; i++) {
		const runbook *rb = ss->lib->v[i];
		for (int k = 0; k < rb->nsteps; k++) {
			qerr e;
			query *q = query_parse(rb->steps[k].query, &e);
			int64_t d = query_lookback(q);
			if (d > lb)
				lb = d;
			query_free(&q);
		}
	}
	return lb;
}

/* --since/--until as given, else the runbook's window back from now (until now). */
static void window_args(tg_session *ss, const runbook *rb)
{
	ss->o.since_s = ss->since_arg;
	ss->o.until_s = ss->until_arg;
	if (!ss->since_arg && rb && rb->window > 0) {
		snprintf(ss->window_s, sizeof ss->window_s, "%llds", (long long)(rb->window / 1000));
		ss->o.since_s = ss->window_s;
		if (!ss->until_arg)
			ss->o.until_s = "now";
	}
}

/* The window's arguments, the lookback of the queries, and the times resolved. */
static int window_resolve(tg_session *ss)
{
	window_args(ss, ss->rb);
	ss->lookback = 0;
	for (int i = 0; i < ss->nqs; i++) {
		int64_t lb = query_lookback(ss->qs[i]);
		if (lb > ss->lookback)
			ss->lookback = lb;
	}
	if (ss->console && !ss->rb && ss->since_arg) {
		int64_t lb = library_lookback(ss);
		if (lb > ss->lookback)
			ss->lookback = lb;
	}
	ss->o.lookback = ss->lookback;
	return cli_resolve_times(&ss->o);
}

/* A console reopening a case without -r walks the case's runbook again. */
static void reopen_runbook(tg_session *ss)
{
	case_state *st = case_state_load(ss->cs->dir, ss->cs->key, ss->cs->keylen, 0);
	char *id = st->runbook_id ? xstrdup(st->runbook_id) : NULL;
	case_state_free(&st);
	if (!id)
		return;
	if (session_runbook(ss, id) == 0 && window_resolve(ss) == 0)
		case_record_runbook(ss->cs, ss->rb);
	else
		fprintf(stderr, "trailguide: case %s: its runbook '%s' is not available; opening "
				"the picker\n", ss->cs->id, id);
	free(id);
}

int session_begin(tg_session *ss, const char *command)
{
	ss->since_arg = ss->o.since_s;
	ss->until_arg = ss->o.until_s;
	if (window_resolve(ss) < 0)
		return -1;
	/* every console session is journaled: a new case unless one was named */
	if (ss->console && !ss->co.dir && !ss->co.id)
		ss->co.new_case = 1;
	/* the case is locked before anything is read, so a busy case fails fast */
	const char *label = ss->rb ? ss->rb->id : ss->console ? "console" : command;
	if (case_begin(&ss->co, label, &ss->cs) < 0)
		return -1;
	if (ss->cs) {
		ss->o.hash_files = 1;
		if (case_record_open(ss->cs, command, ss->rb) < 0)
			return -1;
		if (ss->console && !ss->rb && ss->cs->before > 0)
			reopen_runbook(ss);
	}
	return 0;
}

/* Copy standard input, or a FIFO or character device named as a source (`<(cat f)`,
 * /dev/stdin), into a private file: the store reads raw events back from their file later,
 * which a pipe cannot give twice. Returns the file's path (malloc'd) or NULL. */
static char *spill(const char *name, int fd)
{
	const char *tmp = getenv("TMPDIR");
	sbuf p;
	sbuf_init(&p);
	sbuf_addf(&p, "%s/trailguide-stdin-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int out = mkstemp(p.s);
	if (out < 0) {
		fprintf(stderr, "trailguide: %s: cannot make a file to hold it: %s\n", name,
			strerror(errno));
		sbuf_free(&p);
		return NULL;
	}
	char buf[65536];
	ssize_t n;
	int bad = 0;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "trailguide: %s: %s\n", name, strerror(errno));
			bad = 1;
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				fprintf(stderr, "trailguide: %s: writing %s: %s\n", name, p.s,
					strerror(errno));
				bad = 1;
				break;
			}
			off += w;
		}
		if (bad)
			break;
	}
	close(out);
	if (bad) {
		unlink(p.s);
		sbuf_free(&p);
		return NULL;
	}
	return p.s;
}

/* `-` and pipes become spill files; returns -1 when one cannot be read. */
static int spill_paths(tg_session *ss, char **paths, int npaths)
{
	for (int i = 0; i < npaths; i++) {
		struct stat st;
		int is_dash = !strcmp(paths[i], "-");
		if (!is_dash && (source_kind_of(paths[i]) != SRC_LOCAL || stat(paths[i], &st) != 0 ||
				 !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))))
			continue;
		if (ss->spill) {
			fprintf(stderr, "trailguide: %s: only one source may be standard input or a "
					"pipe\n", paths[i]);
			return -1;
		}
		if (is_dash && isatty(0)) {
			fprintf(stderr, "trailguide: -: standard input is a terminal; pipe events into "
					"it or name a file\n");
			return -1;
		}
		int fd = is_dash ? 0 : open(paths[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "trailguide: %s: %s\n", paths[i], strerror(errno));
			return -1;
		}
		ss->spill = spill(is_dash ? "standard input" : paths[i], fd);
		if (!is_dash)
			close(fd);
		if (!ss->spill)
			return -1;
		paths[i] = ss->spill;
	}
	return 0;
}

/* A named local source that exists but from which no CloudTrail file came. */
static int holds_cloudtrail(const store *s, const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	for (size_t i = 0; i < s->nfiles; i++) {
		const store_file *f = &s->files[i];
		if (strncmp(f->path, path, n) || (f->path[n] && f->path[n] != '/'))
			continue;
		if (f->fmt != JFMT_UNKNOWN && f->fmt != JFMT_EMPTY)
			return 1;
	}
	return 0;
}

static int check_sources(tg_session *ss, char **paths, int npaths)
{
	int bad = 0;
	if (ss->st.dirs_pruned || ss->st.files_digest)
		return 0; /* a trail whose days fell outside the window is still a trail */
	for (int i = 0; i < npaths; i++) {
		struct stat st;
		if (source_kind_of(paths[i]) != SRC_LOCAL || stat(paths[i], &st) != 0)
			continue; /* remote ones and globs answer for themselves */
		if (holds_cloudtrail(ss->s, paths[i]))
			continue;
		const char *shown = ss->spill && !strcmp(paths[i], ss->spill) ? "-" : paths[i];
		fprintf(stderr, "trailguide: %s: holds no CloudTrail (%s)\n", shown,
			S_ISDIR(st.st_mode) ? "no .json, .json.gz, .jsonl or .ndjson file of CloudTrail "
					      "records below it"
					    : "not CloudTrail records, an NDJSON export or lookup-events "
					      "output");
		bad = 1;
	}
	return bad ? -1 : 0;
}

static void load_lists(tg_session *ss)
{
	char **ldirs = NULL;
	int nl = rblib_lists_dirs(ss->rb ? &ss->rb->path : NULL, ss->rb ? 1 : 0, ss->search,
				  ss->nsearch, &ldirs);
	sbuf warn;
	sbuf_init(&warn);
	listset_free(&ss->ls);
	ss->ls = listset_load(ldirs, nl, ss->o.now, &warn);
	FILE *w = ss->o.warn ? ss->o.warn : stderr;
	for (const char *p = warn.s; p && *p;) {
		const char *e = strchr(p, '\n');
		fprintf(w, "trailguide: %.*s\n", (int)(e ? e - p : (long)strlen(p)), p);
		p = e ? e + 1 : p + strlen(p);
	}
	sbuf_free(&warn);
	rblib_dirs_free(ldirs);
	ss->ctx.lists = ss->ls;
}

int session_load(tg_session *ss, char **paths, int npaths)
{
	if (!ss->search && session_search(ss) < 0)
		return EXIT_USAGE;
	if (npaths == 0) {
		const char *d = cli_sample_dir();
		struct stat st;
		int piped = !isatty(0) && fstat(0, &st) == 0 &&
			    (S_ISFIFO(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size > 0));
		if (d && (piped || !ss->o.quiet))
			fprintf(ss->o.warn ? ss->o.warn : stderr,
				"trailguide: no SOURCE given: reading the bundled sample incident (%s)"
				"%s\n", d, piped ? "; standard input is not read: give - to read it" : "");
		ss->used_sample = d != NULL;
	}
	if (spill_paths(ss, paths, npaths) < 0)
		return EXIT_USAGE;
	ss->o.queries = ss->qs;
	ss->o.nqueries = ss->nqs;
	ss->s = store_new();
	int rc = cli_load(ss->s, paths, npaths, &ss->o, &ss->st);
	if (ss->cs)
		case_record_sources(ss->cs, ss->s);
	if (rc == EXIT_OK && check_sources(ss, paths, npaths) < 0)
		rc = EXIT_USAGE;
	load_lists(ss);
	ss->ctx.now = ss->o.now;
	ss->ctx.since = ss->o.since;
	ss->ctx.until = ss->o.until;
	return rc;
}

int session_pushdown(tg_session *ss, query *q, char **paths, int npaths, result **r)
{
	*r = NULL;
	if (npaths != 1 || ss->cs || source_kind_of(paths[0]) != SRC_ATHENA ||
	    query_lookback(q) > 0 || !query_is_table(q))
		return 0;
	int rc = cli_remote_table(paths[0], q, &ss->o, r);
	if (rc != 0) {
		ss->s = store_new();
		ss->ctx.now = ss->o.now;
		ss->ctx.since = ss->o.since;
		ss->ctx.until = ss->o.until;
	}
	return rc;
}

void session_set_window(tg_session *ss, int64_t since, int64_t until)
{
	ss->o.since = ss->ctx.since = since;
	ss->o.until = ss->ctx.until = until;
}

void session_pick(tg_session *ss, runbook *rb)
{
	if (ss->own_rb)
		runbook_free(&ss->rb);
	ss->own_rb = 0;
	ss->rb = rb;
	if (!ss->since_arg) {
		int64_t since = rb->window > 0 ? ss->o.now - rb->window : TG_TIME_NONE;
		int64_t until = rb->window > 0 && !ss->until_arg ? ss->o.now : ss->o.until;
		session_set_window(ss, since, until);
	}
	load_lists(ss);
	if (ss->cs)
		case_record_runbook(ss->cs, rb);
}

struct field_warn {
	const tg_session *ss;
	int step;     /* the runbook step the query is, or -1 for an ad-hoc query */
	FILE *f;
};

static void on_field(void *ud, const char *field, int col, const char *suggest)
{
	struct field_warn *w = ud;
	const runbook *rb = w->ss->rb;
	if (query_field_array_hint(field, suggest)) {
		if (w->step >= 0) {
			int line, c;
			runbook_query_pos(&rb->steps[w->step], col, &line, &c);
			fprintf(w->f, "%s:%d:%d: warning: ", rb->path, line, c);
		} else {
			fprintf(w->f, "trailguide: warning: ");
		}
		fprintf(w->f, "field '%s' crosses an array: write '%s' to match any element\n", field,
			suggest);
		return;
	}
	if (w->step >= 0) {
		int line, c;
		runbook_query_pos(&rb->steps[w->step], col, &line, &c);
		fprintf(w->f, "%s:%d:%d: warning: unknown field '%s'", rb->path, line, c, field);
	} else {
		fprintf(w->f, "trailguide: warning: unknown field '%s' (col %d)", field, col + 1);
	}
	if (suggest)
		fprintf(w->f, ": did you mean '%s'?\n", suggest);
	else
		fputs(": not an alias or a CloudTrail record field\n", w->f);
}

int session_field_warnings(tg_session *ss, FILE *f)
{
	int n = 0, nsteps = ss->rb ? ss->rb->nsteps : 0;
	for (int i = 0; i < ss->nqs; i++) {
		struct field_warn w = { ss, i < nsteps ? i : -1, f ? f : stderr };
		n += query_field_check(ss->qs[i], ss->s, on_field, &w);
	}
	return n;
}
