/* sha256.c — SHA-256 through OpenSSL's EVP interface. */
#include "sha256.h"

#include <openssl/evp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 32;
	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

int sha256_fd(int fd, uint64_t size, unsigned char out[32])
{
	enum { BLOCK = 1 << 20 };
	char *buf = malloc(BLOCK);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = buf && ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ? 0 : -1;
	for (uint64_t off = 0; rc == 0 && off < size;) {
		size_t want = size - off < BLOCK ? (size_t)(size - off) : BLOCK;
		ssize_t r = pread(fd, buf, want, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || !EVP_DigestUpdate(ctx, buf, (size_t)r))
			rc = -1;
		else
			off += (size_t)r;
	}
	unsigned int n = 32;
	if (rc == 0 && !EVP_DigestFinal_ex(ctx, out, &n))
		rc = -1;
	EVP_MD_CTX_free(ctx);
	free(buf);
	return rc;
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
