/* jscan.c — validating single-pass JSON scanner for CloudTrail records.
 *
 * Design notes (this is the ingest hot path):
 *  - No allocation and no tree: the record is walked once and the fixed fields are
 *    remembered as spans.
 *  - Only the objects on the path to a fixed field are scanned "with keys": the record
 *    itself, userIdentity, userIdentity.sessionContext and ...sessionIssuer. That is a
 *    bounded recursion of four levels (scan_obj). Every other value is validated and
 *    skipped by skip_value, which is iterative with an explicit bit stack, so nesting can
 *    never blow the C stack.
 *  - String bodies are skipped 16 bytes at a time with SSE2 (when available), stopping
 *    only at '"', '\\', control bytes and bytes >= 0x80 (one signed compare catches both
 *    of the last two). UTF-8 is validated only when such a byte is seen.
 *  - Every read is bounds-checked against len: the buffer is not NUL-terminated.
 *  - Errors at the end of the input are always reported with off == len, so callers can
 *    tell truncation from other damage.
 */
#include "jscan.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

const char *const jf_path[JF_N] = {
	[JF_EVENTTIME] = "eventTime",
	[JF_EVENTNAME] = "eventName",
	[JF_EVENTSOURCE] = "eventSource",
	[JF_AWSREGION] = "awsRegion",
	[JF_SOURCEIP] = "sourceIPAddress",
	[JF_USERAGENT] = "userAgent",
	[JF_ERRORCODE] = "errorCode",
	[JF_UI_TYPE] = "userIdentity.type",
	[JF_UI_ARN] = "userIdentity.arn",
	[JF_UI_PRINCIPALID] = "userIdentity.principalId",
	[JF_UI_ACCOUNTID] = "userIdentity.accountId",
	[JF_UI_ACCESSKEY] = "userIdentity.accessKeyId",
	[JF_UI_INVOKEDBY] = "userIdentity.invokedBy",
	[JF_ISSUER_ARN] = "userIdentity.sessionContext.sessionIssuer.arn",
	[JF_RECIPIENT] = "recipientAccountId",
	[JF_EVENTID] = "eventID",
	[JF_READONLY] = "readOnly",
	[JF_TIMESTAMP] = "@timestamp",
};

#define FAIL ((size_t)-1)

/* Byte classes. */
enum { C_WS = 1, C_STR = 2, C_DIG = 4, C_HEX = 8 };

#define R4(x) x, x, x, x
#define R8(x) R4(x), R4(x)
#define R16(x) R8(x), R8(x)
#define R32(x) R16(x), R16(x)
#define R64(x) R32(x), R32(x)
#define R128(x) R64(x), R64(x)

static const unsigned char cls[256] = {
	/* 0x00-0x1f: control bytes, special inside strings; \t \n \r are whitespace */
	C_STR, C_STR, C_STR, C_STR, C_STR, C_STR, C_STR, C_STR,
	C_STR, C_STR | C_WS, C_STR | C_WS, C_STR, C_STR, C_STR | C_WS, C_STR, C_STR,
	R16(C_STR),
	/* 0x20 ' ' */ C_WS, 0, /* '"' */ C_STR, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	/* '0'-'9' */ R8(C_DIG | C_HEX), C_DIG | C_HEX, C_DIG | C_HEX,
	0, 0, 0, 0, 0, 0,
	/* 0x40 '@', 'A'-'F' */ 0, C_HEX, C_HEX, C_HEX, C_HEX, C_HEX, C_HEX, 0,
	R8(0), R8(0),
	/* 0x58 'X'..'[' */ 0, 0, 0, 0, /* '\\' */ C_STR, 0, 0, 0,
	/* 0x60 '`', 'a'-'f' */ 0, C_HEX, C_HEX, C_HEX, C_HEX, C_HEX, C_HEX, 0,
	R8(0), R16(0),
	/* 0x80-0xff: non-ASCII, checked as UTF-8 inside strings */
	R128(C_STR),
};

#define CTL(n) "control byte 0x" #n " inside a string"
static const char *const ctl_reason[32] = {
	CTL(00), CTL(01), CTL(02), CTL(03), CTL(04), CTL(05), CTL(06), CTL(07),
	CTL(08), CTL(09), CTL(0a), CTL(0b), CTL(0c), CTL(0d), CTL(0e), CTL(0f),
	CTL(10), CTL(11), CTL(12), CTL(13), CTL(14), CTL(15), CTL(16), CTL(17),
	CTL(18), CTL(19), CTL(1a), CTL(1b), CTL(1c), CTL(1d), CTL(1e), CTL(1f),
};

