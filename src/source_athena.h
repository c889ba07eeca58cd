/* source_athena.h — what source_athena.c (events) and source_athena_table.c (a stats table
 * computed by Athena) share: the URL and running one statement. */
#ifndef TG_SOURCE_ATHENA_H
#define TG_SOURCE_ATHENA_H

#include "source_sql.h"

#define ATHENA_MAX_SQL 262144

/* athena://WORKGROUP/DATABASE.TABLE[?output=s3://B/P&catalog=C&partition=P] */
typedef struct aurl {
	char *workgroup, *database, *table, *output, *catalog, *partition;
} aurl;

/* 0, or -1 with the reason in err; u is initialised either way (athena_url_free it). */
int athena_url_parse(const char *spec, aurl *u, sbuf *err);
void athena_url_free(aurl *u);
/* "DATABASE.TABLE", to free. */
char *athena_table_name(const aurl *u);

/* StartQueryExecution with sql, then GetQueryExecution until it ends: the query execution
 * id (to free) when it SUCCEEDED, else NULL (message printed). */
char *athena_execute(sqlsrc *s, const aurl *u, const char *sql);

#endif
