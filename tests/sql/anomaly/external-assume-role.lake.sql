-- runbook: anomaly/external-assume-role
-- AssumeRole from accounts outside the organization

-- step 1: Roles assumed from unknown accounts
-- finished locally: filter 'userIdentity.accountId not in @known-accounts': @lists are resolved locally
-- finished locally: stage | fields time, userIdentity.accountId, requestParameters.roleArn, requestParameters.roleSessionName, ip, ua, responseElements.credentials.accessKeyId, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'sts.amazonaws.com' AND eventName IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML') AND userIdentity.type = 'AWSAccount';

-- step 2: What the external sessions did
-- finished locally: stage | sequence within 12h: [event = AssumeRole and type = AWSAccount and userIdentity.accountId not in @known-accounts] then responseElements.credentials.accessKeyId -> [key exists] by key
-- finished locally: stage | fields time, principal, event, service, region, ip, error, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND (eventSource = 'sts.amazonaws.com' OR userIdentity.accessKeyId <> '') AND ((eventName = 'AssumeRole' AND userIdentity.type = 'AWSAccount') OR (userIdentity.accessKeyId <> ''));

-- step 3: Cross-account role use from our own accounts
SELECT userIdentity.accountId AS "userIdentity.accountId", COUNT(*) AS "count", MIN(eventTime) AS "first", MAX(eventTime) AS "last", array_join(slice(array_sort(array_agg(DISTINCT element_at(requestParameters, 'roleArn')) FILTER (WHERE element_at(requestParameters, 'roleArn') IS NOT NULL)), 1, 100), ',') AS "roles"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'sts.amazonaws.com' AND eventName = 'AssumeRole' AND userIdentity.type = 'AWSAccount'
GROUP BY 1
ORDER BY MIN(eventTime);
