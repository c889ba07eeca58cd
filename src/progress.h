/* progress.h — a one-line progress bar on stderr while sources load. */
#ifndef TG_PROGRESS_H
#define TG_PROGRESS_H

#include "ingest.h"

/* An ingest progress callback: draws "[=====>    ] 812/1,644 files  512,000 events
 * 410k ev/s" over itself on stderr. ud is unused. */
void progress_draw(const ingest_progress *p, void *ud);
/* Erase the bar. */
void progress_clear(void);

#endif
