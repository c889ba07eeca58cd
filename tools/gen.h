/* gen.h - shared declarations of the tg-gen data generator.
 *
 * tg-gen writes synthetic CloudTrail logs exactly as delivered to S3. Everything it
 * writes is a function of its arguments: a seeded PRNG, integer arithmetic only (no
 * floating point reaches the output), no clock, no rand(). */
#ifndef TG_GEN_H
#define TG_GEN_H

#include <stddef.h>
#include <stdint.h>

/* ---- PRNG: xoshiro256** seeded through splitmix64 --------------------------------- */
typedef struct { uint64_t s[4]; } rng_t;
uint64_t mix64(uint64_t x);                        /* splitmix64 finaliser, a hash */
uint64_t hash3(uint64_t a, uint64_t b, uint64_t c); /* hash of three integers */
void rng_seed(rng_t *r, uint64_t seed);
uint64_t rng_next(rng_t *r);
uint32_t rng_below(rng_t *r, uint32_t n);          /* uniform in [0,n) (n > 0) */
int rng_pct(rng_t *r, unsigned per10000);          /* true with probability p/10000 */

/* ---- growable byte buffer ---------------------------------------------------------- */
typedef struct { char *p; size_t n, cap; } buf_t;
void bput(buf_t *b, const void *s, size_t n);
void bs(buf_t *b, const char *s);
void bc(buf_t *b, char c);
void bf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bjs(buf_t *b, const char *s);           /* JSON string, quotes included */
void bkv(buf_t *b, const char *k, const char *v); /* ,"k":"v" without leading comma */
void bfree(buf_t *b);

/* ---- identifiers ------------------------------------------------------------------- */
void mk_uuid(rng_t *r, char out[37]);
void mk_b32(uint64_t h, int n, char *out);   /* n chars of [A-Z2-7] from a hash, NUL-terminated */
void mk_hex(uint64_t h, int n, char *out);   /* n lower hex chars */
void mk_alnum(rng_t *r, int n, char *out);
void mk_key(const char *prefix, uint64_t h, char out[21]); /* AKIA/ASIA/AIDA/AROA + 16 */

/* ---- time -------------------------------------------------------------------------- */
int64_t days_from_civil(int y, int m, int d);
void civil(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s);
void iso(int64_t t, char out[21]);           /* 2026-11-19T02:13:07Z */
int parse_iso(const char *s, int64_t *t);
int weekday(int64_t t);                      /* 0 = Monday */

/* ---- sha256 ------------------------------------------------------------------------ */
typedef struct { uint32_t h[8]; uint64_t len; unsigned char blk[64]; size_t nb; } sha256_t;
void sha256_init(sha256_t *c);
void sha256_update(sha256_t *c, const void *p, size_t n);
void sha256_final(sha256_t *c, unsigned char out[32]);

/* ---- files ------------------------------------------------------------------------- */
int mkdir_p(const char *path);                /* for the directory part of a file path */
int write_gz(const char *path, const char *data, size_t n, int level, uint64_t *gz_bytes);

/* ---- the world: accounts, regions, principals -------------------------------------- */
#define NACCT 3
#define NREG 4
#define NSTREAM (NACCT * NREG)
extern const char *const ACCT_ID[NACCT];
extern const char *const ACCT_ALIAS[NACCT];
extern const char *const ACCT_ENV[NACCT];
extern const char *const REGION[NREG];
#define ORG_ID "o-a1b2c3d4e5"
#define EXT_ACCT "999988887777"
#define TRAIL_BUCKET "acme-org-cloudtrail-logs"

/* A userIdentity as written in a record. */
typedef struct {
    const char *type;            /* IAMUser AssumedRole Root AWSAccount AWSService WebIdentityUser */
    char principal_id[200];
    char arn[220];
    char account[16];
    char key[24];
    int key_blank;               /* write "accessKeyId":"" */
    char user[120];
    int session;                 /* write sessionContext */
    char iss_type[8], iss_pid[24], iss_arn[220], iss_acct[16], iss_name[120];
    char created[24];
    const char *mfa;             /* "true"/"false" */
    const char *ec2_delivery;    /* "2.0" for instance roles */
    const char *invoked_by;
    char idp[200];               /* WebIdentityUser identityProvider */
} ident_t;

/* One record to write. Strings that are NULL are omitted (req/resp become null). */
typedef struct {
    int64_t t;
    const ident_t *id;
    const char *source;          /* iam.amazonaws.com */
    const char *name;
    const char *region;
    const char *ip, *ua;
    const char *err_code, *err_msg;
    const char *req, *resp, *addl, *resources;
    const char *event_type;      /* default AwsApiCall */
    const char *request_id;      /* NULL: omit */
    const char *event_id;
    int readonly;                /* 0 / 1; -1 omit */
    int data;                    /* data event */
    const char *tls_host;        /* NULL: no tlsDetails */
    const char *recipient;
    const char *shared_id;
    const char *vpce;            /* vpcEndpointId (recipient account owns it) */
    int from_console;            /* sessionCredentialFromConsole */
} rec_t;

void write_record(buf_t *b, const rec_t *r);

/* identity helpers */
void id_user(ident_t *id, int acct, const char *user, const char *key);
void id_role(ident_t *id, const char *acct_id, const char *role_path, const char *role,
             const char *session, const char *key, int64_t created, const char *mfa);
void id_root(ident_t *id, int acct);
void role_id(const char *acct_id, const char *role, char out[24]);
void user_id(const char *acct_id, const char *user, char out[24]);
void user_key(const char *acct_id, const char *user, char out[24]);

