/* journal_entry.c — one journal entry's canonical bytes: time, operator, JSON, MAC, secrets. */
#include "journal_int.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "esc.h"

void jent_time(int64_t ms, char *out)
{
	int64_t sec = ms / 1000, frac = ms % 1000;
	if (frac < 0) {
		frac += 1000;
		sec--;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		strcpy(out, "1970-01-01T00:00:00.000Z");
		return;
	}
	char buf[96]; /* wide enough for any int fields, so the compiler sees no truncation */
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)frac);
	snprintf(out, 32, "%.31s", buf);
}

void jent_mac(const unsigned char *key, size_t keylen, const void *data, size_t n, char hex[65])
{
	static const char hx[] = "0123456789abcdef";
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dn = 0;
	if (key)
		HMAC(EVP_sha256(), key, (int)keylen, data, n, d, &dn);
	else
		EVP_Digest(data, n, d, &dn, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = hx[d[i] >> 4];
		hex[2 * i + 1] = hx[d[i] & 15];
	}
	hex[64] = 0;
}

int jent_is_hex64(const char *s, size_t n)
{
	if (n != 64)
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static void json_str(sbuf *b, const char *s)
{
	sbuf_addc(b, '"');
	esc_json(b, s, strlen(s));
	sbuf_addc(b, '"');
}

static void json_val(sbuf *b, const cJSON *v, int depth)
{
	if (!v || depth > 64) {
		sbuf_adds(b, "null");
		return;
	}
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		int obj = cJSON_IsObject(v);
		sbuf_addc(b, obj ? '{' : '[');
		for (const cJSON *c = v->child; c; c = c->next) {
			if (c != v->child)
				sbuf_addc(b, ',');
			if (obj) {
				json_str(b, c->string ? c->string : "");
				sbuf_addc(b, ':');
			}
			json_val(b, c, depth + 1);
		}
		sbuf_addc(b, obj ? '}' : ']');
	} else if (cJSON_IsString(v) && v->valuestring) {
		json_str(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (!isfinite(d))
			sbuf_adds(b, "null");
		else if (d == floor(d) && fabs(d) < 9007199254740992.0)
			sbuf_addf(b, "%lld", (long long)d);
		else
			sbuf_addf(b, "%.17g", d);
	} else if (cJSON_IsTrue(v)) {
		sbuf_adds(b, "true");
	} else if (cJSON_IsFalse(v)) {
		sbuf_adds(b, "false");
	} else {
		sbuf_adds(b, "null");
	}
}

void jent_json(sbuf *b, const cJSON *v)
{
	json_val(b, v, 0);
}

/* Key names (lowercased, letters and digits only) that a secret hides behind; a key is a
 * secret's when it ends with one of these. accessKeyId does not. */
static const char *const secret_names[] = {
	"secretaccesskey", "secretkey", "sessiontoken", "securitytoken", "secret",
	"password", "passwd", "passphrase", "authorization", "token", "privatekey",
	"cookie", NULL,
};

static int secret_name(const char *k)
{
	char norm[128];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)k; *p && n + 1 < sizeof norm; p++)
		if (isalnum(*p))
			norm[n++] = (char)tolower(*p);
	norm[n] = 0;
	for (int i = 0; secret_names[i]; i++) {
		size_t m = strlen(secret_names[i]);
		if (n >= m && !memcmp(norm + n - m, secret_names[i], m))
			return 1;
	}
	return 0;
}

static int secret_walk(const cJSON *v, sbuf *where, int depth)
{
	if (!v || depth > 64)
		return 0;
	int idx = 0;
	for (const cJSON *c = v->child; c; c = c->next, idx++) {
		size_t mark = where->len;
		if (cJSON_IsObject(v) && c->string) {
			sbuf_addc(where, '.');
			sbuf_adds(where, c->string);
			if (secret_name(c->string))
				return 1;
		} else {
			sbuf_addf(where, "[%d]", idx);
		}
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && secret_walk(c, where, depth + 1))
			return 1;
		where->len = mark;
		if (where->s)
			where->s[mark] = 0;
	}
	return 0;
}

int jent_secret(const cJSON *v, sbuf *where)
{
	sbuf_reset(where);
	sbuf_adds(where, "details");
	return secret_walk(v, where, 0);
}

