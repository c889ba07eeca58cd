/* view.c — the event list's data source: rows formatted only when they are drawn. */
#include "tui/view.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esc.h"

size_t tui_view_count(const tui_view *v)
{
	if (!v->r)
		return 0;
	return v->r->is_table ? v->r->nrows : v->r->n;
}

long tui_view_event(const tui_view *v)
{
	if (!v->r || v->r->is_table || v->cursor >= v->r->n)
		return -1;
	return (long)v->r->idx[v->cursor];
}

void tui_view_clamp(tui_view *v, int h)
{
	size_t n = tui_view_count(v);
	if (h < 1)
		h = 1;
	if (v->cursor >= n)
		v->cursor = n ? n - 1 : 0;
	if (v->cursor < v->scroll)
		v->scroll = v->cursor;
	if (v->cursor >= v->scroll + (size_t)h)
		v->scroll = v->cursor - (size_t)h + 1;
	if (n > (size_t)h && v->scroll > n - (size_t)h)
		v->scroll = n - (size_t)h;
	if (n <= (size_t)h)
		v->scroll = 0;
}

void tui_view_to(tui_view *v, size_t row, int h)
{
	v->cursor = row;
	tui_view_clamp(v, h);
}

void tui_view_move(tui_view *v, long delta, int h)
{
	long c = (long)v->cursor + delta;
	long n = (long)tui_view_count(v);
	if (c >= n)
		c = n - 1;
	if (c < 0)
		c = 0;
	tui_view_to(v, (size_t)c, h);
}

