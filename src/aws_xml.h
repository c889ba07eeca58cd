/* aws_xml.h — just enough XML for S3 and STS answers (ListBucketResult, Error,
 * AssumeRoleResponse): find elements by local name and decode their text. Not a general
 * XML parser: no DTDs, no validation; malformed input yields "not found", never a crash. */
#ifndef TG_AWS_XML_H
#define TG_AWS_XML_H

#include <stddef.h>
#include "util.h"

/* Find the next element whose local name (prefix ignored) is `name`, starting at *pos in
 * xml[0..n). On success *inner and *inner_len give its raw content (between the start and end
 * tags; empty for <x/>), *pos moves past its end tag, and 1 is returned; 0 when there is
 * none. Elements nested inside a matched one are skipped as part of its content. */
int awsxml_next(const char *xml, size_t n, size_t *pos, const char *name,
		const char **inner, size_t *inner_len);

/* The decoded text (entities &amp; &lt; &gt; &quot; &apos; &#N; &#xN; and CDATA) of the
 * first element `name` anywhere in xml[0..n), appended to out. 1 found, 0 not. */
int awsxml_get(const char *xml, size_t n, const char *name, sbuf *out);

/* Decode entities and CDATA of raw element content into out. */
void awsxml_decode(const char *s, size_t n, sbuf *out);

#endif