/* Scanner state. */
typedef struct sc {
	const unsigned char *b;
	size_t n;
	int bad_utf8;
	size_t eoff;
	const char *ereason;
} sc;

static size_t fail_at(sc *s, size_t off, const char *why)
{
	s->eoff = off;
	s->ereason = why;
	return FAIL;
}

static size_t fail_eof(sc *s, const char *why)
{
	return fail_at(s, s->n, why);
}

static inline size_t skip_ws(const unsigned char *b, size_t n, size_t p)
{
	while (p < n && (cls[b[p]] & C_WS))
		p++;
	return p;
}

size_t jscan_ws(const char *buf, size_t len, size_t pos)
{
	return skip_ws((const unsigned char *)buf, len, pos);
}

/* Length of the valid UTF-8 sequence at b[p] (b[p] >= 0x80), or 0 when it is invalid
 * (bad lead byte, missing continuation, overlong form, surrogate, > U+10FFFF). */
static size_t utf8_len(const unsigned char *b, size_t n, size_t p)
{
	unsigned c = b[p], c1, c2, c3;
	if (c < 0xC2)
		return 0;
	if (p + 1 >= n)
		return 0;
	c1 = b[p + 1];
	if ((c1 & 0xC0) != 0x80)
		return 0;
	if (c < 0xE0)
		return 2;
	if (p + 2 >= n)
		return 0;
	c2 = b[p + 2];
	if ((c2 & 0xC0) != 0x80)
		return 0;
	if (c < 0xF0) {
		if (c == 0xE0 && c1 < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && c1 >= 0xA0)
			return 0; /* UTF-16 surrogate */
		return 3;
	}
	if (c > 0xF4 || p + 3 >= n)
		return 0;
	c3 = b[p + 3];
	if ((c3 & 0xC0) != 0x80)
		return 0;
	if (c == 0xF0 && c1 < 0x90)
		return 0; /* overlong */
	if (c == 0xF4 && c1 >= 0x90)
		return 0; /* > U+10FFFF */
	return 4;
}

/* p is just past an opening quote. Return the index of the closing quote, or FAIL.
 * Sets *esc when the body holds a backslash escape. The general case; str_end below is
 * the inlined fast path. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t str_end_slow(sc *s, size_t p, uint8_t *esc)
{
	const unsigned char *b = s->b;
	const size_t n = s->n;
	for (;;) {
#if defined(__SSE2__) && defined(__GNUC__)
		{
			const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'),
				      sp = _mm_set1_epi8(0x20);
			while (p + 16 <= n) {
				__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + p));
				/* signed compare: bytes >= 0x80 are negative, so < 0x20 too */
				__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q),
								      _mm_cmpeq_epi8(v, bs)),
							 _mm_cmplt_epi8(v, sp));
				unsigned mask = (unsigned)_mm_movemask_epi8(m);
				if (mask) {
					p += (unsigned)__builtin_ctz(mask);
					break;
				}
				p += 16;
			}
		}
#endif
		while (p < n && !(cls[b[p]] & C_STR))
			p++;
		if (p >= n)
			return fail_eof(s, "unexpected end of input inside a string");
		unsigned c = b[p];
		if (c == '"')
			return p;
		if (c == '\\') {
			*esc = 1;
			if (p + 1 >= n)
				return fail_eof(s, "unexpected end of input inside a string");
			switch (b[p + 1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				p += 2;
				continue;
			case 'u':
				for (int i = 2; i < 6; i++) {
					if (p + (size_t)i >= n)
						return fail_eof(s, "unexpected end of input inside a string");
					if (!(cls[b[p + (size_t)i]] & C_HEX))
						return fail_at(s, p, "invalid \\u escape (needs 4 hex digits)");
				}
				p += 6;
				continue;
			default:
				return fail_at(s, p, "invalid escape in string");
			}
		}
		if (c < 0x20)
			return fail_at(s, p, ctl_reason[c]);
		/* c >= 0x80 */
		size_t l = utf8_len(b, n, p);
		if (l == 0) {
			s->bad_utf8 = 1;
			l = 1;
		}
		p += l;
	}
}