/* Length in bytes of the UTF-8 sequence starting with byte b (1 for stray bytes). */
static size_t u8len(unsigned char b)
{
	return b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

void tui_fit(sbuf *out, const char *e, size_t n, int width, int ellipsis, int pad)
{
	int used = 0;
	size_t total = e ? esc_width(e, n) : 0;
	int cut = (int)total > width && ellipsis && width > 0;
	int room = cut ? width - 1 : width;
	for (size_t i = 0; i < n;) {
		size_t k = u8len((unsigned char)e[i]);
		if (i + k > n)
			k = n - i;
		int w = (int)esc_width(e + i, k);
		if (used + w > room)
			break;
		sbuf_add(out, e + i, k);
		used += w;
		i += k;
	}
	if (cut) {
		sbuf_adds(out, esc_tui_glyph("\xe2\x80\xa6", "~")); /* … */
		used++;
	}
	while (pad && used++ < width)
		sbuf_addc(out, ' ');
}

void tui_cell(sbuf *out, const char *s, size_t n, int width, int ellipsis, int pad)
{
	sbuf e;
	sbuf_init(&e);
	esc_tui(&e, s ? s : "", s ? n : 0);
	tui_fit(out, e.s, e.len, width, ellipsis, pad);
	sbuf_free(&e);
}

/* The default columns of an event row, in display order. */
enum { VC_TIME, VC_PRINCIPAL, VC_EVENT, VC_SOURCE, VC_IP, VC_REGION, VC_ERROR, VC_N };
static const char *const vc_name[VC_N] = { "time", "principal", "event", "source", "ip",
					   "region", "error" };
static const int vc_width[VC_N] = { 14, 12, 20, 8, 15, 12, 16 };
static const int vc_prio[VC_N] = { VC_TIME, VC_EVENT, VC_PRINCIPAL, VC_IP, VC_SOURCE,
				   VC_ERROR, VC_REGION };

/* Widths of the columns shown at width (0: hidden); the principal takes what is left. */
static void widths(int width, int w[VC_N])
{
	int used = 0;
	memset(w, 0, VC_N * sizeof *w);
	for (int k = 0; k < VC_N; k++) {
		int c = vc_prio[k], need = vc_width[c] + (used ? 1 : 0);
		if (used + need > width)
			break;
		w[c] = vc_width[c];
		used += need;
	}
	if (w[VC_PRINCIPAL])
		w[VC_PRINCIPAL] += width - used;
}

/* Chosen columns: a time column is 20 wide, the others share the rest. */
static void chosen_widths(const tui_view *v, int width, int *cw)
{
	int nt = 0, rest = width - (v->ncols - 1);
	for (int c = 0; c < v->ncols; c++)
		nt += v->cols[c].kind == QF_TIME;
	if (nt < v->ncols)
		rest -= nt * 20;
	int each = nt < v->ncols ? rest / (v->ncols - nt) : rest / v->ncols;
	for (int c = 0; c < v->ncols; c++)
		cw[c] = v->cols[c].kind == QF_TIME && nt < v->ncols ? 20 : each < 1 ? 1 : each;
	for (int c = v->ncols - 1; c >= 0; c--) /* the last non-time column takes the rest */
		if (v->cols[c].kind != QF_TIME || nt == v->ncols) {
			cw[c] += (nt < v->ncols ? rest - each * (v->ncols - nt)
						: rest - each * v->ncols);
			break;
		}
}

static void table_widths(const result *r, int width, int *cw)
{
	int each = r->ncols ? (width - (r->ncols - 1)) / r->ncols : width;
	for (int c = 0; c < r->ncols; c++)
		cw[c] = each < 1 ? 1 : each;
}

void tui_view_heading(const tui_view *v, int width, sbuf *out)
{
	if (v->r && v->r->is_table) {
		int *cw = xcalloc((size_t)v->r->ncols + 1, sizeof *cw);
		table_widths(v->r, width, cw);
		for (int c = 0; c < v->r->ncols; c++) {
			if (c)
				sbuf_addc(out, ' ');
			tui_cell(out, v->r->cols[c], strlen(v->r->cols[c]), cw[c], 1, 1);
		}
		free(cw);
		return;
	}
	if (v->ncols) {
		int *cw = xcalloc((size_t)v->ncols, sizeof *cw);
		chosen_widths(v, width, cw);
		for (int c = 0; c < v->ncols; c++) {
			if (c)
				sbuf_addc(out, ' ');
			tui_cell(out, v->cols[c].name, strlen(v->cols[c].name), cw[c], 1, 1);
		}
		free(cw);
		return;
	}
	int w[VC_N];
	widths(width, w);
	int first = 1;
	for (int c = 0; c < VC_N; c++) {
		if (!w[c])
			continue;
		if (!first)
			sbuf_addc(out, ' ');
		first = 0;
		tui_cell(out, vc_name[c], strlen(vc_name[c]), w[c], 1, 1);
	}
}

/* A principal ARN shortened to what follows its last ':' ("user/ci-bot"). */
static const char *short_principal(const char *p, size_t *n)
{
	if (p && *n > 4 && !memcmp(p, "arn:", 4)) {
		const char *c = NULL;
		for (size_t i = *n; i > 0; i--)
			if (p[i - 1] == ':') {
				c = p + i;
				break;
			}
		if (c && c < p + *n) {
			*n -= (size_t)(c - p);
			return c;
		}
	}
	return p;
}

void tui_view_row(store *s, const tui_view *v, size_t i, int width, sbuf *out)
{
	const result *r = v->r;
	if (r->is_table) {
		int *cw = xcalloc((size_t)r->ncols + 1, sizeof *cw);
		table_widths(r, width, cw);
		for (int c = 0; c < r->ncols; c++) {
			const char *cell = r->cells[i * (size_t)r->ncols + (size_t)c];
			if (c)
				sbuf_addc(out, ' ');
			tui_cell(out, cell ? cell : "-", cell ? strlen(cell) : 1, cw[c], 1, 1);
		}
		free(cw);
		return;
	}
	size_t ev = r->idx[i];
	if (v->ncols) {
		int *cw = xcalloc((size_t)v->ncols, sizeof *cw);
		chosen_widths(v, width, cw);
		for (int c = 0; c < v->ncols; c++) {
			char buf[32];
			size_t n = 0;
			const char *val = qfield_value(s, &v->cols[c], ev, buf, &n);
			if (c)
				sbuf_addc(out, ' ');
			tui_cell(out, val ? val : "-", val ? n : 1, cw[c], 1, 1);
		}
		free(cw);
		return;
	}
	int w[VC_N];
	widths(width, w);
	int first = 1;
	for (int c = 0; c < VC_N; c++) {
		if (!w[c])
			continue;
		if (!first)
			sbuf_addc(out, ' ');
		first = 0;
		char tb[32];
		const char *val = NULL;
		size_t n = 0;
		switch (c) {
		case VC_TIME: {
			time_t t = (time_t)(s->time[ev] / 1000);
			struct tm tm;
			gmtime_r(&t, &tm);
			n = strftime(tb, sizeof tb, "%m-%d %H:%M:%S", &tm);
			val = tb;
			break;
		}
		case VC_PRINCIPAL:
			val = store_val(s, COL_PRINCIPAL, ev, &n);
			val = short_principal(val, &n);
			break;
		case VC_EVENT: val = store_val(s, COL_EVENT, ev, &n); break;
		case VC_SOURCE:
			val = store_val(s, COL_SOURCE, ev, &n);
			if (val && n > 14 && !memcmp(val + n - 14, ".amazonaws.com", 14))
				n -= 14;
			break;
		case VC_IP: val = store_val(s, COL_IP, ev, &n); break;
		case VC_REGION: val = store_val(s, COL_REGION, ev, &n); break;
		case VC_ERROR: val = store_val(s, COL_ERROR, ev, &n); break;
		}
		tui_cell(out, val ? val : "", val ? n : 0, w[c], 1, 1);
	}
}

void tui_view_free(tui_view *v)
{
	tui_view_set_columns(NULL, v, NULL, 0, NULL, 0);
	free(v->query);
	free(v->label);
	free(v->sort);
	result_free(&v->r);
	memset(v, 0, sizeof *v);
}
