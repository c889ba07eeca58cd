/* query_ast.h — the parsed form of a query: filter expression tree and pipe stages. */
#ifndef TG_QUERY_AST_H
#define TG_QUERY_AST_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "query.h"

#define QUERY_MAX_DEPTH 256   /* nesting of ( and not */
#define QUERY_MAX_TERMS 4096  /* and/or operators in one expression */
#define QUERY_MAX_KEYS 32      /* fields in one stage */
#define QUERY_HEAD_DEFAULT 10
#define QUERY_VALUES_CAP 100  /* values(f) keeps at most this many distinct values */
#define QUERY_MAX_STEPS 64     /* steps in one sequence */
#define QUERY_SEQ_MAX_CHAINS 64    /* complete chains followed from one start event */
#define QUERY_SEQ_MAX_VISITS 2048  /* candidate events examined from one start event */
#define QUERY_SPIKE_BASELINE (7 * 86400000LL)
#define QUERY_DORMANT_MIN_LOOKBACK (30 * 86400000LL)

enum qop {
	QO_EQ, QO_NE, QO_LT, QO_LE, QO_GT, QO_GE,
	QO_GLOB, QO_NGLOB, QO_RE, QO_NRE,
	QO_IN, QO_NIN, QO_EXISTS, QO_NEXISTS,
};

/* One literal on the right of a comparison, or one entry of an in (...) list. */
typedef struct qval {
	char *s;          /* decoded text (service values already carry .amazonaws.com) */
	size_t n;
	int col;          /* where it was written */
	int is_num;       /* s parses as a number */
	double num;
	int is_cidr;      /* s is an address or CIDR: family/addr/bits hold it */
	int family;       /* 4 or 6 */
	unsigned char addr[16];
	int bits;
	char *list;       /* @name reference (s is then ""), resolved per run into lst */
	const struct tglist *lst;
} qval;

enum qnode_kind { QN_TRUE, QN_AND, QN_OR, QN_NOT, QN_CMP };

typedef struct qnode {
	enum qnode_kind kind;
	int col;               /* where the node starts in the text */
	struct qnode *a, *b;   /* AND/OR: a, b; NOT: a */
	/* QN_CMP */
	char *field;
	int fcol;              /* field's column in the text */
	int is_time;           /* the field is the event time */
	enum qop op;
	qval *vals;
	int nvals;
	regex_t re;
	int has_re;
	char *rfield;          /* field(PATH) on the right: compared with that field (no vals) */
	int rfcol;
	/* filled by qeval_prepare for a run */
	int scol;              /* store column, or table column in table mode; -1 = none */
	int rscol;             /* rfield's column, likewise */
	int64_t tval;          /* time comparisons: the value in ms */
} qnode;

enum qstage_kind {
	QS_FILTER, QS_FIELDS, QS_STATS, QS_SORT, QS_HEAD, QS_DEDUP,
	QS_FIRSTSEEN, QS_DORMANT, QS_SPIKE, QS_SEQUENCE, QS_THRESHOLD,
};
enum qagg_kind { QA_COUNT, QA_DC, QA_MIN, QA_MAX, QA_VALUES, QA_FIRST, QA_LAST };

/* A field named by a stage: fields/sort/dedup/stats-by entries and aggregate arguments. */
typedef struct qkey {
	char *field;     /* NULL for count() */
	int col;         /* where it was written */
	int64_t bin;     /* > 0: bin(DURATION) over the event time */
	int desc;        /* sort: descending */
} qkey;

typedef struct qagg {
	enum qagg_kind kind;
	qkey arg;        /* arg.field NULL for count() */
	int col;         /* where the aggregate starts */
	char *name;      /* output column: "count", "dc(user)", or the `as` name */
} qagg;

/* One step of a sequence: [EXPR] [by F] [then F], or not [EXPR] [by F]. */
typedef struct qseqstep {
	qnode *expr;     /* NULL = any event */
	int neg;         /* a not step */
	int col;
	char *by;        /* join field (NULL: the sequence's by, if any) */
	int bycol;
	char *then;      /* link field (NULL: the join field) */
	int thencol;
} qseqstep;

