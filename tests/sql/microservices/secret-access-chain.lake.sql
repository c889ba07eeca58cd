-- runbook: microservices/secret-access-chain
-- Cross-service sequence: new access key, AssumeRole, GetSecretValue

-- step 1: New key, AssumeRole, secrets read, within 30 minutes
-- finished locally: stage | sequence within 30m: [event = CreateAccessKey and not error exists] then responseElements.accessKey.accessKeyId -> [event = AssumeRole and not error exists] by key then responseElements.credentia
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.roleArn, requestParameters.secretId, key, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND ((eventName = 'CreateAccessKey' AND (errorCode IS NULL OR errorCode = '')) OR (eventName = 'AssumeRole' AND (errorCode IS NULL OR errorCode = '')) OR (eventName = 'GetSecretValue'));

-- step 2: Secrets read by sessions of freshly assumed roles
-- finished locally: stage | sequence within 30m: [event = AssumeRole and not error exists and type = IAMUser] then responseElements.credentials.accessKeyId -> [event = GetSecretValue] by key
-- finished locally: stage | fields time, principal, event, requestParameters.roleArn, requestParameters.secretId, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND ((eventName = 'AssumeRole' AND (errorCode IS NULL OR errorCode = '') AND userIdentity.type = 'IAMUser') OR (eventName = 'GetSecretValue'));

-- step 3: Every secret read in the window, per reader
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", COUNT(DISTINCT element_at(requestParameters, 'secretId')) AS "secrets", array_join(slice(array_sort(array_agg(DISTINCT element_at(requestParameters, 'secretId')) FILTER (WHERE element_at(requestParameters, 'secretId') IS NOT NULL)), 1, 100), ',') AS "ids", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceIPAddress, '')) FILTER (WHERE NULLIF(sourceIPAddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'secretsmanager.amazonaws.com' AND eventName IN ('GetSecretValue', 'BatchGetSecretValue')
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventTime);
