/* fuzz_awsini.c — libFuzzer target for the AWS config/credentials reader (aws_ini.c).
 *
 * Input: any bytes, taken as a config file. Lookups of common sections and keys must not
 * crash, and every value found is a NUL-terminated string.
 *
 *   bash tests/fuzz/run.sh fuzz_awsini 30 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *secs[] = {"default", "profile a", "a", "services s", "profile my name"};
	static const char *keys[] = {"region", "a", "s3", "role_arn", "endpoint_url"};
	char *x = malloc(size ? size : 1);
	if (!x)
		return 0;
	memcpy(x, data, size);
	FILE *devnull = fopen("/dev/null", "w");
	aws_ini *ini = aws_ini_parse(x, size, "fuzz", devnull);
	if (!ini)
		abort();
	size_t total = 0;
	for (size_t s = 0; s < sizeof secs / sizeof *secs; s++) {
		aws_ini_has(ini, secs[s]);
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
			const char *v = aws_ini_get(ini, secs[s], keys[k]);
			if (v)
				total += strlen(v);
			v = aws_ini_get_sub(ini, secs[s], keys[k], "endpoint_url");
			if (v)
				total += strlen(v);
		}
	}
	if (total > size)
		abort(); /* values are parts of the input */
	aws_ini_free(&ini);
	if (devnull)
		fclose(devnull);
	free(x);
	return 0;
}
