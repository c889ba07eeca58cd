/* util.h — allocation wrappers that never return NULL, and a growable byte buffer. */
#ifndef TG_UTIL_H
#define TG_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#if defined(__GNUC__)
#define TG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TG_PRINTF(a, b)
#endif

/* Allocation never fails from the caller's view: on exhaustion we print and abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *p (holding *cap elements of size sz) so it can hold at least need elements. */
void xgrow(void **p, size_t *cap, size_t need, size_t sz);

/* mkdir -p: every missing directory of dir, mode 0700 (cases and the cache hold
 * evidence and credentials-derived data). 0, or -1 with errno set. */
int mkdir_p(const char *dir);

/* A growable buffer. s is always NUL-terminated when non-NULL. */
typedef struct sbuf {
	char *s;
	size_t len, cap;
} sbuf;

void sbuf_init(sbuf *b);
void sbuf_free(sbuf *b);
void sbuf_reset(sbuf *b);
void sbuf_add(sbuf *b, const void *p, size_t n);
void sbuf_adds(sbuf *b, const char *s);
void sbuf_addc(sbuf *b, char c);
void sbuf_addf(sbuf *b, const char *fmt, ...) TG_PRINTF(2, 3);
void sbuf_vaddf(sbuf *b, const char *fmt, va_list ap);
/* Take ownership of the buffer's string (caller frees); b is reset. */
char *sbuf_take(sbuf *b);

/* Read a whole file into memory. Returns 0, or -1 with errno set. */
int read_file(const char *path, char **data, size_t *len);
/* Read a whole file into b (replacing its contents), reusing b's memory. 0 or -1. */
int read_file_into(const char *path, sbuf *b);
/* The same, also giving the fstat of the file read (set once it is open, even when the
 * read then fails). */
struct stat;
int read_file_into_st(const char *path, sbuf *b, struct stat *st);

/* The value of hex digit c (0-9, a-f, A-F), or -1 for any other c (EOF included). */
int hexval(int c);

/* Number of online CPUs (at least 1). */
int cpu_count(void);

/* Monotonic clock in seconds, for timings printed by --timing and benchmarks. */
double now_mono(void);

#endif
