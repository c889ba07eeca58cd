/* test_journal_cli.c — `trailguide journal verify|show`, the operator block and entry times. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "journal.h"
#include "journal_int.h"
#include "tap.h"

static char root[64];
static int64_t pinned;
static int64_t pinned_clock(void) { return pinned; }

static char *slurp(const char *dir, const char *file, size_t *len)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	char *d = NULL;
	size_t n = 0;
	*len = 0;
	if (read_file(p, &d, &n))
		return NULL;
	*len = n;
	return d;
}

static void spit(const char *dir, const char *file, const char *s, size_t n)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, s, n) != (ssize_t)n)
		abort();
	close(fd);
}

static void add(journal *j, const char *action, const char *details_json)
{
	char msg[256];
	if (journal_append(j, action, cJSON_Parse(details_json), NULL, msg, sizeof msg))
		printf("# %s\n", msg);
}

static void test_operator_time(void)
{
	char t[32];
	jent_time(0, t);
	is_str(t, "1970-01-01T00:00:00.000Z", "epoch");
	jent_time(-1, t);
	is_str(t, "1969-12-31T23:59:59.999Z", "before the epoch");
	setenv("SSH_CONNECTION", "203.0.113.9 52144 10.0.0.5 22", 1);
	setenv("SSH_CLIENT", "198.51.100.1 1 22", 1);
	cJSON *o = journal_operator();
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(o, "ssh")), "203.0.113.9",
	       "ssh: first field of SSH_CONNECTION");
	ok(cJSON_GetStringValue(cJSON_GetObjectItem(o, "user")) != NULL, "user");
	cJSON_Delete(o);
	unsetenv("SSH_CONNECTION");
	o = journal_operator();
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(o, "ssh")), "198.51.100.1",
	       "ssh: SSH_CLIENT otherwise");
	cJSON_Delete(o);
	unsetenv("SSH_CLIENT");
	o = journal_operator();
	ok(cJSON_IsNull(cJSON_GetObjectItem(o, "ssh")), "ssh: null when local");
	ok(cJSON_GetObjectItem(o, "tty") != NULL, "tty present (null without one)");
	cJSON_Delete(o);
}

/* Run `trailguide journal ARGS...` in-process with stdout and stderr captured. */
static int run_cli(char *out, size_t outn, int argc, char **argv)
{
	char path[160];
	snprintf(path, sizeof path, "%s/cli.out", root);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 1);
	dup2(fd, 2);
	int rc = cmd_journal(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	close(fd);
	char *d = NULL;
	size_t n = 0;
	read_file(path, &d, &n);
	snprintf(out, outn, "%.*s", (int)n, d ? d : "");
	free(d);
	return rc;
}

static void test_cli(void)
{
	char msg[256], out[4096];
	char dir[128], none[128];
	snprintf(dir, sizeof dir, "%s/cli", root);
	snprintf(none, sizeof none, "%s/none", root);
	journal_opts o = { NULL, 0, pinned_clock };
	journal *j = journal_open(dir, &o, msg, sizeof msg);
	pinned = 1795142787123LL;
	add(j, "query", "{\"query\":\"event = x\",\"rows\":2,\"eventIDs\":[\"a\",\"b\",\"c\",\"d\"]}");
	pinned = 1795142790000LL;
	add(j, "note", "{\"note\":\"\\u001b]0;pwned\\u0007 hi\"}");
	journal_close(&j);
	char *verify[] = { "journal", "verify", dir, NULL };
	is_int(run_cli(out, sizeof out, 3, verify), 0, "cli verify: exit 0");
	char want[512];
	snprintf(want, sizeof want, "%s: intact, 2 entries, 2026-11-20T02:46:27.123Z .. "
		 "2026-11-20T02:46:30.000Z, last hash ", dir);
	ok(!strncmp(out, want, strlen(want)) && strlen(out) == strlen(want) + 17,
	   "cli verify: one summary line");
	char *show[] = { "journal", "show", dir, NULL };
	is_int(run_cli(out, sizeof out, 3, show), 0, "cli show: exit 0");
	ok(strstr(out, "2026-11-20T02:46:27.123Z  #1  ") &&
		   strstr(out, "  query  query=\"event = x\" rows=2 eventIDs=[a, b, c, +1 more]\n"),
	   "cli show: a timeline line per entry");
	ok(strstr(out, "note=\"\\e]0;pwned\\x07 hi\"") && !strchr(out, 0x1b) && !strchr(out, 7),
	   "cli show: details escaped for the terminal");
	char *helpv[] = { "journal", "--help", NULL };
	is_int(run_cli(out, sizeof out, 2, helpv), 0, "cli --help: exit 0");
	char *usagev[] = { "journal", "verify", NULL };
	is_int(run_cli(out, sizeof out, 2, usagev), 2, "cli without CASE: exit 2");
	char *missing[] = { "journal", "verify", none, NULL };
	is_int(run_cli(out, sizeof out, 3, missing), 2, "cli on a missing journal: exit 2");
	/* change one byte of entry 2 */
	size_t n;
	char *d = slurp(dir, "journal.jsonl", &n);
	char *p = strstr(d, "pwned");
	p[0] = 'P';
	spit(dir, "journal.jsonl", d, n);
	free(d);
	is_int(run_cli(out, sizeof out, 3, verify), 1, "cli verify of a changed journal: exit 1");
	ok(strstr(out, ": damaged: entry 2 (line 2): hash mismatch — the entry was changed after "
		       "it was written (1 intact entry before it)\n") != NULL,
	   "cli verify names the entry and why");
	is_int(run_cli(out, sizeof out, 3, show), 1, "cli show of a changed journal: exit 1");
}

int main(void)
{
	strcpy(root, "/tmp/tg-journal-cli.XXXXXX");
	if (!mkdtemp(root))
		return 1;
	test_operator_time();
	test_cli();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd))
		ok(0, "cleanup");
	return tap_done();
}
