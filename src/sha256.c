/* sha256.c — SHA-256 through OpenSSL's EVP interface. */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

void sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 32;
	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

sha256_ctx *sha256_new(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "trailguide: out of memory (SHA-256)\n");
		abort();
	}
	return (sha256_ctx *)c;
}

void sha256_update(sha256_ctx *c, const void *data, size_t len)
{
	EVP_DigestUpdate((EVP_MD_CTX *)c, data, len);
}

void sha256_final(sha256_ctx *c, unsigned char out[32])
{
	unsigned int n = 32;
	EVP_DigestFinal_ex((EVP_MD_CTX *)c, out, &n);
	EVP_MD_CTX_free((EVP_MD_CTX *)c);
}

void sha256_hex(const unsigned char d[32], char out[65])
{
	static const char hx[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[64] = 0;
}
