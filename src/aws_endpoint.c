/* aws_endpoint.c — the client's set-up: profile, region, the shared files, timeouts,
 * tracing; and service endpoints (overrides from the environment and config, else AWS). */
#include "aws_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

const char *aws_getenv(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

int aws_env_true(const char *name)
{
	const char *v = aws_getenv(name);
	return v && strcasecmp(v, "true") == 0;
}

const char *aws_profile_name(const aws_client *c)
{
	return c->profile && *c->profile ? c->profile : "default";
}

const char *aws_config_get(const aws_client *c, const char *profile, const char *key)
{
	if (!c->ini_config)
		return NULL;
	char sec[300];
	if (strcmp(profile, "default") == 0) {
		const char *v = aws_ini_get(c->ini_config, "default", key);
		if (v || aws_ini_has(c->ini_config, "default"))
			return v;
	}
	snprintf(sec, sizeof sec, "profile %s", profile);
	return aws_ini_get(c->ini_config, sec, key);
}

const char *aws_creds_file_get(const aws_client *c, const char *profile, const char *key)
{
	return c->ini_creds ? aws_ini_get(c->ini_creds, profile, key) : NULL;
}

int aws_profile_exists(const aws_client *c, const char *profile)
{
	char sec[300];
	snprintf(sec, sizeof sec, "profile %s", profile);
	if (c->ini_creds && aws_ini_has(c->ini_creds, profile))
		return 1;
	if (!c->ini_config)
		return 0;
	return aws_ini_has(c->ini_config, sec) ||
	       (strcmp(profile, "default") == 0 && aws_ini_has(c->ini_config, "default"));
}

/* A path from the environment (with ~/ expanded) or ~/.aws/NAME. */
static char *file_path(const char *var, const char *name)
{
	const char *v = aws_getenv(var);
	const char *home = getenv("HOME");
	sbuf b;
	sbuf_init(&b);
	if (v && strncmp(v, "~/", 2) == 0 && home)
		sbuf_addf(&b, "%s/%s", home, v + 2);
	else if (v)
		sbuf_adds(&b, v);
	else
		sbuf_addf(&b, "%s/.aws/%s", home ? home : "", name);
	return sbuf_take(&b);
}

static void set_region(aws_client *c, const char *v, const char *from)
{
	snprintf(c->region, sizeof c->region, "%s", v);
	snprintf(c->region_from, sizeof c->region_from, "%s", from);
}

/* TRAILGUIDE_AWS_FIXED_TIME: seconds since the epoch, or YYYYMMDDTHHMMSSZ. */
static int64_t fixed_time(void)
{
	const char *v = aws_getenv("TRAILGUIDE_AWS_FIXED_TIME");
	if (!v)
		return 0;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (strlen(v) == 16 && v[8] == 'T' && v[15] == 'Z' &&
	    sscanf(v, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		return (int64_t)timegm(&tm);
	}
	char *end;
	long long s = strtoll(v, &end, 10);
	return *end == '\0' && s > 0 ? (int64_t)s : 0;
}

void aws_client_init(aws_client *c, const char *profile, const char *region)
{
	static int curl_ready;
	if (!curl_ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl_ready = 1;
	}
	memset(c, 0, sizeof *c);
	if (profile && *profile) {
		c->profile = xstrdup(profile);
		c->profile_explicit = 1;
	} else if (aws_getenv("AWS_PROFILE")) {
		c->profile = xstrdup(aws_getenv("AWS_PROFILE"));
	} else if (aws_getenv("AWS_DEFAULT_PROFILE")) {
		c->profile = xstrdup(aws_getenv("AWS_DEFAULT_PROFILE"));
	}
	c->config_path = file_path("AWS_CONFIG_FILE", "config");
	c->creds_path = file_path("AWS_SHARED_CREDENTIALS_FILE", "credentials");
	c->ini_config = aws_ini_load(c->config_path, stderr);
	c->ini_creds = aws_ini_load(c->creds_path, stderr);

	c->connect_timeout_ms = 10000;
	c->timeout_ms = 60000;
	const char *t = aws_getenv("TRAILGUIDE_AWS_TIMEOUT");
	if (t) {
		double s = strtod(t, NULL);
		if (s > 0 && s < 86400) {
			c->timeout_ms = (long)(s * 1000);
			if (c->connect_timeout_ms > c->timeout_ms)
				c->connect_timeout_ms = c->timeout_ms;
		}
	}
	c->max_attempts = 5;
	const char *ma = aws_getenv("AWS_MAX_ATTEMPTS");
	if (ma && atoi(ma) >= 1 && atoi(ma) <= 20)
		c->max_attempts = atoi(ma);
	c->fixed_time = fixed_time();
	const char *tr = aws_getenv("TRAILGUIDE_AWS_TRACE");
	if (tr) {
		c->trace = fopen(tr, "a");
		if (c->trace) {
			c->trace_own = 1;
			setvbuf(c->trace, NULL, _IOLBF, 0);
		} else {
			fprintf(stderr, "trailguide: TRAILGUIDE_AWS_TRACE=%s: %s: no trace is written\n",
				tr, strerror(errno));
		}
	}

	const char *p = aws_profile_name(c);
	const char *pr;
	if (region && *region)
		set_region(c, region, "--region");
	else if (aws_getenv("AWS_REGION"))
		set_region(c, aws_getenv("AWS_REGION"), "AWS_REGION");
	else if (aws_getenv("AWS_DEFAULT_REGION"))
		set_region(c, aws_getenv("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION");
	else if ((pr = aws_config_get(c, p, "region")) != NULL && *pr) {
		char from[64];
		snprintf(from, sizeof from, "profile %s", p);
		set_region(c, pr, from);
	}
}

void aws_client_free(aws_client *c)
{
	if (c->have_creds)
		aws_creds_free(&c->creds);
	if (c->trace_own && c->trace)
		fclose(c->trace);
	aws_ini_free(&c->ini_config);
	aws_ini_free(&c->ini_creds);
	free(c->config_path);
	free(c->creds_path);
	free(c->profile);
	memset(c, 0, sizeof *c);
}

int64_t aws_now(const aws_client *c)
{
	return c && c->fixed_time > 0 ? c->fixed_time : (int64_t)time(NULL);
}

static void add_url(sbuf *out, const char *url)
{
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	sbuf_add(out, url, n);
}

void aws_endpoint(const aws_client *c, const char *service, const char *region, sbuf *out,
		  int *custom)
{
	const char *p = aws_profile_name(c);
	const char *v;
	int dummy;
	if (!custom)
		custom = &dummy;
	*custom = 0;
	if (!region || !*region)
		region = c->region[0] ? c->region : "us-east-1";
	const char *ign = aws_config_get(c, p, "ignore_configured_endpoint_urls");
	int ignore = aws_env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ||
		     (!aws_getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") && ign &&
		      strcasecmp(ign, "true") == 0);
	if (!ignore) {
		char var[96] = "AWS_ENDPOINT_URL_";
		size_t k = strlen(var);
		for (const char *s = service; *s && k + 1 < sizeof var; s++)
			var[k++] = (*s == '-' || *s == ' ') ? '_' : (char)toupper((unsigned char)*s);
		var[k] = '\0';
		if ((v = aws_getenv(var)) || (v = aws_getenv("AWS_ENDPOINT_URL"))) {
			add_url(out, v);
			*custom = 1;
			return;
		}
		const char *svcs = aws_config_get(c, p, "services");
		if (svcs && c->ini_config) {
			char sec[300];
			snprintf(sec, sizeof sec, "services %s", svcs);
			v = aws_ini_get_sub(c->ini_config, sec, service, "endpoint_url");
			if (v && *v) {
				add_url(out, v);
				*custom = 1;
				return;
			}
		}
		if ((v = aws_config_get(c, p, "endpoint_url")) && *v) {
			add_url(out, v);
			*custom = 1;
			return;
		}
	}
	if (strcmp(service, "sso") == 0) /* IAM Identity Center's portal */
		service = "portal.sso";
	sbuf_addf(out, "https://%s.%s.amazonaws.com%s", service, region,
		  strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
}
