/* gen_world.c - the organisation's principals and their everyday (background) traffic.
 *
 * The background is deliberately clean with respect to the planted incidents: only the
 * approved provisioner (terraform-provisioner) mutates IAM, and only in business hours;
 * nobody signs in as root, no console login fails, nobody outside the organisation
 * assumes a role, nobody touches CloudTrail configuration, only application roles read
 * secrets, and nothing is shared outside the organisation. */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_USER, A_ROLE, A_SVC, A_XACCT };
enum { D_HUMAN, D_MACHINE, D_OFFICE };

typedef struct {
    int kind, acct, diurnal, weight;
    const char *name;     /* user or role name; "@Perm" = SSO permission set */
    const char *session;  /* role session: literal, "$i" instance id, "$r" terraform run */
    const char *profile;
    const char *ips, *uas;
    int reg[NREG];
    const char *target, *tsession; /* AssumeRole by services / other accounts */
    const char *src;      /* AWSService invokedBy / AWSAccount source account */
    int block;            /* session length, seconds */
} actor_t;

#define P_DEV "DescribeInstances:12,DescribeSecurityGroups:5,DescribeVolumes:3,DescribeSubnets:2,DescribeVpcs:2," \
    "DescribeImages:2,DescribeInstanceStatus:3,ListBuckets:5,GetBucketLocation:3,GetBucketPolicy:1,GetObject:4," \
    "GetCallerIdentity:6,ListFunctions20150331:3,GetFunction20150331v2:3,DescribeLogGroups:3,FilterLogEvents:4," \
    "DescribeTable:2,ListTables:1,GetParameter:2,DescribeAlarms:2,GetMetricData:3,GetRole:2,ListRoles:1,GetUser:1," \
    "DescribeDBInstances:2,DescribeLoadBalancers:2,DescribeTargetHealth:1,ListAliases:1,DescribeKey:1," \
    "DescribeRepositories:1,ListAccessKeys:1"
#define P_CONSOLE ",ConsoleLogin:4"
#define P_ADMIN P_DEV ",ListUsers:2,ListPolicies:1,GetPolicy:1,GetPolicyVersion:1,ListAttachedRolePolicies:2," \
    "ListRolePolicies:1,GetAccountSummary:1,DescribeTrails:1,DescribeOrganization:1,ListAccounts:1,ListSecrets:1"
#define P_RO "DescribeInstances:10,DescribeSecurityGroups:4,DescribeVolumes:2,DescribeSubnets:2,DescribeVpcs:2," \
    "ListBuckets:4,GetBucketLocation:2,DescribeLogGroups:3,FilterLogEvents:3,DescribeAlarms:3,GetMetricData:4," \
    "ListFunctions20150331:2,DescribeDBInstances:2,DescribeLoadBalancers:2,DescribeTargetHealth:2,GetCallerIdentity:1"
#define P_SEC "DescribeTrails:4,GetTrailStatus:4,GetEventSelectors:2,LookupEvents:8,ListUsers:2,ListRoles:2," \
    "GetAccountSummary:1,ListAccessKeys:2,ListMFADevices:2,GetBucketPolicy:2,GetBucketAcl:2,DescribeSecurityGroups:2," \
    "DescribeOrganization:1,ListAccounts:2,GetCallerIdentity:2"
#define P_GD "ListDetectors:3,GetFindings:4,ListFindings:3"
#define P_TF "GetRole:10,ListAttachedRolePolicies:6,ListRolePolicies:5,GetRolePolicy:3,GetPolicy:6,GetPolicyVersion:6," \
    "GetUser:3,ListAccessKeys:2,DescribeVpcs:4,DescribeSubnets:4,DescribeSecurityGroups:6,DescribeInstances:3," \
    "GetBucketPolicy:3,GetBucketAcl:3,GetBucketVersioning:3,GetBucketEncryption:3,DescribeTable:3," \
    "GetFunction20150331v2:3,DescribeKey:3,GetCallerIdentity:4,DescribeDBInstances:2,TagRole:8,UpdateRole:4," \
    "AttachRolePolicy:4,PutRolePolicy:4,CreatePolicyVersion:3,UpdateAssumeRolePolicy:3"
#define P_GHA "AssumeRoleWithWebIdentity:4,GetCallerIdentity:3,GetAuthorizationToken:5,DescribeRepositories:2," \
    "PutObject:4,GetObject:2,UpdateFunctionCode20150331v2:2,GetFunction20150331v2:4,DescribeImages:1," \
    "DescribeInstances:1,DescribeLoadBalancers:1,DescribeTargetHealth:2"
