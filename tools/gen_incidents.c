/* gen_incidents.c - the planted incidents, their benign lookalikes, and the truth document.
 *
 * All times are relative to the end of the window (E): "day 1" is the last day
 * (E-24h .. E), "day 2" the one before. Every planted record is kept with its incident
 * number and whether it is the incident itself or a lookalike that a careful rule must
 * not flag; write_truth() turns that into the Markdown ground truth. */
#include "gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static incidents_t *g;
static rng_t R;
static int64_t E;
static int cur_inc, cur_look;

/* values the truth document and the runbooks need */
inc_keys_t KEYS;

/* optional fields for the next record */
static const char *n_res, *n_addl, *n_shared, *n_tls;
static int n_data, n_ro = -2;

static int64_t at(int day, int h, int m, int s) { return E - (int64_t)day * 86400 + h * 3600 + m * 60 + s; }

/* a few rotating scratch buffers for JSON fragments */
static const char *J(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *J(const char *fmt, ...)
{
    static char bufs[16][2048];
    static int k;
    char *b = bufs[k++ & 15];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, 2048, fmt, ap);
    va_end(ap);
    return b;
}

static int region_index(const char *r)
{
    for (int i = 0; i < NREG; i++)
        if (!strcmp(REGION[i], r))
            return i;
    return 0;
}

static void principal_of(const ident_t *id, char *out, size_t n)
{
    if (!strcmp(id->type, "AWSAccount"))
        snprintf(out, n, "AWSAccount %s (%s)", id->account, id->principal_id);
    else if (!strcmp(id->type, "AWSService"))
        snprintf(out, n, "AWSService %s", id->invoked_by);
    else if (id->arn[0])
        snprintf(out, n, "%s", id->arn);
    else
        snprintf(out, n, "%s %s", id->type, id->user);
}

/* plant one record */
static void put(int acct, const char *region, int64_t t, const ident_t *id, const char *ip, const char *ua,
                const char *source, const char *name, const char *req, const char *resp, const char *ecode,
                const char *emsg, const char *note)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 256;
        g->ev = realloc(g->ev, g->cap * sizeof *g->ev);
        if (!g->ev)
            exit(2);
    }
    inc_ev_t *e = &g->ev[g->n++];
    memset(e, 0, sizeof *e);
    char rid[37], host[160];
    mk_uuid(&R, e->event_id);
    mk_uuid(&R, rid);
    rec_t r;
    memset(&r, 0, sizeof r);
    r.t = t;
    r.id = id;
    r.source = source;
    r.name = name;
    r.region = region;
    r.ip = ip;
    r.ua = ua;
    r.req = req;
    r.resp = resp;
    r.err_code = ecode;
    r.err_msg = emsg;
    r.resources = n_res;
    r.addl = n_addl;
    r.shared_id = n_shared;
    r.data = n_data;
    r.event_id = e->event_id;
    r.recipient = ACCT_ID[acct];
    r.request_id = strcmp(source, "signin.amazonaws.com") ? rid : NULL;
    r.readonly = n_ro != -2 ? n_ro
                            : !strncmp(name, "List", 4) || !strncmp(name, "Get", 3) || !strncmp(name, "Describe", 8) ||
                                  !strcmp(name, "AssumeRole") || !strcmp(name, "Decrypt");
    if (!strcmp(source, "signin.amazonaws.com"))
        r.event_type = "AwsConsoleSignIn";
    if (n_tls)
        r.tls_host = n_tls;
    else if (strcmp(id->type, "AWSService") && strcmp(ip, "AWS Internal")) {
        size_t k = strcspn(source, ".");
        if (!strcmp(source, "iam.amazonaws.com") || !strcmp(source, "cloudtrail.amazonaws.com") ||
            !strcmp(source, "s3.amazonaws.com"))
            snprintf(host, sizeof host, "%.*s%s%s.amazonaws.com", (int)k, source, strcmp(region, "us-east-1") ? "." : "",
                     strcmp(region, "us-east-1") ? region : "");
        else if (!strcmp(source, "sts.amazonaws.com") && !strcmp(region, "us-east-1"))
            snprintf(host, sizeof host, "sts.amazonaws.com");
        else if (!strcmp(source, "signin.amazonaws.com"))
            snprintf(host, sizeof host, "signin.aws.amazon.com");
        else
            snprintf(host, sizeof host, "%.*s.%s.amazonaws.com", (int)k, source, region);
        if (!strcmp(source, "iam.amazonaws.com"))
            snprintf(host, sizeof host, "iam.amazonaws.com");
        r.tls_host = host;
    }
    buf_t b = {0};
    write_record(&b, &r);
    e->json = b.p;
    e->t = t;
    e->stream = acct * NREG + region_index(region);
    e->incident = cur_inc;
    e->lookalike = cur_look;
    snprintf(e->name, sizeof e->name, "%s", name);
    principal_of(id, e->principal, sizeof e->principal);
    snprintf(e->note, sizeof e->note, "%s", note ? note : "");
    n_res = n_addl = n_shared = n_tls = NULL;
    n_data = 0;
    n_ro = -2;
}

static void iam(int64_t t, const ident_t *id, const char *ip, const char *ua, const char *name, const char *req,
                const char *resp, const char *ecode, const char *emsg, const char *note)
{
    put(0, "us-east-1", t, id, ip, ua, "iam.amazonaws.com", name, req, resp, ecode, emsg, note);
}

