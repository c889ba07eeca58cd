/* gen_record.c - serialise one CloudTrail record and its userIdentity. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

const char *const ACCT_ID[NACCT] = {"111122223333", "444455556666", "777788889999"};
const char *const ACCT_ALIAS[NACCT] = {"acme-prod", "acme-staging", "acme-security"};
const char *const ACCT_ENV[NACCT] = {"prod", "staging", "security"};
const char *const REGION[NREG] = {"us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"};

static uint64_t strhash(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ULL;
    h = (h ^ '/') * 1099511628211ULL;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ULL;
    return mix64(h);
}

void role_id(const char *acct_id, const char *role, char out[24])
{
    memcpy(out, "AROA", 4);
    mk_b32(strhash(acct_id, role), 17, out + 4);
}

void user_id(const char *acct_id, const char *user, char out[24])
{
    memcpy(out, "AIDA", 4);
    mk_b32(strhash(acct_id, user) ^ 0x5555, 17, out + 4);
}

void user_key(const char *acct_id, const char *user, char out[24])
{
    mk_key("AKIA", strhash(acct_id, user) ^ 0xacce55, out);
}

void id_user(ident_t *id, int acct, const char *user, const char *key)
{
    memset(id, 0, sizeof *id);
    id->type = "IAMUser";
    user_id(ACCT_ID[acct], user, id->principal_id);
    snprintf(id->arn, sizeof id->arn, "arn:aws:iam::%s:user/%s", ACCT_ID[acct], user);
    snprintf(id->account, sizeof id->account, "%s", ACCT_ID[acct]);
    if (key)
        snprintf(id->key, sizeof id->key, "%s", key);
    else
        user_key(ACCT_ID[acct], user, id->key);
    snprintf(id->user, sizeof id->user, "%s", user);
}

void id_role(ident_t *id, const char *acct_id, const char *role_path, const char *role,
             const char *session, const char *key, int64_t created, const char *mfa)
{
    char rid[24];
    memset(id, 0, sizeof *id);
    id->type = "AssumedRole";
    role_id(acct_id, role, rid);
    snprintf(id->principal_id, sizeof id->principal_id, "%s:%s", rid, session);
    snprintf(id->arn, sizeof id->arn, "arn:aws:sts::%s:assumed-role/%s/%s", acct_id, role, session);
    snprintf(id->account, sizeof id->account, "%s", acct_id);
    snprintf(id->key, sizeof id->key, "%s", key);
    id->session = 1;
    snprintf(id->iss_type, sizeof id->iss_type, "Role");
    snprintf(id->iss_pid, sizeof id->iss_pid, "%s", rid);
    snprintf(id->iss_arn, sizeof id->iss_arn, "arn:aws:iam::%s:role%s%s", acct_id,
             role_path ? role_path : "/", role);
    snprintf(id->iss_acct, sizeof id->iss_acct, "%s", acct_id);
    snprintf(id->iss_name, sizeof id->iss_name, "%s", role);
    iso(created, id->created);
    id->mfa = mfa ? mfa : "false";
}

void id_root(ident_t *id, int acct)
{
    memset(id, 0, sizeof *id);
    id->type = "Root";
    snprintf(id->principal_id, sizeof id->principal_id, "%s", ACCT_ID[acct]);
    snprintf(id->arn, sizeof id->arn, "arn:aws:iam::%s:root", ACCT_ID[acct]);
    snprintf(id->account, sizeof id->account, "%s", ACCT_ID[acct]);
}

static void write_ident(buf_t *b, const ident_t *id)
{
    bs(b, "{");
    bkv(b, "type", id->type);
    if (id->principal_id[0]) {
        bc(b, ',');
        bkv(b, "principalId", id->principal_id);
    }
    if (id->arn[0]) {
        bc(b, ',');
        bkv(b, "arn", id->arn);
    }
    if (id->account[0]) {
        bc(b, ',');
        bkv(b, "accountId", id->account);
    }
    if (id->key[0] || id->key_blank) {
        bc(b, ',');
        bkv(b, "accessKeyId", id->key);
    }
    if (id->user[0]) {
        bc(b, ',');
        bkv(b, "userName", id->user);
    }
    if (id->idp[0]) {
        bc(b, ',');
        bkv(b, "identityProvider", id->idp);
    }
    if (id->session) {
        bs(b, ",\"sessionContext\":{\"sessionIssuer\":{");
        if (id->iss_type[0]) {
            bkv(b, "type", id->iss_type);
            bc(b, ',');
            bkv(b, "principalId", id->iss_pid);
            bc(b, ',');
            bkv(b, "arn", id->iss_arn);
            bc(b, ',');
            bkv(b, "accountId", id->iss_acct);
            bc(b, ',');
            bkv(b, "userName", id->iss_name);
        }
        bs(b, "},\"webIdFederationData\":{},\"attributes\":{");
        bkv(b, "creationDate", id->created);
        bc(b, ',');
        bkv(b, "mfaAuthenticated", id->mfa ? id->mfa : "false");
        bc(b, '}');
        if (id->ec2_delivery) {
            bc(b, ',');
            bkv(b, "ec2RoleDelivery", id->ec2_delivery);
        }
        bc(b, '}');
    }
    if (id->invoked_by) {
        bc(b, ',');
        bkv(b, "invokedBy", id->invoked_by);
    }
    bc(b, '}');
}

void write_record(buf_t *b, const rec_t *r)
{
    char ts[24];
    iso(r->t, ts);
    bs(b, "{\"eventVersion\":\"");
    bs(b, r->data ? "1.10" : "1.11");
    bs(b, "\",\"userIdentity\":");
    write_ident(b, r->id);
    bs(b, ",\"eventTime\":\"");
    bs(b, ts);
    bs(b, "\",");
    bkv(b, "eventSource", r->source);
    bc(b, ',');
    bkv(b, "eventName", r->name);
    bc(b, ',');
    bkv(b, "awsRegion", r->region);
    bc(b, ',');
    bkv(b, "sourceIPAddress", r->ip);
    if (r->ua) {
        bc(b, ',');
        bkv(b, "userAgent", r->ua);
    }
    if (r->err_code) {
        bc(b, ',');
        bkv(b, "errorCode", r->err_code);
    }
    if (r->err_msg) {
        bc(b, ',');
        bkv(b, "errorMessage", r->err_msg);
    }
    bs(b, ",\"requestParameters\":");
    bs(b, r->req ? r->req : "null");
    bs(b, ",\"responseElements\":");
    bs(b, r->resp && !r->err_code ? r->resp : "null");
    if (r->addl) {
        bs(b, ",\"additionalEventData\":");
        bs(b, r->addl);
    }
    if (r->request_id) {
        bc(b, ',');
        bkv(b, "requestID", r->request_id);
    }
    bc(b, ',');
    bkv(b, "eventID", r->event_id);
    if (r->readonly >= 0)
        bs(b, r->readonly ? ",\"readOnly\":true" : ",\"readOnly\":false");
    if (r->resources) {
        bs(b, ",\"resources\":");
        bs(b, r->resources);
    }
    bc(b, ',');
    bkv(b, "eventType", r->event_type ? r->event_type : "AwsApiCall");
    bs(b, r->data ? ",\"managementEvent\":false" : ",\"managementEvent\":true");
    bc(b, ',');
    bkv(b, "recipientAccountId", r->recipient);
    if (r->shared_id) {
        bc(b, ',');
        bkv(b, "sharedEventID", r->shared_id);
    }
    if (r->vpce) {
        bc(b, ',');
        bkv(b, "vpcEndpointId", r->vpce);
        bc(b, ',');
        bkv(b, "vpcEndpointAccountId", r->recipient);
    }
    bc(b, ',');
    bkv(b, "eventCategory", r->data ? "Data" : "Management");
    if (r->tls_host) {
        bs(b, ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",");
        bkv(b, "clientProvidedHostHeader", r->tls_host);
        bc(b, '}');
    }
    if (r->from_console)
        bs(b, ",\"sessionCredentialFromConsole\":\"true\"");
    bc(b, '}');
}
