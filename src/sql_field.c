/* sql_field.c — quoting, and fields as SQL expressions: aliases, the derived principal and
 * account columns, struct paths, JSON-string columns (Athena) and maps (Lake). */
#include <ctype.h>
#include <string.h>

#include "query.h"
#include "sql_int.h"

void sql_info_init(sql_info *in)
{
	in->conjuncts = in->widened = 0;
	sbuf_init(&in->local);
}

void sql_info_free(sql_info *in)
{
	sbuf_free(&in->local);
}

/* Valid UTF-8 without control bytes: the only text that goes into a literal. */
int sql_text_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		int k = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
		if (k < 0 || i + (size_t)k >= n)
			return 0;
		for (int j = 1; j <= k; j++)
			if (((unsigned char)s[i + (size_t)j] & 0xc0) != 0x80)
				return 0;
		i += (size_t)k + 1;
	}
	return 1;
}

int sql_quote(sbuf *out, const char *s, size_t n)
{
	if (!sql_text_ok(s, n))
		return -1;
	sbuf_addc(out, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			sbuf_addc(out, '\'');
		sbuf_addc(out, s[i]);
	}
	sbuf_addc(out, '\'');
	return 0;
}

int sql_quote_ident(sbuf *out, const char *s)
{
	size_t n = strlen(s);
	if (!n || !sql_text_ok(s, n))
		return -1;
	sbuf_addc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			sbuf_addc(out, '"');
		sbuf_addc(out, s[i]);
	}
	sbuf_addc(out, '"');
	return 0;
}


static const char *const top_cols[] = {
	"eventVersion", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent",
	"errorCode", "errorMessage", "requestID", "eventID", "eventType", "apiVersion",
	"readOnly", "recipientAccountId", "sharedEventID", "vpcEndpointId",
	"vpcEndpointAccountId", "eventCategory", "sessionCredentialFromConsole", NULL,
};
static const char *const fixed_cols[] = {
	"eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
	"eventID", "readOnly", "userIdentity.type", "userIdentity.accessKeyId",
	"userIdentity.sessionContext.sessionIssuer.arn", NULL,
};
static const char *const struct_cols[] = {
	"userIdentity.type", "userIdentity.principalId", "userIdentity.arn",
	"userIdentity.accountId", "userIdentity.invokedBy", "userIdentity.accessKeyId",
	"userIdentity.userName", "userIdentity.onBehalfOf.userId",
	"userIdentity.onBehalfOf.identityStoreArn",
	"userIdentity.sessionContext.attributes.mfaAuthenticated",
	"userIdentity.sessionContext.attributes.creationDate",
	"userIdentity.sessionContext.sessionIssuer.type",
	"userIdentity.sessionContext.sessionIssuer.principalId",
	"userIdentity.sessionContext.sessionIssuer.arn",
	"userIdentity.sessionContext.sessionIssuer.accountId",
	"userIdentity.sessionContext.sessionIssuer.userName",
	"userIdentity.sessionContext.ec2RoleDelivery",
	"userIdentity.sessionContext.webIdFederationData.federatedProvider",
	"tlsDetails.tlsVersion", "tlsDetails.cipherSuite", "tlsDetails.clientProvidedHostHeader",
	NULL,
};
static const char *const json_cols[] = {
	"requestParameters", "responseElements", "additionalEventData", "serviceEventDetails",
	NULL,
};

static int in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

/* A column name in the dialect's spelling: Athena lower case, Lake as in the record. */
static void col_name(sbuf *out, const char *path, enum sql_dialect d)
{
	for (const char *p = path; *p; p++)
		sbuf_addc(out, d == SQL_ATHENA ? (char)tolower((unsigned char)*p) : *p);
}

static void fixed_wrap(sbuf *out, const char *path, enum sql_dialect d)
{
	sbuf_adds(out, "NULLIF(");
	col_name(out, path, d);
	sbuf_adds(out, ", '')");
}