/* The fast path, inlined where strings are scanned (73 strings a record): 16 bytes at a
 * time to the first byte that needs a look; a closing quote ends it here, anything else
 * (escape, control byte, non-ASCII, the last 15 bytes of the buffer) goes to str_end_slow,
 * which checks the same bytes again from there. */
static inline size_t str_end(sc *s, size_t p, uint8_t *esc)
{
#if defined(__SSE2__) && defined(__GNUC__)
	const unsigned char *b = s->b;
	const size_t n = s->n;
	const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), sp = _mm_set1_epi8(0x20);
	while (p + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + p));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)),
					 _mm_cmplt_epi8(v, sp));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);
		if (mask) {
			p += (unsigned)__builtin_ctz(mask);
			if (b[p] == '"')
				return p;
			break;
		}
		p += 16;
	}
#endif
	return str_end_slow(s, p, esc);
}

/* Number starting at b[p] ('-' or digit). Returns the index just past it. */
static size_t num_end(sc *s, size_t p)
{
	const unsigned char *b = s->b;
	const size_t n = s->n;
	if (b[p] == '-') {
		if (++p >= n)
			return fail_eof(s, "unexpected end of input inside a number");
	}
	if (b[p] == '0') {
		p++;
		if (p < n && (cls[b[p]] & C_DIG))
			return fail_at(s, p, "leading zero in number");
	} else if (cls[b[p]] & C_DIG) {
		p++;
		while (p < n && (cls[b[p]] & C_DIG))
			p++;
	} else {
		return fail_at(s, p, "invalid number");
	}
	if (p < n && b[p] == '.') {
		if (++p >= n)
			return fail_eof(s, "unexpected end of input inside a number");
		if (!(cls[b[p]] & C_DIG))
			return fail_at(s, p, "digit expected after decimal point");
		while (p < n && (cls[b[p]] & C_DIG))
			p++;
	}
	if (p < n && (b[p] | 0x20) == 'e') {
		if (++p >= n)
			return fail_eof(s, "unexpected end of input inside a number");
		if (b[p] == '+' || b[p] == '-') {
			if (++p >= n)
				return fail_eof(s, "unexpected end of input inside a number");
		}
		if (!(cls[b[p]] & C_DIG))
			return fail_at(s, p, "digit expected in exponent");
		while (p < n && (cls[b[p]] & C_DIG))
			p++;
	}
	return p;
}

/* true/false/null at b[p]. */
static size_t lit_end(sc *s, size_t p, uint8_t *kind)
{
	const char *w;
	size_t l;
	switch (s->b[p]) {
	case 't': w = "true", l = 4, *kind = JK_TRUE; break;
	case 'f': w = "false", l = 5, *kind = JK_FALSE; break;
	default: w = "null", l = 4, *kind = JK_NULL; break;
	}
	size_t have = s->n - p < l ? s->n - p : l;
	if (memcmp(s->b + p, w, have) != 0)
		return fail_at(s, p, "invalid literal");
	if (have < l)
		return fail_eof(s, "unexpected end of input inside a literal");
	return p + l;
}

/* Validate and skip the value at b[p] (no leading whitespace). depth is the number of
 * containers already open around it. Iterative: an explicit stack (1 = object), always
 * written before it is read. */
