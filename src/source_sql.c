/* source_sql.c — the parts athena:// and lake:// share (see source_sql.h). */
#include "source_sql.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "esc.h"
#include "query.h"
#include "tgtime.h"

void sqlsrc_init(sqlsrc *s, const char *spec, const source_opts *o, source_stats *st,
		 const char *service, const char *target_prefix)
{
	memset(s, 0, sizeof *s);
	s->spec = spec;
	s->o = o;
	s->st = st;
	s->aws = o->aws;
	s->warn = o->warn ? o->warn : stderr;
	s->service = service;
	s->target_prefix = target_prefix;
	sbuf_init(&s->path);
	sbuf_init(&s->tmp);
	if (!o->aws) {
		aws_client_init(&s->own, NULL, NULL);
		s->aws = &s->own;
		s->own_aws = 1;
	}
}

void sqlsrc_free(sqlsrc *s)
{
	if (s->f) {
		fclose(s->f);
		unlink(s->tmp.s);
		s->f = NULL;
	}
	sbuf_free(&s->path);
	sbuf_free(&s->tmp);
	if (s->own_aws) {
		aws_client_free(&s->own);
		s->own_aws = 0;
	}
}

const char *sqlsrc_jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void sqlsrc_msg(sqlsrc *s, const char *fmt, ...)
{
	sbuf m, e;
	sbuf_init(&m);
	sbuf_init(&e);
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&m, fmt, ap);
	va_end(ap);
	esc_term(&e, s->spec, strlen(s->spec));
	fprintf(s->warn, "trailguide: %s: %s\n", e.s ? e.s : "", m.s ? m.s : "");
	sbuf_free(&m);
	sbuf_free(&e);
}

int sqlsrc_statement(sqlsrc *s, enum sql_dialect d, const char *table, const char *partition,
		     size_t max, sbuf *sql)
{
	sql_opts so = {d, SQL_EVENTS, table, s->o->since, s->o->until, s->o->now, partition, 0};
	if (so.now <= 0)
		so.now = tgtime_now();
	sql_info info;
	sql_info_init(&info);
	sbuf err;
	sbuf_init(&err);
	int rc = sql_compile_events(s->o->queries, s->o->queries ? s->o->nqueries : 0, &so, sql,
				    &info, &err);
	if (rc == 0 && sql->len > max) { /* too long for the service: the window alone */
		sbuf_reset(sql);
		sql_info_free(&info);
		sql_info_init(&info);
		rc = sql_compile_events(NULL, 0, &so, sql, &info, &err);
		snprintf(s->st->pushdown, sizeof s->st->pushdown,
			 "window only (the filter's SQL is longer than %zu characters)", max);
	} else if (rc == 0) {
		size_t nl = 0;
		for (const char *p = info.local.s; p && *p; p++)
			nl += *p == '\n';
		int n = snprintf(s->st->pushdown, sizeof s->st->pushdown,
				 info.conjuncts ? "filter compiled to SQL, %d conjunct%s" : "window only",
				 info.conjuncts, info.conjuncts == 1 ? "" : "s");
		if (nl && n > 0 && (size_t)n < sizeof s->st->pushdown)
			snprintf(s->st->pushdown + n, sizeof s->st->pushdown - (size_t)n,
				 "; finished locally: %zu part%s", nl, nl == 1 ? "" : "s");
	}
	if (rc < 0)
		sqlsrc_msg(s, "%s: fix the table name in the URL", err.s ? err.s : "bad table");
	sbuf_free(&err);
	sql_info_free(&info);
	return rc;
}

int sqlsrc_call(sqlsrc *s, const char *op, const cJSON *req, cJSON **out, sbuf *err)
{
	*out = NULL;
	char *body = cJSON_PrintUnformatted(req);
	char target[160];
	snprintf(target, sizeof target, "%s%s", s->target_prefix, op);
	aws_call call;
	source_json_call(&call, s->service, target, body);
	aws_resp r;
	aws_resp_init(&r);
	int rc = aws_call_run(s->aws, &call, &r);
	s->st->requests++;
	if (aws_retryable(&r) == 1)
		s->st->throttled++;
	if (rc < 0) {
		aws_explain(s->aws, &call, &r, err);
	} else {
		*out = cJSON_ParseWithLength(r.body.s ? r.body.s : "", r.body.len);
		if (!*out) {
			sbuf_addf(err, "%s %s: the answer is not JSON (HTTP %ld)", s->service, op,
				  r.status);
			rc = -1;
		}
	}
	aws_resp_free(&r);
	free(body);
	return rc;
}

