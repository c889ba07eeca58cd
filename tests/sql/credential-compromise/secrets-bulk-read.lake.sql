-- runbook: credential-compromise/secrets-bulk-read
-- Secrets and SecureString parameters harvested in bulk

-- step 1: Secrets listed, then read, by the same session
-- finished locally: stage | sequence by session within 30m: [event = ListSecrets and not error exists] -> [event in (GetSecretValue, BatchGetSecretValue)]
-- finished locally: stage | fields time, principal, event, requestParameters.secretId, requestParameters.filters, error, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'secretsmanager.amazonaws.com' AND eventName IN ('ListSecrets', 'GetSecretValue', 'BatchGetSecretValue') AND ((eventName = 'ListSecrets' AND (errorCode IS NULL OR errorCode = '')) OR (eventName IN ('GetSecretValue', 'BatchGetSecretValue')));

-- step 2: Secrets read in batch by filter, or by principals that are not workloads
-- finished locally: filter 'role not in @service-roles': @lists are resolved locally
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, type, event, requestParameters.secretId, requestParameters.filters, requestParameters.secretIdList, error, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'secretsmanager.amazonaws.com' AND eventName IN ('GetSecretValue', 'BatchGetSecretValue');

-- step 3: Parameters listed, then decrypted, by the same session
-- finished locally: stage | sequence by session within 30m: [event in (DescribeParameters, GetParametersByPath) and not error exists] -> [event in (GetParameter, GetParameters, GetParametersByPath) and requestParameters.wit
-- finished locally: stage | fields time, principal, event, requestParameters.name, requestParameters.names, requestParameters.path, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'ssm.amazonaws.com' AND eventName IN ('DescribeParameters', 'GetParametersByPath', 'GetParameter', 'GetParameters') AND ((eventName IN ('DescribeParameters', 'GetParametersByPath') AND (errorCode IS NULL OR errorCode = '')) OR (eventName IN ('GetParameter', 'GetParameters', 'GetParametersByPath') AND element_at(requestParameters, 'withDecryption') = 'true'));

-- step 4: Secret and parameter reads per principal
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", COUNT(DISTINCT element_at(requestParameters, 'secretId')) AS "secrets", COUNT(DISTINCT element_at(requestParameters, 'name')) AS "parameters", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceIPAddress, '')) FILTER (WHERE NULLIF(sourceIPAddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName IN ('ListSecrets', 'GetSecretValue', 'BatchGetSecretValue', 'DescribeParameters', 'GetParametersByPath', 'GetParameter', 'GetParameters')
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventTime);
