/* output.c — print query results as table, JSON, NDJSON or CSV. */
#include "output.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "esc.h"

const char *const output_default_fields[] = {
	"time", "principal", "event", "service", "ip", "region", "error", NULL,
};

int output_format_parse(const char *s)
{
	static const char *names[] = { "table", "json", "ndjson", "csv" };
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* 1 when raw[0..n) holds no line break, DEL or non-ASCII byte: output_json_line would
 * copy it as it is (backslashes and quotes only steer the rest). Eight bytes at a time. */
static int json_plain(const char *raw, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
#define HASZERO(v) (((v) - ones) & ~(v) & highs)
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, raw + i, 8);
		uint64_t del = w ^ (ones * 0x7f), lf = w ^ (ones * '\n'), cr = w ^ (ones * '\r');
		if ((w & highs) | HASZERO(del) | HASZERO(lf) | HASZERO(cr))
			return 0;
	}
#undef HASZERO
	for (; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c >= 0x7f || c == '\n' || c == '\r')
			return 0;
	}
	return 1;
}

void output_json_line(sbuf *out, const char *raw, size_t n)
{
	if (json_plain(raw, n)) { /* most events */
		sbuf_add(out, raw, n);
		return;
	}
	int in_str = 0;
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = (unsigned char)raw[i];
		if (c < 0x7f && c != '\n' && c != '\r' && c != '"' && c != '\\') {
			i++;
			continue;
		}
		sbuf_add(out, raw + run, i - run);
		if (c == '"') {
			in_str = !in_str;
			sbuf_addc(out, '"');
			i++;
		} else if (c == '\\') {
			sbuf_add(out, raw + i, i + 1 < n ? 2 : 1);
			i += 2;
		} else if (c == '\n' || c == '\r') {
			sbuf_addc(out, ' ');
			i++;
		} else if (c == 0x7f) {
			sbuf_adds(out, in_str ? "\\u007f" : " ");
			i++;
		} else {
			/* A non-ASCII sequence: kept if valid (C1 and bidi inside strings as \u
			 * escapes of the same value), else \ufffd (only inside strings can it occur
			 * in a record the scanner accepted). */
			unsigned cp;
			size_t k = esc_utf8_dec(raw + i, n - i, &cp);
			if (!k) {
				sbuf_adds(out, in_str ? "\\ufffd" : " ");
				k = 1;
			} else if (in_str && esc_json_unsafe(cp)) {
				sbuf_addf(out, "\\u%04x", cp);
			} else {
				sbuf_add(out, raw + i, k);
			}
			i += k;
		}
		run = i;
	}
	if (run < n)
		sbuf_add(out, raw + run, n - run);
}

/* Resolve the columns to print for an event result. */
static int resolve(store *s, const result *r, qfield **fs, int *nf, char *msg, size_t msgn)
{
	int n = 0;
	const char *const *names;
	if (r->fields) {
		names = (const char *const *)r->fields;
		n = r->nfields;
	} else {
		names = output_default_fields;
		while (names[n])
			n++;
	}
	*fs = xcalloc((size_t)n, sizeof **fs);
	for (int k = 0; k < n; k++)
		if (qfield_resolve(s, names[k], &(*fs)[k], msg, msgn) < 0) {
			for (int j = 0; j < k; j++)
				qfield_free(&(*fs)[j]);
			free(*fs);
			return -1;
		}
	*nf = n;
	return 0;
}

/* The cell text for row i, column k, or NULL when absent. */
struct grid {
	int ncols;
	size_t nrows;
	const char **head;
	store *s;
	const result *r;
	qfield *fs;
	char tbuf[32];
};

static const char *cell(struct grid *g, size_t i, int k, size_t *len)
{
	if (g->r->is_table) {
		const char *c = g->r->cells[i * (size_t)g->ncols + (size_t)k];
		if (c)
			*len = strlen(c);
		return c;
	}
	return qfield_value(g->s, &g->fs[k], g->r->idx[i], g->tbuf, len);
}

int out_sink_write(out_sink *o, const void *p, size_t n)
{
	if (o->err)
		return -1;
	if (o->sha)
		sha256_update(o->sha, p, n);
	const char *c = p;
	size_t left = n;
	while (left) {
		if (o->fd < 0) {
			if (fwrite(c, 1, left, o->fp) != left) {
				o->err = errno ? errno : EIO;
				return -1;
			}
			break;
		}
		ssize_t w = write(o->fd, c, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->err = w < 0 ? errno : EIO;
			return -1;
		}
		c += w;
		left -= (size_t)w;
	}
	o->bytes += n;
	return 0;
}

