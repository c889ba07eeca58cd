/* aws_ini.h — the AWS shared config and credentials files (INI with nested values).
 *
 *   [profile audit]            sections as written ("default", "profile audit",
 *   role_arn = arn:...          "sso-session corp", "services local")
 *   s3 =                        a key with an empty value followed by indented
 *     endpoint_url = http://..  "sub = value" lines holds nested values
 *
 * Comments start with # or ; at the start of a line (or after whitespace in a value).
 * Section names are trimmed and inner whitespace collapsed; `[profile "my name"]` loses
 * its quotes. Keys are case-sensitive, as in botocore. */
#ifndef TG_AWS_INI_H
#define TG_AWS_INI_H

#include <stddef.h>
#include <stdio.h>

typedef struct aws_ini aws_ini;

/* Parse text. Lines that are not sections, keys or nested values are reported to warn
 * (when not NULL) as "FNAME:LINE: reason" and skipped. Never NULL. */
aws_ini *aws_ini_parse(const char *text, size_t n, const char *fname, FILE *warn);

/* Read and parse a file; NULL when it does not exist or cannot be read (errno set). */
aws_ini *aws_ini_load(const char *path, FILE *warn);

void aws_ini_free(aws_ini **ini);

/* 1 if the section exists. */
int aws_ini_has(const aws_ini *ini, const char *section);

/* The value of key in section, or NULL. A key given twice: the last one wins. */
const char *aws_ini_get(const aws_ini *ini, const char *section, const char *key);

/* A nested value: `key =` followed by indented `sub = value` lines. NULL if absent. */
const char *aws_ini_get_sub(const aws_ini *ini, const char *section, const char *key,
			    const char *sub);

#endif