#define P_APP "GetSecretValue:6,Decrypt:10,GenerateDataKey:4,GetObject:8,PutObject:4,GetParameter:5,Invoke:3"
#define P_INST "UpdateInstanceInformation:6,GetObject:4,Decrypt:3,DescribeInstances:1,DescribeTags:2,GetParameters:3," \
    "PutObject:2"
#define P_BUILD "GetCallerIdentity:3,PutObject:6,GetObject:4,GetAuthorizationToken:4,DescribeImages:2," \
    "GetFunction20150331v2:2,ListBuckets:1,DescribeRepositories:2"
#define P_BACKUP "CreateSnapshot:5,DescribeSnapshots:4,DescribeVolumes:4,DeleteSnapshot:3,CreateTags:3,PutObject:2," \
    "ListBuckets:1"
#define P_ETL "GetObject:8,PutObject:6,ListBuckets:1,GetBucketLocation:2"
#define P_CONFIG "DescribeInstances:3,DescribeSecurityGroups:3,DescribeVolumes:2,DescribeSubnets:2,DescribeVpcs:2," \
    "GetBucketAcl:2,GetBucketPolicy:2,GetBucketEncryption:2,GetBucketVersioning:2,GetRole:2," \
    "ListAttachedRolePolicies:2,DescribeDBInstances:1,DescribeKey:1,DescribeTable:1,DescribeNetworkInterfaces:2"
#define P_ASSUME "AssumeRole:1"

#define CI_IPS "198.51.100.10|198.51.100.11|198.51.100.12|198.51.100.13"

