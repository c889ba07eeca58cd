/* gen_ops.c - the catalogue of background API operations and its template language.
 *
 * Templates are JSON text with $-placeholders. A placeholder that names a resource
 * picks one member of a per-account/region pool on first use and keeps it for the rest
 * of the record, so requestParameters, responseElements and resources agree. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

#define BKT "{\"bucketName\":\"$B\",\"Host\":\"$B.s3.$R.amazonaws.com\""
#define RBKT "[{\"accountId\":\"$A\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::$B\"}]"
#define ROBJ "[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::$B/$k\"},{\"accountId\":\"$A\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::$B\"}]"
#define RKMS "[{\"accountId\":\"$A\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:$R:$A:key/$K\"}]"
#define RROLE "[{\"accountId\":\"$A\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::$A:role/$L\"}]"
#define RFN "[{\"accountId\":\"$A\",\"type\":\"AWS::Lambda::Function\",\"ARN\":\"arn:aws:lambda:$R:$A:function:$F\"}]"
#define EC2F(n, v) "\"filterSet\":{\"items\":[{\"name\":\"" n "\",\"valueSet\":{\"items\":[{\"value\":\"" v "\"}]}}]}"
#define TRAIL "arn:aws:cloudtrail:us-east-1:$A:trail/org-trail"

const op_t OPS[] = {
    /* ---- EC2 ---- */
    {"DescribeInstances", "ec2.amazonaws.com", F_RO,
     "{\"maxResults\":1000,\"instancesSet\":{}," EC2F("tag:Environment", "$e") "}", NULL, NULL, NULL, NULL, 0},
    {"DescribeInstanceStatus", "ec2.amazonaws.com", F_RO,
     "{\"instancesSet\":{\"items\":[{\"instanceId\":\"$I\"}]},\"filterSet\":{},\"includeAllInstances\":false}",
     NULL, NULL, NULL, NULL, 0},
    {"DescribeSecurityGroups", "ec2.amazonaws.com", F_RO,
     "{\"securityGroupSet\":{},\"securityGroupIdSet\":{\"items\":[{\"groupId\":\"$G\"}]},\"filterSet\":{}}",
     NULL, NULL, NULL, NULL, 0},
    {"DescribeVolumes", "ec2.amazonaws.com", F_RO,
     "{\"volumeSet\":{}," EC2F("attachment.instance-id", "$I") "}", NULL, NULL, NULL, NULL, 0},
    {"DescribeSnapshots", "ec2.amazonaws.com", F_RO,
     "{\"snapshotSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"self\"}]},\"sharedUsersSet\":{},"
     EC2F("tag:backup", "daily") "}", NULL, NULL, NULL, NULL, 0},
    {"DescribeImages", "ec2.amazonaws.com", F_RO,
     "{\"executableBySet\":{},\"imagesSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"$A\"}]},"
     EC2F("name", "acme-$e-base-*") "}", NULL, NULL, NULL, NULL, 0},
    {"DescribeSubnets", "ec2.amazonaws.com", F_RO, "{\"subnetSet\":{}," EC2F("vpc-id", "$V") "}",
     NULL, NULL, NULL, NULL, 0},
    {"DescribeVpcs", "ec2.amazonaws.com", F_RO, "{\"vpcSet\":{},\"filterSet\":{}}", NULL, NULL, NULL, NULL, 0},
    {"DescribeNetworkInterfaces", "ec2.amazonaws.com", F_RO,
     "{\"networkInterfaceIdSet\":{}," EC2F("vpc-id", "$V") "}", NULL, NULL, NULL, NULL, 0},
    {"DescribeTags", "ec2.amazonaws.com", F_RO, "{" EC2F("resource-id", "$I") "}", NULL, NULL, NULL, NULL, 0},
    {"CreateTags", "ec2.amazonaws.com", 0,
     "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"$O\"}]},\"tagSet\":{\"items\":[{\"key\":\"backup\",\"value\":\"daily\"},{\"key\":\"retention\",\"value\":\"14d\"}]}}",
     "{\"requestId\":\"$Q\",\"_return\":true}", NULL, NULL, NULL, 0},
    {"CreateSnapshot", "ec2.amazonaws.com", 0,
     "{\"volumeId\":\"$Y\",\"description\":\"daily backup of $I\"}",
     "{\"requestId\":\"$Q\",\"snapshotId\":\"$O\",\"volumeId\":\"$Y\",\"status\":\"pending\",\"startTime\":$J,\"progress\":\"\",\"ownerId\":\"$A\",\"volumeSize\":100,\"encrypted\":true,\"kmsKeyId\":\"arn:aws:kms:$R:$A:key/$K\",\"description\":\"daily backup of $I\"}",
     NULL, NULL, NULL, 0},
    {"DeleteSnapshot", "ec2.amazonaws.com", 0, "{\"snapshotId\":\"$O\"}",
     "{\"requestId\":\"$Q\",\"_return\":true}", NULL, "Client.InvalidSnapshot.InUse",
     "The snapshot $O is currently in use by $M", 150},
    /* ---- S3 ---- */
    {"ListBuckets", "s3.amazonaws.com", F_RO | F_S3, "{\"Host\":\"s3.amazonaws.com\"}", NULL, NULL, NULL, NULL, 0},
    {"GetBucketLocation", "s3.amazonaws.com", F_RO | F_S3, BKT ",\"location\":\"\"}", NULL, RBKT, NULL, NULL, 0},
    {"GetBucketPolicy", "s3.amazonaws.com", F_RO | F_S3, BKT ",\"policy\":\"\"}", NULL, RBKT,
     "NoSuchBucketPolicy", "The bucket policy does not exist", 2500},
    {"GetBucketAcl", "s3.amazonaws.com", F_RO | F_S3, BKT ",\"acl\":\"\"}", NULL, RBKT, NULL, NULL, 0},
    {"GetBucketEncryption", "s3.amazonaws.com", F_RO | F_S3, BKT ",\"encryption\":\"\"}", NULL, RBKT,
     "ServerSideEncryptionConfigurationNotFoundError",
     "The server side encryption configuration was not found", 400},
    {"GetBucketVersioning", "s3.amazonaws.com", F_RO | F_S3, BKT ",\"versioning\":\"\"}", NULL, RBKT, NULL, NULL, 0},
    {"GetObject", "s3.amazonaws.com", F_RO | F_S3 | F_DATA, BKT ",\"key\":\"$k\"}", NULL, ROBJ,
     "NoSuchKey", "The specified key does not exist.", 120},
    {"PutObject", "s3.amazonaws.com", F_S3 | F_DATA, BKT ",\"key\":\"$k\"}",
     "{\"x-amz-server-side-encryption\":\"aws:kms\",\"x-amz-server-side-encryption-aws-kms-key-id\":\"arn:aws:kms:$R:$A:key/$K\",\"x-amz-server-side-encryption-bucket-key-enabled\":\"true\"}",
     ROBJ, NULL, NULL, 0},
    /* ---- IAM (global, recorded in us-east-1) ---- */
    {"ListUsers", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"maxItems\":100}", NULL, NULL, NULL, NULL, 0},
    {"ListRoles", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"maxItems\":1000}", NULL, NULL, NULL, NULL, 0},
    {"ListPolicies", "iam.amazonaws.com", F_RO | F_GLOBAL,
     "{\"scope\":\"Local\",\"onlyAttached\":false,\"policyUsageFilter\":\"PermissionsPolicy\",\"maxItems\":100}",
     NULL, NULL, NULL, NULL, 0},
    {"GetRole", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"roleName\":\"$L\"}", NULL, NULL,
     "NoSuchEntity", "The role with name $L cannot be found.", 200},
    {"GetUser", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"userName\":\"$U\"}", NULL, NULL,
     "NoSuchEntity", "The user with name $U cannot be found.", 300},
    {"ListAttachedRolePolicies", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"roleName\":\"$L\",\"maxItems\":100}",
     NULL, NULL, NULL, NULL, 0},
    {"ListRolePolicies", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"roleName\":\"$L\"}", NULL, NULL, NULL, NULL, 0},
    {"GetRolePolicy", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"roleName\":\"$L\",\"policyName\":\"$L-inline\"}",
     NULL, NULL, "NoSuchEntity", "The role policy with name $L-inline cannot be found.", 800},
    {"GetPolicy", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"policyArn\":\"$P\"}", NULL, NULL, NULL, NULL, 0},
    {"GetPolicyVersion", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"policyArn\":\"$P\",\"versionId\":\"v$d\"}",
     NULL, NULL, NULL, NULL, 0},
    {"ListAccessKeys", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"userName\":\"$U\"}", NULL, NULL, NULL, NULL, 0},
    {"ListMFADevices", "iam.amazonaws.com", F_RO | F_GLOBAL, "{\"userName\":\"$U\"}", NULL, NULL, NULL, NULL, 0},
    {"GetAccountSummary", "iam.amazonaws.com", F_RO | F_GLOBAL, NULL, NULL, NULL, NULL, NULL, 0},
    {"TagRole", "iam.amazonaws.com", F_GLOBAL | F_NOERR | F_IAMW,
     "{\"roleName\":\"$L\",\"tags\":[{\"key\":\"ManagedBy\",\"value\":\"terraform\"},{\"key\":\"Environment\",\"value\":\"$e\"},{\"key\":\"CostCenter\",\"value\":\"cc-$d\"}]}",
     NULL, RROLE, NULL, NULL, 0},
    {"UpdateRole", "iam.amazonaws.com", F_GLOBAL | F_NOERR | F_IAMW,
     "{\"roleName\":\"$L\",\"description\":\"Managed by Terraform\",\"maxSessionDuration\":3600}", NULL, RROLE,
     NULL, NULL, 0},
    {"AttachRolePolicy", "iam.amazonaws.com", F_GLOBAL | F_NOERR | F_IAMW, "{\"roleName\":\"$L\",\"policyArn\":\"$P\"}",
     NULL, RROLE, NULL, NULL, 0},
    {"PutRolePolicy", "iam.amazonaws.com", F_GLOBAL | F_NOERR | F_IAMW,
     "{\"roleName\":\"$L\",\"policyName\":\"$L-inline\",\"policyDocument\":$p}", NULL, RROLE, NULL, NULL, 0},
    {"CreatePolicyVersion", "iam.amazonaws.com", F_GLOBAL | F_NOERR | F_IAMW,
     "{\"policyArn\":\"$P\",\"policyDocument\":$p,\"setAsDefault\":true}",
     "{\"policyVersion\":{\"versionId\":\"v$d\",\"isDefaultVersion\":true,\"createDate\":\"$w\"}}", NULL, NULL, NULL, 0},
    {"UpdateAssumeRolePolicy", "iam.amazonaws.com", F_GLOBAL | F_NOERR | F_IAMW,
     "{\"roleName\":\"$L\",\"policyDocument\":$t}", NULL, RROLE, NULL, NULL, 0},
    /* ---- STS ---- */
    {"GetCallerIdentity", "sts.amazonaws.com", F_RO | F_NOERR, NULL, NULL, NULL, NULL, NULL, 0},
    {"AssumeRole", "sts.amazonaws.com", F_RO | F_NOERR | F_ASSUME,
     "{\"roleArn\":\"arn:aws:iam::$A:role/$l\",\"roleSessionName\":\"$s\",\"durationSeconds\":3600}",
     "{\"credentials\":{\"accessKeyId\":\"$a\",\"sessionToken\":\"$Z\",\"expiration\":\"$X\"},\"assumedRoleUser\":{\"assumedRoleId\":\"$r:$s\",\"arn\":\"arn:aws:sts::$A:assumed-role/$l/$s\"}}",
     "[{\"accountId\":\"$A\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::$A:role/$l\"}]", NULL, NULL, 0},
    {"AssumeRoleWithWebIdentity", "sts.amazonaws.com", F_RO | F_NOERR | F_WEBID,
     "{\"roleArn\":\"arn:aws:iam::$A:role/github-actions-deploy\",\"roleSessionName\":\"GitHubActions\",\"durationSeconds\":3600}",
     "{\"credentials\":{\"accessKeyId\":\"$a\",\"sessionToken\":\"$Z\",\"expiration\":\"$X\"},\"subjectFromWebIdentityToken\":\"repo:acme/orders-service:ref:refs/heads/main\",\"assumedRoleUser\":{\"assumedRoleId\":\"$r:GitHubActions\",\"arn\":\"arn:aws:sts::$A:assumed-role/github-actions-deploy/GitHubActions\"},\"provider\":\"arn:aws:iam::$A:oidc-provider/token.actions.githubusercontent.com\",\"audience\":\"sts.amazonaws.com\"}",
     "[{\"accountId\":\"$A\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::$A:role/github-actions-deploy\"}]",
     NULL, NULL, 0},
    /* ---- KMS ---- */
    {"Decrypt", "kms.amazonaws.com", F_RO,
     "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::$B/$k\"}}",
     NULL, RKMS, NULL, NULL, 0},
    {"GenerateDataKey", "kms.amazonaws.com", F_RO,
     "{\"keyId\":\"arn:aws:kms:$R:$A:key/$K\",\"keySpec\":\"AES_256\",\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::$B\"}}",
     NULL, RKMS, NULL, NULL, 0},
    {"DescribeKey", "kms.amazonaws.com", F_RO, "{\"keyId\":\"arn:aws:kms:$R:$A:key/$K\"}", NULL, RKMS, NULL, NULL, 0},
    {"ListAliases", "kms.amazonaws.com", F_RO, "{\"limit\":100}", NULL, NULL, NULL, NULL, 0},
    /* ---- Lambda ---- */
    {"ListFunctions20150331", "lambda.amazonaws.com", F_RO, "{\"maxItems\":50}", NULL, NULL, NULL, NULL, 0},
    {"GetFunction20150331v2", "lambda.amazonaws.com", F_RO, "{\"functionName\":\"$F\"}", NULL, NULL,
     "ResourceNotFoundException", "Function not found: arn:aws:lambda:$R:$A:function:$F", 150},
    {"UpdateFunctionCode20150331v2", "lambda.amazonaws.com", F_NOERR,
     "{\"functionName\":\"$F\",\"s3Bucket\":\"acme-$e-artifacts\",\"s3Key\":\"builds/$F/$H.zip\",\"publish\":true,\"dryRun\":false,\"architectures\":[\"arm64\"]}",
     "{\"functionName\":\"$F\",\"functionArn\":\"arn:aws:lambda:$R:$A:function:$F:$d\",\"runtime\":\"python3.12\",\"role\":\"arn:aws:iam::$A:role/orders-api-role\",\"handler\":\"app.handler\",\"codeSize\":1834211,\"description\":\"\",\"timeout\":30,\"memorySize\":512,\"lastModified\":\"$W.000+0000\",\"codeSha256\":\"$h\",\"version\":\"$d\",\"tracingConfig\":{\"mode\":\"PassThrough\"},\"revisionId\":\"$Q\",\"state\":\"Active\",\"lastUpdateStatus\":\"InProgress\",\"packageType\":\"Zip\",\"architectures\":[\"arm64\"],\"ephemeralStorage\":{\"size\":512}}",
     RFN, NULL, NULL, 0},
    {"Invoke", "lambda.amazonaws.com", F_DATA | F_NOERR,
     "{\"functionName\":\"arn:aws:lambda:$R:$A:function:$F\",\"invocationType\":\"Event\",\"logType\":\"None\"}",
     NULL, RFN, NULL, NULL, 0},
    /* ---- CloudWatch, Logs ---- */
    {"DescribeLogGroups", "logs.amazonaws.com", F_RO, "{\"logGroupNamePrefix\":\"/aws/lambda/\",\"limit\":50}",
     NULL, NULL, NULL, NULL, 0},
    {"FilterLogEvents", "logs.amazonaws.com", F_RO,
     "{\"logGroupName\":\"/aws/lambda/$F\",\"startTime\":$J,\"filterPattern\":\"ERROR\",\"interleaved\":true}",
     NULL, NULL, NULL, NULL, 0},
    {"DescribeAlarms", "monitoring.amazonaws.com", F_RO, "{\"stateValue\":\"ALARM\",\"maxRecords\":100}",
     NULL, NULL, NULL, NULL, 0},
    {"GetMetricData", "monitoring.amazonaws.com", F_RO,
     "{\"metricDataQueries\":[{\"id\":\"m1\",\"metricStat\":{\"metric\":{\"namespace\":\"AWS/Lambda\",\"metricName\":\"Errors\",\"dimensions\":[{\"name\":\"FunctionName\",\"value\":\"$F\"}]},\"period\":300,\"stat\":\"Sum\"}}],\"startTime\":\"$W\",\"endTime\":\"$X\"}",
     NULL, NULL, NULL, NULL, 0},
    /* ---- CloudTrail ---- */
    {"DescribeTrails", "cloudtrail.amazonaws.com", F_RO, "{\"trailNameList\":[],\"includeShadowTrails\":true}",
     NULL, NULL, NULL, NULL, 0},
    {"GetTrailStatus", "cloudtrail.amazonaws.com", F_RO, "{\"name\":\"" TRAIL "\"}", NULL, NULL, NULL, NULL, 0},
    {"GetEventSelectors", "cloudtrail.amazonaws.com", F_RO, "{\"trailName\":\"" TRAIL "\"}", NULL, NULL, NULL, NULL, 0},
    {"LookupEvents", "cloudtrail.amazonaws.com", F_RO,
     "{\"maxResults\":50,\"lookupAttributes\":[{\"attributeKey\":\"EventName\",\"attributeValue\":\"ConsoleLogin\"}]}",
     NULL, NULL, NULL, NULL, 0},
    /* ---- Secrets Manager, SSM ---- */
    {"GetSecretValue", "secretsmanager.amazonaws.com", F_RO, "{\"secretId\":\"$S\"}", NULL, NULL, NULL, NULL, 0},
    {"DescribeSecret", "secretsmanager.amazonaws.com", F_RO, "{\"secretId\":\"$S\"}", NULL, NULL, NULL, NULL, 0},
    {"ListSecrets", "secretsmanager.amazonaws.com", F_RO, "{\"maxResults\":100}", NULL, NULL, NULL, NULL, 0},
    {"GetParameter", "ssm.amazonaws.com", F_RO, "{\"name\":\"/$e/orders/feature-flags\",\"withDecryption\":true}",
     NULL, NULL, "ParameterNotFound", "Parameter /$e/orders/feature-flags not found.", 100},
    {"GetParameters", "ssm.amazonaws.com", F_RO,
     "{\"names\":[\"/$e/app/log-level\",\"/$e/app/region-config\"],\"withDecryption\":false}", NULL, NULL, NULL, NULL, 0},
    {"UpdateInstanceInformation", "ssm.amazonaws.com", F_NOERR,
     "{\"instanceId\":\"$I\",\"agentVersion\":\"3.3.987.0\",\"agentStatus\":\"Active\",\"platformType\":\"Linux\",\"platformName\":\"Amazon Linux\",\"platformVersion\":\"2023\",\"iPAddress\":\"$x\",\"computerName\":\"ip-$x.ec2.internal\",\"agentName\":\"amazon-ssm-agent\",\"availabilityZone\":\"$Ra\",\"availabilityZoneId\":\"use1-az2\",\"sSMConnectionChannel\":\"ssmmessages\"}",
     NULL, NULL, NULL, NULL, 0},
    /* ---- DynamoDB, RDS, ELB, ECR ---- */
    {"DescribeTable", "dynamodb.amazonaws.com", F_RO, "{\"tableName\":\"$T\"}", NULL, NULL, NULL, NULL, 0},
    {"ListTables", "dynamodb.amazonaws.com", F_RO, NULL, NULL, NULL, NULL, NULL, 0},
    {"DescribeDBInstances", "rds.amazonaws.com", F_RO, "{\"dBInstanceIdentifier\":\"$e-orders-db\"}", NULL, NULL,
     NULL, NULL, 0},
    {"DescribeLoadBalancers", "elasticloadbalancing.amazonaws.com", F_RO, "{\"pageSize\":400}", NULL, NULL, NULL, NULL, 0},
    {"DescribeTargetHealth", "elasticloadbalancing.amazonaws.com", F_RO,
     "{\"targetGroupArn\":\"arn:aws:elasticloadbalancing:$R:$A:targetgroup/$e-orders-api/$H$H\"}", NULL, NULL, NULL,
     NULL, 0},
    {"GetAuthorizationToken", "ecr.amazonaws.com", F_RO, "{\"registryIds\":[\"$A\"]}", NULL, NULL, NULL, NULL, 0},
    {"DescribeRepositories", "ecr.amazonaws.com", F_RO, "{\"repositoryNames\":[\"orders-service\"]}", NULL, NULL, NULL,
     NULL, 0},
    /* ---- Organizations, GuardDuty ---- */
    {"DescribeOrganization", "organizations.amazonaws.com", F_RO | F_GLOBAL, NULL, NULL, NULL, NULL, NULL, 0},
    {"ListAccounts", "organizations.amazonaws.com", F_RO | F_GLOBAL, "{\"maxResults\":20}", NULL, NULL, NULL, NULL, 0},
    {"ListDetectors", "guardduty.amazonaws.com", F_RO, "{\"maxResults\":50}", NULL, NULL, NULL, NULL, 0},
    {"ListFindings", "guardduty.amazonaws.com", F_RO,
     "{\"detectorId\":\"$H$H$H$H\",\"findingCriteria\":{\"criterion\":{\"severity\":{\"gte\":4}}},\"maxResults\":50}",
     NULL, NULL, NULL, NULL, 0},
    {"GetFindings", "guardduty.amazonaws.com", F_RO,
     "{\"detectorId\":\"$H$H$H$H\",\"findingIds\":[\"$h\"]}", NULL, NULL, NULL, NULL, 0},
    /* ---- sign-in ---- */
    {"ConsoleLogin", "signin.amazonaws.com", F_GLOBAL | F_NOERR | F_SIGNIN, NULL, NULL, NULL, NULL, NULL, 0},
};
const int NOPS = (int)(sizeof OPS / sizeof OPS[0]);

