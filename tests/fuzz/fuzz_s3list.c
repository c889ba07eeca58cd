/* fuzz_s3list.c — libFuzzer target: any bytes as a ListObjectsV2 page for the s3:// source,
 * then every key and prefix through the layout checks (date folder, cache-path safety,
 * level).
 *
 *   bash tests/fuzz/run.sh fuzz_s3list 60 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source_s3_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	s3_listing l = {0};
	sbuf next, last;
	sbuf_init(&next);
	sbuf_init(&last);
	s3_parse_page((const char *)data, size, &l, &next, &last);
	for (size_t i = 0; i < l.n; i++) {
		const char *k = l.v[i].key;
		if (!k || strlen(k) == 0)
			abort(); /* empty keys are dropped */
		(void)s3_key_day(k);
		if (s3_safe_key(k) && (k[0] == '/' || strstr(k, "/../") || !strncmp(k, "../", 3)))
			abort(); /* a safe key never leaves the cache folder */
		(void)s3_level_of(k);
	}
	for (size_t i = 0; i < l.prefixes.n; i++)
		(void)s3_level_of(l.prefixes.v[i]);
	(void)s3_level_of((const char *)"AWSLogs/o-x/1/CloudTrail/r/2026/");
	sbuf_free(&next);
	sbuf_free(&last);
	s3_listing_free(&l);
	return 0;
}
