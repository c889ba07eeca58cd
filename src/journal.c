/* journal.c — the journal writer: lock the case, repair a torn tail, append and fsync. */
#include "journal_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tgtime.h"

struct journal {
	char *dir, *path, *head, *headtmp;
	int fd, lockfd;
	uint64_t seq;    /* entries written */
	char last[65];   /* the last entry's hash */
	off_t size;      /* bytes of the journal, all complete lines */
	unsigned char *key;
	size_t keylen;
	int64_t (*clock)(void);
	char *opjson;    /* the operator block, serialised once */
	int broken;      /* a write failed and could not be undone */
	sbuf line, where;
};

static char *join(const char *dir, const char *name)
{
	char *p = xmalloc(strlen(dir) + strlen(name) + 2);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Replace journal.head with the current end (write, fsync, rename). A head that lags
 * the journal is allowed (a crash between the two), so no directory fsync is needed
 * except when create is set. */
static int write_head(journal *j, int create)
{
	sbuf b;
	sbuf_init(&b);
	jent_head(&b, j->seq, j->last, j->key, j->keylen);
	int fd = open(j->headtmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600),
	    r = -1;
	if (fd >= 0) {
		r = write_all(fd, b.s, b.len) || fsync(fd) ? -1 : 0;
		if (close(fd))
			r = -1;
		if (r == 0)
			r = rename(j->headtmp, j->head);
		if (r == 0 && create)
			r = fsync_dir(j->dir);
	}
	sbuf_free(&b);
	return r;
}

static void jfree(journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	if (j->lockfd >= 0)
		close(j->lockfd); /* releases the flock */
	if (j->key) {
		OPENSSL_cleanse(j->key, j->keylen);
		free(j->key);
	}
	free(j->dir);
	free(j->path);
	free(j->head);
	free(j->headtmp);
	free(j->opjson);
	sbuf_free(&j->line);
	sbuf_free(&j->where);
	free(j);
}

/* strerror, except that O_NOFOLLOW's refusal of a symbolic link says what it guards. */
static const char *why(int err)
{
	return err == ELOOP || err == EMLINK
		       ? "it is a symbolic link: refusing to follow it (a link planted in a case "
			 "directory would make the journal write elsewhere)"
		       : strerror(err);
}

/* Take CASE/journal.lock; on failure say who holds it. */
static int take_lock(journal *j, char *msg, size_t msgn)
{
	char *lp = join(j->dir, JOURNAL_LOCK);
	j->lockfd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(lp);
	if (j->lockfd < 0) {
		snprintf(msg, msgn, "cannot open %s/%s: %s", j->dir, JOURNAL_LOCK, why(errno));
		return -1;
	}
	while (flock(j->lockfd, LOCK_EX | LOCK_NB)) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			snprintf(msg, msgn, "cannot lock %s/%s: %s", j->dir, JOURNAL_LOCK,
				 strerror(errno));
			return -1;
		}
		char buf[32] = "";
		ssize_t n = pread(j->lockfd, buf, sizeof buf - 1, 0);
		long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
		if (pid > 0)
			snprintf(msg, msgn, "case %s is in use by another trailguide (pid %ld)",
				 j->dir, pid);
		else
			snprintf(msg, msgn, "case %s is in use by another trailguide", j->dir);
		return -1;
	}
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(j->lockfd, 0) == 0 && pwrite(j->lockfd, buf, (size_t)n, 0) != n)
		(void)0; /* the pid is only for the message a second process prints */
	return 0;
}