/* AWSReservedSSO_<permset>_<16 hex> role name of an account (static storage) */
const char *sso_role(int acct, const char *permset);
#define SSO_PATH "/aws-reserved/sso.amazonaws.com/"
extern const char *const UA_CLI_MAC, *const UA_BROWSER;

/* operation catalogue (gen_ops.c) */
enum { F_RO = 1, F_GLOBAL = 2, F_DATA = 4, F_S3 = 8, F_NOERR = 16, F_SIGNIN = 32, F_WEBID = 64,
       F_ASSUME = 128, F_IAMW = 256 };
typedef struct {
    const char *name, *source;
    unsigned flags;
    const char *req, *resp, *res;
    const char *ecode, *emsg;   /* op-specific error */
    int erate;                  /* its rate per 10000 */
} op_t;
extern const op_t OPS[];
extern const int NOPS;
int op_find(const char *name);

typedef struct {
    int acct, reg;
    int64_t t;
    rng_t *r;
    const char *target, *tsession;  /* AssumeRole target role and session */
    int memo[128];
    char key[24];
} tctx_t;
void tctx_init(tctx_t *c, int acct, int reg, int64_t t, rng_t *r);
void expand(buf_t *b, const char *tmpl, tctx_t *c);
const char *pool_bucket(tctx_t *c, char out[64]);

/* background traffic */
void world_init(void);
/* weight of background traffic of one stream over [t0,t1): integer, deterministic */
uint64_t stream_weight(int stream, int64_t t0, int64_t t1);
/* write one background record of stream s at time t, drawing choices from r */
void gen_background(buf_t *b, int stream, int64_t t, rng_t *r);

/* ---- planted incidents and the ground truth ---------------------------------------- */
typedef struct {
    int64_t t;
    int stream;
    int incident;                /* 1..15 */
    int lookalike;
    char event_id[37];
    char name[48];
    char principal[240];
    char note[160];
    char *json;
} inc_ev_t;

typedef struct {
    inc_ev_t *ev;
    size_t n, cap;
} incidents_t;

void plant_incidents(incidents_t *inc, int64_t start, int64_t end, uint64_t seed);
int write_truth(const char *path, const incidents_t *inc, int64_t start, int64_t end,
                uint64_t seed, long events, int days, char (*dup_ids)[37], int dupes, int digests,
                int files, uint64_t gz_bytes);
/* the same ground truth as TSV: incident, role (planted|lookalike), eventID, time, eventName, principal */
int write_truth_tsv(const char *path, const incidents_t *inc);

/* ---- incident constants and the values the truth document reports ---- */
#define HOSTILE_IP "203.0.113.66"
#define EXT_IP "203.0.113.140"
#define CHAIN_IP "203.0.113.180"
#define BURST_IP "203.0.113.99"
#define NEWGEO_IP "203.0.113.200"
#define CONTRACTOR_IP "192.0.2.77"
#define CONTRACTOR_NEW_IP "203.0.113.45"
#define MALLORY_HOME_IP "192.0.2.44"
#define MALLORY_IP "198.51.100.23"
#define TF_IP "198.51.100.10"
#define UA_KALI "Boto3/1.26.137 md/Botocore#1.29.137 ua/2.0 os/linux#6.5.0-kali3-amd64 md/arch#x86_64 " \
    "lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.29.137"
#define UA_OLDCLI "aws-cli/1.29.62 Python/3.8.10 Linux/5.15.0-91-generic botocore/1.31.62"
#define UA_NEWGEO "Boto3/1.35.10 md/Botocore#1.35.10 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.12.4 " \
    "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.10"
#define UA_TF_IAM "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.74.0 " \
    "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.3 ua/2.1 os/linux lang/go#1.23.2 " \
    "md/GOOS#linux md/GOARCH#amd64 api/iam#1.38.0"
#define UA_CONTRACTOR "aws-cli/2.13.25 Python/3.11.5 Linux/5.15.0-1049-aws exe/x86_64.ubuntu.22 prompt/off"
#define UA_CI "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 " \
    "md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 " \
    "md/prompt#off md/command#s3.cp"
#define UA_BOTO_LAMBDA "Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 " \
    "md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy " \
    "Botocore/1.35.54"
#define ADMIN_POLICY "arn:aws:iam::aws:policy/AdministratorAccess"
#define PROD "111122223333"
#define TRAIL_ARN "arn:aws:cloudtrail:us-east-1:111122223333:trail/prod-audit-trail"

typedef struct {
    char k_build[40], k_build2[40], k_old[40], k_orphan[40], k_etl2[40], k_chain[40], k_ext[40],
        k_backup2[40], k_mallory[40], k_priya[40], k_tfclean[40], k_tfpay[40], inst_reporting[40],
        snap_id[40], ami_id[40], kms_key[40];
} inc_keys_t;
extern inc_keys_t KEYS;
#define K_BUILD KEYS.k_build
#define K_BUILD2 KEYS.k_build2
#define K_OLD KEYS.k_old
#define K_ORPHAN KEYS.k_orphan
#define K_ETL2 KEYS.k_etl2
#define K_CHAIN KEYS.k_chain
#define K_EXT KEYS.k_ext
#define K_BACKUP2 KEYS.k_backup2
#define K_MALLORY KEYS.k_mallory
#define K_PRIYA KEYS.k_priya
#define K_TFCLEAN KEYS.k_tfclean
#define K_TFPAY KEYS.k_tfpay
#define INST_REPORTING KEYS.inst_reporting
#define SNAP_ID KEYS.snap_id
#define AMI_ID KEYS.ami_id
#define KMS_KEY KEYS.kms_key

#endif
