/* test_export.c — output_export: the format from the name, the same bytes as the printer,
 * the SHA-256 of what was written, and the safe open (no overwrite without !, no symlink
 * followed, mode 0600, nothing left behind on failure). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#include "ingest.h"
#include "output_export.h"
#include "query.h"
#include "sha256.h"
#include "tgtime.h"

static char dir[256];

static const char *at(const char *name)
{
	static char p[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

/* What output_result prints for r in fmt, into b. */
static void printed(store *s, const result *r, enum out_format fmt, sbuf *b)
{
	char *mem = NULL;
	size_t n = 0;
	char msg[256];
	FILE *m = open_memstream(&mem, &n);
	output_result(m, s, r, fmt, msg, sizeof msg);
	fclose(m);
	sbuf_reset(b);
	sbuf_add(b, mem, n);
	free(mem);
}

static int file_is(const char *path, const sbuf *want)
{
	sbuf got;
	sbuf_init(&got);
	int same = read_file_into(path, &got) == 0 && got.len == want->len &&
		   memcmp(got.s, want->s, want->len) == 0;
	sbuf_free(&got);
	return same;
}

static result *run(store *s, const char *text)
{
	qerr e;
	qctx c;
	qctx_init(&c);
	query *q = query_parse(text, &e);
	result *r = q ? query_run(q, s, &c, &e) : NULL;
	query_free(&q);
	return r;
}

