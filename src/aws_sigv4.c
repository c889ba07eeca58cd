/* aws_sigv4.c — placeholder until its helper lands it (issue 6). */
#include "aws_sigv4.h"