static size_t skip_value(sc *s, size_t p, unsigned depth)
{
	const unsigned char *b = s->b;
	const size_t n = s->n;
	unsigned char stk[JSCAN_MAX_DEPTH];
	unsigned d = 0;
	uint8_t esc, kind;
	unsigned c;

value:
	if (p >= n)
		return fail_eof(s, "unexpected end of input: value expected");
	c = b[p];
	switch (c) {
	case '"':
		p = str_end(s, p + 1, &esc);
		if (p == FAIL)
			return FAIL;
		p++;
		goto after;
	case '{':
		if (depth + d >= JSCAN_MAX_DEPTH)
			return fail_at(s, p, "nesting deeper than 512 levels");
		stk[d] = 1;
		d++;
		p = skip_ws(b, n, p + 1);
		if (p >= n)
			return fail_eof(s, "unexpected end of input inside an object");
		if (b[p] == '}') {
			p++;
			d--;
			goto after;
		}
		goto key;
	case '[':
		if (depth + d >= JSCAN_MAX_DEPTH)
			return fail_at(s, p, "nesting deeper than 512 levels");
		stk[d] = 0;
		d++;
		p = skip_ws(b, n, p + 1);
		if (p >= n)
			return fail_eof(s, "unexpected end of input inside an array");
		if (b[p] == ']') {
			p++;
			d--;
			goto after;
		}
		goto value;
	case 't': case 'f': case 'n':
		p = lit_end(s, p, &kind);
		if (p == FAIL)
			return FAIL;
		goto after;
	default:
		if (c == '-' || (cls[c] & C_DIG)) {
			p = num_end(s, p);
			if (p == FAIL)
				return FAIL;
			goto after;
		}
		return fail_at(s, p, "expected a value");
	}

key: /* p < n */
	if (b[p] != '"')
		return fail_at(s, p, "expected a string key");
	p = str_end(s, p + 1, &esc);
	if (p == FAIL)
		return FAIL;
	p = skip_ws(b, n, p + 1);
	if (p >= n)
		return fail_eof(s, "unexpected end of input: ':' expected");
	if (b[p] != ':')
		return fail_at(s, p, "expected ':' after key");
	p = skip_ws(b, n, p + 1);
	goto value;

after:
	if (d == 0)
		return p;
	p = skip_ws(b, n, p);
	if (p >= n)
		return fail_eof(s, "unexpected end of input inside a container");
	c = b[p];
	{
		int obj = stk[d - 1];
		if (c == ',') {
			p = skip_ws(b, n, p + 1);
			if (p >= n)
				return fail_eof(s, "unexpected end of input inside a container");
			if (obj)
				goto key;
			goto value;
		}
		if (obj) {
			if (c != '}')
				return fail_at(s, p, "expected ',' or '}' in object");
		} else if (c != ']') {
			return fail_at(s, p, "expected ',' or ']' in array");
		}
		p++;
		d--;
		goto after;
	}
}

/* ---- unescaping ---- */

/* 4 hex digits at p[0..3] (caller checked 4 bytes exist), or -1. */
static long hex4(const unsigned char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t put_utf8(unsigned char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decode a string body into o, which must hold 3*n + 4 bytes. Returns the length. */
static size_t unesc_into(const unsigned char *p, size_t n, unsigned char *o)
{
	size_t i = 0, k = 0;
	while (i < n) {
		const unsigned char *bs = memchr(p + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (p + i)) : n - i;
		memcpy(o + k, p + i, run);
		k += run;
		i += run;
		if (i >= n)
			break;
		/* p[i] == '\\' */
		if (i + 1 >= n) {
			k += put_utf8(o + k, 0xFFFD);
			break;
		}
		unsigned c = p[i + 1];
		switch (c) {
		case '"': case '\\': case '/': o[k++] = (unsigned char)c; i += 2; continue;
		case 'b': o[k++] = '\b'; i += 2; continue;
		case 'f': o[k++] = '\f'; i += 2; continue;
		case 'n': o[k++] = '\n'; i += 2; continue;
		case 'r': o[k++] = '\r'; i += 2; continue;
		case 't': o[k++] = '\t'; i += 2; continue;
		case 'u': break;
		default:
			k += put_utf8(o + k, 0xFFFD);
			i += 2;
			continue;
		}
		long cp = i + 6 <= n ? hex4(p + i + 2) : -1;
		if (cp < 0) {
			k += put_utf8(o + k, 0xFFFD);
			i += 2;
			continue;
		}
		i += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			long lo = -1;
			if (i + 6 <= n && p[i] == '\\' && p[i + 1] == 'u')
				lo = hex4(p + i + 2);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			} else {
				cp = 0xFFFD; /* lone high surrogate */
			}
		} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
			cp = 0xFFFD; /* lone low surrogate */
		}
		k += put_utf8(o + k, (unsigned long)cp);
	}
	return k;
}

void jscan_unescape(const char *p, size_t n, sbuf *out)
{
	if (!memchr(p, '\\', n)) {
		sbuf_add(out, p, n);
		return;
	}
	unsigned char local[512];
	unsigned char *o = 3 * n + 4 <= sizeof local ? local : xmalloc(3 * n + 4);
	size_t k = unesc_into((const unsigned char *)p, n, o);
	sbuf_add(out, o, k);
	if (o != local)
		free(o);
}