/* store_raw_format's writer: the iovecs in order (partial writev resumed). */
static int sink_writev(out_sink *o, const struct iovec *iov, int n)
{
	if (o->err)
		return -1;
	if (o->fd < 0) {
		for (int i = 0; i < n; i++)
			if (out_sink_write(o, iov[i].iov_base, iov[i].iov_len) < 0)
				return -1;
		return 0;
	}
	struct iovec v[1024];
	size_t total = 0;
	if (n > 1024)
		n = 1024; /* store_raw_format never passes more */
	for (int i = 0; i < n; i++) {
		v[i] = iov[i];
		total += v[i].iov_len;
		if (o->sha)
			sha256_update(o->sha, v[i].iov_base, v[i].iov_len);
	}
	struct iovec *p = v;
	while (n > 0) {
		ssize_t w = writev(o->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->err = w < 0 ? errno : EIO;
			return -1;
		}
		size_t u = (size_t)w;
		while (n > 0 && u >= p->iov_len) {
			u -= p->iov_len;
			p++;
			n--;
		}
		if (n > 0) {
			p->iov_base = (char *)p->iov_base + u;
			p->iov_len -= u;
		}
	}
	o->bytes += total;
	return 0;
}

static void put(out_sink *o, sbuf *b)
{
	out_sink_write(o, b->s, b->len);
	sbuf_reset(b);
}

/* Aggregates whose cells are numbers in JSON. */
static int numeric_col(const char *name)
{
	return strcmp(name, "count") == 0 || strncmp(name, "count(", 6) == 0 ||
	       strncmp(name, "dc(", 3) == 0;
}

static void print_table(out_sink *fp, struct grid *g)
{
	size_t *w = xcalloc((size_t)g->ncols, sizeof *w);
	sbuf b, e;
	sbuf_init(&b);
	sbuf_init(&e);
	for (int k = 0; k < g->ncols; k++)
		w[k] = esc_width(g->head[k], strlen(g->head[k]));
	for (size_t i = 0; i < g->nrows; i++)
		for (int k = 0; k < g->ncols; k++) {
			size_t n = 0;
			const char *c = cell(g, i, k, &n);
			sbuf_reset(&e);
			esc_term(&e, c ? c : "-", c ? n : 1);
			size_t cw = esc_width(e.s, e.len);
			if (cw > w[k])
				w[k] = cw;
		}
	for (int k = 0; k < g->ncols; k++) {
		sbuf_adds(&b, g->head[k]);
		if (k + 1 < g->ncols)
			sbuf_addf(&b, "%*s", (int)(w[k] - esc_width(g->head[k], strlen(g->head[k])) + 2), "");
	}
	sbuf_addc(&b, '\n');
	put(fp, &b);
	for (size_t i = 0; i < g->nrows; i++) {
		for (int k = 0; k < g->ncols; k++) {
			size_t n = 0;
			const char *c = cell(g, i, k, &n);
			sbuf_reset(&e);
			esc_term(&e, c ? c : "-", c ? n : 1);
			sbuf_add(&b, e.s, e.len);
			if (k + 1 < g->ncols)
				sbuf_addf(&b, "%*s", (int)(w[k] - esc_width(e.s, e.len) + 2), "");
		}
		sbuf_addc(&b, '\n');
		if (b.len > 65536)
			put(fp, &b);
	}
	put(fp, &b);
	sbuf_free(&b);
	sbuf_free(&e);
	free(w);
}

static void print_csv(out_sink *fp, struct grid *g)
{
	sbuf b;
	sbuf_init(&b);
	for (int k = 0; k < g->ncols; k++) {
		if (k)
			sbuf_addc(&b, ',');
		esc_csv(&b, g->head[k], strlen(g->head[k]));
	}
	sbuf_adds(&b, "\r\n");
	for (size_t i = 0; i < g->nrows; i++) {
		for (int k = 0; k < g->ncols; k++) {
			size_t n = 0;
			const char *c = cell(g, i, k, &n);
			if (k)
				sbuf_addc(&b, ',');
			if (c)
				esc_csv(&b, c, n);
		}
		sbuf_adds(&b, "\r\n");
		if (b.len > 65536)
			put(fp, &b);
	}
	put(fp, &b);
	sbuf_free(&b);
}

