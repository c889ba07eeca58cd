/* aws_creds_proc.c — credential_process: the command line split like a shell's (quotes,
 * backslashes, no expansion), run with fork/execvp without a shell, its stdout read as
 * JSON credentials (Version 1); a failure carries its exit status and stderr. */
#include "aws_int.h"
#include "esc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char **aws_split_cmdline(const char *s)
{
	size_t n = 0, cap = 8;
	char **v = xmalloc(cap * sizeof *v);
	sbuf w;
	sbuf_init(&w);
	int inword = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		sbuf_reset(&w);
		sbuf_adds(&w, "");
		inword = 1;
		while (*s && !(*s == ' ' || *s == '\t' || *s == '\n')) {
			if (*s == '\\' && s[1]) {
				sbuf_addc(&w, s[1]);
				s += 2;
			} else if (*s == '\'' || *s == '"') {
				char q = *s++;
				while (*s && *s != q) {
					if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					sbuf_addc(&w, *s++);
				}
				if (!*s)
					goto bad;
				s++;
			} else {
				sbuf_addc(&w, *s++);
			}
		}
		xgrow((void **)&v, &cap, n + 2, sizeof *v);
		v[n++] = sbuf_take(&w);
		inword = 0;
	}
	(void)inword;
	v[n] = NULL;
	sbuf_free(&w);
	return v;
bad:
	sbuf_free(&w);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return NULL;
}

/* Run argv, collecting stdout and stderr (each up to 1 MB). Exit status or -1. */
static int run_collect(char **argv, sbuf *out, sbuf *errout, int *err_no)
{
	int po[2], pe[2];
	if (pipe(po) != 0)
		return -1;
	if (pipe(pe) != 0) {
		close(po[0]), close(po[1]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(po[1], 1), dup2(pe[1], 2);
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		execvp(argv[0], argv);
		int e = errno;
		if (write(2, "\x01", 1) < 0 || write(2, &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(po[1]), close(pe[1]);
	struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	int open_n = 2;
	char buf[4096];
	while (open_n > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t k = read(fds[i].fd, buf, sizeof buf);
			if (k <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_n--;
				continue;
			}
			sbuf *b = i == 0 ? out : errout;
			if (b->len < (1u << 20))
				sbuf_add(b, buf, (size_t)k);
		}
	}
	OPENSSL_cleanse(buf, sizeof buf);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*err_no = 0;
	if (errout->len == 1 + sizeof(int) && errout->s[0] == '\x01') {
		memcpy(err_no, errout->s + 1, sizeof(int));
		sbuf_reset(errout);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int aws_creds_process(aws_client *c, const char *profile, const char *cmd, aws_creds *out,
		      sbuf *err)
{
	(void)c;
	char from[160];
	snprintf(from, sizeof from, "profile %s (credential_process)", profile);
	char **argv = aws_split_cmdline(cmd);
	if (!argv || !argv[0]) {
		sbuf_addf(err, "profile %s: credential_process is empty or has an unterminated "
			       "quote: fix it in the config file",
			  profile);
		if (argv)
			free(argv);
		return -1;
	}
	sbuf o, e;
	sbuf_init(&o), sbuf_init(&e);
	int eno = 0;
	int st = run_collect(argv, &o, &e, &eno);
	int rc = -1;
	if (st < 0) {
		sbuf_addf(err, "profile %s: credential_process could not be started: %s", profile,
			  strerror(errno));
	} else if (eno) {
		sbuf_addf(err, "profile %s: credential_process %s could not be run: %s", profile,
			  argv[0], strerror(eno));
	} else if (st != 0) {
		sbuf_addf(err, "profile %s: credential_process exited with status %d", profile, st);
		while (e.len && (e.s[e.len - 1] == '\n' || e.s[e.len - 1] == '\r'))
			e.s[--e.len] = '\0';
		if (e.len) {
			sbuf_adds(err, ": ");
			esc_term(err, e.s, e.len > 400 ? 400 : e.len);
		}
	} else {
		cJSON *j = o.s ? cJSON_ParseWithLength(o.s, o.len) : NULL;
		const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "Version");
		if (!cJSON_IsObject(j)) {
			sbuf_addf(err, "profile %s: credential_process did not print JSON: it must "
				       "print {\"Version\": 1, \"AccessKeyId\": ..., "
				       "\"SecretAccessKey\": ...}",
				  profile);
		} else if (!cJSON_IsNumber(ver) || ver->valuedouble != 1) {
			sbuf_addf(err, "profile %s: credential_process printed a Version other than "
				       "1",
				  profile);
		} else {
			rc = aws_creds_from_json(j, out, from, err);
		}
		aws_creds_json_free(j);
	}
	if (o.s)
		OPENSSL_cleanse(o.s, o.len);
	sbuf_free(&o), sbuf_free(&e);
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
	return rc;
}
