/* crash_harness.c — SIGKILL a journal writer at random moments; nothing acknowledged is lost.
 *
 *   tests/crash_harness [N [ROUNDS_PER_CASE]]      (N = 200 kills by default; soak.sh: 5000)
 *
 * Each round forks a child that opens the case (repairing a torn tail if the last child
 * died mid-write) and appends entries in a loop, writing each seq to a pipe only after
 * journal_append has returned. The parent kills it after a random delay. At the end of each
 * case (ROUNDS_PER_CASE rounds, default 250) journal_verify must pass — a torn tail allowed
 * only as the last line — and every acknowledged seq must be present with the details its
 * writer gave it. TG_SEED sets the random seed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "tap.h"

#define TORN_MARK UINT64_MAX

struct ack {
	uint64_t seq;
	uint32_t round, i;
};

static struct ack *acks; /* by seq, within the current case */
static size_t nacks, capacks;
static long bad_entries, checked;

static void child(const char *dir, int fd, uint32_t round)
{
	char msg[512];
	journal *j = journal_open(dir, NULL, msg, sizeof msg);
	if (!j) {
		fprintf(stderr, "child: %s\n", msg);
		_exit(3);
	}
	if (msg[0]) { /* a torn tail was repaired */
		struct ack a = { TORN_MARK, round, 0 };
		if (write(fd, &a, sizeof a) != sizeof a)
			_exit(5);
	}
	unsigned seed = round * 2654435761u;
	static char pad[32768];
	for (uint32_t i = 0;; i++) {
		/* mostly short lines; one in eight spans several pages, so that a kill can land
		 * between the pages of one write(2) and leave a torn line */
		size_t n = (size_t)(rand_r(&seed) % 8 ? rand_r(&seed) % 600 : rand_r(&seed) % 30000);
		memset(pad, 'a' + (int)(i % 26), n);
		pad[n] = 0;
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "round", round);
		cJSON_AddNumberToObject(d, "i", i);
		cJSON_AddStringToObject(d, "pad", pad);
		if (journal_append(j, "note", d, NULL, msg, sizeof msg)) {
			fprintf(stderr, "child: %s\n", msg);
			_exit(4);
		}
		struct ack a = { journal_count(j), round, i };
		if (write(fd, &a, sizeof a) != sizeof a)
			_exit(5);
	}
}

static void check_entry(void *ud, const cJSON *e)
{
	(void)ud;
	uint64_t seq = (uint64_t)cJSON_GetObjectItem(e, "seq")->valuedouble;
	if (seq >= nacks || !acks[seq].seq)
		return; /* written but killed before it was acknowledged */
	const cJSON *d = cJSON_GetObjectItem(e, "details");
	checked++;
	if ((uint32_t)cJSON_GetObjectItem(d, "round")->valuedouble != acks[seq].round ||
	    (uint32_t)cJSON_GetObjectItem(d, "i")->valuedouble != acks[seq].i) {
		if (bad_entries++ < 5)
			printf("# seq %llu holds another entry than the one acknowledged\n",
			       (unsigned long long)seq);
	}
}

/* Verify the case and check every acknowledged seq. Returns 0 when all is well. */
static int check_case(const char *dir, uint64_t max_acked, int *torn_last)
{
	journal_verdict v;
	int r = journal_read(dir, NULL, 0, check_entry, NULL, &v);
	*torn_last = v.problem == JOURNAL_TORN_TAIL;
	if (r != 0) {
		printf("# %s: %s\n", dir, v.msg);
		return -1;
	}
	if (v.entries < max_acked) {
		printf("# %s: %llu entries, but seq %llu was acknowledged\n", dir,
		       (unsigned long long)v.entries, (unsigned long long)max_acked);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200, per_case = argc > 2 ? atol(argv[2]) : 250;
	unsigned seed = getenv("TG_SEED") ? (unsigned)atol(getenv("TG_SEED")) : 20261120u;
	char root[] = "/tmp/tg-crash.XXXXXX";
	if (n < 1 || per_case < 1 || !mkdtemp(root))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	double t0 = now_mono();
	long kills = 0, exited = 0, torn = 0, acked_total = 0, cases = 0, verify_fail = 0;
	long torn_at_check = 0;
	uint64_t max_acked = 0;
	char dir[256] = "";
	for (long round = 0; round < n; round++) {
		if (round % per_case == 0) {
			snprintf(dir, sizeof dir, "%s/case%ld", root, cases++);
			nacks = 0;
			max_acked = 0;
			if (acks)
				memset(acks, 0, capacks * sizeof *acks);
		}
		int fds[2];
		if (pipe(fds))
			return 2;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			child(dir, fds[1], (uint32_t)round);
		}
		close(fds[1]);
		struct timespec ts = { 0, (long)(rand_r(&seed) % 30000) * 1000L };
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		int st = 0;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			kills++;
		else
			exited++;
		struct ack a;
		ssize_t got;
		while ((got = read(fds[0], &a, sizeof a)) == (ssize_t)sizeof a) {
			if (a.seq == TORN_MARK) {
				torn++;
				continue;
			}
			if (a.seq >= capacks) {
				size_t old = capacks;
				xgrow((void **)&acks, &capacks, (size_t)a.seq + 1, sizeof *acks);
				memset(acks + old, 0, (capacks - old) * sizeof *acks);
			}
			if (a.seq + 1 > nacks)
				nacks = (size_t)a.seq + 1;
			acks[a.seq] = a;
			acked_total++;
			if (a.seq > max_acked)
				max_acked = a.seq;
		}
		close(fds[0]);
		if ((round + 1) % per_case == 0 || round + 1 == n) {
			int tl = 0;
			if (check_case(dir, max_acked, &tl))
				verify_fail++;
			torn_at_check += tl;
		}
	}
	double secs = now_mono() - t0;
	ok(exited == 0, "every child was killed while working (%ld exited on their own)", exited);
	ok(verify_fail == 0, "journal_verify passes on each of %ld cases after the kills", cases);
	ok(checked == acked_total && bad_entries == 0,
	   "all %ld acknowledged entries are present and hold what was written (%ld checked)",
	   acked_total, checked);
	/* a last open repairs a torn tail the final kill may have left; then all is intact */
	char msg[512];
	journal *j = journal_open(dir, NULL, msg, sizeof msg);
	journal_close(&j);
	journal_verdict v;
	int vr = journal_verify(dir, NULL, 0, &v);
	ok(vr == 0 && v.problem == JOURNAL_OK,
	   "after a final open the last case is intact: %s", v.problem ? v.msg : "ok");
	printf("# %ld kills, %ld acknowledged entries checked, %ld torn tails repaired by open, "
	       "%ld seen by verify, %ld cases, %.1f s (seed %u)\n",
	       kills, checked, torn, torn_at_check, cases, secs,
	       getenv("TG_SEED") ? (unsigned)atol(getenv("TG_SEED")) : 20261120u);
	free(acks);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd))
		ok(0, "cleanup");
	return tap_done();
}
