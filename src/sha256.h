/* sha256.h — SHA-256 through OpenSSL EVP, for file hashes in the journal. */
#ifndef TG_SHA256_H
#define TG_SHA256_H

#include <stddef.h>

void sha256(const void *data, size_t len, unsigned char out[32]);
/* 64 hex digits plus NUL. */
void sha256_hex(const unsigned char d[32], char out[65]);

#endif