int op_find(const char *name)
{
    for (int i = 0; i < NOPS; i++)
        if (!strcmp(OPS[i].name, name))
            return i;
    return -1;
}

/* ---- pools ---------------------------------------------------------------------- */
static const char *const BUCKETS[] = {"acme-%s-artifacts", "acme-%s-data-lake", "acme-%s-app-logs",
                                      "acme-%s-backups", "acme-%s-static-site", "acme-%s-exports"};
static const char *const USERS[] = {"alice.nguyen", "bob.martin", "carol.ops", "priya.sharma",
                                    "build-bot", "backup-admin", "svc-legacy-etl", "dev-mallory"};
static const char *const ROLES[] = {"orders-api-role", "orders-processor-role", "ec2-app-instance-role",
                                    "reporting-worker", "github-actions-deploy", "data-export-role",
                                    "SecurityAuditRole", "artifact-reader", "eks-node-group-role",
                                    "rds-monitoring-role"};
static const char *const SECRETS[] = {"%s/orders/db-credentials", "%s/orders/stripe-api-key",
                                      "%s/reporting/warehouse-password", "%s/shared/datadog-api-key"};
static const char *const FUNCS[] = {"orders-api", "orders-processor", "thumbnail-resizer", "report-builder",
                                    "slack-notifier"};