typedef struct qstage {
	enum qstage_kind kind;
	int col;
	int table;       /* runs on the table made by an earlier stats stage */
	qnode *expr;     /* filter */
	qkey *keys;      /* fields, sort, dedup, stats by */
	int nkeys;
	long head;
	qagg *aggs;      /* stats */
	int naggs;
	/* investigation stages */
	int64_t dur;     /* first-seen/spike: baseline; dormant: for; sequence: within */
	int64_t bin;     /* spike: bucket width */
	double z;        /* spike: z threshold */
	char *by;        /* sequence: by KEY (NULL: none) */
	int bycol;
	qseqstep *steps; /* sequence */
	int nsteps;
	long count;      /* threshold: count() > count (or >= with count_ge) */
	int count_ge;
} qstage;

/* A lookback stage reads events before the window's start as its baseline. */
static inline int qstage_is_lookback(const qstage *st)
{
	return st->kind == QS_FIRSTSEEN || st->kind == QS_DORMANT || st->kind == QS_SPIKE;
}

struct query {
	char *text;
	qnode *filter;   /* NULL = every event */
	qstage *stages;
	int nstages;
	int is_table;
};

void qnode_free(qnode *e);

/* query_field.c: values and matching helpers shared by the parser and the evaluator. */
int qv_number(const char *s, size_t n, double *out);
/* Total order used by <, >, sort, min and max: two numbers compare numerically, numbers
 * sort before other strings, other strings compare bytewise. */
int qv_cmp(const char *a, size_t an, const char *b, size_t bn);
/* Case-insensitive glob (* ? [set] and \ escape) without backtracking blow-up. */
int qv_glob(const char *pat, size_t pn, const char *s, size_t n);
/* 1: s is an IPv4/IPv6 address or CIDR (stored in v); 0: it is not; -1: it looks like a
 * CIDR but is malformed ("10.0.0.0/33"). */
int qv_cidr_parse(const char *s, size_t n, qval *v);
int qv_cidr_match(const qval *v, const char *s, size_t n);
/* 1 if the field names the event time. */
int qv_field_is_time(const char *name);
/* 1 if the field names eventSource (so "iam" means "iam.amazonaws.com"). */
int qv_field_is_service(const char *name);

/* query_timefn.c: hour(time [, +HH:MM]) and weekday(time [, +HH:MM]) as derived fields. */
enum { QTF_HOUR = 1, QTF_WEEKDAY = 2 };
/* QTF_HOUR or QTF_WEEKDAY when name is such a field ("hour(time)", "weekday(time,+02:00)"),
 * else 0. */
int qtimefn_kind(const char *name);
/* The hour ("0".."23") or weekday ("mon".."sun") of ms at offmin minutes east of UTC.
 * 0, or -1 for an absent time. */
int qtimefn_value(int kind, int64_t ms, int offmin, char *buf, size_t n);
/* The store column of such a field, derived from the time column on first use. */
int qtimefn_column(store *s, const char *name);
/* Check and normalise a literal compared with such a field: an hour 0..23 ("09" -> "9"), a
 * weekday (mon..sun or monday..sunday, any case -> "mon"). 0, or -1 when it is not one. */
int qtimefn_literal(int kind, qval *v);

/* query_parse.c / query_parse_stage.c: the parser's state and shared helpers. */
#include "query_lex.h"
typedef struct qparser {
	qlexer lx;
	qtoken tok;
	qerr *err;
	int depth;
	int nterms;
	/* after a stats stage: the table's column names */
	int table;
	char **tcols;
	int ntcols;
} qparser;
int qparse_err(qparser *p, int col, const char *fmt, ...) TG_PRINTF(3, 4);
int qparse_advance(qparser *p);
const char *qparse_tokdesc(qparser *p, char *buf, size_t n);
int qparse_at_end(const qparser *p);
/* The kind of the token after the current one, without consuming anything. */
enum qtok qparse_peek(const qparser *p);
int qparse_field(qparser *p, char **out, int *col, const char *what);
int qparse_no_column(qparser *p, int col, const char *name);
qnode *qparse_filter(qparser *p);
/* An expression up to whatever cannot continue it (for sequence steps inside [ ]). */
qnode *qparse_expr(qparser *p);
/* query_parse_invest.c: first-seen, dormant, spike, sequence (st->kind already set, the
 * stage name consumed). */
int qparse_invest(qparser *p, qstage *st);
int qparse_duration(qparser *p, int64_t *out, const char *after);
void qparse_tcols_reset(qparser *p);
int qparse_tcols_add(qparser *p, const char *name, int col);
/* hour(time [, OFFSET]) / weekday(...) at the current token (the name, '(' next): the
 * canonical field name into *out. */
int qparse_timefn(qparser *p, char **out, int *col);

#endif