static const char *iam_date(int64_t t)
{
    static const char *const MON[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static char out[4][40];
    static int k;
    char *o = out[k++ & 3];
    int y, mo, d, h, mi, s;
    civil(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(o, 40, "%s %d, %d %d:%02d:%02d %s", MON[(mo + 11) % 12], d % 100, y % 10000, h % 12 ? h % 12 : 12, mi,
             s, h < 12 ? "AM" : "PM");
    return o;
}

static const char *user_resp(const char *path, const char *user, int64_t t)
{
    char uid[24];
    user_id(PROD, user, uid);
    return J("{\"user\":{\"path\":\"%s\",\"userName\":\"%s\",\"userId\":\"%s\",\"arn\":\"arn:aws:iam::" PROD
             ":user%s%s\",\"createDate\":\"%s\"}}",
             path, user, uid, path, user, iam_date(t));
}

static const char *key_resp(const char *user, const char *key, int64_t t)
{
    return J("{\"accessKey\":{\"userName\":\"%s\",\"accessKeyId\":\"%s\",\"status\":\"Active\",\"createDate\":\"%s\"}}",
             user, key, iam_date(t));
}

static const char *denied(const ident_t *id, const char *action, const char *resource)
{
    return J("User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s "
             "action",
             id->arn, action, resource, action);
}

static void login(int64_t t, const ident_t *id, const char *ip, const char *ua, int ok, const char *mfa,
                  const char *note)
{
    char mfa_dev[320] = "";
    if (ok && !strcmp(mfa, "Yes"))
        snprintf(mfa_dev, sizeof mfa_dev, ",\"MFAIdentifier\":\"arn:aws:iam::%s:mfa/%s\"", id->account,
                 strcmp(id->type, "Root") ? id->user : "root-account-mfa-device");
    n_addl = J("{\"LoginTo\":\"https://console.aws.amazon.com/console/home?hashArgs=%%23&isauthcode=true\","
               "\"MobileVersion\":\"No\"%s,\"MFAUsed\":\"%s\"}",
               mfa_dev, mfa);
    n_ro = 0;
    put(0, "us-east-1", t, id, ip, ua, "signin.amazonaws.com", "ConsoleLogin", NULL,
        ok ? "{\"ConsoleLogin\":\"Success\"}" : "{\"ConsoleLogin\":\"Failure\"}", NULL,
        ok ? NULL : "Failed authentication", note);
}

static void role_session(ident_t *id, int acct, const char *path, const char *role, const char *session,
                         int64_t created)
{
    char key[24];
    mk_key("ASIA", rng_next(&R), key);
    id_role(id, ACCT_ID[acct], path, role, session, key, created, "false");
}

static void mk_rid(const char *pre, int n, char *out)
{
    size_t k = strlen(pre);
    memcpy(out, pre, k);
    mk_hex(rng_next(&R), n, out + k);
}

/* ---- the incidents -------------------------------------------------------------- */
void plant_incidents(incidents_t *inc, int64_t start, int64_t end, uint64_t seed)
{
    g = inc;
    E = end;
    rng_seed(&R, hash3(seed, 0x1AC1DE47, 0));
    ident_t mallory, tf, tf2, li, raj, secen, bb, oldc, carol, priya, etl, ext, padmin, chain, root, app, rw, gha,
        backup, alice, bob, hidden;
    id_user(&mallory, 0, "dev-mallory", NULL);
    snprintf(K_MALLORY, sizeof K_MALLORY, "%s", mallory.key);
    id_user(&bb, 0, "build-bot", NULL);
    snprintf(K_BUILD, sizeof K_BUILD, "%s", bb.key);
    id_user(&oldc, 0, "old-contractor", NULL);
    snprintf(K_OLD, sizeof K_OLD, "%s", oldc.key);
    id_user(&carol, 0, "carol.ops", NULL);
    id_user(&priya, 0, "priya.sharma", NULL);
    snprintf(K_PRIYA, sizeof K_PRIYA, "%s", priya.key);
    id_user(&backup, 0, "backup-admin", NULL);
    id_user(&alice, 0, "alice.nguyen", NULL);
    id_user(&bob, 0, "bob.martin", NULL);
    id_root(&root, 0);
    root.key_blank = 1;
    mk_key("AKIA", rng_next(&R), K_BUILD2);
    mk_key("AKIA", rng_next(&R), K_ORPHAN);
    mk_key("AKIA", rng_next(&R), K_ETL2);
    mk_key("AKIA", rng_next(&R), K_BACKUP2);
    mk_key("AKIA", rng_next(&R), K_TFCLEAN);
    mk_key("AKIA", rng_next(&R), K_TFPAY);
    mk_key("ASIA", rng_next(&R), K_CHAIN);
    mk_key("ASIA", rng_next(&R), K_EXT);
    mk_rid("i-0", 16, INST_REPORTING);
    mk_rid("snap-0", 16, SNAP_ID);
    mk_rid("ami-0", 16, AMI_ID);
    {
        char hx[40];
        mk_hex(rng_next(&R), 32, hx);
        snprintf(KMS_KEY, sizeof KMS_KEY, "%.8s-%.4s-4%.3s-b%.3s-%.12s", hx, hx + 8, hx + 12, hx + 15, hx + 18);
    }
    char tfsess[40];
    snprintf(tfsess, sizeof tfsess, "terraform-run-%u", 40000 + rng_below(&R, 9999));
    role_session(&tf, 0, "/", "terraform-provisioner", tfsess, at(1, 10, 29, 40));
    snprintf(tfsess, sizeof tfsess, "terraform-run-%u", 40000 + rng_below(&R, 9999));
    role_session(&tf2, 0, "/", "terraform-provisioner", tfsess, at(2, 14, 3, 2));
    role_session(&li, 0, SSO_PATH, sso_role(0, "AdministratorAccess"), "li.wei@example.com", at(1, 8, 41, 12));
    role_session(&raj, 0, SSO_PATH, sso_role(0, "AdministratorAccess"), "raj.patel@example.com", at(2, 1, 52, 40));
    role_session(&secen, 0, SSO_PATH, sso_role(0, "AdministratorAccess"), "sec.engineer@example.com",
                 at(2, 15, 48, 3));
    role_session(&padmin, 0, "/", "prod-admin", "vendor-sync", at(1, 15, 20, 33));
    snprintf(padmin.key, sizeof padmin.key, "%.20s", K_EXT);
    role_session(&chain, 0, "/", "data-export-role", "etl-export", at(1, 11, 31, 40));
    snprintf(chain.key, sizeof chain.key, "%.20s", K_CHAIN);
    role_session(&app, 0, "/", "orders-api-role", "orders-api", at(1, 6, 0, 0));
    role_session(&rw, 0, "/", "reporting-worker", INST_REPORTING, at(1, 13, 58, 0));
    rw.ec2_delivery = "2.0";
    role_session(&gha, 0, "/", "github-actions-deploy", "GitHubActions", at(2, 15, 31, 0));
    id_user(&etl, 0, "svc-legacy-etl", K_ETL2);
    memset(&ext, 0, sizeof ext);
    ext.type = "AWSAccount";
    snprintf(ext.principal_id, sizeof ext.principal_id, "AIDA%s", "Q4EXTERNALV3NDOR7");
    snprintf(ext.account, sizeof ext.account, EXT_ACCT);
    memset(&hidden, 0, sizeof hidden);
    hidden.type = "IAMUser";
    snprintf(hidden.account, sizeof hidden.account, PROD);
    snprintf(hidden.user, sizeof hidden.user, "HIDDEN_DUE_TO_SECURITY_REASONS");
    hidden.key_blank = 1;
#define CLI(cmd) J("%s%s", UA_CLI_MAC, cmd)

    /* 1. IAM users created in the last 24 h */
    cur_inc = 1;
    cur_look = 1;
    static const char *const TFUSERS[] = {"svc-payments-sync", "svc-invoice-export", "app-metrics-reader",
                                          "svc-search-indexer"};
    for (int i = 0; i < 4; i++) {
        int64_t t = at(1, 10, 31, 5 + 41 * i);
        iam(t, &tf, TF_IP, UA_TF_IAM, "CreateUser",
            J("{\"userName\":\"%s\",\"path\":\"/managed/\",\"tags\":[{\"key\":\"ManagedBy\",\"value\":\"terraform\"}]}",
              TFUSERS[i]),
            user_resp("/managed/", TFUSERS[i], t), NULL, NULL, "approved provisioner, path /managed/");
    }
    cur_look = 0;
    iam(at(1, 11, 42, 10), &mallory, MALLORY_IP, CLI("iam.create-user"), "CreateUser",
        "{\"userName\":\"support-admin\",\"path\":\"/\"}", user_resp("/", "support-admin", at(1, 11, 42, 10)), NULL,
        NULL, "human IAM user, path /");

    /* 2. policies attached by non-approved principals */
    cur_inc = 2;
    iam(at(1, 11, 44, 31), &mallory, MALLORY_IP, CLI("iam.attach-user-policy"), "AttachUserPolicy",
        "{\"userName\":\"support-admin\",\"policyArn\":\"" ADMIN_POLICY "\"}", NULL, NULL, NULL,
        "AdministratorAccess to support-admin");
    iam(at(1, 12, 5, 2), &mallory, MALLORY_IP, CLI("iam.create-policy-version"), "CreatePolicyVersion",
        J("{\"policyArn\":\"arn:aws:iam::" PROD ":policy/ci-deploy-policy\",\"policyDocument\":\"%s\",\"setAsDefault\":true}",
          "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}"),
        J("{\"policyVersion\":{\"versionId\":\"v7\",\"isDefaultVersion\":true,\"createDate\":\"%s\"}}",
          iam_date(at(1, 12, 5, 2))),
        NULL, NULL, "ci-deploy-policy v7 = Allow *:*");
    iam(at(1, 12, 20, 48), &li, "198.51.100.32", CLI("iam.put-role-policy"), "PutRolePolicy",
        J("{\"roleName\":\"github-actions-deploy\",\"policyName\":\"break-glass\",\"policyDocument\":\"%s\"}",
          "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"iam:*\\\",\\\"sts:*\\\"],\\\"Resource\\\":\\\"*\\\"}]}"),
        NULL, NULL, NULL, "SSO admin session, not the provisioner");
    cur_look = 1;
    iam(at(1, 10, 35, 12), &tf, TF_IP, UA_TF_IAM, "AttachUserPolicy",
        "{\"userName\":\"svc-payments-sync\",\"policyArn\":\"arn:aws:iam::" PROD ":policy/orders-app-policy\"}", NULL,
        NULL, NULL, "approved provisioner");
    iam(at(1, 10, 35, 40), &tf, TF_IP, UA_TF_IAM, "AttachRolePolicy",
        "{\"roleName\":\"orders-api-role\",\"policyArn\":\"arn:aws:iam::" PROD ":policy/data-lake-read\"}", NULL, NULL,
        NULL, "approved provisioner");
    iam(at(1, 10, 36, 3), &tf, TF_IP, UA_TF_IAM, "PutRolePolicy",
        J("{\"roleName\":\"reporting-worker\",\"policyName\":\"reporting-worker-inline\",\"policyDocument\":\"%s\"}",
          "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"s3:GetObject\\\"],\\\"Resource\\\":\\\"arn:aws:s3:::acme-prod-exports/*\\\"}]}"),
        NULL, NULL, NULL, "approved provisioner");
    iam(at(1, 10, 36, 30), &tf, TF_IP, UA_TF_IAM, "CreatePolicyVersion",
        J("{\"policyArn\":\"arn:aws:iam::" PROD ":policy/data-lake-read\",\"policyDocument\":\"%s\",\"setAsDefault\":true}",
          "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"s3:GetObject\\\",\\\"s3:ListBucket\\\"],\\\"Resource\\\":\\\"*\\\"}]}"),
        J("{\"policyVersion\":{\"versionId\":\"v4\",\"isDefaultVersion\":true,\"createDate\":\"%s\"}}",
          iam_date(at(1, 10, 36, 30))),
        NULL, NULL, "approved provisioner");

    /* 3. a dormant user reactivated */
    cur_inc = 3;
    cur_look = 0;
    static const char *const OLD_OPS[][3] = {
        {"sts.amazonaws.com", "GetCallerIdentity", NULL},
        {"s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}"},
        {"ec2.amazonaws.com", "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{}}"},
        {"s3.amazonaws.com", "GetBucketLocation", "{\"bucketName\":\"acme-prod-exports\",\"Host\":\"acme-prod-exports.s3.us-east-1.amazonaws.com\",\"location\":\"\"}"},
        {"lambda.amazonaws.com", "ListFunctions20150331", "{\"maxItems\":50}"},
        {"logs.amazonaws.com", "DescribeLogGroups", "{\"limit\":50}"},
        {"iam.amazonaws.com", "ListUsers", "{\"maxItems\":100}"},
    };
    for (int dday = 0; dday < 2; dday++)
        for (int i = 0; i < 7; i++) {
            int64_t t = start + (int64_t)dday * 86400 + 10 * 3600 + i * 2400 + (int64_t)rng_below(&R, 600);
            put(0, "us-east-1", t, &oldc, CONTRACTOR_IP, UA_CONTRACTOR, OLD_OPS[i][0], OLD_OPS[i][1], OLD_OPS[i][2],
                NULL, NULL, NULL, "old-contractor's last active days (baseline)");
        }
    iam(at(1, 8, 52, 19), &mallory, MALLORY_IP, CLI("iam.update-access-key"), "UpdateAccessKey",
        J("{\"userName\":\"old-contractor\",\"accessKeyId\":\"%s\",\"status\":\"Active\"}", K_OLD), NULL, NULL, NULL,
        "re-enables old-contractor's key");
    iam(at(1, 8, 58, 2), &mallory, MALLORY_IP, CLI("iam.create-login-profile"), "CreateLoginProfile",
        "{\"userName\":\"former-intern\",\"passwordResetRequired\":false}",
        J("{\"loginProfile\":{\"userName\":\"former-intern\",\"createDate\":\"%s\",\"passwordResetRequired\":false}}",
          iam_date(at(1, 8, 58, 2))),
        NULL, NULL, "console password for another long-unused user");
    for (int i = 0; i < 7; i++) {
        int64_t t = at(1, 9, 10, 0) + i * 140 + (int64_t)rng_below(&R, 60);
        put(0, "us-east-1", t, &oldc, CONTRACTOR_NEW_IP, UA_CONTRACTOR, OLD_OPS[i][0], OLD_OPS[i][1], OLD_OPS[i][2],
            NULL, NULL, NULL, "old-contractor active again after 12 days of silence");
    }
    cur_look = 1;
    for (int64_t day = start; day < end; day += 86400) {
        int64_t t = day + 8 * 3600 + 20 * 60 + (int64_t)rng_below(&R, 1800);
        put(0, "us-east-1", t, &carol, "198.51.100.24", CLI("sts.get-caller-identity"), "sts.amazonaws.com",
            "GetCallerIdentity", NULL, NULL, NULL, NULL, "carol.ops: active every day");
    }

    /* 4. a failed user creation leaving orphans */
    cur_inc = 4;
    cur_look = 0;
    iam(at(1, 13, 2, 10), &tf, TF_IP, UA_TF_IAM, "CreateUser", "{\"userName\":\"svc-reporting\",\"path\":\"/managed/\"}",
        user_resp("/managed/", "svc-reporting", at(1, 13, 2, 10)), NULL, NULL, "succeeds");
    iam(at(1, 13, 2, 12), &tf, TF_IP, UA_TF_IAM, "CreateAccessKey", "{\"userName\":\"svc-reporting\"}",
        key_resp("svc-reporting", K_ORPHAN, at(1, 13, 2, 12)), NULL, NULL, "key left behind");
    iam(at(1, 13, 2, 14), &tf, TF_IP, UA_TF_IAM, "AttachUserPolicy",
        "{\"userName\":\"svc-reporting\",\"policyArn\":\"arn:aws:iam::aws:policy/AmazonRedshiftFullAccess\"}", NULL,
        "AccessDenied",
        J("User: %s is not authorized to perform: iam:AttachUserPolicy on resource: user svc-reporting with an explicit "
          "deny in a permissions boundary",
          tf.arn),
        "fails");
    iam(at(1, 13, 2, 16), &tf, TF_IP, UA_TF_IAM, "DeleteUser", "{\"userName\":\"svc-reporting\"}", NULL,
        "DeleteConflict", "Cannot delete entity, must delete access keys first.", "rollback fails");
    iam(at(1, 13, 10, 5), &tf, TF_IP, UA_TF_IAM, "CreateUser", "{\"userName\":\"svc-analytics\",\"path\":\"/managed/\"}",
        NULL, "EntityAlreadyExists", "User with name svc-analytics already exists.", "creation fails");
    iam(at(1, 13, 10, 7), &tf, TF_IP, UA_TF_IAM, "CreateLoginProfile",
        "{\"userName\":\"svc-analytics\",\"passwordResetRequired\":true}",
        J("{\"loginProfile\":{\"userName\":\"svc-analytics\",\"createDate\":\"%s\",\"passwordResetRequired\":true}}",
          iam_date(at(1, 13, 10, 7))),
        NULL, NULL, "password set on the pre-existing svc-analytics");
    cur_look = 1;
    iam(at(2, 14, 30, 3), &tf2, TF_IP, UA_TF_IAM, "CreateUser", "{\"userName\":\"svc-tmp-import\",\"path\":\"/managed/\"}",
        user_resp("/managed/", "svc-tmp-import", at(2, 14, 30, 3)), NULL, NULL, "partial creation, cleaned up");
    iam(at(2, 14, 30, 5), &tf2, TF_IP, UA_TF_IAM, "CreateAccessKey", "{\"userName\":\"svc-tmp-import\"}",
        key_resp("svc-tmp-import", K_TFCLEAN, at(2, 14, 30, 5)), NULL, NULL, "later deleted");
    iam(at(2, 14, 30, 7), &tf2, TF_IP, UA_TF_IAM, "AttachUserPolicy",
        "{\"userName\":\"svc-tmp-import\",\"policyArn\":\"arn:aws:iam::aws:policy/AmazonS3FullAccess\"}", NULL,
        "AccessDenied",
        J("User: %s is not authorized to perform: iam:AttachUserPolicy on resource: user svc-tmp-import with an explicit "
          "deny in a permissions boundary",
          tf2.arn),
        "fails");
    iam(at(2, 14, 30, 9), &tf2, TF_IP, UA_TF_IAM, "DeleteAccessKey",
        J("{\"userName\":\"svc-tmp-import\",\"accessKeyId\":\"%s\"}", K_TFCLEAN), NULL, NULL, NULL, "cleanup succeeds");
    iam(at(2, 14, 30, 11), &tf2, TF_IP, UA_TF_IAM, "DeleteUser", "{\"userName\":\"svc-tmp-import\"}", NULL, NULL,
        NULL, "cleanup succeeds");

    /* 5. root console login without MFA; a burst of failed console logins */
    cur_inc = 5;
    cur_look = 0;
    for (int i = 0; i < 17; i++) {
        int64_t t = at(1, 22, 30, 4) + i * 17 + (int64_t)rng_below(&R, 5);
        const ident_t *who = i % 5 == 1 ? &alice : i % 5 == 3 ? &root : i % 7 == 4 ? &bob : &hidden;
        ident_t tmp = *who;
        if (!strcmp(tmp.type, "IAMUser") && tmp.user[0] != 'H') {
            tmp.key[0] = 0;
            tmp.key_blank = 1;
            tmp.arn[0] = 0;
        }
        login(t, &tmp, BURST_IP, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0", 0,
              "No", "failure burst from one IP");
    }
    login(at(1, 22, 41, 5), &root, BURST_IP,
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0", 1, "No",
          "root signs in without MFA");
    cur_look = 1;
    login(at(8, 10, 15, 42), &root, "198.51.100.21", UA_BROWSER, 1, "Yes", "root with MFA (annual billing task)");
    {
        ident_t a2 = alice;
        a2.key[0] = 0;
        a2.key_blank = 0;
        login(at(2, 9, 2, 11), &a2, "198.51.100.21", UA_BROWSER, 0, "No", "one mistyped password");
        login(at(2, 9, 2, 40), &a2, "198.51.100.21", UA_BROWSER, 1, "Yes", "then success with MFA");
        ident_t b2 = bob;
        b2.key[0] = 0;
        login(at(3, 14, 20, 9), &b2, "198.51.100.22", UA_BROWSER, 0, "No", "one ordinary failure");
    }

    /* 6. AssumeRole from an unknown external account */
    cur_inc = 6;
    cur_look = 0;
    {
        char rid[24], sh[37], exp[24];
        role_id(PROD, "prod-admin", rid);
        iso(at(1, 16, 20, 33), exp);
        mk_uuid(&R, sh);
        n_res = "[{\"accountId\":\"" PROD "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::" PROD ":role/prod-admin\"}]";
        n_shared = sh;
        put(0, "us-east-1", at(1, 15, 20, 33), &ext, EXT_IP, UA_OLDCLI, "sts.amazonaws.com", "AssumeRole",
            "{\"roleArn\":\"arn:aws:iam::" PROD ":role/prod-admin\",\"roleSessionName\":\"vendor-sync\",\"durationSeconds\":3600}",
            J("{\"credentials\":{\"accessKeyId\":\"%s\",\"sessionToken\":\"IQoJb3JpZ2luX2VjEExT3RNALV3NDORSESSIONTOKEN\",\"expiration\":\"%s\"},\"assumedRoleUser\":{\"assumedRoleId\":\"%s:vendor-sync\",\"arn\":\"arn:aws:sts::" PROD ":assumed-role/prod-admin/vendor-sync\"}}",
              K_EXT, exp, rid),
            NULL, NULL, "external account " EXT_ACCT);
    }
    cur_look = 1;
    {
        static const char *const XS[][3] = {{"777788889999", "SecurityAuditRole", "security-scan"},
                                            {"444455556666", "artifact-reader", "staging-promote"}};
        for (int i = 0; i < 2; i++) {
            ident_t x;
            char rid[24], srid[24], sh[37], exp[24];
            memset(&x, 0, sizeof x);
            x.type = "AWSAccount";
            role_id(XS[i][0], i ? "github-actions-deploy" : "security-scanner-role", srid);
            snprintf(x.principal_id, sizeof x.principal_id, "%s:%s", srid, XS[i][2]);
            snprintf(x.account, sizeof x.account, "%s", XS[i][0]);
            role_id(PROD, XS[i][1], rid);
            mk_uuid(&R, sh);
            int64_t t = at(1, 16, 2 + 30 * i, 11);
            iso(t + 3600, exp);
            n_res = J("[{\"accountId\":\"" PROD "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::" PROD ":role/%s\"}]",
                      XS[i][1]);
            n_shared = sh;
            char k[24];
            mk_key("ASIA", rng_next(&R), k);
            put(0, "us-east-1", t, &x, i ? "198.51.100.12" : "10.30.1.5", i ? UA_CI : UA_BOTO_LAMBDA,
                "sts.amazonaws.com", "AssumeRole",
                J("{\"roleArn\":\"arn:aws:iam::" PROD ":role/%s\",\"roleSessionName\":\"%s\",\"durationSeconds\":3600}",
                  XS[i][1], XS[i][2]),
                J("{\"credentials\":{\"accessKeyId\":\"%s\",\"sessionToken\":\"IQoJb3JpZ2luX2VjEOrgInternalToken%d\",\"expiration\":\"%s\"},\"assumedRoleUser\":{\"assumedRoleId\":\"%s:%s\",\"arn\":\"arn:aws:sts::" PROD ":assumed-role/%s/%s\"}}",
                  k, i, exp, rid, XS[i][2], XS[i][1], XS[i][2]),
                NULL, NULL, "cross-account from our own organization");
        }
    }

    /* 7. an access key created at 02:13 UTC by a human */
    cur_inc = 7;
    cur_look = 0;
    iam(at(1, 2, 13, 7), &mallory, MALLORY_HOME_IP, CLI("iam.create-access-key"), "CreateAccessKey",
        "{\"userName\":\"backup-admin\"}", key_resp("backup-admin", K_BACKUP2, at(1, 2, 13, 7)), NULL, NULL,
        "dev-mallory creates a key for backup-admin at night");
    cur_look = 1;
    iam(at(1, 10, 39, 51), &tf, TF_IP, UA_TF_IAM, "CreateAccessKey", "{\"userName\":\"svc-payments-sync\"}",
        key_resp("svc-payments-sync", K_TFPAY, at(1, 10, 39, 51)), NULL, NULL, "provisioner, business hours");

    /* 8. a 2 a.m. burst of IAM changes */
    cur_inc = 8;
    cur_look = 0;
    {
        static const char *const GROUPS[] = {"platform-oncall", "data-eng", "release-managers", "billing-readers"};
        static const char *const PEOPLE[] = {"alice.nguyen", "bob.martin", "carol.ops", "priya.sharma", "dev-mallory"};
        static const char *const ROLES[] = {"orders-api-role", "reporting-worker", "data-export-role",
                                            "artifact-reader"};
        const char *ua = CLI("iam.add-user-to-group");
        for (int i = 0; i < 40; i++) {
            int64_t t = at(2, 2, 0, 30) + i * 29 + (int64_t)rng_below(&R, 9);
            const char *gname = GROUPS[i % 4], *p = PEOPLE[i % 5], *r = ROLES[i % 4];
            switch (i % 8) {
            case 0: iam(t, &raj, "198.51.100.31", ua, "CreateGroup", J("{\"groupName\":\"%s-%d\",\"path\":\"/\"}", gname, i / 8),
                        J("{\"group\":{\"path\":\"/\",\"groupName\":\"%s-%d\",\"groupId\":\"AGPA%08X\",\"arn\":\"arn:aws:iam::" PROD ":group/%s-%d\",\"createDate\":\"%s\"}}",
                          gname, i / 8, (unsigned)rng_next(&R), gname, i / 8, iam_date(t)),
                        NULL, NULL, NULL); break;
            case 1: iam(t, &raj, "198.51.100.31", ua, "AddUserToGroup", J("{\"groupName\":\"%s-%d\",\"userName\":\"%s\"}", gname, i / 8, p), NULL, NULL, NULL, NULL); break;
            case 2: iam(t, &raj, "198.51.100.31", ua, "TagUser", J("{\"userName\":\"%s\",\"tags\":[{\"key\":\"team\",\"value\":\"%s\"}]}", p, gname), NULL, NULL, NULL, NULL); break;
            case 3: iam(t, &raj, "198.51.100.31", ua, "TagRole", J("{\"roleName\":\"%s\",\"tags\":[{\"key\":\"owner\",\"value\":\"%s\"}]}", r, gname), NULL, NULL, NULL, NULL); break;
            case 4: iam(t, &raj, "198.51.100.31", ua, "UpdateRoleDescription", J("{\"roleName\":\"%s\",\"description\":\"owned by %s\"}", r, gname), NULL, NULL, NULL, NULL); break;
            case 5: iam(t, &raj, "198.51.100.31", ua, "RemoveUserFromGroup", J("{\"groupName\":\"%s-%d\",\"userName\":\"%s\"}", gname, i / 8, PEOPLE[(i + 1) % 5]), NULL, NULL, NULL, NULL); break;
            case 6: iam(t, &raj, "198.51.100.31", ua, "UntagUser", J("{\"userName\":\"%s\",\"tagKeys\":[\"legacy-team\"]}", p), NULL, NULL, NULL, NULL); break;
            default: iam(t, &raj, "198.51.100.31", ua, "UpdateGroup", J("{\"groupName\":\"%s-%d\",\"newPath\":\"/teams/\"}", gname, i / 8), NULL, NULL, NULL, NULL); break;
            }
        }
    }

    /* 9. CloudTrail tampering */
    cur_inc = 9;
    cur_look = 0;
    put(0, "us-east-1", at(1, 17, 2, 14), &padmin, EXT_IP, J("%s", UA_OLDCLI), "cloudtrail.amazonaws.com",
        "StopLogging", "{\"name\":\"" TRAIL_ARN "\"}", NULL, NULL, NULL, "logging stopped");
    put(0, "us-east-1", at(1, 17, 3, 40), &padmin, EXT_IP, UA_OLDCLI, "cloudtrail.amazonaws.com", "PutEventSelectors",
        "{\"trailName\":\"prod-audit-trail\",\"eventSelectors\":[{\"readWriteType\":\"ReadOnly\",\"includeManagementEvents\":false,\"dataResources\":[],\"excludeManagementEventSources\":[]}]}",
        "{\"trailARN\":\"" TRAIL_ARN "\",\"eventSelectors\":[{\"readWriteType\":\"ReadOnly\",\"includeManagementEvents\":false,\"dataResources\":[],\"excludeManagementEventSources\":[]}]}",
        NULL, NULL, "management events switched off");
    put(0, "us-east-1", at(1, 17, 5, 2), &padmin, EXT_IP, UA_OLDCLI, "cloudtrail.amazonaws.com", "UpdateTrail",
        "{\"name\":\"prod-audit-trail\",\"s3BucketName\":\"acme-prod-audit-archive-tmp\",\"isMultiRegionTrail\":false,\"includeGlobalServiceEvents\":false}",
        "{\"name\":\"prod-audit-trail\",\"s3BucketName\":\"acme-prod-audit-archive-tmp\",\"includeGlobalServiceEvents\":false,\"isMultiRegionTrail\":false,\"trailARN\":\"" TRAIL_ARN "\",\"logFileValidationEnabled\":false,\"isOrganizationTrail\":false}",
        NULL, NULL, "delivery redirected, validation off");
    put(0, "us-east-1", at(1, 17, 8, 30), &padmin, EXT_IP, UA_OLDCLI, "cloudtrail.amazonaws.com", "DeleteTrail",
        "{\"name\":\"arn:aws:cloudtrail:us-east-1:" PROD ":trail/prod-dataevents-trail\"}", NULL, NULL, NULL,
        "second trail deleted");
    cur_look = 1;
    put(0, "us-east-1", at(2, 16, 1, 5), &secen, "198.51.100.41", UA_BROWSER, "cloudtrail.amazonaws.com",
        "DescribeTrails", "{\"trailNameList\":[],\"includeShadowTrails\":true}", NULL, NULL, NULL, "security team");
    put(0, "us-east-1", at(2, 16, 1, 20), &secen, "198.51.100.41", UA_BROWSER, "cloudtrail.amazonaws.com",
        "GetTrailStatus", "{\"name\":\"" TRAIL_ARN "\"}", NULL, NULL, NULL, "security team");
    put(0, "us-east-1", at(2, 16, 2, 2), &secen, "198.51.100.41", UA_BROWSER, "cloudtrail.amazonaws.com",
        "StartLogging", "{\"name\":\"" TRAIL_ARN "\"}", NULL, NULL, NULL, "security team re-enables after maintenance");
    put(0, "us-east-1", at(2, 16, 2, 30), &secen, "198.51.100.41", UA_BROWSER, "cloudtrail.amazonaws.com",
        "GetEventSelectors", "{\"trailName\":\"" TRAIL_ARN "\"}", NULL, NULL, NULL, "security team");

    /* 10. CreateAccessKey -> AssumeRole with the new key -> GetSecretValue */
    cur_inc = 10;
    cur_look = 0;
    iam(at(1, 11, 20, 5), &mallory, MALLORY_IP, CLI("iam.create-access-key"), "CreateAccessKey",
        "{\"userName\":\"svc-legacy-etl\"}", key_resp("svc-legacy-etl", K_ETL2, at(1, 11, 20, 5)), NULL, NULL,
        "new key for svc-legacy-etl");
    {
        char rid[24], exp[24];
        role_id(PROD, "data-export-role", rid);
        iso(at(1, 12, 31, 40), exp);
        n_res = "[{\"accountId\":\"" PROD "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::" PROD ":role/data-export-role\"}]";
        put(0, "us-east-1", at(1, 11, 31, 40), &etl, CHAIN_IP, UA_KALI, "sts.amazonaws.com", "AssumeRole",
            "{\"roleArn\":\"arn:aws:iam::" PROD ":role/data-export-role\",\"roleSessionName\":\"etl-export\",\"durationSeconds\":3600}",
            J("{\"credentials\":{\"accessKeyId\":\"%s\",\"sessionToken\":\"IQoJb3JpZ2luX2VjEChainSessionTokenETL\",\"expiration\":\"%s\"},\"assumedRoleUser\":{\"assumedRoleId\":\"%s:etl-export\",\"arn\":\"arn:aws:sts::" PROD ":assumed-role/data-export-role/etl-export\"}}",
              K_CHAIN, exp, rid),
            NULL, NULL, "the new key assumes data-export-role");
    }
    static const char *const SECRETS[] = {"prod/orders/db-credentials", "prod/orders/stripe-api-key",
                                          "prod/reporting/warehouse-password"};
    for (int i = 0; i < 3; i++)
        put(0, "us-east-1", at(1, 11, 36, 2) + i * 41, &chain, CHAIN_IP, UA_KALI, "secretsmanager.amazonaws.com",
            "GetSecretValue", J("{\"secretId\":\"%s\"}", SECRETS[i]), NULL, NULL, NULL, "the assumed session reads secrets");
    cur_look = 1;
    for (int i = 0; i < 3; i++)
        put(0, "us-east-1", at(1, 7 + 4 * i, 12, 30), &app, "10.20.1.10", UA_BOTO_LAMBDA, "secretsmanager.amazonaws.com",
            "GetSecretValue", J("{\"secretId\":\"%s\"}", SECRETS[i % 2]), NULL, NULL, NULL,
            "application role, no preceding key creation");

    /* 11. first-seen region, IP and user agent */
    cur_inc = 11;
    cur_look = 0;
    {
        static const char *const OPS11[][3] = {
            {"sts.amazonaws.com", "GetCallerIdentity", NULL},
            {"ec2.amazonaws.com", "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{}}"},
            {"ec2.amazonaws.com", "DescribeSecurityGroups", "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{}}"},
            {"s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.ap-southeast-2.amazonaws.com\"}"},
            {"ec2.amazonaws.com", "DescribeSnapshots", "{\"snapshotSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"self\"}]},\"sharedUsersSet\":{},\"filterSet\":{}}"},
            {"rds.amazonaws.com", "DescribeDBInstances", NULL},
            {"ec2.amazonaws.com", "DescribeVpcs", "{\"vpcSet\":{},\"filterSet\":{}}"},
            {"kms.amazonaws.com", "ListAliases", "{\"limit\":100}"},
        };
        for (int i = 0; i < 8; i++)
            put(0, "ap-southeast-2", at(1, 20, 5, 0) + i * 150 + (int64_t)rng_below(&R, 60), &priya, NEWGEO_IP,
                UA_NEWGEO, OPS11[i][0], OPS11[i][1], OPS11[i][2], NULL, NULL, NULL,
                "new region, new IP, new user agent for priya.sharma");
        cur_look = 1;
        put(0, "us-east-1", at(1, 10, 4, 12), &priya, "198.51.100.25", CLI("ec2.describe-instances"),
            "ec2.amazonaws.com", "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{}}", NULL, NULL, NULL,
            "priya.sharma as usual: us-east-1, office IP, aws-cli");
        put(0, "us-east-1", at(1, 10, 6, 40), &priya, "198.51.100.25", CLI("sts.get-caller-identity"),
            "sts.amazonaws.com", "GetCallerIdentity", NULL, NULL, NULL, NULL, "priya.sharma as usual");
    }

    /* 12. snapshot and AMI shared outside the organization */
    cur_inc = 12;
    cur_look = 0;
    put(0, "us-east-1", at(1, 21, 30, 12), &padmin, EXT_IP, UA_OLDCLI, "ec2.amazonaws.com", "ModifySnapshotAttribute",
        J("{\"snapshotId\":\"%s\",\"createVolumePermission\":{\"add\":{\"items\":[{\"userId\":\"" EXT_ACCT "\"}]}},\"attributeType\":\"CREATE_VOLUME_PERMISSION\"}", SNAP_ID),
        J("{\"requestId\":\"%s\",\"_return\":true}", J("%08x-0000-4000-8000-%012llx", (unsigned)rng_next(&R), (unsigned long long)(rng_next(&R) & 0xffffffffffffULL))),
        NULL, NULL, "shared with " EXT_ACCT);
    put(0, "us-east-1", at(1, 21, 33, 50), &padmin, EXT_IP, UA_OLDCLI, "ec2.amazonaws.com", "ModifyImageAttribute",
        J("{\"imageId\":\"%s\",\"launchPermission\":{\"add\":{\"items\":[{\"userId\":\"" EXT_ACCT "\"}]}},\"attributeType\":\"launchPermission\"}", AMI_ID),
        J("{\"requestId\":\"%s\",\"_return\":true}", J("%08x-0000-4000-8000-%012llx", (unsigned)rng_next(&R), (unsigned long long)(rng_next(&R) & 0xffffffffffffULL))),
        NULL, NULL, "shared with " EXT_ACCT);
    cur_look = 1;
    {
        char s2[24], a2[24];
        mk_rid("snap-0", 16, s2);
        mk_rid("ami-0", 16, a2);
        put(0, "us-east-1", at(2, 15, 30, 4), &backup, "10.10.4.20",
            "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.112-124.190.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/ec2.modify-snapshot-attribute",
            "ec2.amazonaws.com", "ModifySnapshotAttribute",
            J("{\"snapshotId\":\"%s\",\"createVolumePermission\":{\"add\":{\"items\":[{\"userId\":\"444455556666\"}]}},\"attributeType\":\"CREATE_VOLUME_PERMISSION\"}", s2),
            "{\"requestId\":\"0f6e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b\",\"_return\":true}", NULL, NULL,
            "shared with our staging account");
        put(0, "us-east-1", at(2, 15, 35, 44), &gha, "198.51.100.13", UA_CI, "ec2.amazonaws.com",
            "ModifyImageAttribute",
            J("{\"imageId\":\"%s\",\"launchPermission\":{\"add\":{\"items\":[{\"userId\":\"444455556666\"}]}},\"attributeType\":\"launchPermission\"}", a2),
            "{\"requestId\":\"7d8e9f0a-1b2c-4d3e-9f4a-5b6c7d8e9f0a\",\"_return\":true}", NULL, NULL,
            "golden AMI shared with our staging account");
    }

    /* 13. an error spike, an invocation spike, a privileged-role change */
    cur_inc = 13;
    cur_look = 0;
    iam(at(1, 15, 5, 12), &mallory, MALLORY_IP, CLI("iam.update-assume-role-policy"), "UpdateAssumeRolePolicy",
        J("{\"roleName\":\"prod-admin\",\"policyDocument\":\"%s\"}",
          "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":[\\\"arn:aws:iam::" PROD ":root\\\",\\\"arn:aws:iam::" EXT_ACCT ":root\\\"]},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}"),
        NULL, NULL, NULL, "admin role now trusts " EXT_ACCT);
    {
        char karn[120], msg[600];
        snprintf(karn, sizeof karn, "arn:aws:kms:us-east-1:" PROD ":key/%s", KMS_KEY);
        snprintf(msg, sizeof msg,
                 "User: %s is not authorized to perform: kms:Decrypt on resource: %s because no resource-based policy "
                 "allows the kms:Decrypt action",
                 rw.arn, karn);
        for (int i = 0; i < 60; i++) {
            n_res = J("[{\"accountId\":\"" PROD "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"%s\"}]", karn);
            put(0, "us-east-1", at(1, 16, 0, 3) + i * 9 + (int64_t)rng_below(&R, 8), &rw, "10.10.14.7", UA_BOTO_LAMBDA,
                "kms.amazonaws.com", "Decrypt",
                J("{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::acme-prod-exports/reports/2026/11/19/part-%05u.parquet\"}}", (unsigned)i),
                NULL, "AccessDenied", msg, "KMS AccessDenied spike");
        }
        for (int i = 0; i < 240; i++) {
            n_res = "[{\"accountId\":\"" PROD "\",\"type\":\"AWS::Lambda::Function\",\"ARN\":\"arn:aws:lambda:us-east-1:" PROD ":function:orders-processor\"}]";
            n_data = 1;
            n_ro = 0;
            put(0, "us-east-1", at(1, 16, 30, 0) + (int64_t)rng_below(&R, 600), &app, "10.20.1.10", UA_BOTO_LAMBDA,
                "lambda.amazonaws.com", "Invoke",
                "{\"functionName\":\"arn:aws:lambda:us-east-1:" PROD ":function:orders-processor\",\"invocationType\":\"Event\",\"logType\":\"None\"}",
                NULL, NULL, NULL, "Lambda invocation spike");
        }
    }
    cur_look = 1;
    iam(at(1, 10, 40, 22), &tf, TF_IP, UA_TF_IAM, "UpdateAssumeRolePolicy",
        J("{\"roleName\":\"orders-api-role\",\"policyDocument\":\"%s\"}",
          "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"lambda.amazonaws.com\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}"),
        NULL, NULL, NULL, "provisioner, non-admin role");

    /* 14. one access key compromised */
    cur_inc = 14;
    cur_look = 1;
    for (int i = 0; i < 3; i++) {
        n_res = "[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::acme-prod-artifacts/builds/orders-service/latest.zip\"},{\"accountId\":\"" PROD "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::acme-prod-artifacts\"}]";
        n_data = 1;
        n_ro = 0;
        put(0, "us-east-1", at(2, 17 + i, 11, 4), &bb, i ? "198.51.100.11" : "198.51.100.10", UA_CI, "s3.amazonaws.com",
            "PutObject",
            "{\"bucketName\":\"acme-prod-artifacts\",\"Host\":\"acme-prod-artifacts.s3.us-east-1.amazonaws.com\",\"key\":\"builds/orders-service/latest.zip\"}",
            "{\"x-amz-server-side-encryption\":\"AES256\"}", NULL, NULL, "build-bot's usual CI use");
    }
    cur_look = 0;
    {
        struct { int m, s; const char *src, *name, *req, *resp, *ecode, *emsg, *note; } S[] = {
            {5, 11, "sts.amazonaws.com", "GetCallerIdentity", NULL, NULL, NULL, NULL, "whoami from a new IP"},
            {5, 40, "iam.amazonaws.com", "ListUsers", "{\"maxItems\":1000}", NULL, NULL, NULL, "enumeration"},
            {6, 2, "iam.amazonaws.com", "ListRoles", "{\"maxItems\":1000}", NULL, NULL, NULL, "enumeration"},
            {6, 31, "iam.amazonaws.com", "GetAccountAuthorizationDetails", "{\"maxItems\":1000}", NULL, "AccessDenied",
             "*", "enumeration, denied"},
            {7, 3, "iam.amazonaws.com", "ListAttachedUserPolicies", "{\"userName\":\"build-bot\"}", NULL, NULL, NULL,
             "enumeration"},
            {7, 30, "s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}", NULL, NULL, NULL, "enumeration"},
            {8, 1, "iam.amazonaws.com", "ListAccessKeys", "{\"userName\":\"build-bot\"}", NULL, NULL, NULL, "enumeration"},
            {10, 12, "secretsmanager.amazonaws.com", "ListSecrets", "{\"maxResults\":100}", NULL, "AccessDenied", "*",
             "enumeration, denied"},
            {12, 2, "iam.amazonaws.com", "CreateUser", "{\"userName\":\"aws-support-sync\",\"path\":\"/\"}", NULL,
             "AccessDenied", "*", "persistence, denied"},
            {12, 33, "iam.amazonaws.com", "CreateAccessKey", "{\"userName\":\"build-bot\"}", "KEY", NULL, NULL,
             "persistence: second key for build-bot"},
            {13, 5, "iam.amazonaws.com", "CreateLoginProfile", "{\"userName\":\"build-bot\",\"passwordResetRequired\":false}",
             NULL, "AccessDenied", "*", "persistence, denied"},
            {13, 37, "iam.amazonaws.com", "AttachUserPolicy",
             "{\"userName\":\"build-bot\",\"policyArn\":\"" ADMIN_POLICY "\"}", NULL, "AccessDenied", "*",
             "persistence, denied"},
            {15, 20, "ec2.amazonaws.com", "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{}}", NULL, NULL, NULL,
             "enumeration"},
            {16, 2, "ec2.amazonaws.com", "DescribeRegions", "{\"regionSet\":{}}", NULL, NULL, NULL, "enumeration"},
        };
        for (size_t i = 0; i < sizeof S / sizeof S[0]; i++) {
            int64_t t = at(1, 3, S[i].m, S[i].s);
            const char *resp = S[i].resp && !strcmp(S[i].resp, "KEY") ? key_resp("build-bot", K_BUILD2, t) : S[i].resp;
            const char *emsg = S[i].emsg;
            if (emsg && !strcmp(emsg, "*")) {
                const char *svc = !strcmp(S[i].src, "iam.amazonaws.com") ? "iam" : "secretsmanager";
                const char *res = !strcmp(svc, "iam") ? "arn:aws:iam::" PROD ":user/build-bot"
                                                      : "arn:aws:secretsmanager:us-east-1:" PROD ":secret:*";
                emsg = denied(&bb, J("%s:%s", svc, S[i].name), res);
            }
            put(0, "us-east-1", t, &bb, HOSTILE_IP, UA_KALI, S[i].src, S[i].name, S[i].req, resp, S[i].ecode, emsg,
                S[i].note);
        }
    }

    /* 15. terminal escape sequences in attacker-controlled fields */
    cur_inc = 15;
    cur_look = 0;
    {
        buf_t req = {0};
        bs(&req, "{\"userName\":");
        bjs(&req, "admin\x1b]0;pwned\x07\x1b[2J\x1b[1;31mALERT\x1b[0m\xc2\x9b" "2J\xe2\x80\xaetxt.exe");
        bs(&req, "}");
        put(0, "us-east-1", at(1, 23, 10, 42), &mallory, MALLORY_HOME_IP,
            "\x1b]0;pwned\x07\x1b[2J\x1b[31mcurl/8.4.0\x1b[0m \xc2\x9b" "31m\xe2\x80\xae" "exe.tsil", "iam.amazonaws.com",
            "GetUser", req.p, NULL, "ValidationError",
            "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [\\w+=,.@-]+",
            "ESC ] OSC title, ESC[2J, CSI colours, C1 0x9b, U+202E in userAgent and requestParameters.userName");
        bfree(&req);
    }
}