static const char *const TABLES[] = {"orders", "customers", "sessions", "inventory"};
static const char *const POLICIES[] = {"ci-deploy-policy", "data-lake-read", "orders-app-policy",
                                       "reporting-read"};
static const char *const OBJKEYS[] = {"exports/%04d/%02d/%02d/part-%05u.parquet",
                                      "builds/orders-service/%04d%02d%02d-%05u.zip",
                                      "logs/app/%04d/%02d/%02d/app-%05u.json.gz",
                                      "uploads/images/%04d-%02d-%02d/%05u.jpg"};
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const int POOL_N[128] = {['I'] = 12, ['V'] = 2, ['N'] = 6, ['G'] = 10, ['Y'] = 12, ['O'] = 30,
                                ['M'] = 5, ['K'] = 4, ['B'] = NELEM(BUCKETS), ['U'] = NELEM(USERS),
                                ['L'] = NELEM(ROLES), ['S'] = NELEM(SECRETS), ['F'] = NELEM(FUNCS),
                                ['T'] = NELEM(TABLES), ['P'] = NELEM(POLICIES), ['k'] = 4, ['d'] = 39,
                                ['H'] = 1 << 30, ['x'] = 250};

void tctx_init(tctx_t *c, int acct, int reg, int64_t t, rng_t *r)
{
    memset(c, 0, sizeof *c);
    c->acct = acct;
    c->reg = reg;
    c->t = t;
    c->r = r;
    for (int i = 0; i < 128; i++)
        c->memo[i] = -1;
}

