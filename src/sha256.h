/* sha256.h — SHA-256 through OpenSSL EVP, for file hashes in the journal. */
#ifndef TG_SHA256_H
#define TG_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, unsigned char out[32]);
/* The SHA-256 of the first size bytes of the open file fd, read 1 MB at a time with
 * pread (a big file hashed while other threads read it in chunks). 0, or -1 when short. */
int sha256_fd(int fd, uint64_t size, unsigned char out[32]);
/* Incremental: new, update as the bytes go by, final (which frees the context). */
typedef struct sha256_ctx sha256_ctx;
sha256_ctx *sha256_new(void);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, unsigned char out[32]);
/* 64 hex digits plus NUL. */
void sha256_hex(const unsigned char d[32], char out[65]);

#endif