int main(void)
{
	is_int(export_format_for("a/b.json"), OUT_JSON, "name.json: a JSON array");
	is_int(export_format_for("B.JSON"), OUT_JSON, "the extension's case does not matter");
	is_int(export_format_for("x.csv"), OUT_CSV, "name.csv: CSV");
	is_int(export_format_for("x.ndjson"), OUT_NDJSON, "name.ndjson: NDJSON");
	is_int(export_format_for("x.json.d/events"), OUT_NDJSON, "a directory's dot is not the extension");
	is_int(export_format_for("events"), OUT_NDJSON, "no extension: NDJSON");

	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(dir, sizeof dir, "%s/test_export_XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return 1;
	}
	/* three events, one with an escaped ESC, raw C1 and bidi bytes inside a string and a line break
	 * between tokens */
	FILE *fp = fopen(at("in.ndjson"), "w");
	fputs("{\"eventTime\":\"2026-11-20T01:00:00Z\",\"eventName\":\"B\",\"eventID\":\"2\"}\n"
	      "{\"eventTime\":\"2026-11-20T00:00:00Z\",\"eventName\":\"A\",\"eventID\":\"1\"}\n"
	      "{\"eventTime\":\"2026-11-20T02:00:00Z\",\"eventName\":\"C\",\"eventID\":\"3\",\r\n"
	      "\"userAgent\":\"x\\u001b]0;\xc2\x9b\xe2\x80\xae\"}\n",
	      fp);
	fclose(fp);
	store *s = store_new();
	ingest_opts o;
	ingest_opts_init(&o);
	ingest_stats st;
	memset(&st, 0, sizeof st);
	char *paths[] = { (char *)at("in.ndjson") };
	ingest_paths(s, paths, 1, &o, &st);
	is_int(s->n, 3, "three events loaded");
	result *r = run(s, "event exists");
	ok(r && r->n == 3, "the query keeps them");

	sbuf want;
	sbuf_init(&want);
	char msg[512];
	export_info info;
	const char *f = at("out.ndjson");
	is_int(output_export(f, 0, s, r, &info, msg, sizeof msg), 0, "export to a new file");
	printed(s, r, OUT_NDJSON, &want);
	ok(file_is(f, &want), "the bytes are the printer's NDJSON");
	ok(strstr(want.s, "\\u009b") && strstr(want.s, "\\u202e") && !strchr(want.s, '\r'),
	   "C1 and bidi escaped, the line break between tokens gone");
	unsigned char d[32];
	char hex[65];
	sha256(want.s, want.len, d);
	sha256_hex(d, hex);
	is_str(info.sha256, hex, "the SHA-256 of the bytes written");
	is_int(info.bytes, want.len, "the byte count");
	is_int(info.count, 3, "the event count");
	ok(info.path && info.path[0] == '/' && strstr(info.path, "/out.ndjson"), "an absolute path");
	struct stat sb;
	ok(stat(f, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600");
	export_info_free(&info);

	/* no overwrite without ! */
	is_int(output_export(f, 0, s, r, &info, msg, sizeof msg), -1, "an existing file is refused");
	ok(strstr(msg, "exists") && strstr(msg, "export!"), "the message says how to overwrite: %s", msg);
	ok(file_is(f, &want), "the existing file is untouched");
	fp = fopen(f, "w");
	fputs("old contents, longer than nothing at all", fp);
	fclose(fp);
	is_int(output_export(f, 1, s, r, &info, msg, sizeof msg), 0, "overwrite");
	ok(file_is(f, &want), "the file holds the export only (truncated)");
	export_info_free(&info);

	/* a symbolic link is never followed, with or without ! */
	fp = fopen(at("target"), "w");
	fputs("keep", fp);
	fclose(fp);
	if (symlink(at("target"), at("link.ndjson")) == 0) {
		is_int(output_export(at("link.ndjson"), 1, s, r, &info, msg, sizeof msg), -1,
		       "a symbolic link is refused");
		sbuf keep;
		sbuf_init(&keep);
		sbuf_adds(&keep, "keep");
		ok(file_is(at("target"), &keep), "its target is untouched");
		sbuf_free(&keep);
	}
	/* not a regular file */
	is_int(output_export(dir, 1, s, r, &info, msg, sizeof msg), -1, "a directory is refused");
	is_int(output_export(at("no/such/dir.ndjson"), 0, s, r, &info, msg, sizeof msg), -1,
	       "a missing directory is an error");
	ok(strstr(msg, "no/such/dir.ndjson"), "the message names the file: %s", msg);

	/* JSON, CSV, tables */
	is_int(output_export(at("out.json"), 0, s, r, &info, msg, sizeof msg), 0, "export .json");
	printed(s, r, OUT_JSON, &want);
	ok(file_is(at("out.json"), &want) && want.s[0] == '[', "a JSON array, as printed");
	export_info_free(&info);
	is_int(output_export(at("out.csv"), 0, s, r, &info, msg, sizeof msg), 0, "export .csv");
	printed(s, r, OUT_CSV, &want);
	ok(file_is(at("out.csv"), &want) && strncmp(want.s, "time,", 5) == 0, "CSV, as printed");
	export_info_free(&info);
	result *t = run(s, "| stats count() by event");
	is_int(output_export(at("t.ndjson"), 0, s, t, &info, msg, sizeof msg), 0, "a table");
	printed(s, t, OUT_NDJSON, &want);
	ok(file_is(at("t.ndjson"), &want), "its rows as NDJSON objects");
	is_int(info.count, 3, "three rows");
	export_info_free(&info);
	/* an empty result: an empty file (NDJSON), an empty array (JSON) */
	result *none = run(s, "event = Nothing");
	is_int(output_export(at("none.json"), 0, s, none, &info, msg, sizeof msg), 0, "no events");
	sbuf_reset(&want);
	sbuf_adds(&want, "[]\n");
	ok(file_is(at("none.json"), &want), "an empty array");
	export_info_free(&info);

	result_free(&r);
	result_free(&t);
	result_free(&none);
	sbuf_free(&want);
	store_free(&s);
	const char *names[] = { "in.ndjson", "out.ndjson", "target", "link.ndjson", "out.json",
				"out.csv", "t.ndjson", "none.json" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		unlink(at(names[i]));
	rmdir(dir);
	return tap_done();
}
