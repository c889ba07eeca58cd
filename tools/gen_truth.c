/* gen_truth.c - the ground-truth Markdown document for the planted incidents. */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the truth document ----------------------------------------------------------- */
static const char *const TITLE[16] = {
    "",
    "IAM users created in the last 24 hours, one outside the approved path",
    "Policies attached or changed by non-approved principals",
    "A dormant user reactivated",
    "A failed user creation that left orphans",
    "Root console login without MFA, and a burst of failed console logins",
    "AssumeRole from an unknown external account",
    "An access key created at 02:13 UTC by a human",
    "A 2 a.m. burst of IAM changes",
    "CloudTrail tampering",
    "Cross-service sequence: new access key, AssumeRole, GetSecretValue",
    "First-seen region, IP and user agent for a principal",
    "A snapshot and an AMI shared with an outside account",
    "Error spike, invocation spike, and a privileged-role trust change",
    "One access key compromised",
    "Terminal escape sequences in attacker-controlled fields",
};

static void para(FILE *f, int i)
{
    switch (i) {
    case 1:
        fprintf(f, "The approved provisioner (role `arn:aws:iam::" PROD ":role/terraform-provisioner`, sessions "
                   "`arn:aws:sts::" PROD ":assumed-role/terraform-provisioner/terraform-run-*`) creates four users under "
                   "the approved IAM path `/managed/` in business hours. The human IAM user "
                   "`arn:aws:iam::" PROD ":user/dev-mallory` (access key `%s`) creates `support-admin` with path `/`. "
                   "Incident 4 adds two more provisioner CreateUser calls (`svc-reporting`, and a failed "
                   "`svc-analytics`); incident 14 adds a denied CreateUser from the compromised key.\n",
                K_MALLORY);
        break;
    case 2:
        fprintf(f, "`dev-mallory` attaches `" ADMIN_POLICY "` to `support-admin` and publishes version v7 of "
                   "`ci-deploy-policy` (Allow `*` on `*`) as default; the SSO administrator session "
                   "`li.wei@example.com` puts an inline `break-glass` policy (iam:\\*, sts:\\*) on role "
                   "`github-actions-deploy`. The same kinds of calls by `terraform-provisioner` are the lookalikes. "
                   "Incident 14 adds a denied AttachUserPolicy, incident 4 two denied ones by the provisioner.\n");
        break;
    case 3:
        fprintf(f, "IAM user `old-contractor` (key `%s`) is active on the first two days of the window from "
                   "`" CONTRACTOR_IP "`, silent for more than ten days, then active again on the last day from "
                   "`" CONTRACTOR_NEW_IP "`, minutes after `dev-mallory` set that key back to Active with "
                   "UpdateAccessKey and gave the long-unused user `former-intern` a console password "
                   "(CreateLoginProfile). The lookalike `carol.ops` is active every day (one planted "
                   "GetCallerIdentity per day, plus her background activity).\n",
                K_OLD);
        break;
    case 4:
        fprintf(f, "A provisioner run creates `svc-reporting` and an access key for it (`%s`), fails to attach a "
                   "policy (AccessDenied), and fails to roll back (DeleteUser: DeleteConflict), so the user and its "
                   "key remain. Minutes later a CreateUser for `svc-analytics` fails with EntityAlreadyExists and is "
                   "followed by a successful CreateLoginProfile for that name. The lookalike is a run on the previous "
                   "day that cleaned up after itself (DeleteAccessKey `%s`, DeleteUser).\n",
                K_ORPHAN, K_TFCLEAN);
        break;
    case 5:
        fprintf(f, "Seventeen ConsoleLogin failures (`errorMessage` \"Failed authentication\", `userName` "
                   "HIDDEN_DUE_TO_SECURITY_REASONS for unknown names, root, alice.nguyen and bob.martin for the rest) "
                   "come from `" BURST_IP "` within five minutes, and then the root user of " PROD " signs in from "
                   "the same IP with `additionalEventData.MFAUsed` \"No\". Lookalikes: a root login with MFA a week "
                   "earlier, one mistyped password by alice.nguyen followed by success, one failure by bob.martin.\n");
        break;
    case 6:
        fprintf(f, "`sts:AssumeRole` into `arn:aws:iam::" PROD ":role/prod-admin` (session `vendor-sync`) by "
                   "`userIdentity.type` AWSAccount, `accountId` " EXT_ACCT " (not in the organization), from "
                   "`" EXT_IP "`. The session's temporary key is `%s`; it goes on to incidents 9 and 12. "
                   "Lookalikes: cross-account AssumeRole from our own 777788889999 and 444455556666 (the background "
                   "has more of those).\n",
                K_EXT);
        break;
    case 7:
        fprintf(f, "At 02:13:07 UTC `dev-mallory` creates an access key (`%s`) for `backup-admin` from "
                   "`" MALLORY_HOME_IP "`. The lookalike is the provisioner creating a key for `svc-payments-sync` "
                   "(`%s`) in business hours. Other CreateAccessKey calls: incident 4 (provisioner, business hours), "
                   "10 (dev-mallory, business hours), 14 (build-bot, 03:12).\n",
                K_BACKUP2, K_TFPAY);
        break;
    case 8:
        fprintf(f, "Forty IAM mutating calls (CreateGroup, AddUserToGroup, RemoveUserFromGroup, TagUser, UntagUser, "
                   "TagRole, UpdateRoleDescription, UpdateGroup) between 02:00 and 02:20 UTC on the day before the "
                   "last, by the SSO administrator session `raj.patel@example.com`. Background IAM changes come only "
                   "from `terraform-provisioner`, weekdays 09:00-18:00 UTC, a few per hour. This incident is about "
                   "46 hours before the end of the window.\n");
        break;
    case 9:
        fprintf(f, "The externally assumed session `arn:aws:sts::" PROD ":assumed-role/prod-admin/vendor-sync` "
                   "stops logging on `" TRAIL_ARN "`, switches its event selectors to read-only without management "
                   "events, redirects it to another bucket with UpdateTrail, and deletes `prod-dataevents-trail`. "
                   "Lookalikes: the security team (`sec.engineer@example.com`) reads trail status and starts logging "
                   "the day before.\n");
        break;
    case 10:
        fprintf(f, "`dev-mallory` creates access key `%s` for `svc-legacy-etl`; eleven minutes later that key "
                   "(`userIdentity.accessKeyId`) calls AssumeRole on `data-export-role` from `" CHAIN_IP "`, and the "
                   "resulting session (key `%s`, `arn:aws:sts::" PROD ":assumed-role/data-export-role/etl-export`) "
                   "reads three secrets with GetSecretValue, all within 30 minutes. Lookalikes: the application role "
                   "`orders-api-role` reads secrets all day with no such chain.\n",
                K_ETL2, K_CHAIN);
        break;
    case 11:
        fprintf(f, "`priya.sharma` (key `%s`) always works from us-east-1, `198.51.100.25` and aws-cli; in the "
                   "evening of the last day she appears in ap-southeast-2 from `" NEWGEO_IP "` with a Windows Boto3 "
                   "user agent. Lookalikes: her usual calls the same day.\n",
                K_PRIYA);
        break;
    case 12:
        fprintf(f, "The externally assumed `prod-admin/vendor-sync` session adds createVolumePermission for "
                   "" EXT_ACCT " on `%s` (ModifySnapshotAttribute) and launchPermission on `%s` "
                   "(ModifyImageAttribute). Lookalikes share with our own staging account 444455556666.\n",
                SNAP_ID, AMI_ID);
        break;
    case 13:
        fprintf(f, "`dev-mallory` rewrites the trust policy of the admin role `prod-admin` to trust " EXT_ACCT " "
                   "(UpdateAssumeRolePolicy); the lookalike is the provisioner doing the same on `orders-api-role`. "
                   "Sixty kms:Decrypt AccessDenied errors by `reporting-worker/%s` on key `%s` land within ten "
                   "minutes, and `orders-api-role` invokes `orders-processor` 240 times in ten minutes (lambda Invoke "
                   "data events; the background rate is a few per hour).\n",
                INST_REPORTING, KMS_KEY);
        break;
    case 14:
        fprintf(f, "Access key `%s` of IAM user `build-bot` is used as usual from the CI addresses "
                   "198.51.100.10-13, then from `" HOSTILE_IP "` with a new user agent (`%s`): enumeration "
                   "(GetCallerIdentity, ListUsers, ListRoles, GetAccountAuthorizationDetails denied, ...), then "
                   "persistence: CreateUser, CreateLoginProfile and AttachUserPolicy are denied, CreateAccessKey "
                   "succeeds and yields `%s`.\n",
                K_BUILD, UA_KALI, K_BUILD2);
        break;
    case 15:
        fprintf(f, "One GetUser call whose `userAgent` and `requestParameters.userName` carry an OSC title sequence "
                   "(ESC ] 0;pwned BEL), ESC[2J, CSI colour codes, a C1 CSI (U+009B) and a right-to-left override "
                   "(U+202E), all JSON-escaped (`\\u001b`, `\\u0007`, `\\u009b`, `\\u202e`) so the file is valid "
                   "JSON. A display must show them inert.\n");
        break;
    }
}