static int seg_ok(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

/* Resolve a field into f. 0, or -1 when the table has no such column. */
int sql_field_resolve(const char *field, enum sql_dialect d, fexpr *f)
{
	memset(f, 0, sizeof *f);
	sbuf_init(&f->x);
	sbuf_init(&f->jcol);
	sbuf_init(&f->jpath);
	sbuf_init(&f->bare);
	const char *path = query_alias(field);
	if (!path)
		path = field;
	f->kind = FK_PLAIN;
	if (qv_field_is_time(field)) {
		col_name(&f->x, "eventTime", d);
		return 0;
	}
	if (strcmp(path, "principal") == 0) {
		/* as ingest derives it: arn, else invokedBy for AWSService, invokedBy then
		 * principalId without a type, principalId otherwise, else accountId; "" counts
		 * as absent */
		const char *ui = d == SQL_ATHENA ? "useridentity" : "userIdentity";
		const char *inv = d == SQL_ATHENA ? "invokedby" : "invokedBy";
		const char *pid = d == SQL_ATHENA ? "principalid" : "principalId";
		sbuf_addf(&f->x, "COALESCE(NULLIF(%s.arn, ''), CASE WHEN %s.type = 'AWSService' "
			  "THEN NULLIF(%s.%s, '') WHEN COALESCE(%s.type, '') = '' THEN "
			  "COALESCE(NULLIF(%s.%s, ''), NULLIF(%s.%s, '')) ELSE NULLIF(%s.%s, '') END, "
			  "NULLIF(%s.%s, ''))",
			  ui, ui, ui, inv, ui, ui, inv, ui, pid, ui, pid, ui,
			  d == SQL_ATHENA ? "accountid" : "accountId");
		return 0;
	}
	if (strcmp(path, "recipientAccountId") == 0) {
		sbuf_adds(&f->x, "COALESCE(");
		fixed_wrap(&f->x, "recipientAccountId", d);
		sbuf_adds(&f->x, ", ");
		fixed_wrap(&f->x, "userIdentity.accountId", d);
		sbuf_adds(&f->x, ")");
		return 0;
	}
	if (strcmp(path, "readOnly") == 0) {
		if (d == SQL_LAKE)
			sbuf_adds(&f->x, "CAST(readOnly AS varchar)");
		else {
			sbuf_adds(&f->x, "NULLIF(readonly, '')");
			sbuf_adds(&f->bare, "readonly");
			f->kind = FK_FIXED;
		}
		return 0;
	}
	if (in_list(fixed_cols, path)) {
		fixed_wrap(&f->x, path, d);
		col_name(&f->bare, path, d);
		f->kind = FK_FIXED;
		return 0;
	}
	if (in_list(top_cols, path) || in_list(struct_cols, path)) {
		col_name(&f->x, path, d);
		return 0;
	}
	for (const char *const *j = json_cols; *j; j++) {
		size_t jl = strlen(*j);
		if (strncmp(path, *j, jl) != 0 || (path[jl] && path[jl] != '.'))
			continue;
		if (!path[jl]) {
			if (d == SQL_LAKE)
				f->kind = FK_MAP;
			col_name(&f->x, *j, d);
			return 0;
		}
		const char *rest = path + jl + 1;
		if (d == SQL_LAKE) { /* map<string,string>: one level only */
			if (strchr(rest, '.') || !seg_ok(rest, strlen(rest)))
				return -1;
			sbuf_addf(&f->x, "element_at(%s, '%s')", *j, rest);
			return 0;
		}
		sbuf_adds(&f->jpath, "$");
		for (const char *s = rest; *s;) {
			const char *e = strchr(s, '.');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			if (!seg_ok(s, n))
				return -1;
			size_t k = 0;
			while (k < n && isdigit((unsigned char)s[k]))
				k++;
			if (k == n)
				sbuf_addf(&f->jpath, "[%.*s]", (int)n, s);
			else if (isdigit((unsigned char)s[0]))
				sbuf_addf(&f->jpath, "[\"%.*s\"]", (int)n, s);
			else
				sbuf_addf(&f->jpath, ".%.*s", (int)n, s);
			s += n + (e ? 1 : 0);
			if (e && !*s)
				return -1;
		}
		f->kind = FK_JSON;
		col_name(&f->jcol, *j, d);
		sbuf_addf(&f->x, "json_extract_scalar(%s, '%s')", f->jcol.s, f->jpath.s);
		return 0;
	}
	return -1;
}

void sql_fexpr_free(fexpr *f)
{
	sbuf_free(&f->x);
	sbuf_free(&f->jcol);
	sbuf_free(&f->jpath);
	sbuf_free(&f->bare);
}

int sql_field(const char *field, enum sql_dialect d, sbuf *out)
{
	fexpr f;
	int rc = sql_field_resolve(field, d, &f);
	if (rc == 0 && f.kind != FK_MAP)
		sbuf_add(out, f.x.s, f.x.len);
	else
		rc = -1;
	sql_fexpr_free(&f);
	return rc;
}
