/* sql.c — placeholder until its helper lands it (issue 6). */
#include "sql.h"
