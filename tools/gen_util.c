/* gen_util.c - PRNG, buffers, JSON strings, identifiers, time, SHA-256, gzip files. */
#include "gen.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* ---- PRNG ------------------------------------------------------------------------- */
uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t hash3(uint64_t a, uint64_t b, uint64_t c)
{
    return mix64(mix64(mix64(a) ^ b) ^ c);
}

void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        seed += 0x9e3779b97f4a7c15ULL;
        r->s[i] = mix64(seed);
    }
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

uint32_t rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int rng_pct(rng_t *r, unsigned p) { return rng_below(r, 10000) < p; }

/* ---- buffers ---------------------------------------------------------------------- */
void bput(buf_t *b, const void *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 4096;
        while (c < b->n + n + 1)
            c *= 2;
        char *p = realloc(b->p, c);
        if (!p) {
            fputs("tg-gen: out of memory\n", stderr);
            exit(2);
        }
        b->p = p;
        b->cap = c;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void bs(buf_t *b, const char *s) { bput(b, s, strlen(s)); }
void bc(buf_t *b, char c) { bput(b, &c, 1); }

void bf(buf_t *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        bput(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        exit(2);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bput(b, big, (size_t)n);
    free(big);
}

/* JSON string. Control characters, C1 controls (UTF-8 C2 80..C2 9F) and the Unicode
 * bidi controls (U+202A..U+202E, U+2066..U+2069) are written as \u escapes, the way
 * CloudTrail escapes them, so a file holding hostile text stays valid, printable JSON. */
void bjs(buf_t *b, const char *s)
{
    static const char hx[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    bc(b, '"');
    const unsigned char *run = p;
    for (; *p; p++) {
        unsigned cp = 0;
        int len = 0;
        if (*p < 0x20 || *p == '"' || *p == '\\') {
            cp = *p;
            len = 1;
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            cp = p[1];
            len = 2;
        } else if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) {
            cp = 0x2000u | ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3fu);
            len = 3;
        } else if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) {
            cp = 0x2000u | ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3fu);
            len = 3;
        } else
            continue;
        bput(b, run, (size_t)(p - run));
        if (cp == '"')
            bs(b, "\\\"");
        else if (cp == '\\')
            bs(b, "\\\\");
        else if (cp == '\n')
            bs(b, "\\n");
        else if (cp == '\t')
            bs(b, "\\t");
        else if (cp == '\r')
            bs(b, "\\r");
        else {
            char e[7] = {'\\', 'u', hx[(cp >> 12) & 15], hx[(cp >> 8) & 15], hx[(cp >> 4) & 15],
                         hx[cp & 15], 0};
            bs(b, e);
        }
        p += len - 1;
        run = p + 1;
    }
    bput(b, run, (size_t)(p - run));
    bc(b, '"');
}

void bkv(buf_t *b, const char *k, const char *v)
{
    bc(b, '"');
    bs(b, k);
    bs(b, "\":");
    bjs(b, v);
}

void bfree(buf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* ---- identifiers ------------------------------------------------------------------ */
void mk_uuid(rng_t *r, char out[37])
{
    static const char hx[] = "0123456789abcdef";
    uint64_t a = rng_next(r), c = rng_next(r);
    unsigned char by[16];
    for (int i = 0; i < 8; i++) {
        by[i] = (unsigned char)(a >> (8 * i));
        by[8 + i] = (unsigned char)(c >> (8 * i));
    }
    by[6] = (unsigned char)((by[6] & 0x0f) | 0x40);
    by[8] = (unsigned char)((by[8] & 0x3f) | 0x80);
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hx[by[i] >> 4];
        out[o++] = hx[by[i] & 15];
    }
    out[o] = 0;
}

void mk_b32(uint64_t h, int n, char *out)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    uint64_t seed = h;
    h = mix64(seed);
    for (int i = 0; i < n; i++) {
        if (i && i % 12 == 0)
            h = mix64(seed + (uint64_t)i);
        out[i] = al[h & 31];
        h >>= 5;
    }
    out[n] = 0;
}

void mk_hex(uint64_t h, int n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    uint64_t seed = h;
    for (int i = 0; i < n; i++) {
        if (i && i % 16 == 0)
            h = mix64(seed + (uint64_t)i);
        out[i] = hx[h & 15];
        h >>= 4;
    }
    out[n] = 0;
}

