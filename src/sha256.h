/* sha256.h — SHA-256 through OpenSSL EVP, for file hashes in the journal. */
#ifndef TG_SHA256_H
#define TG_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, unsigned char out[32]);
/* The SHA-256 of the first size bytes of the open file fd, read 1 MB at a time with
 * pread (a big file hashed while other threads read it in chunks). 0, or -1 when short. */
int sha256_fd(int fd, uint64_t size, unsigned char out[32]);
/* 64 hex digits plus NUL. */
void sha256_hex(const unsigned char d[32], char out[65]);

#endif