void jent_line(sbuf *line, uint64_t seq, int64_t ms, const char *operator_json,
	       const char *action, const cJSON *details, const journal_runbook *rb,
	       const char *prev, const unsigned char *key, size_t keylen, char hash[65])
{
	char t[32];
	jent_time(ms, t);
	sbuf_reset(line);
	sbuf_addf(line, "{\"seq\":%" PRIu64 ",\"time\":\"%s\",\"operator\":", seq, t);
	sbuf_adds(line, operator_json);
	sbuf_adds(line, ",\"action\":");
	json_str(line, action);
	sbuf_adds(line, ",\"details\":");
	if (details)
		jent_json(line, details);
	else
		sbuf_adds(line, "{}");
	if (rb && (rb->id || rb->version > 0 || rb->sha256_hex)) {
		const char *sep = "";
		sbuf_adds(line, ",\"runbook\":{");
		if (rb->id) {
			sbuf_adds(line, "\"id\":");
			json_str(line, rb->id);
			sep = ",";
		}
		if (rb->version > 0) {
			sbuf_addf(line, "%s\"version\":%d", sep, rb->version);
			sep = ",";
		}
		if (rb->sha256_hex) {
			sbuf_addf(line, "%s\"sha256\":", sep);
			json_str(line, rb->sha256_hex);
		}
		sbuf_addc(line, '}');
	}
	sbuf_addf(line, ",\"prev\":\"%s\"", prev);
	/* the MAC covers the bytes so far followed by '}' */
	sbuf_addc(line, '}');
	jent_mac(key, keylen, line->s, line->len, hash);
	line->s[--line->len] = 0;
	sbuf_addf(line, JOURNAL_HASH_KEY "%s\"}\n", hash);
}

static void head_mac(uint64_t seq, const char *hash, const unsigned char *key, size_t keylen,
		     char seal[65])
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, "trailguide-journal-head %" PRIu64 " %s", seq, hash);
	jent_mac(key, keylen, buf, (size_t)n, seal);
}

void jent_head(sbuf *b, uint64_t seq, const char *hash, const unsigned char *key,
	       size_t keylen)
{
	char seal[65];
	head_mac(seq, hash, key, keylen, seal);
	sbuf_reset(b);
	sbuf_addf(b, "%" PRIu64 " %s %s\n", seq, hash, seal);
}

int jent_head_parse(const char *s, size_t n, const unsigned char *key, size_t keylen,
		    uint64_t *seq, char hash[65])
{
	size_t i = 0;
	uint64_t v = 0;
	while (i < n && i < 20 && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (uint64_t)(s[i++] - '0');
	if (i == 0 || (i > 1 && s[0] == '0') || n != i + 1 + 64 + 1 + 64 + 1 || s[i] != ' ' ||
	    !jent_is_hex64(s + i + 1, 64) || s[i + 65] != ' ' || !jent_is_hex64(s + i + 66, 64) ||
	    s[n - 1] != '\n')
		return -1;
	memcpy(hash, s + i + 1, 64);
	hash[64] = 0;
	char seal[65];
	head_mac(v, hash, key, keylen, seal);
	if (memcmp(seal, s + i + 66, 64))
		return -2;
	*seq = v;
	return 0;
}

static cJSON *str_or_null(const char *s)
{
	return s && *s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

cJSON *journal_operator(void)
{
	cJSON *o = cJSON_CreateObject();
	char buf[256];
	const char *user = NULL;
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		user = pw->pw_name;
	if (!user)
		user = getenv("USER");
	if (!user || !*user) {
		snprintf(buf, sizeof buf, "uid %u", (unsigned)geteuid());
		user = buf;
	}
	cJSON_AddItemToObject(o, "user", cJSON_CreateString(user));
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0)
		host[0] = 0;
	host[sizeof host - 1] = 0;
	cJSON_AddItemToObject(o, "host", str_or_null(host));
	/* SSH_CONNECTION is "client-ip client-port server-ip server-port"; SSH_CLIENT starts
	 * the same way. Only the first field is kept. */
	const char *ssh = getenv("SSH_CONNECTION");
	if (!ssh || !*ssh)
		ssh = getenv("SSH_CLIENT");
	char addr[64] = "";
	if (ssh) {
		size_t k = strcspn(ssh, " \t");
		if (k >= sizeof addr)
			k = sizeof addr - 1;
		memcpy(addr, ssh, k);
		addr[k] = 0;
	}
	cJSON_AddItemToObject(o, "ssh", str_or_null(addr));
	cJSON_AddItemToObject(o, "tty", str_or_null(ttyname(0)));
	return o;
}
