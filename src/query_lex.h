/* query_lex.h — tokens of the query language and the on-demand lexer that makes them. */
#ifndef TG_QUERY_LEX_H
#define TG_QUERY_LEX_H

#include <stddef.h>

enum qtok {
	QT_EOF,
	QT_WORD,   /* bare word: CreateUser, -24h, 10.0.0.0/8, first-seen */
	QT_STRING, /* "quoted" or 'quoted', escapes decoded */
	QT_REGEX,  /* /.../flags, only lexed on request after =~ or !=~ */
	QT_AT,     /* @name: a list reference (text is the name without '@') */
	QT_LPAREN, QT_RPAREN, QT_COMMA, QT_PIPE,
	QT_LBRACK, QT_RBRACK, QT_ARROW, QT_COLON,
	QT_EQ, QT_NE, QT_LT, QT_LE, QT_GT, QT_GE,
	QT_GLOB,   /* ~ */
	QT_NGLOB,  /* !~ */
	QT_RE,     /* =~ */
	QT_NRE,    /* !=~ */
};

typedef struct qtoken {
	enum qtok t;
	int col;      /* 0-based byte column of the token's first character */
	int end;      /* column just past the token */
	char *text;   /* decoded text for WORD, STRING, REGEX, AT (owned), else NULL */
	size_t len;
	int icase;    /* REGEX: the /i flag */
} qtoken;

typedef struct qlexer {
	const char *src;
	size_t n, pos;
} qlexer;

void qlex_init(qlexer *lx, const char *src);
/* Next token into *t (previous text is freed). 0, or -1 with col/msg set. */
int qlex_next(qlexer *lx, qtoken *t, int *ecol, char *msg, size_t msgn);
/* Lex a /regex/flags (or a quoted string) at the current position. 0 or -1. */
int qlex_regex(qlexer *lx, qtoken *t, int *ecol, char *msg, size_t msgn);
void qtoken_clear(qtoken *t);
/* Short printable name of a token kind for messages ("')'", "end of query"). */
const char *qtok_name(enum qtok t);
/* Case-insensitive compare of a WORD token with a keyword. */
int qtok_is(const qtoken *t, const char *kw);

#endif
