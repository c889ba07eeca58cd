/* sql_row.c — the columns events mode selects, and rebuilding a CloudTrail record from a
 * result row. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>

#include "sql.h"

enum ctype { CT_STR, CT_JSON, CT_BOOL, CT_TIME };

static const struct ecol {
	const char *path;   /* in the record */
	const char *alias;  /* the result column */
	enum ctype type;
} ecols[] = {
	{"eventVersion", "eventversion", CT_STR},
	{"eventTime", "eventtime", CT_TIME},
	{"eventSource", "eventsource", CT_STR},
	{"eventName", "eventname", CT_STR},
	{"awsRegion", "awsregion", CT_STR},
	{"sourceIPAddress", "sourceipaddress", CT_STR},
	{"userAgent", "useragent", CT_STR},
	{"errorCode", "errorcode", CT_STR},
	{"errorMessage", "errormessage", CT_STR},
	{"requestID", "requestid", CT_STR},
	{"eventID", "eventid", CT_STR},
	{"eventType", "eventtype", CT_STR},
	{"readOnly", "readonly", CT_BOOL},
	{"recipientAccountId", "recipientaccountid", CT_STR},
	{"sharedEventID", "sharedeventid", CT_STR},
	{"vpcEndpointId", "vpcendpointid", CT_STR},
	{"eventCategory", "eventcategory", CT_STR},
	{"sessionCredentialFromConsole", "sessioncredentialfromconsole", CT_STR},
	{"userIdentity.type", "ui_type", CT_STR},
	{"userIdentity.principalId", "ui_principalid", CT_STR},
	{"userIdentity.arn", "ui_arn", CT_STR},
	{"userIdentity.accountId", "ui_accountid", CT_STR},
	{"userIdentity.accessKeyId", "ui_accesskeyid", CT_STR},
	{"userIdentity.userName", "ui_username", CT_STR},
	{"userIdentity.invokedBy", "ui_invokedby", CT_STR},
	{"userIdentity.sessionContext.sessionIssuer.type", "si_type", CT_STR},
	{"userIdentity.sessionContext.sessionIssuer.arn", "si_arn", CT_STR},
	{"userIdentity.sessionContext.sessionIssuer.userName", "si_username", CT_STR},
	{"userIdentity.sessionContext.sessionIssuer.accountId", "si_accountid", CT_STR},
	{"userIdentity.sessionContext.sessionIssuer.principalId", "si_principalid", CT_STR},
	{"userIdentity.sessionContext.attributes.mfaAuthenticated", "sa_mfaauthenticated", CT_STR},
	{"userIdentity.sessionContext.attributes.creationDate", "sa_creationdate", CT_STR},
	{"requestParameters", "requestparameters", CT_JSON},
	{"responseElements", "responseelements", CT_JSON},
	{"additionalEventData", "additionaleventdata", CT_JSON},
	{"serviceEventDetails", "serviceeventdetails", CT_JSON},
	{"tlsDetails.tlsVersion", "tls_version", CT_STR},
	{"tlsDetails.cipherSuite", "tls_ciphersuite", CT_STR},
	{"tlsDetails.clientProvidedHostHeader", "tls_hostheader", CT_STR},
};
#define NECOLS ((int)(sizeof ecols / sizeof ecols[0]))

int sql_event_ncols(void)
{
	return NECOLS;
}

const char *sql_event_alias(int i)
{
	return i >= 0 && i < NECOLS ? ecols[i].alias : NULL;
}

const char *sql_event_path(int i)
{
	return i >= 0 && i < NECOLS ? ecols[i].path : NULL;
}

/* Set path (dotted) in obj to v, creating the objects on the way. */
static void set_path(cJSON *obj, const char *path, cJSON *v)
{
	const char *dot;
	while ((dot = strchr(path, '.'))) {
		char key[64];
		size_t n = (size_t)(dot - path);
		if (n >= sizeof key)
			n = sizeof key - 1;
		memcpy(key, path, n);
		key[n] = 0;
		cJSON *sub = cJSON_GetObjectItemCaseSensitive(obj, key);
		if (!cJSON_IsObject(sub)) {
			sub = cJSON_CreateObject();
			cJSON_AddItemToObject(obj, key, sub);
		}
		obj = sub;
		path = dot + 1;
	}
	cJSON_AddItemToObject(obj, path, v);
}