static int cmp_time(const void *a, const void *b)
{
    const inc_ev_t *x = *(const inc_ev_t *const *)a, *y = *(const inc_ev_t *const *)b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return strcmp(x->event_id, y->event_id);
}

static void table(FILE *f, const inc_ev_t **v, size_t n)
{
    fputs("| eventID | time (UTC) | eventName | region | principal | note |\n", f);
    fputs("| --- | --- | --- | --- | --- | --- |\n", f);
    for (size_t i = 0; i < n; i++) {
        char ts[24];
        iso(v[i]->t, ts);
        fprintf(f, "| `%s` | %s | %s | %s | `%s` | %s |\n", v[i]->event_id, ts, v[i]->name,
                REGION[v[i]->stream % NREG], v[i]->principal, v[i]->note);
    }
}

int write_truth(const char *path, const incidents_t *inc, int64_t start, int64_t end, uint64_t seed, long events,
                int days, char (*dup_ids)[37], int dupes, int digests, int files, uint64_t gz_bytes)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    char s0[24], s1[24];
    iso(start, s0);
    iso(end, s1);
    fputs("# Sample incident dataset\n\n"
          "`samples/incident/` is a synthetic but realistic CloudTrail dataset: an AWS organization of three "
          "accounts, delivered the way an organization trail writes to S3 (gzip files under "
          "`AWSLogs/o-a1b2c3d4e5/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`, plus a few digest files under "
          "`CloudTrail-Digest/`, which are not events). Fifteen incidents are planted in ordinary background traffic, "
          "each next to benign lookalikes that a careful rule must not flag. This document is the ground truth: "
          "every planted event ID, and every lookalike's.\n\n"
          "It is generated, not hand-written. To regenerate the data and this file (byte-identical):\n\n"
          "```sh\n./tg-gen --out samples/incident --truth samples/README.md --truth-tsv samples/truth.tsv\n```\n\n"
          "`samples/truth.tsv` holds the same ground truth for scripts: one line per planted event with its "
          "incident number, role (`planted` or `lookalike`), eventID, time, eventName and principal.\n\n"
          "`tests/sample_regen.sh` checks that the committed copy matches. All addresses are documentation ranges "
          "(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) or RFC 1918; all account IDs, keys and names are "
          "invented. Quiet account/regions deliver files spanning up to three hours (busy ones 5-15 minutes) so the "
          "sample stays small.\n\n",
          f);
    fprintf(f, "## Facts\n\n");
    fprintf(f, "| item | value |\n| --- | --- |\n");
    fprintf(f, "| window | %s to %s (%d days) |\n", s0, s1, days);
    fprintf(f, "| events | %ld unique event IDs (%zu planted: incidents and lookalikes) |\n", events, inc->n);
    fprintf(f, "| duplicate deliveries | %d (the same record, same eventID, delivered in two files) |\n", dupes);
    fprintf(f, "| log files | %d (%.2f MB gzip) |\n", files, (double)gz_bytes / 1e6);
    fprintf(f, "| digest files | %d (prod account, each region, last %d hours) |\n", digests, 2);
    fprintf(f, "| generator arguments | `--events %ld --days %d --end %s --seed %llu` |\n", events, days, s1,
            (unsigned long long)seed);
    fprintf(f, "| organization | `" ORG_ID "`; trail bucket `" TRAIL_BUCKET "` |\n");
    fprintf(f, "| accounts | 111122223333 prod, 444455556666 staging, 777788889999 security |\n");
    fprintf(f, "| regions | us-east-1 (busiest; IAM, STS global and sign-in events), eu-west-1, us-west-2, "
               "ap-southeast-2 |\n");
    fprintf(f, "| outside account | " EXT_ACCT " (not in the organization) |\n\n");
    if (dupes) {
        fprintf(f, "Duplicated event IDs:");
        for (int i = 0; i < dupes; i++)
            fprintf(f, "%s `%s`", i ? "," : "", dup_ids[i]);
        fprintf(f, ".\n\n");
    }
    fprintf(f, "## Key principals and values\n\n| what | value |\n| --- | --- |\n");
    fprintf(f, "| approved provisioner | `arn:aws:iam::" PROD ":role/terraform-provisioner` (sessions "
               "`arn:aws:sts::" PROD ":assumed-role/terraform-provisioner/terraform-run-*`, from 198.51.100.10-11, "
               "weekdays 09:00-18:00 UTC); approved IAM path `/managed/` |\n");
    fprintf(f, "| insider / misused human user | `arn:aws:iam::" PROD ":user/dev-mallory`, key `%s`, office IP "
               "`" MALLORY_IP "`, home IP `" MALLORY_HOME_IP "` |\n", K_MALLORY);
    fprintf(f, "| compromised key | `%s` of `arn:aws:iam::" PROD ":user/build-bot` (usual IPs 198.51.100.10-13); "
               "hostile IP `" HOSTILE_IP "`; key it created `%s` |\n", K_BUILD, K_BUILD2);
    fprintf(f, "| hostile user agent | `%s` |\n", UA_KALI);
    fprintf(f, "| external account session | AssumeRole by AWSAccount " EXT_ACCT " from `" EXT_IP "` into "
               "`arn:aws:iam::" PROD ":role/prod-admin`; session `arn:aws:sts::" PROD
               ":assumed-role/prod-admin/vendor-sync`, key `%s` |\n", K_EXT);
    fprintf(f, "| dormant user | `arn:aws:iam::" PROD ":user/old-contractor`, key `%s`; daily-active lookalike "
               "`carol.ops` |\n", K_OLD);
    fprintf(f, "| orphaned key | `%s` of `svc-reporting` |\n", K_ORPHAN);
    fprintf(f, "| chain | key `%s` (svc-legacy-etl) -> `data-export-role/etl-export` key `%s` from `" CHAIN_IP
               "` |\n", K_ETL2, K_CHAIN);
    fprintf(f, "| night key | `%s` created for `backup-admin` at 02:13:07 |\n", K_BACKUP2);
    fprintf(f, "| first-seen principal | `arn:aws:iam::" PROD ":user/priya.sharma` (key `%s`), new IP `" NEWGEO_IP
               "`, new region ap-southeast-2 |\n", K_PRIYA);
    fprintf(f, "| console failure burst IP | `" BURST_IP "` |\n");
    fprintf(f, "| SSO roles (prod) | `%s`, `%s`, `%s` under path `" SSO_PATH "` |\n\n",
            sso_role(0, "AdministratorAccess"), sso_role(0, "ReadOnly"), sso_role(0, "SecurityAudit"));
    const inc_ev_t **v = malloc((inc->n + 1) * sizeof *v);
    if (!v) {
        fclose(f);
        return -1;
    }
    for (int i = 1; i <= 15; i++) {
        size_t n = 0, nl = 0;
        for (size_t k = 0; k < inc->n; k++)
            if (inc->ev[k].incident == i && !inc->ev[k].lookalike)
                v[n++] = &inc->ev[k];
        for (size_t k = 0; k < inc->n; k++)
            if (inc->ev[k].incident == i && inc->ev[k].lookalike)
                nl++;
        fprintf(f, "## %d. %s\n\n", i, TITLE[i]);
        para(f, i);
        fprintf(f, "\n%zu planted event%s:\n\n", n, n == 1 ? "" : "s");
        qsort(v, n, sizeof *v, cmp_time);
        table(f, v, n);
        n = 0;
        for (size_t k = 0; k < inc->n; k++)
            if (inc->ev[k].incident == i && inc->ev[k].lookalike)
                v[n++] = &inc->ev[k];
        qsort(v, n, sizeof *v, cmp_time);
        if (n) {
            fprintf(f, "\nBenign lookalikes (%zu), which a careful rule must not flag:\n\n", nl);
            table(f, v, n);
        }
        fputc('\n', f);
    }
    free(v);
    return fclose(f);
}

