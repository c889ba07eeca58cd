/* keymap_key.c — key and pane names: "<C-d>", "<Down>", "j" to key codes and back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keymap.h"

static const struct {
	const char *name; /* canonical name first; aliases follow with the same code */
	int key;
} key_names[] = {
	{ "Up", TGK_UP },          { "Down", TGK_DOWN },       { "Left", TGK_LEFT },
	{ "Right", TGK_RIGHT },    { "PgUp", TGK_PGUP },       { "PageUp", TGK_PGUP },
	{ "PgDn", TGK_PGDN },      { "PageDown", TGK_PGDN },   { "Home", TGK_HOME },
	{ "End", TGK_END },        { "Enter", TGK_ENTER },     { "Return", TGK_ENTER },
	{ "CR", TGK_ENTER },       { "Esc", TGK_ESC },         { "Escape", TGK_ESC },
	{ "Backspace", TGK_BACKSPACE }, { "BS", TGK_BACKSPACE }, { "Tab", TGK_TAB },
	{ "S-Tab", TGK_BTAB },     { "BTab", TGK_BTAB },       { "Del", TGK_DEL },
	{ "Delete", TGK_DEL },     { "Ins", TGK_INS },         { "Insert", TGK_INS },
	{ "Resize", TGK_RESIZE },  { "Space", ' ' },           { "Lt", '<' },
	{ "PasteBegin", TGK_PASTE_BEGIN }, { "PasteEnd", TGK_PASTE_END },
};

static const char *const pane_names[PANE__COUNT] = { "global", "steps", "events", "detail" };

const char *pane_name(enum pane p)
{
	return (unsigned)p < PANE__COUNT ? pane_names[p] : "?";
}

int pane_parse(const char *name, enum pane *p)
{
	for (int i = 0; i < PANE__COUNT; i++)
		if (strcmp(name, pane_names[i]) == 0) {
			*p = (enum pane)i;
			return 0;
		}
	return -1;
}

/* Decode one UTF-8 character of s; its length, or 0 if invalid. */
static int utf8_one(const char *s, int *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	int n, c;
	if (u[0] < 0x80)
		return (*cp = u[0]), u[0] ? 1 : 0;
	if ((u[0] & 0xe0) == 0xc0)
		n = 2, c = u[0] & 0x1f;
	else if ((u[0] & 0xf0) == 0xe0)
		n = 3, c = u[0] & 0x0f;
	else if ((u[0] & 0xf8) == 0xf0)
		n = 4, c = u[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	static const int min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int key_parse(const char *name, int *key)
{
	size_t n = strlen(name);
	int cp;
	if (n > 0 && (size_t)utf8_one(name, &cp) == n) {
		if (cp < 0x20 || cp == 0x7f)
			return -1; /* control characters are written <C-x> */
		*key = cp;
		return 0;
	}
	if (n < 3 || name[0] != '<' || name[n - 1] != '>')
		return -1;
	const char *in = name + 1;
	size_t m = n - 2;
	if (m == 3 && (in[0] == 'C' || in[0] == 'c') && in[1] == '-') {
		int c = (unsigned char)in[2];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == '?')
			return (*key = 0x7f), 0;
		if (c < '@' || c > '_')
			return -1;
		*key = TGK_CTRL(c);
		return 0;
	}
	if ((in[0] == 'F' || in[0] == 'f') && m >= 2 && m <= 3) {
		char *end;
		char digits[4] = { 0 };
		memcpy(digits, in + 1, m - 1);
		long f = strtol(digits, &end, 10);
		if (*end == 0 && digits[0] != '0' && f >= 1 && f <= 12)
			return (*key = TGK_F1 + (int)f - 1), 0;
		return -1;
	}
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strlen(key_names[i].name) == m && strncasecmp(key_names[i].name, in, m) == 0)
			return (*key = key_names[i].key), 0;
	return -1;
}

const char *keymap_key_name(int key, char buf[32])
{
	if (key == ' ')
		return strcpy(buf, "<Space>");
	if (key >= 0 && key < 0x20) {
		snprintf(buf, 32, "<C-%c>", key == 0 || key > 26 ? key + '@' : key + 'a' - 1);
		return buf;
	}
	if (key == 0x7f)
		return strcpy(buf, "<C-?>");
	if (key < 0x80) {
		buf[0] = (char)key, buf[1] = 0;
		return buf;
	}
	if (key < 0x800) {
		buf[0] = (char)(0xc0 | key >> 6), buf[1] = (char)(0x80 | (key & 0x3f)), buf[2] = 0;
		return buf;
	}
	if (key < 0x10000 && !(key >= 0xd800 && key <= 0xdfff)) {
		buf[0] = (char)(0xe0 | key >> 12), buf[1] = (char)(0x80 | ((key >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (key & 0x3f)), buf[3] = 0;
		return buf;
	}
	if (key >= 0x10000 && key <= 0x10ffff) {
		buf[0] = (char)(0xf0 | key >> 18), buf[1] = (char)(0x80 | ((key >> 12) & 0x3f));
		buf[2] = (char)(0x80 | ((key >> 6) & 0x3f)), buf[3] = (char)(0x80 | (key & 0x3f));
		buf[4] = 0;
		return buf;
	}
	if (key >= TGK_F1 && key < TGK_F1 + 12) {
		snprintf(buf, 32, "<F%d>", key - TGK_F1 + 1);
		return buf;
	}
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (key_names[i].key == key) {
			snprintf(buf, 32, "<%s>", key_names[i].name);
			return buf;
		}
	snprintf(buf, 32, "<0x%x>", (unsigned)key);
	return buf;
}
