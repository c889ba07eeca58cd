/* sigv4_tool.c — sign request descriptions with our SigV4 signer (a check program for
 * tests/sigv4_botocore.sh, which compares it with botocore).
 *
 *   sigv4_tool [--creq|--sts|--sig] [--s3] --key AKID --secret SECRET [--token TOKEN]
 *              --region R --service S --date YYYYMMDDTHHMMSSZ FILE...
 *
 * Each FILE (or - for stdin) is a .req-style request: "METHOD PATH[?QUERY] HTTP/1.1",
 * "Name: value" header lines (a line starting with whitespace continues the previous
 * one), a blank line, the body. The tool adds X-Amz-Date, X-Amz-Security-Token (with
 * --token) and, with --s3, X-Amz-Content-SHA256 (the body's hash) unless present, then
 * prints one line per file: the Authorization value (default), or the canonical request /
 * string to sign (newlines shown as \n), or the signature. Test keys only: this prints
 * what the product never prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_sigv4.h"

#define MAXH 64

static int has_hdr(const sigv4_header *h, size_t nh, const char *name)
{
	for (size_t i = 0; i < nh; i++)
		if (!strcasecmp(h[i].name, name))
			return 1;
	return 0;
}

static void print_escaped(const char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	putchar('\n');
}

static int sign_file(const char *path, char **opt, int mode, int s3)
{
	char *buf = NULL;
	size_t n = 0;
	if (read_file(!strcmp(path, "-") ? "/dev/stdin" : path, &buf, &n) < 0) {
		fprintf(stderr, "sigv4_tool: %s: cannot read\n", path);
		return -1;
	}
	char *s = buf, *end = buf + n, *eol = memchr(s, '\n', n);
	if (!eol)
		eol = end;
	*eol = 0;
	char *sp = strchr(s, ' '), *ver = strstr(s, " HTTP/");
	if (!sp || !ver || ver < sp) {
		fprintf(stderr, "sigv4_tool: %s: first line is not 'METHOD TARGET HTTP/1.1'\n", path);
		free(buf);
		return -1;
	}
	*sp = *ver = 0;
	char *target = sp + 1, *q = strchr(target, '?');
	if (q)
		*q++ = 0;
	sigv4_header h[MAXH + 3];
	size_t nh = 0;
	const char *body = "";
	size_t blen = 0;
	for (s = eol < end ? eol + 1 : end; s < end;) {
		eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		*eol = 0;
		if (eol > s && eol[-1] == '\r')
			eol[-1] = 0;
		if (!*s) {
			body = eol < end ? eol + 1 : end;
			blen = (size_t)(end - body);
			break;
		}
		if ((*s == ' ' || *s == '\t') && nh) {
			s[-1] = ' '; /* join with the previous line */
		} else {
			char *c = strchr(s, ':');
			if (!c || nh == MAXH) {
				fprintf(stderr, "sigv4_tool: %s: bad header line\n", path);
				free(buf);
				return -1;
			}
			*c = 0;
			h[nh].name = s;
			h[nh++].value = c + 1;
		}
		s = eol < end ? eol + 1 : end;
	}
	char hash[65];
	sigv4_sha256_hex(body, blen, hash);
	if (!has_hdr(h, nh, "x-amz-date"))
		h[nh++] = (sigv4_header){"X-Amz-Date", opt[4]};
	if (opt[2] && !has_hdr(h, nh, "x-amz-security-token"))
		h[nh++] = (sigv4_header){"X-Amz-Security-Token", opt[2]};
	if (s3 && !has_hdr(h, nh, "x-amz-content-sha256"))
		h[nh++] = (sigv4_header){"X-Amz-Content-SHA256", hash};
	const char *ph = NULL;
	for (size_t i = 0; i < nh; i++)
		if (!strcasecmp(h[i].name, "x-amz-content-sha256"))
			ph = h[i].value;
	sigv4_req r = {.method = buf, .path = target, .query = q, .hdrs = h, .nhdrs = nh,
		       .body = body, .body_len = blen, .payload_hash = ph, .region = opt[3],
		       .service = opt[5], .amz_date = opt[4], .s3 = s3};
	sigv4_out o;
	sigv4_out_init(&o);
	int rc = sigv4_sign(&r, opt[0], opt[1], &o);
	if (rc < 0)
		fprintf(stderr, "sigv4_tool: %s: malformed request\n", path);
	print_escaped(mode == 1 ? o.creq.s : mode == 2 ? o.sts.s : mode == 3 ? o.signature : o.authz.s);
	sigv4_out_free(&o);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *names[] = {"--key", "--secret", "--token", "--region", "--date", "--service"};
	char *opt[6] = {0};
	int mode = 0, s3 = 0, i, rc = 0;
	for (i = 1; i < argc; i++) {
		int k, found = 0;
		if (!strcmp(argv[i], "--creq") || !strcmp(argv[i], "--sts") || !strcmp(argv[i], "--sig")) {
			mode = argv[i][3] == 'r' ? 1 : argv[i][3] == 't' ? 2 : 3;
			continue;
		}
		if (!strcmp(argv[i], "--s3")) {
			s3 = 1;
			continue;
		}
		for (k = 0; k < 6; k++)
			if (!strcmp(argv[i], names[k]) && i + 1 < argc) {
				opt[k] = argv[++i];
				found = 1;
			}
		if (!found)
			break;
	}
	if (!opt[0] || !opt[1] || !opt[3] || !opt[4] || !opt[5] || i >= argc) {
		fprintf(stderr, "usage: sigv4_tool [--creq|--sts|--sig] [--s3] --key AKID --secret "
				"SECRET [--token T] --region R --service S --date YYYYMMDDTHHMMSSZ FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		if (sign_file(argv[i], opt, mode, s3) < 0)
			rc = 1;
	return rc;
}
