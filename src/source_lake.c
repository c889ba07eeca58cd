/* source_lake.c — placeholder until its helper lands it (issue 6). */
#include <stdio.h>
#include "source.h"
int source_lake_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st)
{
	(void)out, (void)st;
	fprintf(o->warn ? o->warn : stderr, "trailguide: %s: not built yet\n", spec);
	return -1;
}
