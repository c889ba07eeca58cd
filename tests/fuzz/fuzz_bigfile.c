/* fuzz_bigfile.c — libFuzzer target for the chunked walk of big files (jframe_walk_chunk,
 * as ingest_big.c drives it): any bytes, in the detected format and in NDJSON, Records
 * and array, walked in chunks at cuts and window sizes drawn from the input give exactly
 * the records and problems of jframe_walk over the whole buffer.
 *
 * Run: tests/fuzz/run.sh fuzz_bigfile [SECONDS] (seeds: tests/fuzz/corpus/bigfile) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/bigfile_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	uint64_t seed = size;
	for (size_t i = 0; i < size && i < 8; i++)
		seed = seed * 131 + data[i];
	static const enum jformat all[] = { JFMT_NDJSON, JFMT_RECORDS, JFMT_ARRAY };
	enum jformat det = jframe_detect(b, size);
	for (int k = 0; k < 4; k++) {
		enum jformat fmt = k < 3 ? all[k] : det;
		if (k == 3 && (det != JFMT_NDJSON && det != JFMT_RECORDS && det != JFMT_ARRAY))
			break;
		for (size_t maxw = 3; maxw <= 1024; maxw *= 8)
			if (bc_compare(b, size, fmt, seed + maxw, maxw) != 0)
				abort();
	}
	return 0;
}
