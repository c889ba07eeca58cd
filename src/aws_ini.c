/* aws_ini.c — placeholder until its helper lands it (issue 6). */
#include "aws_ini.h"