journal *journal_open(const char *case_dir, const journal_opts *o, char *msg, size_t msgn)
{
	if (msgn)
		msg[0] = 0;
	journal *j = xcalloc(1, sizeof *j);
	j->fd = j->lockfd = -1;
	size_t dl = strlen(case_dir);
	while (dl > 1 && case_dir[dl - 1] == '/')
		dl--;
	j->dir = xstrndup(case_dir, dl);
	j->path = join(j->dir, JOURNAL_FILE);
	j->head = join(j->dir, JOURNAL_HEAD);
	j->headtmp = join(j->dir, JOURNAL_HEAD ".tmp");
	if (o && o->key) {
		j->keylen = o->keylen;
		j->key = xmalloc(o->keylen ? o->keylen : 1);
		memcpy(j->key, o->key, o->keylen);
	}
	j->clock = o && o->clock ? o->clock : tgtime_now;
	sbuf_init(&j->line);
	sbuf_init(&j->where);
	if (!*j->dir) {
		snprintf(msg, msgn, "no case directory given");
		goto fail;
	}
	if (mkdir_p(j->dir)) {
		snprintf(msg, msgn, "cannot create case directory %s: %s", j->dir, strerror(errno));
		goto fail;
	}
	const char *names[] = { JOURNAL_LOCK, JOURNAL_FILE, JOURNAL_HEAD, JOURNAL_HEAD ".tmp" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *p = join(j->dir, names[i]);
		struct stat st;
		int link = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
		free(p);
		if (link) {
			snprintf(msg, msgn, "%s/%s: %s", j->dir, names[i], why(ELOOP));
			goto fail;
		}
	}
	if (take_lock(j, msg, msgn))
		goto fail;
	journal_verdict v;
	uint64_t good = 0, head_seq = 0;
	int r = jver_scan(j->dir, j->key, j->keylen, NULL, NULL, &v, &good, &head_seq);
	int created = 0;
	if (r == 2 && v.problem == JOURNAL_MISSING && access(j->path, F_OK) && errno == ENOENT) {
		int fd = open(j->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 || fsync(fd)) {
			snprintf(msg, msgn, "cannot create %s: %s", j->path, why(errno));
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		close(fd);
		created = 1;
	} else if (r != 0) {
		snprintf(msg, msgn, "%s: %s%s", j->dir, v.msg,
			 r == 1 ? "; refusing to append (see trailguide journal verify)" : "");
		goto fail;
	}
	j->fd = open(j->path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (j->fd < 0) {
		snprintf(msg, msgn, "cannot open %s: %s", j->path, why(errno));
		goto fail;
	}
	if (!created && v.problem == JOURNAL_TORN_TAIL) {
		/* never acknowledged: journal_append had not returned when the writer died */
		if (ftruncate(j->fd, (off_t)good) || fsync(j->fd)) {
			snprintf(msg, msgn, "cannot remove the incomplete last line of %s: %s",
				 j->path, strerror(errno));
			goto fail;
		}
		snprintf(msg, msgn,
			 "%s: removed an incomplete last line (line %llu; a crash while writing, "
			 "never acknowledged)",
			 j->dir, (unsigned long long)v.line);
	}
	j->seq = created ? 0 : v.entries;
	j->size = created ? 0 : (off_t)good;
	memcpy(j->last, created ? JOURNAL_ZERO : v.last_hash, 65);
	int nohead = access(j->head, F_OK) != 0;
	if ((created || nohead || head_seq != j->seq) && write_head(j, created || nohead)) {
		snprintf(msg, msgn, "cannot write %s: %s", j->head, why(errno));
		goto fail;
	}
	cJSON *op = journal_operator();
	sbuf b;
	sbuf_init(&b);
	jent_json(&b, op);
	cJSON_Delete(op);
	j->opjson = sbuf_take(&b);
	return j;
fail:
	jfree(j);
	return NULL;
}

int journal_append(journal *j, const char *action, cJSON *details, const journal_runbook *rb,
		   char *msg, size_t msgn)
{
	int rc = -1;
	if (msgn)
		msg[0] = 0;
	if (!j || j->broken) {
		snprintf(msg, msgn, "the journal is not open (an earlier write failed)");
		goto out;
	}
	if (!action || !*action) {
		snprintf(msg, msgn, "a journal entry needs an action");
		goto out;
	}
	if (details && !cJSON_IsObject(details)) {
		snprintf(msg, msgn, "journal details must be a JSON object");
		goto out;
	}
	if (details && jent_secret(details, &j->where)) {
		snprintf(msg, msgn,
			 "refusing to journal '%s': %s is named like a secret, and secrets never "
			 "enter the journal",
			 action, j->where.s);
		goto out;
	}
	char hash[65];
	jent_line(&j->line, j->seq + 1, j->clock(), j->opjson, action, details, rb, j->last,
		  j->key, j->keylen, hash);
	if (write_all(j->fd, j->line.s, j->line.len) || fsync(j->fd)) {
		int e = errno;
		/* take back what may have reached the file; if that fails too, stop writing */
		if (ftruncate(j->fd, j->size) || fsync(j->fd))
			j->broken = 1;
		snprintf(msg, msgn, "cannot write %s: %s; the action was not recorded", j->path,
			 strerror(e));
		goto out;
	}
	j->seq++;
	j->size += (off_t)j->line.len;
	memcpy(j->last, hash, 65);
	/* best effort: a head that lags is allowed, and the next open rewrites it */
	(void)write_head(j, 0);
	rc = 0;
out:
	cJSON_Delete(details);
	return rc;
}

uint64_t journal_count(const journal *j)
{
	return j ? j->seq : 0;
}

void journal_close(journal **j)
{
	if (j && *j) {
		jfree(*j);
		*j = NULL;
	}
}

int journal_key_load(const char *path, unsigned char **key, size_t *keylen, char *msg,
		     size_t msgn)
{
	char *data = NULL;
	size_t len = 0;
	*key = NULL;
	*keylen = 0;
	if (read_file(path, &data, &len)) {
		snprintf(msg, msgn, "cannot read journal key %s: %s", path, strerror(errno));
		return -1;
	}
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len < 16) {
		OPENSSL_cleanse(data, len);
		free(data);
		snprintf(msg, msgn,
			 "journal key %s is too short (%zu bytes; use at least 16, e.g. "
			 "head -c 32 /dev/urandom > FILE)",
			 path, len);
		return -1;
	}
	*key = (unsigned char *)data;
	*keylen = len;
	return 0;
}
