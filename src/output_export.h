/* output_export.h — write a result to a new file (the console's :export): opened safely,
 * written through output.c (the raw events' fast path), hashed as it is written. */
#ifndef TG_OUTPUT_EXPORT_H
#define TG_OUTPUT_EXPORT_H

#include <stdint.h>
#include "output.h"

/* The format a file name asks for: .json a JSON array, .csv CSV, anything else NDJSON
 * (the extension is compared without regard to case). */
enum out_format export_format_for(const char *path);
/* "json", "ndjson", "csv" or "table". */
const char *export_format_name(enum out_format fmt);

typedef struct export_info {
	enum out_format fmt;
	size_t count;      /* rows written: events, or table rows */
	uint64_t bytes;    /* bytes written */
	char sha256[65];   /* of those bytes, hex */
	char *path;        /* the file written, absolute (malloc'd; NULL on failure) */
} export_info;

/* Write r (as output_result would print it, in the format of the file's name) to path.
 * The file is opened with O_NOFOLLOW (a symbolic link is refused), mode 0600, and O_EXCL
 * unless overwrite is set (then an existing regular file is truncated; anything else is
 * refused). On a failed write a file this call created is removed. 0, or -1 with msg
 * naming the file. Free info->path with export_info_free. */
int output_export(const char *path, int overwrite, store *s, const result *r,
		  export_info *info, char *msg, size_t msgn);
void export_info_free(export_info *info);

#endif
