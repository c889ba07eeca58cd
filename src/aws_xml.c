/* aws_xml.c — find elements by local name in S3/STS answers and decode their text.
 * Not a general parser: comments, processing instructions, DOCTYPE and CDATA are skipped
 * as opaque runs; anything malformed or truncated makes the search answer "not found". */
#include "aws_xml.h"

#include <string.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Find needle in s[i..n); index or n. */
static size_t find(const char *s, size_t n, size_t i, const char *needle)
{
	size_t l = strlen(needle);
	for (; i + l <= n; i++)
		if (s[i] == needle[0] && !memcmp(s + i, needle, l))
			return i;
	return n;
}

enum { T_START, T_END, T_EMPTY, T_OTHER, T_BAD };

/* One markup item at s[i] == '<'. Sets *end past it and the local name of a tag. */
static int scan_tag(const char *s, size_t n, size_t i, size_t *end, const char **nm,
		    size_t *nl)
{
	size_t j;
	if (i + 1 >= n)
		return T_BAD;
	if (s[i + 1] == '!' || s[i + 1] == '?') {
		const char *close = "?>";
		if (n - i >= 4 && !memcmp(s + i, "<!--", 4))
			close = "-->";
		else if (n - i >= 9 && !memcmp(s + i, "<![CDATA[", 9))
			close = "]]>";
		else if (s[i + 1] == '!')
			close = ">";
		j = find(s, n, i + 2, close);
		if (j >= n)
			return T_BAD;
		*end = j + strlen(close);
		return T_OTHER;
	}
	int kind = T_START;
	j = i + 1;
	if (s[j] == '/') {
		kind = T_END;
		j++;
	}
	size_t a = j;
	while (j < n && !is_space(s[j]) && s[j] != '>' && s[j] != '/')
		j++;
	if (j == a || j >= n)
		return T_BAD;
	*nm = s + a;
	*nl = j - a;
	for (size_t k = a; k < j; k++)
		if (s[k] == ':') {
			*nm = s + k + 1;
			*nl = j - k - 1;
		}
	char q = 0;
	for (; j < n; j++) {
		if (q) {
			if (s[j] == q)
				q = 0;
		} else if (s[j] == '"' || s[j] == '\'') {
			q = s[j];
		} else if (s[j] == '>') {
			break;
		}
	}
	if (j >= n)
		return T_BAD;
	if (kind == T_START && s[j - 1] == '/')
		kind = T_EMPTY;
	*end = j + 1;
	return kind;
}

int awsxml_next(const char *xml, size_t n, size_t *pos, const char *name, const char **inner,
		size_t *inner_len)
{
	size_t i = pos ? *pos : 0, want = strlen(name), end = 0, nl = 0;
	const char *nm = NULL;
	if (!xml)
		return 0;
	while (i < n) {
		const char *lt = memchr(xml + i, '<', n - i);
		if (!lt)
			return 0;
		i = (size_t)(lt - xml);
		int k = scan_tag(xml, n, i, &end, &nm, &nl);
		if (k == T_BAD)
			return 0;
		int match = (k == T_START || k == T_EMPTY) && nl == want && !memcmp(nm, name, nl);
		if (!match) {
			i = end;
			continue;
		}
		if (k == T_EMPTY) {
			*inner = xml + end;
			*inner_len = 0;
			if (pos)
				*pos = end;
			return 1;
		}
		/* find the matching end tag: depth over every element */
		size_t start = end, j = end, depth = 1;
		const char *mn = nm;
		size_t ml = nl;
		while (j < n) {
			lt = memchr(xml + j, '<', n - j);
			if (!lt)
				return 0;
			size_t at = (size_t)(lt - xml);
			k = scan_tag(xml, n, at, &end, &nm, &nl);
			if (k == T_BAD)
				return 0;
			if (k == T_START)
				depth++;
			else if (k == T_END && --depth == 0) {
				if (nl != ml || memcmp(nm, mn, nl))
					return 0; /* mismatched end tag */
				*inner = xml + start;
				*inner_len = at - start;
				if (pos)
					*pos = end;
				return 1;
			}
			j = end;
		}
		return 0;
	}
	return 0;
}

static void put_utf8(sbuf *out, unsigned long c)
{
	char b[4];
	if (c < 0x80) {
		b[0] = (char)c;
		sbuf_add(out, b, 1);
	} else if (c < 0x800) {
		b[0] = (char)(0xC0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3F));
		sbuf_add(out, b, 2);
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		sbuf_add(out, b, 3);
	} else {
		b[0] = (char)(0xF0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (char)(0x80 | (c & 0x3F));
		sbuf_add(out, b, 4);
	}
}

/* An entity at s[i] == '&': its length (through ';') when decoded into out, else 0. */
static size_t entity(sbuf *out, const char *s, size_t n, size_t i)
{
	static const struct { const char *e; char c; } named[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	for (size_t k = 0; k < sizeof named / sizeof *named; k++) {
		size_t l = strlen(named[k].e);
		if (n - i >= l && !memcmp(s + i, named[k].e, l)) {
			sbuf_addc(out, named[k].c);
			return l;
		}
	}
	if (n - i < 4 || s[i + 1] != '#')
		return 0;
	size_t j = i + 2;
	int hex = s[j] == 'x' || s[j] == 'X';
	unsigned long c = 0;
	if (hex)
		j++;
	size_t d0 = j;
	for (; j < n && j - d0 < 8; j++) {
		char ch = s[j];
		int v = ch >= '0' && ch <= '9' ? ch - '0'
			: hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
			: hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (v < 0)
			break;
		c = c * (hex ? 16 : 10) + (unsigned long)v;
	}
	if (j == d0 || j >= n || s[j] != ';' || c == 0 || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	put_utf8(out, c);
	return j + 1 - i;
}

void awsxml_decode(const char *s, size_t n, sbuf *out)
{
	sbuf_adds(out, "");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&') {
			size_t l = entity(out, s, n, i);
			if (l) {
				i += l - 1;
				continue;
			}
		} else if (s[i] == '<' && n - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
			size_t e = find(s, n, i + 9, "]]>");
			sbuf_add(out, s + i + 9, e - (i + 9));
			i = e < n ? e + 2 : n;
			continue;
		}
		sbuf_addc(out, s[i]);
	}
}

int awsxml_get(const char *xml, size_t n, const char *name, sbuf *out)
{
	size_t pos = 0, len = 0;
	const char *in = NULL;
	if (!awsxml_next(xml, n, &pos, name, &in, &len))
		return 0;
	awsxml_decode(in, len, out);
	return 1;
}
