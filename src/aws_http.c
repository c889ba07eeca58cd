/* aws_http.c — placeholder until its helper lands it (issue 6). */
#include "aws.h"
