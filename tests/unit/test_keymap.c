/* test_keymap.c — the command table, cmd_parse, key names and keymap loading and lookup. */
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "keymap.h"
#include "tap.h"

static void test_builtin(void)
{
	const char *names[] = { "default", "vi", "emacs" };
	for (size_t i = 0; i < 3; i++) {
		keymap *k = keymap_new();
		sbuf err;
		sbuf_init(&err);
		const char *text = keymap_builtin(names[i]);
		ok(text != NULL, "builtin keymap %s exists", names[i]);
		is_int(keymap_load_text(k, names[i], text ? text : "", &err), 0,
		       "builtin keymap %s parses without errors", names[i]);
		if (err.len)
			printf("# %s", err.s);
		ok(keymap_lookup(k, PANE_EVENTS, 'q') != NULL, "%s binds q", names[i]);
		ok(keymap_lookup(k, PANE_GLOBAL, TGK_ESC) != NULL, "%s binds <Esc>", names[i]);
		sbuf_free(&err);
		keymap_free(&k);
		ok(k == NULL, "keymap_free nulls the pointer");
	}
	ok(keymap_builtin("nope") == NULL, "unknown builtin is NULL");
	ok(keymap_builtin("default") == keymap_default_text, "default is keymap_default_text");
}

static void check_bound(void *ud, enum pane p, int key, const char *cmd)
{
	cmd_call c;
	char msg[160], kb[32];
	int *bad = ud;
	if (cmd_parse(cmd, &c, msg, sizeof msg) < 0) {
		printf("# %s %s: %s: %s\n", pane_name(p), keymap_key_name(key, kb), cmd, msg);
		++*bad;
		return;
	}
	cmd_call_free(&c);
}

static void test_default(void)
{
	keymap *k = keymap_new();
	keymap_load_text(k, "default", keymap_default_text, NULL);
	is_str(keymap_lookup(k, PANE_GLOBAL, 'j'), "move down", "global j");
	is_str(keymap_lookup(k, PANE_DETAIL, 'j'), "move down", "detail j falls back to global");
	is_str(keymap_lookup(k, PANE_STEPS, TGK_ENTER), "step-run", "Enter in steps");
	is_str(keymap_lookup(k, PANE_EVENTS, TGK_ENTER), "open", "Enter in events opens the row");
	ok(keymap_lookup(k, PANE_GLOBAL, TGK_ENTER) == NULL, "no global Enter");
	is_str(keymap_lookup(k, PANE_EVENTS, '3'), "step-run 3", "3 runs step 3 (events)");
	is_str(keymap_lookup(k, PANE_STEPS, '3'), "step-run 3", "3 runs step 3 (steps)");
	is_str(keymap_lookup(k, PANE_EVENTS, '/'), "prompt \"find \"", "/ finds, keeping its quotes");
	is_str(keymap_lookup(k, PANE_EVENTS, '|'), "prompt \"narrow \"", "| narrows");
	is_str(keymap_lookup(k, PANE_EVENTS, 'n'), "find-next", "n finds the next");
	is_str(keymap_lookup(k, PANE_EVENTS, 'q'), "quit", "q quits (asking)");
	is_str(keymap_lookup(k, PANE_EVENTS, TGK_CTRL('l')), "redraw", "<C-l>");
	is_str(keymap_lookup(k, PANE_EVENTS, 'P'), "pivot principal", "P");
	is_str(keymap_lookup(k, PANE_DETAIL, ' '), "fold toggle", "<Space> in detail");
	int bad = 0;
	keymap_each(k, check_bound, &bad);
	is_int(bad, 0, "every command bound in default.keys exists and parses");

	sbuf err;
	sbuf_init(&err);
	int n = keymap_load_text(k, "user", "bind events j move up\nbind global j move bottom\n"
					    "unbind global q\nunbind events nothing-bound-here\n",
				 &err);
	is_int(n, 1, "one bad line in the user text");
	is_str(keymap_lookup(k, PANE_EVENTS, 'j'), "move up", "pane binding wins");
	is_str(keymap_lookup(k, PANE_STEPS, 'j'), "move bottom", "later bind overrides");
	ok(keymap_lookup(k, PANE_STEPS, 'q') == NULL, "unbind removes");
	keymap_load_text(k, "user2", "unbind events j\n", NULL);
	is_str(keymap_lookup(k, PANE_EVENTS, 'j'), "move bottom", "unbound pane key falls back");
	ok(keymap_lookup(k, (enum pane)99, 'j') == NULL, "bad pane looks up nothing");
	sbuf_free(&err);
	keymap_free(&k);
}