static void json_object(sbuf *b, struct grid *g, size_t i)
{
	sbuf_addc(b, '{');
	for (int k = 0; k < g->ncols; k++) {
		size_t n = 0;
		const char *c = cell(g, i, k, &n);
		if (k)
			sbuf_addc(b, ',');
		sbuf_addc(b, '"');
		esc_json(b, g->head[k], strlen(g->head[k]));
		sbuf_adds(b, "\":");
		if (!c) {
			sbuf_adds(b, "null");
		} else if (g->r->is_table && numeric_col(g->head[k]) && n && strspn(c, "0123456789") == n) {
			sbuf_add(b, c, n);
		} else {
			sbuf_addc(b, '"');
			esc_json(b, c, n);
			sbuf_addc(b, '"');
		}
	}
	sbuf_addc(b, '}');
}

/* Raw events: each formatted by a worker of store_raw_format, written in order. */
struct raw_out {
	out_sink *o;
	enum out_format fmt;
};

static void raw_fmt(void *ud, sbuf *out, size_t k, const char *raw, size_t len)
{
	const struct raw_out *ro = ud;
	if (ro->fmt == OUT_JSON)
		sbuf_adds(out, k ? ",\n" : "\n");
	output_json_line(out, raw, len);
	if (ro->fmt == OUT_NDJSON)
		sbuf_addc(out, '\n');
}

static int raw_write(void *ud, const struct iovec *iov, int n)
{
	return sink_writev(((struct raw_out *)ud)->o, iov, n);
}

static int write_failed(out_sink *o, char *msg, size_t msgn)
{
	snprintf(msg, msgn, "writing the output: %s", strerror(o->err));
	return -1;
}

int output_raw_events(out_sink *o, store *s, const uint32_t *idx, size_t n,
		      enum out_format fmt, char *msg, size_t msgn)
{
	struct raw_out ro = { o, fmt };
	if (fmt == OUT_JSON)
		out_sink_write(o, "[", 1);
	int rc = store_raw_format(s, idx, n, 0, raw_fmt, raw_write, &ro, msg, msgn);
	if (rc < 0)
		return -1;
	if (fmt == OUT_JSON)
		out_sink_write(o, n ? "\n]\n" : "]\n", n ? 3 : 2);
	return o->err ? write_failed(o, msg, msgn) : 0;
}

int output_result(FILE *fp, store *s, const result *r, enum out_format fmt, char *msg,
		  size_t msgn)
{
	out_sink o = { .fd = -1, .fp = fp };
	int raw = !r->is_table && !r->fields && (fmt == OUT_JSON || fmt == OUT_NDJSON);
	int fd = raw ? fileno(fp) : -1;
	if (fd >= 0 && fflush(fp) == 0)
		o.fd = fd; /* the fast path writes the descriptor with writev */
	return output_result_sink(&o, s, r, fmt, msg, msgn);
}

int output_result_sink(out_sink *o, store *s, const result *r, enum out_format fmt,
		       char *msg, size_t msgn)
{
	struct grid g = { .s = s, .r = r };
	int raw = !r->is_table && !r->fields && (fmt == OUT_JSON || fmt == OUT_NDJSON);
	int nf = 0, rc = 0;
	if (r->is_table) {
		g.ncols = r->ncols;
		g.nrows = r->nrows;
		g.head = (const char **)r->cols;
	} else {
		g.nrows = r->n;
		if (!raw) {
			if (resolve(s, r, &g.fs, &nf, msg, msgn) < 0)
				return -1;
			g.ncols = nf;
			g.head = xcalloc((size_t)nf, sizeof *g.head);
			for (int k = 0; k < nf; k++)
				g.head[k] = g.fs[k].name;
		}
	}
	if (raw)
		return output_raw_events(o, s, r->idx, g.nrows, fmt, msg, msgn);
	sbuf b;
	sbuf_init(&b);
	if (fmt == OUT_TABLE) {
		print_table(o, &g);
	} else if (fmt == OUT_CSV) {
		print_csv(o, &g);
	} else {
		if (fmt == OUT_JSON)
			sbuf_addc(&b, '[');
		for (size_t i = 0; i < g.nrows; i++) {
			if (fmt == OUT_JSON)
				sbuf_adds(&b, i ? ",\n" : "\n");
			json_object(&b, &g, i);
			if (fmt == OUT_NDJSON)
				sbuf_addc(&b, '\n');
			if (b.len > 65536)
				put(o, &b);
		}
		if (fmt == OUT_JSON)
			sbuf_adds(&b, g.nrows ? "\n]\n" : "]\n");
		put(o, &b);
	}
	sbuf_free(&b);
	if (!r->is_table) {
		for (int k = 0; k < nf; k++)
			qfield_free(&g.fs[k]);
		free(g.fs);
		free(g.head);
	}
	if (o->err && rc == 0)
		rc = write_failed(o, msg, msgn);
	return rc;
}
