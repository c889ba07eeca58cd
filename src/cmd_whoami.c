/* cmd_whoami.c — placeholder until its helper lands it (issue 6). */
#include "cli.h"
int cmd_whoami(int argc, char **argv) { (void)argc, (void)argv; return 2; }
