/* fuzz_lookup.c — libFuzzer target: parse any bytes as a LookupEvents response page (twice,
 * the second time every event is a duplicate), and build a request body from them.
 *
 *   bash tests/fuzz/run.sh fuzz_lookup 60 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "source_lookup.h"

/* Every line of out is one JSON object; returns the number of lines. */
static size_t check_lines(const sbuf *out)
{
	size_t lines = 0, a = 0;
	for (size_t i = 0; i < out->len; i++) {
		if (out->s[i] != '\n')
			continue;
		cJSON *o = cJSON_ParseWithLength(out->s + a, i - a);
		if (!cJSON_IsObject(o))
			abort();
		cJSON_Delete(o);
		lines++;
		a = i + 1;
	}
	if (a != out->len)
		abort(); /* the last line ends with \n */
	return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lookup_seen seen = { 0 };
	sbuf out;
	sbuf_init(&out);
	size_t added = 0, bad = 0;
	char *next = NULL;
	int rc = lookup_page_parse((const char *)data, size, &seen, &out, &added, &bad, &next);
	if (rc < 0 && (next || added || out.len))
		abort();
	if (check_lines(&out) != added)
		abort();
	free(next);
	next = NULL;
	/* the same page again: nothing with an ID is new */
	size_t before = added;
	sbuf_reset(&out);
	added = 0;
	(void)lookup_page_parse((const char *)data, size, &seen, &out, &added, &bad, &next);
	if (check_lines(&out) != added || added > before)
		abort();
	free(next);

	/* a request body with the input as attribute value and token */
	char *s = xstrndup((const char *)data, size);
	char *body = lookup_request_body("EventName", s, 0, (int64_t)size, s);
	cJSON *o = cJSON_Parse(body);
	if (!cJSON_IsObject(o))
		abort();
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(o, "NextToken");
	if (!cJSON_IsString(tok) || strcmp(tok->valuestring, s) != 0)
		abort(); /* the text up to the first NUL comes back */
	cJSON_Delete(o);
	free(body);
	free(s);
	lookup_seen_free(&seen);
	sbuf_free(&out);
	return 0;
}
