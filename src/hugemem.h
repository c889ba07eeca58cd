/* hugemem.h — ask for transparent huge pages on big per-event arrays.
 *
 * A million events fill a few hundred MB of columns, sort buffers and string arenas; faulted
 * in 4 KB at a time, the kernel's page faults and zeroing took a fifth of the load (more in
 * a VM, where each fault is dearer). These helpers allocate like xmalloc/xrealloc (free() them
 * as usual) but put a big block on a 2 MB boundary and madvise(MADV_HUGEPAGE) it, so it
 * is faulted 2 MB at a time when the system allows it (THP "madvise" or "always"). Below
 * HUGE_MIN, or where madvise is missing, they are exactly xmalloc/xrealloc. */
#ifndef TG_HUGEMEM_H
#define TG_HUGEMEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_MIN HUGE_PAGE

static inline void huge_advise(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (!p || n < HUGE_MIN)
		return;
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE); /* advice only: errors ignored */
#else
	(void)p;
	(void)n;
#endif
}

/* A block of n bytes, 2 MB-aligned when it is big, so that all of it can be huge pages. */
static inline void *xmalloc_huge(size_t n)
{
	if (n < HUGE_MIN)
		return xmalloc(n);
	void *p = NULL;
	if (posix_memalign(&p, HUGE_PAGE, n) != 0)
		return xmalloc(n);
	huge_advise(p, n);
	return p;
}

/* Grow p (old bytes in use) to n bytes; a big block moves to a new aligned one. */
static inline void *xrealloc_huge(void *p, size_t old, size_t n)
{
	if (n < HUGE_MIN)
		return xrealloc(p, n);
	void *q = xmalloc_huge(n);
	if (p) {
		memcpy(q, p, old < n ? old : n);
		free(p);
	}
	return q;
}

#endif
