/* fuzz_keymap.c — libFuzzer target for keymap_load_text, cmd_parse and the key names.
 *
 * Input: any bytes, taken as keymap text (loaded twice, into a keymap that already holds
 * the defaults) and as one command line. Every binding that loads must parse as a command,
 * and every bound key's name must parse back to the same key.
 *
 *   bash tests/fuzz/run.sh fuzz_keymap 60 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "keymap.h"

static const char fuzz_default[] = "bind global j move down\nbind events <Enter> focus detail\n"
				   "bind detail <Space> fold toggle\nbind global / prompt \"narrow \"\n";

static void check(void *ud, enum pane p, int key, const char *cmd)
{
	cmd_call c;
	char msg[160], kb[32];
	int back;
	(void)ud;
	if (cmd_parse(cmd, &c, msg, sizeof msg) < 0)
		abort(); /* only valid command lines are bound */
	cmd_call_free(&c);
	if (key_parse(keymap_key_name(key, kb), &back) < 0 || back != key)
		abort();
	if (!keymap_lookup(ud, p, key))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;

	keymap *k = keymap_new();
	sbuf err;
	sbuf_init(&err);
	keymap_load_text(k, "default", fuzz_default, &err);
	int n1 = keymap_load_text(k, "fuzz", text, &err);
	int n2 = keymap_load_text(k, "fuzz", text, NULL);
	if (n1 != n2)
		abort(); /* loading is deterministic and independent of earlier bindings */
	keymap_each(k, check, k);
	keymap_free(&k);
	sbuf_free(&err);

	cmd_call c;
	char msg[160];
	if (cmd_parse(text, &c, msg, sizeof msg) == 0) {
		for (int i = 0; i < c.argc; i++)
			if (!c.argv[i])
				abort();
		cmd_call_free(&c);
	}
	int key;
	if (key_parse(text, &key) == 0) {
		char kb[32];
		int back;
		if (key_parse(keymap_key_name(key, kb), &back) < 0 || back != key)
			abort();
	}
	free(text);
	return 0;
}
