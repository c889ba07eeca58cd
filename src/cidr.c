/* cidr.c — address and CIDR parsing and matching with inet_pton. */
#include "cidr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int cidr_parse(const char *s, size_t n, tgcidr *c)
{
	char buf[64];
	if (!n || n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	unsigned char a[16];
	int fam = 0;
	if (inet_pton(AF_INET, buf, a) == 1)
		fam = 4;
	else if (strchr(buf, ':') && inet_pton(AF_INET6, buf, a) == 1)
		fam = 6;
	if (!fam)
		return 0;
	int max = fam == 4 ? 32 : 128, bits = max;
	if (slash) {
		char *end;
		const char *b = slash + 1;
		if (!isdigit((unsigned char)*b))
			return -1;
		long l = strtol(b, &end, 10);
		if (*end || l < 0 || l > max)
			return -1;
		bits = (int)l;
	}
	c->family = fam;
	c->bits = bits;
	memset(c->addr, 0, sizeof c->addr);
	memcpy(c->addr, a, fam == 4 ? 4 : 16);
	return 1;
}

int cidr_match(const tgcidr *c, const char *s, size_t n)
{
	char buf[64];
	unsigned char a[16];
	if (!n || n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (inet_pton(c->family == 4 ? AF_INET : AF_INET6, buf, a) != 1)
		return 0;
	int full = c->bits / 8, rest = c->bits % 8;
	if (memcmp(a, c->addr, (size_t)full))
		return 0;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((a[full] & mask) != (c->addr[full] & mask))
			return 0;
	}
	return 1;
}
