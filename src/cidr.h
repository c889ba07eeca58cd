/* cidr.h — IPv4/IPv6 addresses and CIDR blocks, for `ip in (10.0.0.0/8)` and @lists. */
#ifndef TG_CIDR_H
#define TG_CIDR_H

#include <stddef.h>

typedef struct tgcidr {
	int family;             /* 4 or 6 */
	unsigned char addr[16];
	int bits;               /* prefix length; a plain address has all of them */
} tgcidr;

/* 1: s[0..n) is an address or CIDR (stored in c); 0: it is not; -1: it looks like a CIDR
 * but is malformed ("10.0.0.0/33"). */
int cidr_parse(const char *s, size_t n, tgcidr *c);
/* 1 if s[0..n) is an address of c's family inside c. */
int cidr_match(const tgcidr *c, const char *s, size_t n);

#endif
