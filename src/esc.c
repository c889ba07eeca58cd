/* esc.c — make attacker-controlled bytes safe for terminals, JSON and CSV. */
#include "esc.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>

/* Decode one UTF-8 sequence at s[0..n). Returns its length and sets *cp, or 0 when the
 * bytes there are not valid UTF-8 (overlongs, surrogates and > U+10FFFF are invalid). */
static size_t utf8_dec(const unsigned char *s, size_t n, unsigned *cp)
{
	if (!n)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	unsigned min;
	if ((c & 0xe0) == 0xc0) {
		len = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_dec(p + i, n - i, &cp);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* Code points that reorder or hide text on a terminal. */
static int is_bidi_or_invisible(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c || cp == 0xfeff ||
	       (cp >= 0x200b && cp <= 0x200d) || cp == 0x2028 || cp == 0x2029;
}

static void esc_term_mode(sbuf *out, const char *s, size_t n, int ascii)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '\\')
			run++;
		if (run > i) {
			sbuf_add(out, p + i, run - i);
			i = run;
			if (i >= n)
				break;
		}
		unsigned c = p[i], cp;
		if (c == '\\') {
			sbuf_add(out, "\\\\", 2);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': sbuf_add(out, "\\n", 2); break;
			case '\t': sbuf_add(out, "\\t", 2); break;
			case '\r': sbuf_add(out, "\\r", 2); break;
			case 0x1b: sbuf_add(out, "\\e", 2); break;
			default: sbuf_addf(out, "\\x%02x", c); break;
			}
			i++;
			continue;
		}
		size_t k = utf8_dec(p + i, n - i, &cp);
		if (!k) {
			sbuf_addf(out, "\\x%02x", c);
			i++;
			continue;
		}
		if (ascii)
			sbuf_addf(out, "\\u{%x}", cp);
		else if ((cp >= 0x80 && cp < 0xa0) || is_bidi_or_invisible(cp))
			sbuf_addf(out, "\\u{%04x}", cp);
		else
			sbuf_add(out, p + i, k);
		i += k;
	}
}

void esc_term(sbuf *out, const char *s, size_t n)
{
	esc_term_mode(out, s, n, 0);
}

void esc_term_ascii(sbuf *out, const char *s, size_t n)
{
	esc_term_mode(out, s, n, 1);
}

static int tui_ascii;

int esc_tui_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	int utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8") || !strcmp(cs, "utf-8"));
	tui_ascii = !utf8;
	return utf8;
}

const char *esc_tui_glyph(const char *utf8, const char *ascii)
{
	return tui_ascii ? ascii : utf8;
}

void esc_tui(sbuf *out, const char *s, size_t n)
{
	esc_term_mode(out, s, n, tui_ascii);
}

void esc_json(sbuf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			sbuf_add(out, p + i, run - i);
			i = run;
			if (i >= n)
				break;
		}
		unsigned c = p[i], cp;
		if (c == '"' || c == '\\') {
			sbuf_addc(out, '\\');
			sbuf_addc(out, (char)c);
			i++;
		} else if (c < 0x20) {
			switch (c) {
			case '\n': sbuf_add(out, "\\n", 2); break;
			case '\t': sbuf_add(out, "\\t", 2); break;
			case '\r': sbuf_add(out, "\\r", 2); break;
			case '\b': sbuf_add(out, "\\b", 2); break;
			case '\f': sbuf_add(out, "\\f", 2); break;
			default: sbuf_addf(out, "\\u%04x", c); break;
			}
			i++;
		} else if (c == 0x7f) {
			sbuf_add(out, "\\u007f", 6);
			i++;
		} else {
			size_t k = utf8_dec(p + i, n - i, &cp);
			if (!k) {
				sbuf_add(out, "\\ufffd", 6);
				i++;
			} else if (esc_json_unsafe(cp)) { /* the same value, but no raw C1 or bidi */
				sbuf_addf(out, "\\u%04x", cp);
				i += k;
			} else {
				sbuf_add(out, p + i, k);
				i += k;
			}
		}
	}
}

int esc_json_unsafe(unsigned cp)
{
	return cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || is_bidi_or_invisible(cp);
}

void esc_csv(sbuf *out, const char *s, size_t n)
{
	sbuf tmp;
	sbuf_init(&tmp);
	esc_term(&tmp, s, n);
	int quote = 0;
	for (size_t i = 0; i < tmp.len; i++)
		if (tmp.s[i] == ',' || tmp.s[i] == '"' || tmp.s[i] == ' ')
			quote = 1;
	/* Spreadsheets run cells starting with = + - @ as formulas; quote and prefix them. */
	int formula = tmp.len && strchr("=+-@", tmp.s[0]) != NULL;
	if (quote || formula)
		sbuf_addc(out, '"');
	if (formula)
		sbuf_addc(out, '\'');
	for (size_t i = 0; i < tmp.len; i++) {
		if (tmp.s[i] == '"')
			sbuf_addc(out, '"');
		sbuf_addc(out, tmp.s[i]);
	}
	if (quote || formula)
		sbuf_addc(out, '"');
	sbuf_free(&tmp);
}

void esc_md(sbuf *out, const char *s, size_t n)
{
	sbuf e;
	sbuf_init(&e);
	esc_term(&e, s, n);
	for (size_t i = 0; i < e.len; i++) {
		if (e.s[i] && strchr("\\|*_[]<>`#", e.s[i]))
			sbuf_addc(out, '\\');
		sbuf_addc(out, e.s[i]);
	}
	sbuf_free(&e);
}

/* East Asian wide and emoji ranges, enough for column alignment of escaped text. */
static int cp_wide(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	       (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

static int cp_zero(unsigned cp)
{
	return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
	       (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 && cp <= 0xfe2f);
}

size_t esc_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, i = 0;
	while (i < n) {
		unsigned cp;
		size_t k = p[i] < 0x80 ? (cp = p[i], 1) : utf8_dec(p + i, n - i, &cp);
		if (!k) {
			w++;
			i++;
			continue;
		}
		w += cp_wide(cp) ? 2 : cp_zero(cp) ? 0 : 1;
		i += k;
	}
	return w;
}

size_t esc_utf8_dec(const char *s, size_t n, unsigned *cp)
{
	return utf8_dec((const unsigned char *)s, n, cp);
}