static int pick(tctx_t *c, int ch)
{
    if (c->memo[ch] < 0)
        c->memo[ch] = (int)rng_below(c->r, (uint32_t)POOL_N[ch]);
    return c->memo[ch];
}

const char *pool_bucket(tctx_t *c, char out[64])
{
    snprintf(out, 64, BUCKETS[pick(c, 'B')], ACCT_ENV[c->acct]);
    return out;
}

static void resid(buf_t *b, tctx_t *c, const char *pre, int ch, int n)
{
    char h[20];
    mk_hex(hash3((uint64_t)(c->acct * 8 + c->reg), (uint64_t)ch, (uint64_t)pick(c, ch)), n, h);
    bs(b, pre);
    bs(b, h);
}

static const char POLICY_DOC[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\","
    "\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::acme-data-lake\",\"arn:aws:s3:::acme-data-lake/*\"]}]}";
static const char TRUST_DOC[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
    "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

void expand(buf_t *b, const char *tm, tctx_t *c)
{
    const char *acct = ACCT_ID[c->acct], *env = ACCT_ENV[c->acct];
    char tmp[160];
    int y, mo, d, h, mi, s;
    while (*tm) {
        const char *dol = strchr(tm, '$');
        if (!dol) {
            bs(b, tm);
            return;
        }
        bput(b, tm, (size_t)(dol - tm));
        int ch = (unsigned char)dol[1];
        tm = dol + 2;
        switch (ch) {
        case 'A': bs(b, acct); break;
        case 'R': bs(b, REGION[c->reg]); break;
        case 'e': bs(b, env); break;
        case 'I': resid(b, c, "i-0", 'I', 16); break;
        case 'V': resid(b, c, "vpc-0", 'V', 16); break;
        case 'N': resid(b, c, "subnet-0", 'N', 16); break;
        case 'G': resid(b, c, "sg-0", 'G', 16); break;
        case 'Y': resid(b, c, "vol-0", 'Y', 16); break;
        case 'O': resid(b, c, "snap-0", 'O', 16); break;
        case 'M': resid(b, c, "ami-0", 'M', 16); break;
        case 'K': {
            char hx[40];
            mk_hex(hash3((uint64_t)(c->acct * 8 + c->reg), 'K', (uint64_t)pick(c, 'K')), 32, hx);
            bf(b, "%.8s-%.4s-4%.3s-a%.3s-%.12s", hx, hx + 8, hx + 12, hx + 15, hx + 18);
            break;
        }
        case 'B': snprintf(tmp, sizeof tmp, BUCKETS[pick(c, 'B')], env); bs(b, tmp); break;
        case 'U': bs(b, USERS[pick(c, 'U')]); break;
        case 'L': bs(b, ROLES[pick(c, 'L')]); break;
        case 'S': snprintf(tmp, sizeof tmp, SECRETS[pick(c, 'S')], env); bs(b, tmp); break;
        case 'F': bs(b, FUNCS[pick(c, 'F')]); break;
        case 'T': bs(b, TABLES[pick(c, 'T')]); break;
        case 'P': bf(b, "arn:aws:iam::%s:policy/%s", acct, POLICIES[pick(c, 'P')]); break;
        case 'k':
            civil(c->t, &y, &mo, &d, &h, &mi, &s);
            if (c->memo['z'] < 0)
                c->memo['z'] = (int)rng_below(c->r, 100000);
            bf(b, OBJKEYS[pick(c, 'k')], y, mo, d, (unsigned)c->memo['z']);
            break;
        case 'd': bf(b, "%d", 2 + pick(c, 'd')); break;
        case 'H': bf(b, "%08x", (unsigned)(hash3((uint64_t)pick(c, 'H'), 1, 2) & 0xffffffffu)); break;
        case 'h': {
            char hx[68];
            mk_hex(rng_next(c->r), 64, hx);
            bs(b, hx);
            break;
        }
        case 'Q': mk_uuid(c->r, tmp); bs(b, tmp); break;
        case 'W': iso(c->t, tmp); tmp[19] = 0; bs(b, tmp); bc(b, 'Z'); break;
        case 'w': iso(c->t, tmp); bs(b, tmp); break;
        case 'X': iso(c->t + 3600, tmp); bs(b, tmp); break;
        case 'J': bf(b, "%lld", (long long)c->t * 1000); break;
        case 'a':
            if (!c->key[0])
                mk_key("ASIA", rng_next(c->r), c->key);
            bs(b, c->key);
            break;
        case 'Z': {
            /* a session token: printable, shortened from the real ~400+ characters */
            char t1[48];
            mk_b32(rng_next(c->r), 40, t1);
            bs(b, "IQoJb3JpZ2luX2VjE");
            bs(b, t1);
            break;
        }
        case 'r': {
            char rid[24];
            role_id(acct, c->target ? c->target : "", rid);
            bs(b, rid);
            break;
        }
        case 'l': bs(b, c->target ? c->target : ""); break;
        case 's': bs(b, c->tsession ? c->tsession : ""); break;
        case 'x': bf(b, "10.10.%d.%d", 10 + pick(c, 'x') % 8, 4 + pick(c, 'x')); break;
        case 'p': bjs(b, POLICY_DOC); break;
        case 't': bjs(b, TRUST_DOC); break;
        case '$': bc(b, '$'); break;
        default: bc(b, '$'); bc(b, (char)ch); break;
        }
    }
}