/* clang-format off */
static const actor_t ACTORS[] = {
    /* ---- prod 111122223333 ---- */
    {A_USER, 0, D_HUMAN, 8, "alice.nguyen", NULL, P_DEV P_CONSOLE, "198.51.100.21", "@cli|@cli|@browser", {8, 2, 1, 0}, NULL, NULL, NULL, 0},
    {A_USER, 0, D_HUMAN, 7, "bob.martin", NULL, P_DEV, "198.51.100.22|192.0.2.31", "@cli|@boto-mac", {6, 0, 3, 0}, NULL, NULL, NULL, 0},
    {A_USER, 0, D_HUMAN, 5, "dev-mallory", NULL, P_DEV, "198.51.100.23", "@cli", {10, 0, 0, 0}, NULL, NULL, NULL, 0},
    {A_USER, 0, D_HUMAN, 5, "carol.ops", NULL, P_DEV P_CONSOLE, "198.51.100.24", "@cli|@browser", {6, 3, 0, 0}, NULL, NULL, NULL, 0},
    {A_USER, 0, D_HUMAN, 6, "priya.sharma", NULL, P_DEV, "198.51.100.25", "@cli", {10, 0, 0, 0}, NULL, NULL, NULL, 0},
    {A_USER, 0, D_HUMAN, 8, "build-bot", NULL, P_BUILD, CI_IPS, "@cli-ci|@boto-ci", {10, 0, 2, 0}, NULL, NULL, NULL, 0},
    {A_USER, 0, D_MACHINE, 3, "backup-admin", NULL, P_BACKUP, "10.10.4.20", "@cli-lin", {6, 2, 0, 0}, NULL, NULL, NULL, 0},
    {A_USER, 0, D_MACHINE, 4, "svc-legacy-etl", NULL, P_ETL, "10.10.8.15", "@boto-etl", {3, 5, 0, 0}, NULL, NULL, NULL, 0},
    {A_ROLE, 0, D_HUMAN, 6, "@AdministratorAccess", "raj.patel@example.com", P_ADMIN, "198.51.100.31|198.51.100.31|198.51.100.31|AWS Internal", "@browser|@cli", {6, 2, 1, 1}, NULL, NULL, NULL, 28800},
    {A_ROLE, 0, D_HUMAN, 5, "@AdministratorAccess", "li.wei@example.com", P_ADMIN, "198.51.100.32", "@cli|@browser", {6, 1, 1, 2}, NULL, NULL, NULL, 28800},
    {A_ROLE, 0, D_HUMAN, 4, "@AdministratorAccess", "maria.garcia@example.com", P_ADMIN, "198.51.100.33|AWS Internal", "@firefox", {7, 2, 1, 0}, NULL, NULL, NULL, 28800},
    {A_ROLE, 0, D_HUMAN, 6, "@ReadOnly", "jane.doe@example.com", P_RO, "198.51.100.34", "@browser", {6, 2, 1, 1}, NULL, NULL, NULL, 28800},
    {A_ROLE, 0, D_HUMAN, 5, "@ReadOnly", "tom.okafor@example.com", P_RO, "198.51.100.35|192.0.2.35", "@browser|@cli", {5, 0, 0, 3}, NULL, NULL, NULL, 28800},
    {A_ROLE, 0, D_HUMAN, 3, "@SecurityAudit", "sec.analyst@example.com", P_SEC, "198.51.100.40", "@browser|@cli", {6, 1, 1, 1}, NULL, NULL, NULL, 28800},
    {A_ROLE, 0, D_HUMAN, 8, "github-actions-deploy", "GitHubActions", P_GHA, "198.51.100.12|198.51.100.13|198.51.100.14", "@gha|@cli-ci", {6, 2, 2, 2}, NULL, NULL, NULL, 3600},
    {A_ROLE, 0, D_OFFICE, 9, "terraform-provisioner", "$r", P_TF, "198.51.100.10|198.51.100.11", "@tf", {8, 2, 2, 1}, NULL, NULL, NULL, 3600},
    {A_ROLE, 0, D_MACHINE, 14, "orders-api-role", "orders-api", P_APP, "10.20.1.10|10.20.1.11|10.20.2.10", "@boto", {8, 3, 0, 2}, NULL, NULL, NULL, 43200},
    {A_ROLE, 0, D_MACHINE, 10, "ec2-app-instance-role", "$i", P_INST, "10.10.12.34|10.10.12.35|10.10.13.20", "@ssm|@go", {8, 3, 2, 0}, NULL, NULL, NULL, 21600},
    {A_ROLE, 0, D_MACHINE, 4, "reporting-worker", "$i", P_INST, "10.10.14.7", "@boto-etl", {10, 0, 0, 0}, NULL, NULL, NULL, 21600},
    {A_ROLE, 0, D_MACHINE, 6, "AWSServiceRoleForConfig", "AWSConfig-Describe", P_CONFIG, "config.amazonaws.com", "config.amazonaws.com", {4, 2, 2, 2}, NULL, NULL, NULL, 3600},
    {A_SVC, 0, D_MACHINE, 6, NULL, NULL, P_ASSUME, "lambda.amazonaws.com", "lambda.amazonaws.com", {8, 3, 0, 2}, "orders-api-role", "orders-api", "lambda.amazonaws.com", 0},
    {A_SVC, 0, D_MACHINE, 2, NULL, NULL, P_ASSUME, "ec2.amazonaws.com", "ec2.amazonaws.com", {8, 3, 2, 0}, "ec2-app-instance-role", "$i", "ec2.amazonaws.com", 0},
    {A_XACCT, 0, D_MACHINE, 2, NULL, NULL, P_ASSUME, "10.30.1.5", "@boto-scan", {10, 0, 0, 0}, "SecurityAuditRole", "security-scan", "777788889999", 0},
    {A_XACCT, 0, D_HUMAN, 1, NULL, NULL, P_ASSUME, "198.51.100.12", "@cli-ci", {10, 0, 0, 0}, "artifact-reader", "staging-promote", "444455556666", 0},
    /* ---- staging 444455556666 ---- */
    {A_ROLE, 1, D_HUMAN, 6, "@AdministratorAccess", "raj.patel@example.com", P_ADMIN, "198.51.100.31", "@browser|@cli", {7, 2, 1, 0}, NULL, NULL, NULL, 28800},
    {A_ROLE, 1, D_HUMAN, 6, "@AdministratorAccess", "li.wei@example.com", P_ADMIN, "198.51.100.32", "@cli", {6, 1, 1, 2}, NULL, NULL, NULL, 28800},
    {A_ROLE, 1, D_HUMAN, 5, "@ReadOnly", "jane.doe@example.com", P_RO, "198.51.100.34", "@browser", {6, 2, 1, 1}, NULL, NULL, NULL, 28800},
    {A_ROLE, 1, D_HUMAN, 4, "@ReadOnly", "tom.okafor@example.com", P_RO, "198.51.100.35", "@browser|@cli", {5, 0, 0, 3}, NULL, NULL, NULL, 28800},
    {A_ROLE, 1, D_HUMAN, 8, "github-actions-deploy", "GitHubActions", P_GHA, "198.51.100.12|198.51.100.13|198.51.100.14", "@gha|@cli-ci", {6, 2, 2, 1}, NULL, NULL, NULL, 3600},
    {A_ROLE, 1, D_OFFICE, 5, "terraform-provisioner", "$r", P_TF, "198.51.100.10|198.51.100.11", "@tf", {8, 2, 1, 1}, NULL, NULL, NULL, 3600},
    {A_ROLE, 1, D_MACHINE, 7, "orders-api-role", "orders-api", P_APP, "10.21.1.10|10.21.2.10", "@boto", {8, 2, 0, 1}, NULL, NULL, NULL, 43200},
    {A_ROLE, 1, D_MACHINE, 5, "ec2-app-instance-role", "$i", P_INST, "10.11.12.34|10.11.12.40", "@ssm|@go", {8, 2, 1, 0}, NULL, NULL, NULL, 21600},
    {A_ROLE, 1, D_MACHINE, 4, "AWSServiceRoleForConfig", "AWSConfig-Describe", P_CONFIG, "config.amazonaws.com", "config.amazonaws.com", {4, 2, 2, 2}, NULL, NULL, NULL, 3600},
    {A_SVC, 1, D_MACHINE, 3, NULL, NULL, P_ASSUME, "lambda.amazonaws.com", "lambda.amazonaws.com", {8, 2, 0, 1}, "orders-api-role", "orders-api", "lambda.amazonaws.com", 0},
    {A_XACCT, 1, D_MACHINE, 2, NULL, NULL, P_ASSUME, "10.30.1.5", "@boto-scan", {10, 0, 0, 0}, "SecurityAuditRole", "security-scan", "777788889999", 0},
    /* ---- security 777788889999 ---- */
    {A_ROLE, 2, D_HUMAN, 8, "@SecurityAudit", "sec.analyst@example.com", P_SEC "," P_GD, "198.51.100.40", "@browser|@cli", {7, 1, 1, 1}, NULL, NULL, NULL, 28800},
    {A_ROLE, 2, D_HUMAN, 4, "@AdministratorAccess", "sec.engineer@example.com", P_SEC "," P_GD "," P_RO, "198.51.100.41", "@cli|@firefox", {7, 1, 1, 1}, NULL, NULL, NULL, 28800},
    {A_ROLE, 2, D_OFFICE, 3, "terraform-provisioner", "$r", P_TF, "198.51.100.10|198.51.100.11", "@tf", {8, 1, 1, 0}, NULL, NULL, NULL, 3600},
    {A_ROLE, 2, D_MACHINE, 6, "security-scanner-role", "security-scan", P_GD ",GetTrailStatus:2,DescribeTrails:1,GetCallerIdentity:1", "10.30.1.5", "@boto-scan", {5, 2, 2, 2}, NULL, NULL, NULL, 43200},
    {A_ROLE, 2, D_MACHINE, 3, "AWSServiceRoleForConfig", "AWSConfig-Describe", P_CONFIG, "config.amazonaws.com", "config.amazonaws.com", {4, 2, 2, 2}, NULL, NULL, NULL, 3600},
    {A_SVC, 2, D_MACHINE, 2, NULL, NULL, P_ASSUME, "lambda.amazonaws.com", "lambda.amazonaws.com", {8, 2, 2, 2}, "security-scanner-role", "security-scan", "lambda.amazonaws.com", 0},
};
/* clang-format on */
#define NACTORS ((int)(sizeof ACTORS / sizeof ACTORS[0]))

