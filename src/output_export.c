/* output_export.c — write a result to a file, safely, through output.c's sinks. */
#include "output_export.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"

enum out_format export_format_for(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');
	if (dot && strcasecmp(dot, ".json") == 0)
		return OUT_JSON;
	if (dot && strcasecmp(dot, ".csv") == 0)
		return OUT_CSV;
	return OUT_NDJSON;
}

const char *export_format_name(enum out_format fmt)
{
	return fmt == OUT_JSON ? "json" : fmt == OUT_CSV ? "csv" : fmt == OUT_NDJSON ? "ndjson"
								  : "table";
}

/* The absolute path of a file just created: its directory resolved, its own name kept. */
static char *absolute(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
	char *real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return xstrdup(path);
	sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, real);
	if (strcmp(real, "/") != 0)
		sbuf_addc(&b, '/');
	sbuf_adds(&b, slash ? slash + 1 : path);
	free(real);
	return sbuf_take(&b);
}

int output_export(const char *path, int overwrite, store *s, const result *r,
		  export_info *info, char *msg, size_t msgn)
{
	memset(info, 0, sizeof *info);
	info->fmt = export_format_for(path);
	if (!*path) {
		snprintf(msg, msgn, "export: no file named");
		return -1;
	}
	int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
	flags |= overwrite ? O_TRUNC : O_EXCL;
	int fd = open(path, flags, 0600);
	if (fd < 0) {
		int e = errno;
		if (e == EEXIST)
			snprintf(msg, msgn, "%s: exists; export! %s overwrites it", path, path);
		else if (e == ELOOP)
			snprintf(msg, msgn, "%s: a symbolic link; not followed", path);
		else
			snprintf(msg, msgn, "%s: %s", path, strerror(e));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(msg, msgn, "%s: not a regular file; not written", path);
		close(fd);
		return -1;
	}
	/* back to blocking writes (O_NONBLOCK only kept open() off FIFOs) */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	out_sink o = { .fd = fd, .sha = sha256_new() };
	char why[512] = "";
	int rc = output_result_sink(&o, s, r, info->fmt, why, sizeof why);
	unsigned char d[32];
	sha256_final(o.sha, d);
	if (rc == 0 && close(fd) < 0) {
		snprintf(why, sizeof why, "writing the output: %s", strerror(errno));
		rc = -1;
	} else if (rc < 0) {
		close(fd);
	}
	if (rc < 0) {
		snprintf(msg, msgn, "%s: %s", path, why);
		if (!overwrite)
			unlink(path);
		return -1;
	}
	sha256_hex(d, info->sha256);
	info->bytes = o.bytes;
	info->count = r->is_table ? r->nrows : r->n;
	info->path = absolute(path);
	return 0;
}

void export_info_free(export_info *info)
{
	free(info->path);
	info->path = NULL;
}
