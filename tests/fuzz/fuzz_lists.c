/* fuzz_lists.c — libFuzzer target: parse any bytes as a list file, then match against it.
 *
 *   bash tests/fuzz/run.sh fuzz_lists 60 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sbuf w;
	sbuf_init(&w);
	/* now = 2026-11-20: some expiry dates are past, some future */
	tglist *l = tglist_parse("fuzz", "lists/fuzz", (const char *)data, size, 1795132800000LL, &w);
	if (!l)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const tglist_entry *e = &l->entries[i];
		if (!e->value || !e->owner || !e->reason || !e->n || e->line <= 0)
			abort(); /* every kept entry is complete */
		/* an entry matches itself unless expired (a glob matches its own text too) */
		if (!e->expired && !tglist_match(l, e->value, e->n))
			abort();
	}
	/* match the input's lines against the list */
	size_t a = 0;
	for (size_t i = 0; i <= size && i < 65536; i++)
		if (i == size || data[i] == '\n') {
			(void)tglist_match(l, (const char *)data + a, i - a);
			a = i + 1;
		}
	/* every message line names the file and a line */
	if (w.len && strncmp(w.s, "lists/fuzz:", 11) != 0)
		abort();
	tglist_free(&l);
	sbuf_free(&w);
	return 0;
}