const char *const UA_CLI_MAC =
    "aws-cli/2.17.42 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython "
    "cfg/retry-mode#standard md/installer#source md/prompt#off md/command#";
const char *const UA_BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
                               "Gecko) Chrome/130.0.0.0 Safari/537.36";

/* ---- per-actor parsed data ------------------------------------------------------ */
#define MAXP 64
#define MAXL 6
typedef struct {
    int nops, op[MAXP], w[MAXP];
    int cum[NREG][MAXP]; /* cumulative weights of the ops usable in each region */
    int nip, nua;
    char ip[MAXL][32];
    char ua[MAXL][32];
    char role[96];       /* resolved role name */
    const char *path;
} adata_t;
static adata_t AD[64];

typedef struct {
    int n, actor[64], w[64];
} stream_t;
static stream_t ST[NSTREAM];

static char SSO_NAMES[NACCT][3][80];
static const char *const PERMSETS[3] = {"AdministratorAccess", "ReadOnly", "SecurityAudit"};

const char *sso_role(int acct, const char *permset)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(permset, PERMSETS[i])) {
            if (!SSO_NAMES[acct][i][0]) {
                char hx[20];
                mk_hex(hash3((uint64_t)acct, (uint64_t)i, 0x550), 16, hx);
                snprintf(SSO_NAMES[acct][i], sizeof SSO_NAMES[acct][i], "AWSReservedSSO_%s_%s", permset, hx);
            }
            return SSO_NAMES[acct][i];
        }
    return permset;
}

static int split(const char *s, char out[][32], int max, size_t sz)
{
    int n = 0;
    while (*s && n < max) {
        const char *e = strchr(s, '|');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len >= sz)
            len = sz - 1;
        memcpy(out[n], s, len);
        out[n][len] = 0;
        n++;
        if (!e)
            break;
        s = e + 1;
    }
    return n;
}