int sqlsrc_cancelled(const sqlsrc *s)
{
	return s->o->cancel && *s->o->cancel;
}

int sqlsrc_wait(sqlsrc *s, int n)
{
	double secs = 0.2;
	for (int i = 0; i < n && secs < 5; i++)
		secs *= 1.5;
	if (secs > 5)
		secs = 5;
	const char *fast = getenv("TRAILGUIDE_SQL_POLL_MS"); /* tests: poll quickly */
	if (fast && *fast)
		secs = atoi(fast) / 1000.0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (sqlsrc_cancelled(s))
			return 1;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double left = secs - ((double)(now.tv_sec - t0.tv_sec) +
				      (double)(now.tv_nsec - t0.tv_nsec) / 1e9);
		if (left <= 0)
			return 0;
		if (left > 0.05)
			left = 0.05;
		struct timespec ts = {0, (long)(left * 1e9)};
		nanosleep(&ts, NULL);
	}
}

void sqlsrc_progress(sqlsrc *s, const char *phase)
{
	if (!s->o->progress)
		return;
	source_progress p = {0};
	p.phase = phase;
	p.events = s->events;
	s->o->progress(&p, s->o->progress_ud);
}

int sqlsrc_poll(sqlsrc *s, const char *op, const char *stop_op, const char *idkey, const char *qid,
		int (*state)(sqlsrc *s, const cJSON *resp, const char *qid))
{
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, idkey, qid);
	int rc = -1;
	sbuf err;
	sbuf_init(&err);
	for (int n = 0;; n++) {
		cJSON *resp;
		sbuf_reset(&err);
		if (sqlsrc_call(s, op, req, &resp, &err) < 0) {
			sqlsrc_msg(s, "%s", err.s);
			break;
		}
		int running = state(s, resp, qid);
		cJSON_Delete(resp);
		if (running <= 0) {
			rc = running;
			break;
		}
		sqlsrc_progress(s, "querying");
		if (sqlsrc_wait(s, n)) {
			cJSON *stop;
			sbuf_reset(&err);
			if (sqlsrc_call(s, stop_op, req, &stop, &err) == 0)
				cJSON_Delete(stop);
			sqlsrc_msg(s, "cancelled: query %s stopped", qid);
			break;
		}
	}
	cJSON_Delete(req);
	sbuf_free(&err);
	return rc;
}

static int sqlsrc_page(sqlsrc *s, cJSON *req, const char *token, cJSON **resp)
{
	if (token)
		cJSON_AddStringToObject(req, "NextToken", token);
	sbuf err;
	sbuf_init(&err);
	int rc = sqlsrc_call(s, "GetQueryResults", req, resp, &err);
	cJSON_Delete(req);
	if (rc < 0)
		sqlsrc_msg(s, "%s; kept the %zu events read before", err.s, s->events);
	sbuf_free(&err);
	return rc;
}

static int sqlsrc_next(sqlsrc *s, cJSON *resp, char **token)
{
	free(*token);
	*token = NULL;
	const char *nt = sqlsrc_jstr(resp, "NextToken");
	if (nt && *nt)
		*token = xstrdup(nt);
	cJSON_Delete(resp);
	sqlsrc_progress(s, "paging");
	if (!*token)
		return 1;
	if (sqlsrc_cancelled(s)) {
		sqlsrc_msg(s, "cancelled while paging: kept the %zu events read", s->events);
		return -1;
	}
	return 0;
}

