/* progress.c — a one-line progress bar on stderr while sources load. */
#include "progress.h"

#include <stdio.h>

void progress_draw(const ingest_progress *p, void *ud)
{
	(void)ud;
	const int width = 24;
	int fill = p->files_total ? (int)((double)p->files_done / (double)p->files_total * width) : 0;
	char bar[32];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
	bar[width] = 0;
	double rate = p->elapsed > 0 ? (double)p->events / p->elapsed : 0;
	fprintf(stderr, "\r\033[K[%s] %zu/%zu files  %zu events  %.0fk ev/s  %.1f MB/s", bar,
		p->files_done, p->files_total, p->events, rate / 1000,
		p->elapsed > 0 ? (double)p->bytes_in / 1e6 / p->elapsed : 0.0);
	fflush(stderr);
}

void progress_clear(void)
{
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
}
