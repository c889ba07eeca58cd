/* gunzip.c — gzip decompression: libdeflate for speed, zlib to salvage damaged files. */
#include "gunzip.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

size_t gunzip_limit(void)
{
	static size_t lim;
	if (lim)
		return lim;
	size_t v = GUNZIP_DEFAULT_LIMIT;
	const char *e = getenv("TRAILGUIDE_MAX_INFLATE");
	if (e && *e) {
		char *end;
		unsigned long long n = strtoull(e, &end, 10);
		unsigned long long mul = *end == 'K' || *end == 'k' ? 1ull << 10
				       : *end == 'M' || *end == 'm' ? 1ull << 20
				       : *end == 'G' || *end == 'g' ? 1ull << 30
				       : *end == 0		     ? 1
								     : 0;
		if (mul && n && n <= (unsigned long long)SIZE_MAX / mul)
			v = (size_t)(n * mul);
	}
	lim = v;
	return lim;
}

int gunzip_is_gz(const void *data, size_t len)
{
	const unsigned char *p = data;
	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* Streaming zlib pass that keeps every byte it can decode; used only for damaged input. */
static int salvage(const unsigned char *in, size_t len, size_t max, sbuf *out,
		   size_t *bad_off, const char **why)
{
	size_t start = out->len;
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK) {
		*why = "zlib init failed";
		*bad_off = 0;
		return -1;
	}
	unsigned char buf[65536];
	size_t pos = 0;
	int rc = Z_OK;
	while (pos < len) {
		z.next_in = (unsigned char *)in + pos;
		z.avail_in = (uInt)(len - pos > (1u << 30) ? (1u << 30) : len - pos);
		size_t before = z.avail_in;
		do {
			z.next_out = buf;
			z.avail_out = sizeof buf;
			rc = inflate(&z, Z_NO_FLUSH);
			sbuf_add(out, buf, sizeof buf - z.avail_out);
			if (max && out->len - start > max) {
				inflateEnd(&z);
				*bad_off = pos;
				*why = "inflates past the size limit";
				return GUNZIP_TOO_BIG;
			}
		} while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
		pos += before - z.avail_in;
		if (rc == Z_STREAM_END) {
			if (pos < len && !gunzip_is_gz(in + pos, len - pos)) {
				*bad_off = pos;
				*why = "trailing bytes after the gzip data";
				inflateEnd(&z);
				return -1;
			}
			inflateReset(&z);
			continue;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			*bad_off = pos;
			*why = "corrupt gzip data";
			inflateEnd(&z);
			return -1;
		}
		if (z.avail_in == 0 && pos >= len)
			break;
	}
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		*bad_off = len;
		*why = "truncated gzip file";
		return -1;
	}
	return 0;
}

/* One decompressor per thread, kept from call to call: allocating one (and zeroing its
 * tables) per file was 1% of a load of small files. The key's destructor frees a worker's
 * at thread exit; the thread-local pointer keeps the main thread's reachable. */
static pthread_key_t dec_key;
static pthread_once_t dec_once = PTHREAD_ONCE_INIT;
static _Thread_local struct libdeflate_decompressor *dec_tl;

static void dec_free(void *d)
{
	libdeflate_free_decompressor(d);
}

static void dec_init(void)
{
	(void)pthread_key_create(&dec_key, dec_free);
}

static struct libdeflate_decompressor *dec_get(void)
{
	if (!dec_tl) {
		dec_tl = libdeflate_alloc_decompressor();
		if (!dec_tl)
			return NULL;
		pthread_once(&dec_once, dec_init);
		(void)pthread_setspecific(dec_key, dec_tl);
	}
	return dec_tl;
}

int gunzip(const void *data, size_t len, size_t max, sbuf *out, size_t *bad_off,
	   const char **why)
{
	const unsigned char *in = data;
	struct libdeflate_decompressor *d = dec_get();
	if (!d)
		return salvage(in, len, max, out, bad_off, why);
	size_t pos = 0, start = out->len;
	while (pos < len) {
		if (!gunzip_is_gz(in + pos, len - pos)) {
			*bad_off = pos;
			*why = pos ? "trailing bytes after the gzip data" : "not gzip data";
			return -1;
		}
		/* ISIZE in the trailer of the last member is a good first guess for one member. */
		size_t guess = 0;
		if (len - pos >= 18) {
			const unsigned char *t = in + len - 4;
			guess = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
		}
		if (guess < (len - pos) * 2)
			guess = (len - pos) * 4 + 1024;
		/* ISIZE is attacker-controlled: never trust it for more than deflate's maximum
		 * ratio, nor for a first allocation over 256 MB; growth doubles from there. */
		if (guess / 1032 > len - pos)
			guess = (len - pos) * 1032;
		if (guess > ((size_t)256 << 20))
			guess = (size_t)256 << 20;
		if (max && guess > max - (out->len - start) + 1)
			guess = max - (out->len - start) + 1;
		for (;;) {
			size_t avail = out->cap > out->len + 1 ? out->cap - out->len - 1 : 0;
			if (avail < guess) {
				sbuf_add(out, "", 0); /* make sure s exists */
				size_t keep = out->len;
				out->len = keep;
				size_t need = keep + guess + 1;
				if (need > out->cap) {
					out->s = xrealloc(out->s, need);
					out->cap = need;
				}
				avail = out->cap - out->len - 1;
			}
			size_t in_used = 0, out_n = 0;
			enum libdeflate_result r = libdeflate_gzip_decompress_ex(
				d, in + pos, len - pos, out->s + out->len, avail, &in_used, &out_n);
			if (r == LIBDEFLATE_SUCCESS && max && out->len - start + out_n > max)
				r = LIBDEFLATE_INSUFFICIENT_SPACE; /* over the limit: refused below */
			if (r == LIBDEFLATE_SUCCESS) {
				out->len += out_n;
				out->s[out->len] = 0;
				pos += in_used;
				break;
			}
			if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
				/* a gzip bomb stops here: never more than max bytes out */
				if (max && out->len - start + avail > max) {
							out->len = start;
					if (out->s)
						out->s[out->len] = 0;
					*bad_off = pos;
					*why = "inflates past the size limit";
					return GUNZIP_TOO_BIG;
				}
				guess = avail * 2;
				if (max && guess > max - (out->len - start) + 1)
					guess = max - (out->len - start) + 1;
				continue;
			}
			/* Damaged: let zlib recover what it can from this member on. */
			out->len = start;
			if (out->s)
				out->s[out->len] = 0;
			return salvage(in, len, max, out, bad_off, why);
		}
	}
	return 0;
}