static void test_errors(void)
{
	keymap *k = keymap_new();
	sbuf err;
	sbuf_init(&err);
	const char *text = "# comment\n"
			   "\n"
			   "bind global x pivto principal\n" /* 3 */
			   "bind nowhere x quit\n"            /* 4 */
			   "bind global <Nope> quit\n"        /* 5 */
			   "bind global z pivot\n"            /* 6 */
			   "bind global z mark maybe \"x\"\n" /* 7 */
			   "frobnicate\n"                     /* 8 */
			   "bind global w quit now\n"         /* 9 */
			   "bind global v\n"                  /* 10 */
			   "  # indented comment\n"
			   "bind global \"<C-d>\" move half-down\n"
			   "unbind global\n" /* 13 */
			   "bind global h move sideways"; /* 14, no newline */
	int n = keymap_load_text(k, "test.keys", text, &err);
	is_int(n, 10, "ten bad lines");
	const char *want[] = {
		"test.keys:3: unknown command 'pivto'",
		"test.keys:4: unknown pane 'nowhere'",
		"test.keys:5: unknown key '<Nope>'",
		"test.keys:6: pivot needs a FIELD",
		"test.keys:7: mark: 'maybe' is not one of benign|suspicious|malicious",
		"test.keys:8: expected bind or unbind, not 'frobnicate'",
		"test.keys:9: quit takes no arguments",
		"test.keys:10: bind needs a COMMAND...",
		"test.keys:13: unbind needs PANE KEY",
		"test.keys:14: move: 'sideways' is not one of",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ok(err.s && strstr(err.s, want[i]), "error: %s", want[i]);
	for (const char *l = err.s; tap_failed && l && *l; l = strchr(l, '\n') + 1)
		printf("# %.*s\n", (int)strcspn(l, "\n"), l);
	is_str(keymap_lookup(k, PANE_GLOBAL, TGK_CTRL('d')), "move half-down",
	       "good lines among bad ones still apply");
	ok(keymap_lookup(k, PANE_GLOBAL, 'x') == NULL, "a bad line binds nothing");
	sbuf_reset(&err);
	is_int(keymap_load_file(k, "/nonexistent/keys", &err), 1, "missing file is one problem");
	ok(err.s && strstr(err.s, "/nonexistent/keys: "), "missing file named: %s", err.s);
	sbuf_free(&err);
	keymap_free(&k);
}

static void test_keys(void)
{
	char buf[32];
	int key, bad = 0;
	for (int c = TGK_UP; c <= TGK_INS; c++)
		if (key_parse(keymap_key_name(c, buf), &key) < 0 || key != c)
			bad++, printf("# special %d -> %s\n", c, buf);
	for (int c = TGK_F1; c <= TGK_RESIZE; c++)
		if (key_parse(keymap_key_name(c, buf), &key) < 0 || key != c)
			bad++, printf("# F-key %d -> %s\n", c, buf);
	for (int c = 0; c < 0x20; c++)
		if (key_parse(keymap_key_name(c, buf), &key) < 0 || key != c)
			bad++, printf("# control %d -> %s\n", c, buf);
	for (int c = 0x20; c < 0x3000; c += (c < 0x7f ? 1 : 37))
		if (key_parse(keymap_key_name(c, buf), &key) < 0 || key != c)
			bad++, printf("# char %d -> %s\n", c, buf);
	is_int(bad, 0, "key_parse(keymap_key_name(k)) == k for special, control and printable keys");
	is_str(keymap_key_name(TGK_CTRL('d'), buf), "<C-d>", "name <C-d>");
	is_str(keymap_key_name(TGK_DOWN, buf), "<Down>", "name <Down>");
	is_str(keymap_key_name(TGK_BTAB, buf), "<S-Tab>", "name <S-Tab>");
	is_str(keymap_key_name(TGK_F1 + 4, buf), "<F5>", "name <F5>");
	is_str(keymap_key_name(' ', buf), "<Space>", "name <Space>");
	is_str(keymap_key_name(0xe9, buf), "\xc3\xa9", "name of é is UTF-8");
	ok(key_parse("<c-D>", &key) == 0 && key == 4, "<c-D> is case-insensitive");
	ok(key_parse("<pagedown>", &key) == 0 && key == TGK_PGDN, "<pagedown> alias");
	ok(key_parse("<Lt>", &key) == 0 && key == '<', "<Lt>");
	ok(key_parse("<", &key) == 0 && key == '<', "< alone");
	const char *badk[] = { "", "jj", "<>", "<C->", "<F0>", "<F13>", "<F01>", "<Bogus>", "\t",
			       "\xc3", "<C-1>" };
	bad = 0;
	for (size_t i = 0; i < sizeof badk / sizeof badk[0]; i++)
		if (key_parse(badk[i], &key) == 0)
			bad++, printf("# accepted '%s'\n", badk[i]);
	is_int(bad, 0, "bad key names are refused");
	enum pane p;
	for (int i = 0; i < PANE__COUNT; i++)
		ok(pane_parse(pane_name((enum pane)i), &p) == 0 && p == (enum pane)i, "pane %s",
		   pane_name((enum pane)i));
	ok(pane_parse("Global", &p) < 0, "pane names are exact");
}

/* Parse line; "ERR" plus the message on failure, else the arguments joined by '|'. */
static char *parse(const char *line, enum cmd_id *id)
{
	cmd_call c;
	char msg[160];
	sbuf b;
	sbuf_init(&b);
	if (cmd_parse(line, &c, msg, sizeof msg) < 0) {
		sbuf_addf(&b, "ERR %s", msg);
		*id = CMD_NONE;
		return sbuf_take(&b);
	}
	*id = c.id;
	sbuf_adds(&b, "");
	for (int i = 0; i < c.argc; i++)
		sbuf_addf(&b, "%s%s", i ? "|" : "", c.argv[i]);
	cmd_call_free(&c);
	return sbuf_take(&b);
}

static void test_commands(void)
{
	static const struct {
		const char *line, *want;
		enum cmd_id id;
	} cases[] = {
		{ "quit", "", CMD_QUIT },
		{ "  pivot   principal  ", "principal", CMD_PIVOT },
		{ "pivot requestParameters.userName", "requestParameters.userName", CMD_PIVOT },
		{ "mark malicious \"created a backdoor user\"", "malicious|created a backdoor user",
		  CMD_MARK },
		{ "mark benign   just  a  test  ", "benign|just  a  test", CMD_MARK },
		{ "narrow eventName = \"CreateUser\"", "eventName = \"CreateUser\"", CMD_NARROW },
		{ "narrow \"a \\\"q\\\" b\"", "a \"q\" b", CMD_NARROW },
		{ "prompt \"narrow \"", "narrow ", CMD_PROMPT },
		{ "prompt", "", CMD_PROMPT },
		{ "prompt \"\"", "", CMD_PROMPT },
		{ "sort eventTime", "eventTime", CMD_SORT },
		{ "sort eventTime desc", "eventTime|desc", CMD_SORT },
		{ "\"move\" \"page-down\"", "page-down", CMD_MOVE },
		{ "respond 3", "3", CMD_RESPOND },
		{ "bind events <Enter> pivot-menu", "events|<Enter>|pivot-menu", CMD_BIND },
		{ "bind global \"<C-d>\" move   half-down", "global|<C-d>|move   half-down", CMD_BIND },
		{ "note a\\b \"c", "a\\b \"c", CMD_NOTE },
		{ "pivto x", "ERR unknown command 'pivto'", CMD_NONE },
		{ "", "ERR empty command", CMD_NONE },
		{ "pivot", "ERR pivot needs a FIELD", CMD_NONE },
		{ "mark", "ERR mark needs benign|suspicious|malicious", CMD_NONE },
		{ "mark malicious", "ERR mark needs a REASON", CMD_NONE },
		{ "mark evil x", "ERR mark: 'evil' is not one of benign|suspicious|malicious",
		  CMD_NONE },
		{ "sort a up", "ERR sort: 'up' is not one of asc|desc", CMD_NONE },
		{ "sort a desc more", "ERR sort: too many arguments", CMD_NONE },
		{ "respond 0", "ERR respond: '0' is not a number from 1 to 99", CMD_NONE },
		{ "respond x", "ERR respond: 'x' is not a number from 1 to 99", CMD_NONE },
		{ "help me", "ERR help takes no arguments", CMD_NONE },
		{ "narrow \"\"", "ERR narrow: empty TEXT", CMD_NONE },
		{ "bind steps q", "ERR bind needs a COMMAND...", CMD_NONE },
		{ "bind there q quit", "ERR unknown pane 'there'", CMD_NONE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum cmd_id id;
		char *got = parse(cases[i].line, &id);
		is_str(got, cases[i].want, "cmd_parse '%s'", cases[i].line);
		if (cases[i].id != CMD_NONE)
			is_int(id, cases[i].id, "  id of '%s'", cases[i].line);
		free(got);
	}

	int seen[CMD__COUNT] = { 0 }, bad = 0, n = 0;
	for (const cmd_def *d = cmd_table; d->name; d++, n++) {
		size_t h = strlen(d->help);
		if (!*d->name || !d->args || h < 2 || d->help[h - 1] != '.' || seen[d->id]++)
			bad++, printf("# bad entry %s\n", d->name);
		if (cmd_by_name(d->name) != d || cmd_by_id(d->id) != d)
			bad++, printf("# %s not found by name or id\n", d->name);
	}
	is_int(bad, 0, "every command has a name, args and a help sentence ending in a period");
	is_int(n, CMD__COUNT - 1, "the table has every CMD_* once");
	ok(cmd_by_name("nope") == NULL && cmd_by_id(CMD_NONE) == NULL, "lookups of nothing");
	char **w;
	int wc = cmd_split("  a \"b c\" d\"e f\"  ", &w);
	ok(wc == 3 && strcmp(w[1], "b c") == 0 && strcmp(w[2], "de f") == 0, "cmd_split");
	cmd_argv_free(wc, w);
	cmd_call_free(NULL);
}

int main(void)
{
	test_builtin();
	test_default();
	test_errors();
	test_keys();
	test_commands();
	return tap_done();
}
