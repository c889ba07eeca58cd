/* sql.h — placeholder until its helper lands it (issue 6). */
#ifndef TG_SQL_H
#define TG_SQL_H
#endif
