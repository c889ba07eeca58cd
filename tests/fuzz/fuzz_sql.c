/* fuzz_sql.c — libFuzzer target for the SQL compiler and the row -> event rebuilder.
 *
 * Input: one selector byte, then either a query (bit 2 clear: bit 0 picks Lake, bit 1
 * events mode) or result rows as NAME\nVALUE\n... pairs (bit 2 set; bit 0 picks Lake, an
 * empty value line is SQL NULL). Whatever the query, the SQL must stay sealed: every
 * literal and identifier closed, and outside them no ';', "--", comment opener or control
 * byte; the notes must be printable lines.
 *
 *   bash tests/fuzz/run.sh fuzz_sql 30 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sql.h"
#include "tgtime.h"

static int sealed(const char *s)
{
	char q = 0;
	for (const char *p = s; *p; p++) {
		if (q) {
			if (*p == q) {
				if (p[1] == q)
					p++;
				else
					q = 0;
			}
			continue;
		}
		if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == ';' || (p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*'))
			return 0;
		else if ((unsigned char)*p < 0x20 && *p != '\n')
			return 0;
	}
	return !q;
}

static void query_case(uint8_t sel, const char *text)
{
	qerr e;
	query *q = query_parse(text, &e);
	if (!q)
		return;
	sql_opts o = {(sel & 1) ? SQL_LAKE : SQL_ATHENA, (sel & 2) ? SQL_EVENTS : SQL_DISPLAY,
		      (sel & 8) ? "db.t" : NULL, (sel & 16) ? 1795000000000LL : TG_TIME_NONE,
		      (sel & 32) ? 1796000000000LL : TG_TIME_NONE, 1795500000000LL,
		      (sel & 64) ? "account,region,timestamp" : NULL, (sel & 128) != 0};
	sql_info info;
	sql_info_init(&info);
	sbuf out, err;
	sbuf_init(&out);
	sbuf_init(&err);
	if (sql_compile(q, &o, &out, &info, &err) == 0 && !sealed(out.s))
		abort();
	for (size_t i = 0; i < info.local.len; i++) {
		unsigned char c = (unsigned char)info.local.s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
	}
	sbuf_reset(&out);
	if (sql_compile_events(&q, 1, &o, &out, &info, &err) == 0 && !sealed(out.s))
		abort();
	sbuf_reset(&out);
	if (sql_compile_table(q, &o, &out, &err) == 1 && !sealed(out.s))
		abort();
	sql_info_free(&info);
	sbuf_free(&out);
	sbuf_free(&err);
	query_free(&q);
}

static void rows_case(uint8_t sel, char *text)
{
	char *names[64], *vals[64];
	int n = 0;
	char *p = text;
	while (p && n < 64) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		names[n] = p;
		p = nl ? nl + 1 : NULL;
		char *v = p;
		if (v) {
			nl = strchr(v, '\n');
			if (nl)
				*nl = 0;
			p = nl ? nl + 1 : NULL;
		}
		vals[n++] = v && *v ? v : NULL;
	}
	cJSON *ev = sql_row_event((sel & 1) ? SQL_LAKE : SQL_ATHENA, names, vals, n);
	char *s = cJSON_PrintUnformatted(ev);
	free(s);
	cJSON_Delete(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	char *x = malloc(size);
	memcpy(x, data + 1, size - 1);
	x[size - 1] = 0;
	if (data[0] & 4)
		rows_case(data[0], x);
	else
		query_case(data[0], x);
	free(x);
	return 0;
}
