-- runbook: microservices/secret-access-chain
-- Cross-service sequence: new access key, AssumeRole, GetSecretValue

-- step 1: New key, AssumeRole, secrets read, within 30 minutes
-- finished locally: stage | sequence within 30m: [event = CreateAccessKey and not error exists] then responseElements.accessKey.accessKeyId -> [event = AssumeRole and not error exists] by key then responseElements.credentia
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.roleArn, requestParameters.secretId, key, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND ((eventname = 'CreateAccessKey' AND (errorcode IS NULL OR errorcode = '')) OR (eventname = 'AssumeRole' AND (errorcode IS NULL OR errorcode = '')) OR (eventname = 'GetSecretValue'));

-- step 2: Secrets read by sessions of freshly assumed roles
-- finished locally: stage | sequence within 30m: [event = AssumeRole and not error exists and type = IAMUser] then responseElements.credentials.accessKeyId -> [event = GetSecretValue] by key
-- finished locally: stage | fields time, principal, event, requestParameters.roleArn, requestParameters.secretId, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND ((eventname = 'AssumeRole' AND (errorcode IS NULL OR errorcode = '') AND useridentity.type = 'IAMUser') OR (eventname = 'GetSecretValue'));

-- step 3: Every secret read in the window, per reader
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", COUNT(DISTINCT json_extract_scalar(requestparameters, '$.secretId')) AS "secrets", array_join(slice(array_sort(array_agg(DISTINCT json_extract_scalar(requestparameters, '$.secretId')) FILTER (WHERE json_extract_scalar(requestparameters, '$.secretId') IS NOT NULL)), 1, 100), ',') AS "ids", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceipaddress, '')) FILTER (WHERE NULLIF(sourceipaddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('GetSecretValue', 'BatchGetSecretValue')
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventtime);
