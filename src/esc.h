/* esc.h — escaping attacker-controlled bytes for terminals, JSON and CSV. */
#ifndef TG_ESC_H
#define TG_ESC_H

#include <stddef.h>
#include "util.h"

/* Append s[0..n) for display on a terminal: printable UTF-8 passes; C0 and C1 controls,
 * DEL, ESC, bidi overrides/isolates (U+202A-202E, U+2066-2069, U+200E/F, U+061C) and
 * invalid UTF-8 are written as visible escapes (\n, \t, \e, \x1b, \u{202e}, \xff). */
void esc_term(sbuf *out, const char *s, size_t n);

/* esc_term for a terminal whose locale is not UTF-8: the output is printable ASCII only;
 * every valid non-ASCII UTF-8 sequence becomes \u{e9} (lowercase hex, no padding) and
 * every invalid byte \xff. */
void esc_term_ascii(sbuf *out, const char *s, size_t n);

/* The console's one escaping function: esc_term, or esc_term_ascii once esc_tui_locale()
 * found that the locale's codeset (nl_langinfo(CODESET)) is not UTF-8. */
void esc_tui(sbuf *out, const char *s, size_t n);
/* The console's own decoration: utf8 on a UTF-8 terminal, else ascii (same width). */
const char *esc_tui_glyph(const char *utf8, const char *ascii);
/* Pick esc_tui's mode from the current locale; returns 1 when the codeset is UTF-8. */
int esc_tui_locale(void);

/* Append s[0..n) as the inside of a JSON string (no quotes). Invalid UTF-8 bytes become
 * \ufffd so that the output is always valid JSON; DEL, C1 controls and bidi/invisible
 * characters (esc_json_unsafe) become \u escapes of the same value, so no consumer that
 * prints the JSON raw (a pager, a terminal, a log viewer) receives them. */
void esc_json(sbuf *out, const char *s, size_t n);
/* 1 for a code point esc_json writes as \uXXXX although JSON allows it raw. */
int esc_json_unsafe(unsigned cp);

/* Append s[0..n) as one CSV field, quoted when needed (RFC 4180), with terminal-unsafe
 * bytes escaped as in esc_term. */
void esc_csv(sbuf *out, const char *s, size_t n);

/* Append s[0..n) for a Markdown document: escaped as in esc_term, then Markdown's inline
 * specials (\ | * _ [ ] < > ` #) backslashed, so an event field can neither format the
 * report nor break a table cell. */
void esc_md(sbuf *out, const char *s, size_t n);

/* Display width in terminal columns of an already esc_term-escaped string. */
size_t esc_width(const char *s, size_t n);

/* Decode one UTF-8 sequence at s[0..n): its length with *cp set, or 0 when invalid. */
size_t esc_utf8_dec(const char *s, size_t n, unsigned *cp);

/* Returns 1 if s[0..n) is valid UTF-8. */
int utf8_valid(const char *s, size_t n);

#endif
