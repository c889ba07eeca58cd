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
                uint64_t seed, long events, int days, int dupes, int digests, int files,
                const char *args);

#endif