void jscan_text(const char *base, const jspan *s, sbuf *out)
{
	switch (s->kind) {
	case JK_ABSENT:
		return;
	case JK_STRING:
		if (s->esc)
			jscan_unescape(base + s->off, s->len, out);
		else
			sbuf_add(out, base + s->off, s->len);
		return;
	default:
		sbuf_add(out, base + s->off, s->len);
		return;
	}
}

/* Does the key body k[0..kl) (escaped when esc) equal want[0..wl)? */
static int key_eq(const unsigned char *k, size_t kl, int esc, const char *want, size_t wl)
{
	if (!esc)
		return kl == wl && memcmp(k, want, wl) == 0;
	if (kl < wl || kl > 12 * wl + 12) /* decoding never lengthens; >= 1 byte per 6 (12) */
		return 0;
	unsigned char local[256];
	unsigned char *o = 3 * kl + 4 <= sizeof local ? local : xmalloc(3 * kl + 4);
	size_t dl = unesc_into(k, kl, o);
	int r = dl == wl && memcmp(o, want, wl) == 0;
	if (o != local)
		free(o);
	return r;
}

/* ---- the record scanner ---- */

enum { L_TOP, L_UI, L_SC, L_SI };
#define A_NONE (-1)
#define A_DESCEND (-2)

#define KEQ(lit) (memcmp(k, lit, sizeof(lit) - 1) == 0)

/* Map a key (plain bytes) at a tracked level to a field, A_DESCEND or A_NONE. Switches
 * on length first so most keys cost one comparison. */
static int key_action(int level, const unsigned char *k, size_t kl)
{
	switch (level) {
	case L_TOP:
		switch (kl) {
		case 7: return KEQ("eventID") ? JF_EVENTID : A_NONE;
		case 8: return KEQ("readOnly") ? JF_READONLY : A_NONE;
		case 10: return KEQ("@timestamp") ? JF_TIMESTAMP : A_NONE;
		case 9:
			switch (k[0]) {
			case 'e':
				if (KEQ("eventTime")) return JF_EVENTTIME;
				if (KEQ("eventName")) return JF_EVENTNAME;
				if (KEQ("errorCode")) return JF_ERRORCODE;
				return A_NONE;
			case 'a': return KEQ("awsRegion") ? JF_AWSREGION : A_NONE;
			case 'u': return KEQ("userAgent") ? JF_USERAGENT : A_NONE;
			default: return A_NONE;
			}
		case 11: return KEQ("eventSource") ? JF_EVENTSOURCE : A_NONE;
		case 12: return KEQ("userIdentity") ? A_DESCEND : A_NONE;
		case 15: return KEQ("sourceIPAddress") ? JF_SOURCEIP : A_NONE;
		case 18: return KEQ("recipientAccountId") ? JF_RECIPIENT : A_NONE;
		default: return A_NONE;
		}
	case L_UI:
		switch (kl) {
		case 3: return KEQ("arn") ? JF_UI_ARN : A_NONE;
		case 4: return KEQ("type") ? JF_UI_TYPE : A_NONE;
		case 9:
			if (KEQ("accountId")) return JF_UI_ACCOUNTID;
			if (KEQ("invokedBy")) return JF_UI_INVOKEDBY;
			return A_NONE;
		case 11:
			if (KEQ("principalId")) return JF_UI_PRINCIPALID;
			if (KEQ("accessKeyId")) return JF_UI_ACCESSKEY;
			return A_NONE;
		case 14: return KEQ("sessionContext") ? A_DESCEND : A_NONE;
		default: return A_NONE;
		}
	case L_SC:
		return kl == 13 && KEQ("sessionIssuer") ? A_DESCEND : A_NONE;
	default:
		return kl == 3 && KEQ("arn") ? JF_ISSUER_ARN : A_NONE;
	}
}

static int key_action_esc(int level, const unsigned char *k, size_t kl)
{
	unsigned char o[3 * 192 + 4];
	if (kl > 192) /* decodes to >= 32 bytes: longer than any tracked key */
		return A_NONE;
	size_t dl = unesc_into(k, kl, o);
	if (dl > 18)
		return A_NONE;
	return key_action(level, o, dl);
}

