SELECT *
FROM db.cloudtrail_org
WHERE "timestamp" BETWEEN '2026/10/31' AND '2026/11/16' AND eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND COALESCE(NULLIF(recipientaccountid, ''), NULLIF(useridentity.accountid, '')) IN ('111122223333', '444455556666') AND awsregion = 'eu-west-1' AND eventname = 'ConsoleLogin';
