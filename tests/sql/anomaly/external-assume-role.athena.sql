-- runbook: anomaly/external-assume-role
-- AssumeRole from accounts outside the organization

-- step 1: Roles assumed from unknown accounts
-- finished locally: filter 'userIdentity.accountId not in @known-accounts': @lists are resolved locally
-- finished locally: stage | fields time, userIdentity.accountId, requestParameters.roleArn, requestParameters.roleSessionName, ip, ua, responseElements.credentials.accessKeyId, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'sts.amazonaws.com' AND eventname IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML') AND useridentity.type = 'AWSAccount';

-- step 2: What the external sessions did
-- finished locally: stage | sequence within 12h: [event = AssumeRole and type = AWSAccount and userIdentity.accountId not in @known-accounts] then responseElements.credentials.accessKeyId -> [key exists] by key
-- finished locally: stage | fields time, principal, event, service, region, ip, error, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND (eventsource = 'sts.amazonaws.com' OR useridentity.accesskeyid <> '') AND ((eventname = 'AssumeRole' AND useridentity.type = 'AWSAccount') OR (useridentity.accesskeyid <> ''));

-- step 3: Cross-account role use from our own accounts
SELECT useridentity.accountid AS "userIdentity.accountId", COUNT(*) AS "count", MIN(eventtime) AS "first", MAX(eventtime) AS "last", array_join(slice(array_sort(array_agg(DISTINCT json_extract_scalar(requestparameters, '$.roleArn')) FILTER (WHERE json_extract_scalar(requestparameters, '$.roleArn') IS NOT NULL)), 1, 100), ',') AS "roles"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'sts.amazonaws.com' AND eventname = 'AssumeRole' AND useridentity.type = 'AWSAccount'
GROUP BY 1
ORDER BY MIN(eventtime);