void world_init(void)
{
    if (NACTORS > 64) {
        fputs("tg-gen: too many actors\n", stderr);
        exit(2);
    }
    for (int a = 0; a < NACTORS; a++) {
        const actor_t *ac = &ACTORS[a];
        adata_t *d = &AD[a];
        const char *p = ac->profile;
        while (*p) {
            char nm[64];
            int w = 1;
            const char *c = strchr(p, ':'), *e = strchr(p, ',');
            size_t len = (size_t)((c && (!e || c < e)) ? c - p : (e ? e - p : (long)strlen(p)));
            if (len >= sizeof nm)
                len = sizeof nm - 1;
            memcpy(nm, p, len);
            nm[len] = 0;
            if (c && (!e || c < e))
                w = atoi(c + 1);
            int o = op_find(nm);
            if (o < 0) {
                fprintf(stderr, "tg-gen: unknown op %s\n", nm);
                exit(2);
            }
            if (d->nops < MAXP) {
                d->op[d->nops] = o;
                d->w[d->nops++] = w;
            }
            if (!e)
                break;
            p = e + 1;
        }
        for (int r = 0; r < NREG; r++) {
            int cum = 0;
            for (int i = 0; i < d->nops; i++) {
                if (!(OPS[d->op[i]].flags & F_GLOBAL) || r == 0)
                    cum += d->w[i];
                d->cum[r][i] = cum;
            }
        }
        d->nip = split(ac->ips, d->ip, MAXL, 32);
        d->nua = split(ac->uas, d->ua, MAXL, 32); /* short codes ("@cli") or literal names */
        if (ac->name && ac->name[0] == '@') {
            snprintf(d->role, sizeof d->role, "%s", sso_role(ac->acct, ac->name + 1));
            d->path = SSO_PATH;
        } else if (ac->name) {
            snprintf(d->role, sizeof d->role, "%s", ac->name);
            d->path = strncmp(ac->name, "AWSServiceRole", 14) ? "/" : "/aws-service-role/config.amazonaws.com/";
        }
    }
    for (int s = 0; s < NSTREAM; s++) {
        int acct = s / NREG, reg = s % NREG;
        stream_t *st = &ST[s];
        for (int a = 0; a < NACTORS; a++) {
            if (ACTORS[a].acct != acct || !ACTORS[a].reg[reg] || !AD[a].cum[reg][AD[a].nops - 1])
                continue;
            st->actor[st->n] = a;
            st->w[st->n++] = ACTORS[a].weight * ACTORS[a].reg[reg];
        }
    }
}

/* activity factor (0..100) of a diurnal class at time t */
static int factor(int diurnal, int64_t t)
{
    static const int HUMAN[24] = {2, 2, 2, 2, 2, 3, 8, 30, 70, 100, 100, 100,
                                  85, 100, 100, 100, 100, 70, 35, 15, 15, 5, 5, 3};
    int h = (int)((t % 86400 + 86400) % 86400 / 3600), wd = weekday(t);
    switch (diurnal) {
    case D_HUMAN: return wd >= 5 ? (HUMAN[h] * 12 + 50) / 100 : HUMAN[h];
    case D_OFFICE: return wd >= 5 || h < 9 || h > 17 ? 0 : 100;
    default: return (h >= 7 && h <= 20 ? 100 : 60) * (wd >= 5 ? 80 : 100) / 100;
    }
}

uint64_t stream_weight(int s, int64_t t0, int64_t t1)
{
    uint64_t total = 0;
    const stream_t *st = &ST[s];
    while (t0 < t1) {
        int64_t hend = (t0 / 3600 + 1) * 3600;
        if (hend > t1)
            hend = t1;
        uint64_t w = 0;
        for (int i = 0; i < st->n; i++)
            w += (uint64_t)st->w[i] * (uint64_t)factor(ACTORS[st->actor[i]].diurnal, t0);
        total += w * (uint64_t)(hend - t0);
        t0 = hend;
    }
    return total;
}

/* ---- user agents ---------------------------------------------------------------- */
static void cli_command(buf_t *b, const op_t *op)
{
    const char *src = op->source;
    size_t n = strcspn(src, ".");
    if (!strncmp(src, "s3.", 3))
        bs(b, "s3api");
    else if (!strncmp(src, "monitoring.", 11))
        bs(b, "cloudwatch");
    else
        bput(b, src, n);
    bc(b, '.');
    for (const char *p = op->name; *p && !(*p >= '0' && *p <= '9'); p++) {
        if (*p >= 'A' && *p <= 'Z') {
            if (p != op->name)
                bc(b, '-');
            bc(b, (char)(*p - 'A' + 'a'));
        } else
            bc(b, *p);
    }
}

