/* aws_xml.c — placeholder until its helper lands it (issue 6). */
#include "aws_xml.h"