static void reset_below(int level, jspan *f)
{
	/* A (new) value for the container key at `level` replaces the whole subtree:
	 * last one wins, so fields from an earlier duplicate must not leak through. */
	if (level == L_TOP)
		memset(&f[JF_UI_TYPE], 0, sizeof(jspan) * (JF_ISSUER_ARN - JF_UI_TYPE + 1));
	else
		memset(&f[JF_ISSUER_ARN], 0, sizeof(jspan));
}

/* Object at b[p] == '{' at a tracked level (depth level+1). Recursion is bounded by the
 * four levels. */
static size_t scan_obj(sc *s, size_t p, int level, jspan *f)
{
	const unsigned char *b = s->b;
	const size_t n = s->n;
	const unsigned depth = (unsigned)level + 1;
	uint8_t esc;

	p = skip_ws(b, n, p + 1);
	if (p >= n)
		return fail_eof(s, "unexpected end of input inside an object");
	if (b[p] == '}')
		return p + 1;
	for (;;) {
		if (b[p] != '"')
			return fail_at(s, p, "expected a string key");
		size_t ks = p + 1;
		esc = 0;
		size_t ke = str_end(s, ks, &esc);
		if (ke == FAIL)
			return FAIL;
		p = ke + 1;
		if (p < n && b[p] == ':')
			p++;
		else {
			p = skip_ws(b, n, p);
			if (p >= n)
				return fail_eof(s, "unexpected end of input: ':' expected");
			if (b[p] != ':')
				return fail_at(s, p, "expected ':' after key");
			p++;
		}
		p = skip_ws(b, n, p);
		if (p >= n)
			return fail_eof(s, "unexpected end of input: value expected");

		int act = esc ? key_action_esc(level, b + ks, ke - ks)
			      : key_action(level, b + ks, ke - ks);
		unsigned c = b[p];
		if (act == A_NONE) {
			if (c == '"') {
				p = str_end(s, p + 1, &esc);
				if (p == FAIL)
					return FAIL;
				p++;
			} else {
				p = skip_value(s, p, depth);
				if (p == FAIL)
					return FAIL;
			}
		} else if (act == A_DESCEND) {
			reset_below(level, f);
			if (c == '{')
				p = scan_obj(s, p, level + 1, f);
			else
				p = skip_value(s, p, depth);
			if (p == FAIL)
				return FAIL;
		} else {
			jspan *sp = &f[act];
			if (c == '"') {
				esc = 0;
				size_t e = str_end(s, p + 1, &esc);
				if (e == FAIL)
					return FAIL;
				sp->off = (uint32_t)(p + 1);
				sp->len = (uint32_t)(e - p - 1);
				sp->kind = JK_STRING;
				sp->esc = esc;
				p = e + 1;
			} else {
				size_t e = skip_value(s, p, depth);
				if (e == FAIL)
					return FAIL;
				sp->off = (uint32_t)p;
				sp->len = (uint32_t)(e - p);
				sp->kind = c == '{' ? JK_OBJECT : c == '[' ? JK_ARRAY : c == 't' ? JK_TRUE
					 : c == 'f' ? JK_FALSE : c == 'n' ? JK_NULL : JK_NUMBER;
				sp->esc = 0;
				p = e;
			}
		}
		/* after the value: ',' or '}' */
		if (p < n && b[p] == ',') {
			p++;
		} else {
			p = skip_ws(b, n, p);
			if (p >= n)
				return fail_eof(s, "unexpected end of input inside an object");
			if (b[p] == '}')
				return p + 1;
			if (b[p] != ',')
				return fail_at(s, p, "expected ',' or '}' in object");
			p++;
		}
		p = skip_ws(b, n, p);
		if (p >= n)
			return fail_eof(s, "unexpected end of input inside an object");
	}
}

int jscan_record(const char *buf, size_t len, size_t pos, size_t *end, jspan f[JF_N],
		 int *bad_utf8, jscan_err *err)
{
	sc s = { (const unsigned char *)buf, len, 0, 0, NULL };
	memset(f, 0, sizeof(jspan) * JF_N);
	if (bad_utf8)
		*bad_utf8 = 0;
	if (pos >= len) {
		if (err)
			err->off = len, err->reason = "unexpected end of input: '{' expected";
		return -1;
	}
	if (buf[pos] != '{') {
		if (err)
			err->off = pos, err->reason = "record is not an object";
		return -1;
	}
	size_t e = scan_obj(&s, pos, L_TOP, f);
	if (bad_utf8)
		*bad_utf8 = s.bad_utf8;
	if (e == FAIL) {
		if (err)
			err->off = s.eoff, err->reason = s.ereason;
		return -1;
	}
	if (e > UINT32_MAX) { /* spans are 32-bit: callers rebase buf at the record */
		if (err)
			err->off = pos, err->reason = "record ends beyond 4 GB from the buffer start";
		return -1;
	}
	if (end)
		*end = e;
	return 0;
}

