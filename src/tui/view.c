/* view.c — the event list's data source: rows formatted only when they are drawn. */
#include "tui/view.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esc.h"
#include "tui/rowfind.h"

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

/* Widths for n columns that want want[i] each (content and heading) in width columns
 * separated by one blank: all they want when it fits, the last one taking the rest; else
 * the widest are cut to a common cap (water-filling), so short columns stay whole. */
static void fit_widths(int n, const int *want, const char *fixed, int width, int *cw)
{
	int avail = width - (n - 1), sum = 0, max = 1;
	if (avail < n)
		avail = n;
	for (int i = 0; i < n; i++) {
		cw[i] = want[i] < 1 ? 1 : want[i];
		sum += cw[i];
		max = cw[i] > max && !fixed[i] ? cw[i] : max;
	}
	if (sum <= avail) {
		cw[n - 1] += avail - sum;
		return;
	}
	int lo = 1, hi = max, keep = 0;
	for (int i = 0; i < n; i++) /* times are never cut while the rest can give way */
		keep += fixed[i] ? cw[i] : 0;
	if (keep + (n - 1) > avail)
		memset((char *)fixed, 0, (size_t)n), keep = 0;
	while (lo < hi) { /* the largest cap whose columns fit */
		int mid = (lo + hi + 1) / 2, t = keep;
		for (int i = 0; i < n; i++)
			t += fixed[i] ? 0 : cw[i] < mid ? cw[i] : mid;
		if (t <= avail)
			lo = mid;
		else
			hi = mid - 1;
	}
	int t = 0;
	for (int i = 0; i < n; i++) {
		int c = cw[i] < lo || fixed[i] ? cw[i] : lo;
		t += c;
		cw[i] = cw[i] > lo && !fixed[i] ? -c : c; /* negative: cut */
	}
	for (int i = 0; i < n; i++) { /* the spare columns to the cut ones, left to right */
		if (cw[i] < 0) {
			cw[i] = -cw[i];
			if (t < avail) {
				cw[i]++;
				t++;
			}
		}
	}
}

/* A cell's text as shown: a principal ARN (arn:aws:iam::, arn:aws:sts::) shortened to its
 * user, role or session name part. */
static const char *shown_cell(const char *v, size_t *n)
{
	if (v && *n > 13 && (!memcmp(v, "arn:aws:iam::", 13) || !memcmp(v, "arn:aws:sts::", 13)))
		return tui_short_principal(v, n);
	return v;
}

static int text_width(const char *s, size_t n)
{
	sbuf e;
	sbuf_init(&e);
	esc_tui(&e, s ? s : "", s ? n : 0);
	int w = e.s ? (int)esc_width(e.s, e.len) : 0;
	sbuf_free(&e);
	return w;
}

enum { WIDTH_SAMPLE = 1000 }; /* rows looked at for a column's width */

/* Column widths of a table or of chosen columns, by content (the first WIDTH_SAMPLE rows
 * and the heading), cached in v for its result and width. */
static const int *content_widths(store *s, tui_view *v, int width)
{
	const result *r = v->r;
	int n = r->is_table ? r->ncols : v->ncols;
	if (v->cw && v->cw_r == r && v->cw_width == width && v->cw_n == n)
		return v->cw;
	free(v->cw);
	v->cw = xcalloc((size_t)n + 1, sizeof *v->cw);
	int *want = xcalloc((size_t)n + 1, sizeof *want);
	char *fixed = xcalloc((size_t)n + 1, 1);
	size_t rows = tui_view_count(v);
	rows = rows > WIDTH_SAMPLE ? WIDTH_SAMPLE : rows;
	for (int c = 0; c < n; c++) {
		const char *h = r->is_table ? r->cols[c] : v->cols[c].name;
		fixed[c] = !r->is_table && v->cols[c].kind == QF_TIME;
		want[c] = text_width(h, strlen(h)); /* a long heading gives way to its content */
		want[c] = want[c] > 8 ? 8 : want[c];
		for (size_t i = 0; i < rows; i++) {
			char buf[32];
			size_t k = 1;
			const char *val;
			if (r->is_table) {
				val = r->cells[i * (size_t)r->ncols + (size_t)c];
				k = val ? strlen(val) : 1;
			} else {
				val = s ? qfield_value(s, &v->cols[c], r->idx[i], buf, &k) : NULL;
			}
			val = val ? shown_cell(val, &k) : "-";
			int w = text_width(val, val[0] == '-' && k == 1 ? 1 : k);
			want[c] = w > want[c] ? w : want[c];
		}
	}
	fit_widths(n, want, fixed, width, v->cw);
	free(want);
	free(fixed);
	v->cw_r = r;
	v->cw_width = width;
	v->cw_n = n;
	return v->cw;
}

void tui_view_heading(store *s, tui_view *v, int width, sbuf *out)
{
	if (v->r && v->r->is_table) {
		const int *cw = content_widths(s, v, width);
		for (int c = 0; c < v->r->ncols; c++) {
			if (c)
				sbuf_addc(out, ' ');
			tui_cell(out, v->r->cols[c], strlen(v->r->cols[c]), cw[c], 1, 1);
		}
		return;
	}
	if (v->ncols && v->r) {
		const int *cw = content_widths(s, v, width);
		for (int c = 0; c < v->ncols; c++) {
			if (c)
				sbuf_addc(out, ' ');
			tui_cell(out, v->cols[c].name, strlen(v->cols[c].name), cw[c], 1, 1);
		}
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

void tui_view_row(store *s, tui_view *v, size_t i, int width, sbuf *out)
{
	const result *r = v->r;
	if (r->is_table) {
		const int *cw = content_widths(s, v, width);
		for (int c = 0; c < r->ncols; c++) {
			const char *cell = r->cells[i * (size_t)r->ncols + (size_t)c];
			size_t n = cell ? strlen(cell) : 1;
			cell = cell ? shown_cell(cell, &n) : "-";
			if (c)
				sbuf_addc(out, ' ');
			tui_cell(out, cell, n, cw[c], 1, 1);
		}
		return;
	}
	size_t ev = r->idx[i];
	if (v->ncols) {
		const int *cw = content_widths(s, v, width);
		for (int c = 0; c < v->ncols; c++) {
			char buf[32];
			size_t n = 0;
			const char *val = qfield_value(s, &v->cols[c], ev, buf, &n);
			val = val ? shown_cell(val, &n) : NULL;
			if (c)
				sbuf_addc(out, ' ');
			tui_cell(out, val ? val : "-", val ? n : 1, cw[c], 1, 1);
		}
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
			val = tui_short_principal(val, &n);
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
	free(v->d_folds);
	free(v->cw);
	result_free(&v->r);
	memset(v, 0, sizeof *v);
}