int sqlsrc_rows(sqlsrc *s, const char *idkey, const char *maxkey, const char *qid,
		void (*page)(sqlsrc *s, const cJSON *resp, void *ud), void *ud)
{
	char *token = NULL;
	int rc = 0;
	for (;;) {
		cJSON *req = cJSON_CreateObject();
		cJSON_AddStringToObject(req, idkey, qid);
		cJSON_AddNumberToObject(req, maxkey, 1000);
		cJSON *resp;
		if (sqlsrc_page(s, req, token, &resp) < 0) {
			rc = 1;
			break;
		}
		page(s, resp, ud);
		int next = sqlsrc_next(s, resp, &token);
		if (next) {
			rc = next < 0;
			break;
		}
	}
	free(token);
	return rc;
}

const char *sqlsrc_start(sqlsrc *s, const char *op, cJSON *req, const char *idkey, cJSON **resp,
			 sbuf *err)
{
	sqlsrc_progress(s, "querying");
	int crc = sqlsrc_call(s, op, req, resp, err);
	cJSON_Delete(req);
	if (crc < 0) {
		cJSON_Delete(*resp);
		*resp = NULL;
		return NULL;
	}
	const char *qid = sqlsrc_jstr(*resp, idkey);
	if (!qid)
		sqlsrc_msg(s, "%s returned no %s: try again", op, idkey);
	return qid;
}

int sqlsrc_open(sqlsrc *s, const char *kind, const char *id)
{
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-')) {
			sqlsrc_msg(s, "the service returned an unusable query id: try again");
			return -1;
		}
	if (!*id || strlen(id) > 128) {
		sqlsrc_msg(s, "the service returned no query id: try again");
		return -1;
	}
	sbuf err;
	sbuf_init(&err);
	if (source_cache_dir(s->o, &s->path, &err) < 0) {
		sqlsrc_msg(s, "%s", err.s);
		sbuf_free(&err);
		return -1;
	}
	sbuf_free(&err);
	sbuf_addf(&s->path, "/%s", kind);
	if (mkdir(s->path.s, 0700) < 0 && errno != EEXIST) {
		sqlsrc_msg(s, "cannot create %s: %s", s->path.s, strerror(errno));
		return -1;
	}
	sbuf_addf(&s->path, "/%s.ndjson", id);
	sbuf_reset(&s->tmp);
	sbuf_addf(&s->tmp, "%s.%ld.tmp", s->path.s, (long)getpid());
	int fd = open(s->tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(s->f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		sqlsrc_msg(s, "cannot create %s: %s", s->tmp.s, strerror(errno));
		return -1;
	}
	return 0;
}

void sqlsrc_write(sqlsrc *s, cJSON *ev)
{
	char *line = cJSON_PrintUnformatted(ev);
	if (line) {
		fputs(line, s->f);
		fputc('\n', s->f);
		free(line);
	}
	s->events++;
	s->st->rows++;
}

int sqlsrc_close(sqlsrc *s, strvec *out)
{
	if (!s->f)
		return -1;
	int bad = ferror(s->f) | (fclose(s->f) != 0);
	s->f = NULL;
	if (bad || rename(s->tmp.s, s->path.s) < 0) {
		sqlsrc_msg(s, "cannot write %s: %s", s->path.s, strerror(errno));
		unlink(s->tmp.s);
		return -1;
	}
	strvec_push(out, s->path.s);
	return 0;
}

int sqlsrc_finish(sqlsrc *s, int rc, strvec *out)
{
	if (rc == 1 && !s->events)
		return -1; /* nothing arrived: no file (sqlsrc_free removes it) */
	if (sqlsrc_close(s, out) < 0)
		return -1;
	return rc;
}

void sqlsrc_token(char *buf)
{
	unsigned char r[32];
	size_t got = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, r, sizeof r);
		got = n > 0 ? (size_t)n : 0;
		close(fd);
	}
	if (got < sizeof r) { /* no urandom: time and pid still make a fresh token */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^
				       ((unsigned long long)ts.tv_sec << 20) ^ (unsigned long long)getpid();
		for (size_t i = 0; i < sizeof r; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			r[i] = (unsigned char)(x >> 56);
		}
	}
	for (size_t i = 0; i < sizeof r; i++)
		snprintf(buf + 2 * i, 3, "%02x", r[i]);
}
