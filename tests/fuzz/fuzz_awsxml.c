/* fuzz_awsxml.c — libFuzzer target for the small XML reader (aws_xml.c).
 *
 * Input: any bytes, taken as an S3/STS answer. Every element found must lie inside the
 * input and the search must always move forward; decoding must stay within its input.
 *
 *   bash tests/fuzz/run.sh fuzz_awsxml 30 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws_xml.h"

static const char *names[] = {"Contents", "Key", "Code", "Error", "Credentials", "a", "x"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *x = malloc(size ? size : 1); /* exact size: ASan catches any overread */
	if (!x)
		return 0;
	memcpy(x, data, size);
	sbuf b;
	sbuf_init(&b);
	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		size_t pos = 0, len = 0, last = 0;
		const char *in = NULL;
		int guard = 0;
		while (awsxml_next(x, size, &pos, names[k], &in, &len)) {
			if (in < x || in + len > x + size || pos <= last || pos > size)
				abort();
			last = pos;
			sbuf_reset(&b);
			awsxml_decode(in, len, &b);
			sbuf_reset(&b);
			awsxml_get(in, len, "Key", &b);
			if (++guard > 100000)
				abort();
		}
		sbuf_reset(&b);
		awsxml_get(x, size, names[k], &b);
	}
	sbuf_reset(&b);
	awsxml_decode(x, size, &b);
	sbuf_free(&b);
	free(x);
	return 0;
}