static void user_agent(buf_t *b, const char *code, const op_t *op)
{
    size_t n = strcspn(op->source, ".");
    if (code[0] != '@') {
        bs(b, code);
    } else if (!strcmp(code, "@cli")) {
        bs(b, UA_CLI_MAC);
        cli_command(b, op);
    } else if (!strcmp(code, "@cli-lin")) {
        bs(b, "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.112-124.190.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off "
              "command/");
        cli_command(b, op);
    } else if (!strcmp(code, "@cli-ci")) {
        bs(b, "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 "
              "md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 "
              "md/prompt#off md/command#");
        cli_command(b, op);
    } else if (!strcmp(code, "@boto")) {
        bs(b, "Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 "
              "lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy "
              "Botocore/1.35.54");
    } else if (!strcmp(code, "@boto-etl")) {
        bs(b, "Boto3/1.28.57 md/Botocore#1.31.57 ua/2.0 os/linux#5.10.225-213.878.amzn2.x86_64 md/arch#x86_64 "
              "lang/python#3.9.16 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.31.57");
    } else if (!strcmp(code, "@boto-mac")) {
        bs(b, "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.7 "
              "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36");
    } else if (!strcmp(code, "@boto-ci")) {
        bs(b, "Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 "
              "lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162");
    } else if (!strcmp(code, "@boto-scan")) {
        bs(b, "Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 "
              "lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#standard "
              "Botocore/1.35.54 security-scanner/4.2");
    } else if (!strcmp(code, "@browser")) {
        bs(b, UA_BROWSER);
    } else if (!strcmp(code, "@firefox")) {
        bs(b, "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0");
    } else if (!strcmp(code, "@tf")) {
        bs(b, "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.74.0 "
              "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.3 ua/2.1 os/linux "
              "lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/");
        bput(b, op->source, n);
        bs(b, "#1.38.0");
    } else if (!strcmp(code, "@gha")) {
        bs(b, "aws-sdk-nodejs/3.682.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/");
        bput(b, op->source, n);
        bs(b, "#3.682.0 configure-aws-credentials-for-github-actions");
    } else if (!strcmp(code, "@ssm")) {
        bs(b, "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.987.0");
    } else {
        bs(b, "aws-sdk-go-v2/1.32.3 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/");
        bput(b, op->source, n);
        bs(b, "#1.50.0");
    }
}

/* ---- errors --------------------------------------------------------------------- */
static void generic_error(buf_t *code, buf_t *msg, const op_t *op, const ident_t *id, rng_t *r)
{
    size_t n = strcspn(op->source, ".");
    int ec2 = !strncmp(op->source, "ec2.", 4), s3 = (op->flags & F_S3) != 0;
    if (rng_below(r, 100) < 65) {
        if (ec2) {
            bs(code, "Client.UnauthorizedOperation");
            bs(msg, "You are not authorized to perform this operation. User: ");
            bs(msg, id->arn);
            bs(msg, " is not authorized to perform: ec2:");
            bs(msg, op->name);
            bs(msg, " because no identity-based policy allows the ec2:");
            bs(msg, op->name);
            bs(msg, " action");
        } else if (s3) {
            bs(code, "AccessDenied");
            bs(msg, "Access Denied");
        } else {
            bs(code, "AccessDenied");
            bs(msg, "User: ");
            bs(msg, id->arn);
            bs(msg, " is not authorized to perform: ");
            bput(msg, op->source, n);
            bc(msg, ':');
            bs(msg, op->name);
            bs(msg, " because no identity-based policy allows the ");
            bput(msg, op->source, n);
            bc(msg, ':');
            bs(msg, op->name);
            bs(msg, " action");
        }
    } else if (ec2) {
        bs(code, "Client.RequestLimitExceeded");
        bs(msg, "Request limit exceeded.");
    } else if (s3) {
        bs(code, "SlowDown");
        bs(msg, "Please reduce your request rate.");
    } else {
        bs(code, "ThrottlingException");
        bs(msg, "Rate exceeded");
    }
}

/* ---- one background record ------------------------------------------------------ */
static buf_t req, resp, res, addl, ecode, emsg, uab;

