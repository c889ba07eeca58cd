/* source.c — sources spelled as URLs: which kind, the cache directory, dispatch. */
#include "source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void strvec_push(strvec *sv, const char *s)
{
	xgrow((void **)&sv->v, &sv->cap, sv->n + 1, sizeof *sv->v);
	sv->v[sv->n++] = xstrdup(s);
}

void strvec_free(strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof *sv);
}

static int has_scheme(const char *spec, const char *scheme)
{
	size_t n = strlen(scheme);
	return strncmp(spec, scheme, n) == 0 && strncmp(spec + n, "://", 3) == 0;
}

enum source_kind source_kind_of(const char *spec)
{
	if (has_scheme(spec, "s3"))
		return SRC_S3;
	if (has_scheme(spec, "lookup"))
		return SRC_LOOKUP;
	if (has_scheme(spec, "athena"))
		return SRC_ATHENA;
	if (has_scheme(spec, "lake"))
		return SRC_LAKE;
	return SRC_LOCAL;
}

void source_json_call(aws_call *call, const char *service, const char *target,
		      const char *body)
{
	memset(call, 0, sizeof *call);
	call->service = service;
	call->method = "POST";
	call->path = "/";
	call->content_type = "application/x-amz-json-1.1";
	call->target = target;
	call->body = body;
	call->body_len = strlen(body);
}

int source_cache_dir(const source_opts *o, sbuf *out, sbuf *err)
{
	sbuf_reset(out);
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (o && o->cache_dir)
		sbuf_adds(out, o->cache_dir);
	else if (xdg && *xdg == '/')
		sbuf_addf(out, "%s/trailguide", xdg);
	else if (home && *home)
		sbuf_addf(out, "%s/.cache/trailguide", home);
	else {
		sbuf_adds(err, "no cache directory: set XDG_CACHE_HOME or HOME");
		return -1;
	}
	if (mkdir_p(out->s) < 0) {
		sbuf_addf(err, "cannot create the cache directory %s: %s", out->s, strerror(errno));
		return -1;
	}
	return 0;
}

int source_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st)
{
	switch (source_kind_of(spec)) {
	case SRC_S3: return source_s3_fetch(spec, o, out, st);
	case SRC_LOOKUP: return source_lookup_fetch(spec, o, out, st);
	case SRC_ATHENA: return source_athena_fetch(spec, o, out, st);
	case SRC_LAKE: return source_lake_fetch(spec, o, out, st);
	case SRC_LOCAL: break;
	}
	strvec_push(out, spec);
	return 0;
}