void mk_alnum(rng_t *r, int n, char *out)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < n; i++)
        out[i] = al[rng_below(r, 62)];
    out[n] = 0;
}

void mk_key(const char *prefix, uint64_t h, char out[21])
{
    memcpy(out, prefix, 4);
    mk_b32(h, 16, out + 4);
}

/* ---- time ------------------------------------------------------------------------- */
int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
    int64_t z = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t sec = t - z * 86400;
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *mo = (int)mm;
    *d = (int)dd;
    *h = (int)(sec / 3600);
    *mi = (int)(sec / 60 % 60);
    *s = (int)(sec % 60);
}

void iso(int64_t t, char out[21])
{
    int y, mo, d, h, mi, s;
    civil(t, &y, &mo, &d, &h, &mi, &s);
    int v[6] = {y, mo, d, h, mi, s};
    char *o = out;
    y = (y % 10000 + 10000) % 10000;
    *o++ = (char)('0' + y / 1000), *o++ = (char)('0' + y / 100 % 10);
    *o++ = (char)('0' + y / 10 % 10), *o++ = (char)('0' + y % 10);
    for (int i = 1; i < 6; i++) {
        *o++ = i == 3 ? 'T' : i > 3 ? ':' : '-';
        *o++ = (char)('0' + v[i] / 10 % 10);
        *o++ = (char)('0' + v[i] % 10);
    }
    *o++ = 'Z';
    *o = 0;
}

int parse_iso(const char *s, int64_t *t)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    char z = 0;
    int n = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z);
    if (n < 3 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    if (n >= 7 && z != 'Z')
        return -1;
    *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

int weekday(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    return (int)(((days + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
}

/* ---- SHA-256 ---------------------------------------------------------------------- */
static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(sha256_t *c, const unsigned char *p)
{
    uint32_t w[64], a, b, cc, d, e, f, g, h;
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g, g = f, f = e, e = d + t1, d = cc, cc = b, b = a, a = t1 + t2;
    }
    c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
    c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

void sha256_init(sha256_t *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->nb = 0;
}

void sha256_update(sha256_t *c, const void *pv, size_t n)
{
    const unsigned char *p = pv;
    c->len += n;
    if (c->nb) {
        size_t k = 64 - c->nb < n ? 64 - c->nb : n;
        memcpy(c->blk + c->nb, p, k);
        c->nb += k, p += k, n -= k;
        if (c->nb == 64) {
            sha_block(c, c->blk);
            c->nb = 0;
        }
    }
    for (; n >= 64; p += 64, n -= 64)
        sha_block(c, p);
    memcpy(c->blk, p, n);
    c->nb += n;
}

void sha256_final(sha256_t *c, unsigned char out[32])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80, z = 0;
    sha256_update(c, &pad, 1);
    while (c->nb != 56)
        sha256_update(c, &z, 1);
    unsigned char lb[8];
    for (int i = 0; i < 8; i++)
        lb[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(c, lb, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

/* ---- files ------------------------------------------------------------------------ */
int mkdir_p(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, path, n + 1);
    char *slash = strrchr(tmp, '/');
    if (!slash)
        return 0;
    *slash = 0;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(tmp, 0755) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0755) && errno != EEXIST)
        return -1;
    return 0;
}

/* gzip with a fixed header (mtime 0, no name, OS unix) so output is reproducible */
int write_gz(const char *path, const char *data, size_t n, int level, uint64_t *gz_bytes)
{
    if (mkdir_p(path))
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        fclose(f);
        return -1;
    }
    gz_header hd;
    memset(&hd, 0, sizeof hd);
    hd.os = 3;
    deflateSetHeader(&z, &hd);
    static unsigned char out[1 << 17];
    z.next_in = (unsigned char *)(uintptr_t)data;
    z.avail_in = (uInt)n;
    uint64_t total = 0;
    int rc;
    do {
        z.next_out = out;
        z.avail_out = sizeof out;
        rc = deflate(&z, Z_FINISH);
        size_t got = sizeof out - z.avail_out;
        if (got && fwrite(out, 1, got, f) != got) {
            deflateEnd(&z);
            fclose(f);
            return -1;
        }
        total += got;
    } while (rc == Z_OK || rc == Z_BUF_ERROR);
    deflateEnd(&z);
    if (fclose(f) || rc != Z_STREAM_END)
        return -1;
    if (gz_bytes)
        *gz_bytes = total;
    return 0;
}
