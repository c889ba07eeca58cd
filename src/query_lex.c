/* query_lex.c — the query lexer: words, strings, regexes, operators, on demand. */
#include "query_lex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

void qlex_init(qlexer *lx, const char *src)
{
	lx->src = src;
	lx->n = strlen(src);
	lx->pos = 0;
}

void qtoken_clear(qtoken *t)
{
	free(t->text);
	memset(t, 0, sizeof *t);
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Characters that end a bare word wherever they appear. */
static int is_delim(const qlexer *lx, size_t i)
{
	char c = lx->src[i];
	char d = i + 1 < lx->n ? lx->src[i + 1] : 0;
	if (is_space((unsigned char)c) || strchr("()|,\"'=<>~[]", c))
		return 1;
	if (c == '!' && (d == '=' || d == '~'))
		return 1;
	if (c == '-' && d == '>')
		return 1;
	if (c == ':' && (d == 0 || is_space((unsigned char)d) || d == '['))
		return 1;
	return 0;
}

static void skip_space(qlexer *lx)
{
	while (lx->pos < lx->n && is_space((unsigned char)lx->src[lx->pos]))
		lx->pos++;
}

static int fail(int *ecol, int col, char *msg, size_t msgn, const char *text)
{
	*ecol = col;
	snprintf(msg, msgn, "%s", text);
	return -1;
}

/* Four hex digits at s[i..]; -1 if not. */
static long hex4(const qlexer *lx, size_t i)
{
	long v = 0;
	if (i + 4 > lx->n)
		return -1;
	for (int k = 0; k < 4; k++) {
		int h = hexval((unsigned char)lx->src[i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void put_utf8(sbuf *b, unsigned long cp)
{
	if (cp < 0x80) {
		sbuf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		sbuf_addc(b, (char)(0xc0 | cp >> 6));
		sbuf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sbuf_addc(b, (char)(0xe0 | cp >> 12));
		sbuf_addc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		sbuf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		sbuf_addc(b, (char)(0xf0 | cp >> 18));
		sbuf_addc(b, (char)(0x80 | (cp >> 12 & 0x3f)));
		sbuf_addc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		sbuf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* A quoted string starting at lx->pos (the quote). */
static int lex_string(qlexer *lx, qtoken *t, int *ecol, char *msg, size_t msgn)
{
	size_t start = lx->pos;
	char q = lx->src[lx->pos++];
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, "", 0);
	for (;;) {
		if (lx->pos >= lx->n) {
			sbuf_free(&b);
			return fail(ecol, (int)start, msg, msgn, "unterminated string");
		}
		char c = lx->src[lx->pos];
		if (c == q) {
			lx->pos++;
			break;
		}
		if (c != '\\') {
			sbuf_addc(&b, c);
			lx->pos++;
			continue;
		}
		size_t esc = lx->pos;
		char e = esc + 1 < lx->n ? lx->src[esc + 1] : 0;
		lx->pos += 2;
		switch (e) {
		case '"': case '\'': case '\\': case '/': sbuf_addc(&b, e); break;
		case 'n': sbuf_addc(&b, '\n'); break;
		case 't': sbuf_addc(&b, '\t'); break;
		case 'r': sbuf_addc(&b, '\r'); break;
		case 'u': {
			long cp = hex4(lx, lx->pos);
			if (cp >= 0xd800 && cp <= 0xdbff && lx->pos + 6 <= lx->n &&
			    lx->src[lx->pos + 4] == '\\' && lx->src[lx->pos + 5] == 'u') {
				long lo = hex4(lx, lx->pos + 6);
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					lx->pos += 6;
				} else {
					cp = -1;
				}
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = -1;
			}
			if (cp <= 0) {
				sbuf_free(&b);
				return fail(ecol, (int)esc, msg, msgn,
					    "bad \\u escape (expected four hex digits, not \\u0000)");
			}
			lx->pos += 4;
			put_utf8(&b, (unsigned long)cp);
			break;
		}
		default:
			sbuf_free(&b);
			if (!e)
				return fail(ecol, (int)start, msg, msgn, "unterminated string");
			*ecol = (int)esc;
			if ((unsigned char)e >= 0x20 && (unsigned char)e < 0x7f)
				snprintf(msg, msgn, "bad escape '\\%c' in string", e);
			else
				snprintf(msg, msgn, "bad escape in string");
			return -1;
		}
	}
	t->t = QT_STRING;
	t->col = (int)start;
	t->end = (int)lx->pos;
	t->len = b.len;
	t->text = sbuf_take(&b);
	return 0;
}

static const struct { const char *s; enum qtok t; } ops[] = {
	{"!=~", QT_NRE}, {"=~", QT_RE}, {"!=", QT_NE}, {"!~", QT_NGLOB}, {"<=", QT_LE},
	{">=", QT_GE}, {"->", QT_ARROW}, {"==", QT_EQ}, {"=", QT_EQ}, {"<", QT_LT},
	{">", QT_GT}, {"~", QT_GLOB}, {"(", QT_LPAREN}, {")", QT_RPAREN}, {",", QT_COMMA},
	{"|", QT_PIPE}, {"[", QT_LBRACK}, {"]", QT_RBRACK},
};

int qlex_next(qlexer *lx, qtoken *t, int *ecol, char *msg, size_t msgn)
{
	qtoken_clear(t);
	skip_space(lx);
	t->col = (int)lx->pos;
	if (lx->pos >= lx->n) {
		t->t = QT_EOF;
		t->end = t->col;
		return 0;
	}
	const char *p = lx->src + lx->pos;
	if (*p == '"' || *p == '\'')
		return lex_string(lx, t, ecol, msg, msgn);
	if (*p == ':' && is_delim(lx, lx->pos)) {
		t->t = QT_COLON;
		t->end = (int)++lx->pos;
		return 0;
	}
	for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		size_t l = strlen(ops[k].s);
		if (lx->pos + l <= lx->n && memcmp(p, ops[k].s, l) == 0) {
			t->t = ops[k].t;
			lx->pos += l;
			t->end = (int)lx->pos;
			return 0;
		}
	}
	size_t start = lx->pos;
	if (*p == '!')
		return fail(ecol, (int)start, msg, msgn,
			    "unexpected '!' (did you mean '!=' or 'not'?)");
	if (*p == '@')
		start++;
	size_t i = start;
	for (;;) {
		while (i < lx->n && !is_delim(lx, i))
			i++;
		/* resources[].ARN: "[]" right after a name character is part of the word (an
		 * any-element path segment); a sequence step's '[' never follows one directly */
		if (i > start && i + 1 < lx->n && lx->src[i] == '[' && lx->src[i + 1] == ']' &&
		    (isalnum((unsigned char)lx->src[i - 1]) || lx->src[i - 1] == '_' ||
		     (i >= start + 2 && lx->src[i - 1] == ']' && lx->src[i - 2] == '['))) {
			i += 2;
			continue;
		}
		break;
	}
	if (*p == '@' && i == start)
		return fail(ecol, (int)lx->pos, msg, msgn, "expected a list name after '@'");
	t->t = *p == '@' ? QT_AT : QT_WORD;
	t->text = xstrndup(lx->src + start, i - start);
	t->len = i - start;
	lx->pos = i;
	t->end = (int)i;
	return 0;
}

int qlex_regex(qlexer *lx, qtoken *t, int *ecol, char *msg, size_t msgn)
{
	qtoken_clear(t);
	skip_space(lx);
	size_t start = lx->pos;
	if (start < lx->n && (lx->src[start] == '"' || lx->src[start] == '\'')) {
		if (lex_string(lx, t, ecol, msg, msgn) < 0)
			return -1;
		t->t = QT_REGEX;
		return 0;
	}
	if (start >= lx->n || lx->src[start] != '/')
		return fail(ecol, (int)start, msg, msgn, "expected a /regex/");
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, "", 0);
	size_t i = start + 1;
	for (;;) {
		if (i >= lx->n) {
			sbuf_free(&b);
			return fail(ecol, (int)start, msg, msgn, "unterminated regex (expected a closing '/')");
		}
		char c = lx->src[i];
		if (c == '/')
			break;
		if (c == '\\' && i + 1 < lx->n) {
			if (lx->src[i + 1] != '/')
				sbuf_addc(&b, '\\');
			sbuf_addc(&b, lx->src[i + 1]);
			i += 2;
			continue;
		}
		sbuf_addc(&b, c);
		i++;
	}
	i++;
	t->icase = 0;
	while (i < lx->n && !is_delim(lx, i)) {
		if (lx->src[i] != 'i') {
			sbuf_free(&b);
			*ecol = (int)i;
			snprintf(msg, msgn, "unknown regex flag '%c' (only 'i' is known)", lx->src[i]);
			return -1;
		}
		t->icase = 1;
		i++;
	}
	t->t = QT_REGEX;
	t->col = (int)start;
	t->end = (int)i;
	t->len = b.len;
	t->text = sbuf_take(&b);
	lx->pos = i;
	return 0;
}

const char *qtok_name(enum qtok t)
{
	switch (t) {
	case QT_EOF: return "end of query";
	case QT_WORD: return "word";
	case QT_STRING: return "string";
	case QT_REGEX: return "regex";
	case QT_AT: return "@list";
	case QT_LPAREN: return "'('";
	case QT_RPAREN: return "')'";
	case QT_COMMA: return "','";
	case QT_PIPE: return "'|'";
	case QT_LBRACK: return "'['";
	case QT_RBRACK: return "']'";
	case QT_ARROW: return "'->'";
	case QT_COLON: return "':'";
	case QT_EQ: return "'='";
	case QT_NE: return "'!='";
	case QT_LT: return "'<'";
	case QT_LE: return "'<='";
	case QT_GT: return "'>'";
	case QT_GE: return "'>='";
	case QT_GLOB: return "'~'";
	case QT_NGLOB: return "'!~'";
	case QT_RE: return "'=~'";
	case QT_NRE: return "'!=~'";
	}
	return "token";
}

int qtok_is(const qtoken *t, const char *kw)
{
	return t->t == QT_WORD && strcasecmp(t->text, kw) == 0;
}
