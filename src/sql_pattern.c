/* sql_pattern.c — globs, regexes and CIDR blocks in the forms SQL can take. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sql_int.h"

/* A glob as a LIKE pattern (lower case, '\' escapes). -1 when it has a [set]. */
int sql_glob_like(const char *p, size_t n, sbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (ch == '*') {
			sbuf_addc(out, '%');
			continue;
		}
		if (ch == '?') {
			sbuf_addc(out, '_');
			continue;
		}
		if (ch == '\\' && i + 1 < n)
			ch = p[++i];
		else if (ch == '[') {
			size_t j = i + 1;
			if (j < n && (p[j] == '!' || p[j] == '^'))
				j++;
			size_t first = j;
			while (j < n && (p[j] != ']' || j == first))
				j++;
			if (j < n)
				return -1;
		}
		if (ch == '%' || ch == '_' || ch == '\\')
			sbuf_addc(out, '\\');
		sbuf_addc(out, (char)tolower((unsigned char)ch));
	}
	return 0;
}

/* Only regexes whose meaning is the same in POSIX ERE and Trino's (Java-style) syntax. */
int sql_regex_portable(const char *s, size_t n)
{
	int inset = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\\') {
			if (inset || i + 1 >= n || isalnum((unsigned char)s[i + 1]) || s[i + 1] < 0x20)
				return 0;
			i++;
			continue;
		}
		if (ch == '[') {
			if (inset)
				return 0;
			inset = 1;
			if (i + 1 < n && s[i + 1] == '^')
				i++;
			if (i + 1 < n && (s[i + 1] == ']' || s[i + 1] == ':' || s[i + 1] == '=' ||
					  s[i + 1] == '.'))
				return 0;
			continue;
		}
		if (ch == ']') {
			inset = 0;
			continue;
		}
		if (ch >= 0x80 || (!isalnum(ch) && !strchr(" _-.*+?^$|(){},:/@=!#%&<>~'\"", ch)))
			return 0;
	}
	return !inset;
}

int sql_cidr_text(const qval *v, char *buf, size_t n)
{
	unsigned char a[16] = {0};
	int len = v->family == 4 ? 4 : 16;
	memcpy(a, v->addr, (size_t)len);
	for (int b = v->bits; b < len * 8; b++)
		a[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
	char ip[64];
	if (!inet_ntop(v->family == 4 ? AF_INET : AF_INET6, a, ip, sizeof ip))
		return -1;
	snprintf(buf, n, "%s/%d", ip, v->bits);
	return 0;
}