int jscan_skip(const char *buf, size_t len, size_t pos, size_t *end, jscan_err *err)
{
	sc s = { (const unsigned char *)buf, len, 0, 0, NULL };
	size_t p = skip_ws(s.b, len, pos);
	size_t e = skip_value(&s, p, 0);
	if (e == FAIL) {
		if (err)
			err->off = s.eoff, err->reason = s.ereason;
		return -1;
	}
	if (end)
		*end = e;
	return 0;
}

int jscan_path(const char *rec, size_t len, const char *path, jspan *out)
{
	sc s = { (const unsigned char *)rec, len, 0, 0, NULL };
	const unsigned char *b = s.b;
	unsigned depth = 0;
	size_t p = skip_ws(b, len, 0);
	const char *comp = path;
	uint8_t esc;

	for (;;) {
		const char *dot = strchr(comp, '.');
		size_t cl = dot ? (size_t)(dot - comp) : strlen(comp);
		if (p >= len || depth >= JSCAN_MAX_DEPTH)
			return -1;
		if (b[p] == '{') {
			size_t found = FAIL;
			depth++;
			p = skip_ws(b, len, p + 1);
			if (p >= len || b[p] == '}')
				return -1;
			for (;;) {
				if (b[p] != '"')
					return -1;
				esc = 0;
				size_t ke = str_end(&s, p + 1, &esc);
				if (ke == FAIL)
					return -1;
				int m = key_eq(b + p + 1, ke - p - 1, esc, comp, cl);
				p = skip_ws(b, len, ke + 1);
				if (p >= len || b[p] != ':')
					return -1;
				p = skip_ws(b, len, p + 1);
				if (m)
					found = p; /* duplicates: the last one wins */
				p = skip_value(&s, p, depth);
				if (p == FAIL)
					return -1;
				p = skip_ws(b, len, p);
				if (p >= len)
					return -1;
				if (b[p] == '}')
					break;
				if (b[p] != ',')
					return -1;
				p = skip_ws(b, len, p + 1);
				if (p >= len)
					return -1;
			}
			if (found == FAIL)
				return -1;
			p = found;
		} else if (b[p] == '[') {
			size_t idx = 0;
			if (cl == 0 || cl > 9)
				return -1;
			for (size_t i = 0; i < cl; i++) {
				if (comp[i] < '0' || comp[i] > '9')
					return -1;
				idx = idx * 10 + (size_t)(comp[i] - '0');
			}
			depth++;
			p = skip_ws(b, len, p + 1);
			if (p >= len || b[p] == ']')
				return -1;
			for (size_t i = 0; i < idx; i++) {
				p = skip_value(&s, p, depth);
				if (p == FAIL)
					return -1;
				p = skip_ws(b, len, p);
				if (p >= len || b[p] != ',')
					return -1;
				p = skip_ws(b, len, p + 1);
				if (p >= len)
					return -1;
			}
		} else {
			return -1;
		}
		if (!dot)
			break;
		comp = dot + 1;
	}
	if (p >= len)
		return -1;
	unsigned c = b[p];
	if (c == '"') {
		esc = 0;
		size_t e = str_end(&s, p + 1, &esc);
		if (e == FAIL)
			return -1;
		out->off = (uint32_t)(p + 1);
		out->len = (uint32_t)(e - p - 1);
		out->kind = JK_STRING;
		out->esc = esc;
		return 0;
	}
	size_t e = skip_value(&s, p, depth);
	if (e == FAIL)
		return -1;
	out->off = (uint32_t)p;
	out->len = (uint32_t)(e - p);
	out->kind = c == '{' ? JK_OBJECT : c == '[' ? JK_ARRAY : c == 't' ? JK_TRUE
		  : c == 'f' ? JK_FALSE : c == 'n' ? JK_NULL : JK_NUMBER;
	out->esc = 0;
	return 0;
}