/* Lake renders a map<string,string> as {k=v, k2=v2}. Split at ", " outside brackets and at
 * the first '='; values that are valid JSON objects or arrays are parsed. Keys or values
 * holding ", " or "=" themselves cannot be told apart from the separators: the split is a
 * best effort, and NULL comes back when the text does not look like a map at all. */
static cJSON *lake_map(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || s[0] != '{' || s[n - 1] != '}')
		return NULL;
	cJSON *o = cJSON_CreateObject();
	size_t i = 1, end = n - 1;
	while (i < end) {
		size_t j = i;
		int depth = 0;
		while (j < end && !(depth == 0 && s[j] == ',' && j + 1 < end && s[j + 1] == ' ')) {
			if (s[j] == '{' || s[j] == '[')
				depth++;
			else if ((s[j] == '}' || s[j] == ']') && depth > 0)
				depth--;
			j++;
		}
		const char *eq = memchr(s + i, '=', j - i);
		if (!eq) {
			cJSON_Delete(o);
			return NULL;
		}
		char *k = strndup(s + i, (size_t)(eq - (s + i)));
		char *v = strndup(eq + 1, (size_t)(s + j - (eq + 1)));
		cJSON *jv = NULL;
		if (v[0] == '{' || v[0] == '[')
			jv = cJSON_Parse(v);
		cJSON_AddItemToObject(o, k, jv ? jv : cJSON_CreateString(v));
		free(k);
		free(v);
		i = j + 2;
	}
	return o;
}

/* 2026-11-20 02:13:07.000 -> 2026-11-20T02:13:07Z (milliseconds kept when not zero). */
static cJSON *lake_time(const char *s)
{
	char buf[48];
	size_t n = strlen(s);
	if (n < 19 || n > 40 || s[10] != ' ')
		return cJSON_CreateString(s);
	memcpy(buf, s, n);
	buf[n] = 0;
	buf[10] = 'T';
	char *z = buf + 19;
	if (*z == '.') {
		char *e = z + 1;
		while (isdigit((unsigned char)*e))
			e++;
		int allzero = 1;
		for (char *p = z + 1; p < e; p++)
			if (*p != '0')
				allzero = 0;
		if (!allzero)
			z = e;
		if (*e && *e != 'Z' && strcmp(e, " UTC") != 0)
			return cJSON_CreateString(s);
	}
	strcpy(z, "Z");
	return cJSON_CreateString(buf);
}

cJSON *sql_row_event(enum sql_dialect d, char *const *names, char *const *vals, int n)
{
	cJSON *ev = cJSON_CreateObject();
	for (int i = 0; i < n; i++) {
		if (!vals[i] || !names[i])
			continue;
		int k;
		for (k = 0; k < NECOLS; k++)
			if (strcasecmp(names[i], ecols[k].alias) == 0)
				break;
		if (k == NECOLS)
			continue;
		const char *v = vals[i];
		cJSON *j = NULL;
		switch (ecols[k].type) {
		case CT_STR:
			j = cJSON_CreateString(v);
			break;
		case CT_BOOL:
			if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0)
				j = cJSON_CreateBool(strcasecmp(v, "true") == 0);
			else
				j = cJSON_CreateString(v);
			break;
		case CT_TIME:
			j = d == SQL_LAKE ? lake_time(v) : cJSON_CreateString(v);
			break;
		case CT_JSON:
			j = cJSON_Parse(v);
			if (j && !cJSON_IsObject(j) && !cJSON_IsArray(j)) {
				cJSON_Delete(j);
				j = NULL;
			}
			if (!j && d == SQL_LAKE)
				j = lake_map(v);
			if (!j)
				j = cJSON_CreateString(v);
			break;
		}
		set_path(ev, ecols[k].path, j);
	}
	return ev;
}