void gen_background(buf_t *b, int s, int64_t t, rng_t *r)
{
    const stream_t *st = &ST[s];
    int acct = s / NREG, reg = s % NREG;
    /* choose the actor */
    uint64_t tot = 0, cw[64];
    for (int i = 0; i < st->n; i++) {
        tot += (uint64_t)st->w[i] * (uint64_t)factor(ACTORS[st->actor[i]].diurnal, t);
        cw[i] = tot;
    }
    int ai = 0;
    if (tot) {
        uint64_t x = rng_next(r) % tot;
        while (cw[ai] <= x)
            ai++;
    }
    int a = st->actor[ai];
    const actor_t *ac = &ACTORS[a];
    const adata_t *d = &AD[a];
    /* choose the operation */
    int ncum = d->cum[reg][d->nops - 1], x = (int)rng_below(r, (uint32_t)ncum), oi = 0;
    while (d->cum[reg][oi] <= x)
        oi++;
    const op_t *op = &OPS[d->op[oi]];

    tctx_t c;
    tctx_init(&c, acct, reg, t, r);
    ident_t id;
    char sess[96], eid[37], rid[37], hostb[128];
    const char *ip = d->ip[rng_below(r, (uint32_t)d->nip)];
    const char *uacode = d->ua[rng_below(r, (uint32_t)d->nua)];
    int console = !strcmp(uacode, "@browser") || !strcmp(uacode, "@firefox");
    int64_t blk = ac->block ? t / ac->block : 0;
    memset(&id, 0, sizeof id);

    switch (ac->kind) {
    case A_USER:
        id_user(&id, acct, ac->name, NULL);
        if (console || (op->flags & F_SIGNIN)) {
            char k[24];
            if (op->flags & F_SIGNIN) {
                id.key[0] = 0;
            } else {
                int64_t cs = t / 28800 * 28800 + (int64_t)(hash3((uint64_t)a, (uint64_t)(t / 28800), 12) % 1200);
                mk_key("ASIA", hash3((uint64_t)a, (uint64_t)(t / 28800), 11), k);
                snprintf(id.key, sizeof id.key, "%s", k);
                id.session = 1;
                iso(cs <= t ? cs : t - 60, id.created);
                id.mfa = "true";
            }
        }
        break;
    case A_ROLE: {
        char key[24];
        if (!strcmp(ac->session, "$i")) {
            char hx[20];
            mk_hex(hash3((uint64_t)(acct * 8 + reg), 'I', (uint64_t)(a % 12)), 16, hx);
            snprintf(sess, sizeof sess, "i-0%s", hx);
        } else if (!strcmp(ac->session, "$r"))
            snprintf(sess, sizeof sess, "terraform-run-%llu", (unsigned long long)(hash3((uint64_t)a, (uint64_t)blk, 3) % 90000 + 10000));
        else
            snprintf(sess, sizeof sess, "%s", ac->session);
        mk_key("ASIA", hash3((uint64_t)a, (uint64_t)blk, 5), key);
        int64_t created = blk * ac->block - (int64_t)(hash3((uint64_t)a, (uint64_t)blk, 6) % 300);
        id_role(&id, ACCT_ID[acct], d->path, d->role, sess, key, created, "false");
        if (!strcmp(ac->session, "$i"))
            id.ec2_delivery = "2.0";
        break;
    }
    case A_SVC:
        id.type = "AWSService";
        id.invoked_by = ac->src;
        break;
    case A_XACCT: {
        char rid2[24];
        role_id(ac->src, strcmp(ac->src, "777788889999") ? "github-actions-deploy" : "security-scanner-role", rid2);
        id.type = "AWSAccount";
        snprintf(id.principal_id, sizeof id.principal_id, "%s:%s", rid2, ac->tsession);
        snprintf(id.account, sizeof id.account, "%s", ac->src);
        break;
    }
    }
    if (op->flags & F_WEBID) {
        memset(&id, 0, sizeof id);
        id.type = "WebIdentityUser";
        snprintf(id.principal_id, sizeof id.principal_id,
                 "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:"
                 "repo:acme/orders-service:ref:refs/heads/main", ACCT_ID[acct]);
        snprintf(id.user, sizeof id.user, "repo:acme/orders-service:ref:refs/heads/main");
        snprintf(id.idp, sizeof id.idp, "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com",
                 ACCT_ID[acct]);
        c.target = "github-actions-deploy";
    }
    if (op->flags & F_ASSUME) {
        c.target = ac->target;
        if (ac->tsession && !strcmp(ac->tsession, "$i")) {
            char hx[20];
            mk_hex(hash3((uint64_t)(acct * 8 + reg), 'I', rng_below(r, 12)), 16, hx);
            snprintf(sess, sizeof sess, "i-0%s", hx);
            c.tsession = sess;
        } else if (ac->kind == A_XACCT) {
            snprintf(sess, sizeof sess, "%s-%llu", ac->tsession, (unsigned long long)(t / 3600 % 100000));
            c.tsession = sess;
        } else
            c.tsession = ac->tsession;
    }

    buf_t *scratch[] = {&req, &resp, &res, &addl, &ecode, &emsg, &uab};
    for (size_t i = 0; i < sizeof scratch / sizeof scratch[0]; i++) {
        scratch[i]->n = 0;
        if (scratch[i]->p)
            scratch[i]->p[0] = 0;
    }
    if (op->req)
        expand(&req, op->req, &c);
    if (op->resp)
        expand(&resp, op->resp, &c);
    if (op->res)
        expand(&res, op->res, &c);
    if (!strcmp(ip, "AWS Internal"))
        bs(&uab, "AWS Internal");
    else
        user_agent(&uab, uacode, op);

    /* errors */
    if (!(op->flags & F_NOERR)) {
        uint32_t roll = rng_below(r, 10000);
        if (op->ecode && roll < (uint32_t)op->erate) {
            expand(&ecode, op->ecode, &c);
            expand(&emsg, op->emsg, &c);
        } else if (roll >= 9920) {
            generic_error(&ecode, &emsg, op, &id, r);
        }
    }

    mk_uuid(r, eid);
    rec_t rc;
    memset(&rc, 0, sizeof rc);
    rc.t = t;
    rc.id = &id;
    rc.source = op->source;
    rc.name = op->name;
    rc.region = REGION[reg];
    rc.ip = ip;
    rc.ua = uab.p;
    rc.err_code = ecode.n ? ecode.p : NULL;
    rc.err_msg = ecode.n && emsg.n ? emsg.p : NULL;
    rc.req = req.n ? req.p : NULL;
    rc.resp = resp.n ? resp.p : NULL;
    rc.resources = res.n ? res.p : NULL;
    rc.event_id = eid;
    rc.readonly = (op->flags & F_RO) != 0;
    rc.data = (op->flags & F_DATA) != 0;
    rc.recipient = ACCT_ID[acct];
    rc.from_console = console && ac->kind != A_SVC && !(op->flags & F_SIGNIN);
    if (op->flags & F_SIGNIN) {
        rc.event_type = "AwsConsoleSignIn";
        rc.resp = "{\"ConsoleLogin\":\"Success\"}";
        bf(&addl, "{\"LoginTo\":\"https://console.aws.amazon.com/console/home?hashArgs=%%23&isauthcode=true&state=hashArgsFromTB_us-east-1_%.16s\",\"MobileVersion\":\"No\",\"MFAIdentifier\":\"arn:aws:iam::%s:mfa/%s\",\"MFAUsed\":\"Yes\"}",
           eid + 19, ACCT_ID[acct], ac->name);
        rc.addl = addl.p;
        rc.ua = console ? uab.p : UA_BROWSER;
        rc.tls_host = "signin.aws.amazon.com";
        rc.readonly = 0;
    } else {
        if (op->flags & F_S3) {
            /* x-amz-id-2 names the S3 host that served the request: one per bucket host and hour */
            char x2[80];
            uint64_t hh = hash3((uint64_t)s, (uint64_t)(t / 3600), (uint64_t)c.memo['B'] + 7);
            rng_t xr;
            rng_seed(&xr, hh);
            mk_alnum(&xr, 76, x2);
            bf(&addl, "{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":%u,\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"%s\",\"bytesTransferredOut\":%u}",
               (op->flags & F_DATA) && !(op->flags & F_RO) ? 20000 + rng_below(r, 900000) : 0, x2,
               rng_below(r, 40000) + 200);
            rc.addl = addl.p;
            char hx[20];
            mk_hex(rng_next(r), 16, hx);
            for (char *p = hx; *p; p++)
                if (*p >= 'a')
                    *p = (char)(*p - 'a' + 'A');
            snprintf(rid, sizeof rid, "%s", hx);
        } else
            mk_uuid(r, rid);
        rc.request_id = rid;
        if (ac->kind != A_SVC && strcmp(ip, "AWS Internal") && strcmp(ip, "config.amazonaws.com")) {
            size_t n = strcspn(op->source, ".");
            if (op->flags & F_GLOBAL)
                snprintf(hostb, sizeof hostb, "%s", op->source);
            else if ((op->flags & F_S3) && req.n && strstr(req.p, "\"Host\":\"")) {
                const char *h = strstr(req.p, "\"Host\":\"") + 8;
                snprintf(hostb, sizeof hostb, "%.*s", (int)strcspn(h, "\""), h);
            } else if (!strncmp(op->source, "sts.", 4) && reg == 0)
                snprintf(hostb, sizeof hostb, "sts.amazonaws.com");
            else
                snprintf(hostb, sizeof hostb, "%.*s.%s.amazonaws.com", (int)n, op->source, REGION[reg]);
            rc.tls_host = hostb;
        }
    }
    char vpce[32];
    if (!strncmp(ip, "10.", 3) && !(op->flags & F_S3)) {
        /* calls from inside a VPC go through an interface endpoint of that service */
        char hx[20];
        mk_hex(hash3((uint64_t)s, (uint64_t)strcspn(op->source, "."), (uint64_t)(unsigned char)op->source[0]), 16, hx);
        snprintf(vpce, sizeof vpce, "vpce-0%s", hx);
        rc.vpce = vpce;
    }
    char shared[37];
    if (ac->kind == A_XACCT) {
        mk_uuid(r, shared);
        rc.shared_id = shared;
    }
    write_record(b, &rc);
}