/* ---- the truth as TSV ---------------------------------------------------------------- */
/* One line per planted event: incident, role (planted or lookalike), eventID, time, eventName,
 * principal; incidents in order, planted before lookalikes, each in time order. Tests read it
 * (tests/runbooks.sh) instead of scraping the Markdown. */
int write_truth_tsv(const char *path, const incidents_t *inc)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    const inc_ev_t **v = malloc((inc->n + 1) * sizeof *v);
    if (!v) {
        fclose(f);
        return -1;
    }
    fputs("# incident\trole\teventID\ttime\teventName\tprincipal\n", f);
    for (int i = 1; i <= 15; i++)
        for (int look = 0; look <= 1; look++) {
            size_t n = 0;
            for (size_t k = 0; k < inc->n; k++)
                if (inc->ev[k].incident == i && !!inc->ev[k].lookalike == look)
                    v[n++] = &inc->ev[k];
            qsort(v, n, sizeof *v, cmp_time);
            for (size_t k = 0; k < n; k++) {
                char ts[24];
                iso(v[k]->t, ts);
                fprintf(f, "%d\t%s\t%s\t%s\t%s\t%s\n", i, look ? "lookalike" : "planted", v[k]->event_id, ts,
                        v[k]->name, v[k]->principal);
            }
        }
    free(v);
    return fclose(f);
}
