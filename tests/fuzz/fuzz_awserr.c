/* fuzz_awserr.c — libFuzzer target for the AWS client's own parsers: error bodies
 * (aws_parse_error, JSON and XML), credential_process command lines (aws_split_cmdline),
 * ISO-8601 expirations (aws_parse_iso) and JSON credentials (aws_creds_from_json).
 *
 * Input: any bytes. Codes and messages must stay NUL-terminated inside their buffers; a
 * split command line must be a NULL-terminated list.
 *
 *   bash tests/fuzz/run.sh fuzz_awserr 30 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *x = malloc(size + 1);
	if (!x)
		return 0;
	memcpy(x, data, size);
	x[size] = '\0';
	char code[16], msg[32];
	int found = aws_parse_error(x, size, code, sizeof code, msg, sizeof msg);
	if (strnlen(code, sizeof code) >= sizeof code || strnlen(msg, sizeof msg) >= sizeof msg)
		abort();
	if (found && !code[0])
		abort();
	char **v = aws_split_cmdline(x);
	if (v) {
		for (char **p = v; *p; p++)
			free(*p);
		free(v);
	}
	(void)aws_parse_iso(x);
	cJSON *j = cJSON_ParseWithLength(x, size);
	if (j) {
		aws_creds cr;
		memset(&cr, 0, sizeof cr);
		sbuf err;
		sbuf_init(&err);
		if (aws_creds_from_json(j, &cr, "fuzz", &err) == 0)
			aws_creds_free(&cr);
		sbuf_free(&err);
		cJSON_Delete(j);
	}
	free(x);
	return 0;
}
