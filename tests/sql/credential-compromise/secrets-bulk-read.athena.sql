-- runbook: credential-compromise/secrets-bulk-read
-- Secrets and SecureString parameters harvested in bulk

-- step 1: Secrets listed, then read, by the same session
-- finished locally: stage | sequence by session within 30m: [event = ListSecrets and not error exists] -> [event in (GetSecretValue, BatchGetSecretValue)]
-- finished locally: stage | fields time, principal, event, requestParameters.secretId, requestParameters.filters, error, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('ListSecrets', 'GetSecretValue', 'BatchGetSecretValue') AND ((eventname = 'ListSecrets' AND (errorcode IS NULL OR errorcode = '')) OR (eventname IN ('GetSecretValue', 'BatchGetSecretValue')));

-- step 2: Secrets read in batch by filter, or by principals that are not workloads
-- finished locally: filter 'role not in @service-roles': @lists are resolved locally
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, type, event, requestParameters.secretId, requestParameters.filters, requestParameters.secretIdList, error, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('GetSecretValue', 'BatchGetSecretValue');

-- step 3: Parameters listed, then decrypted, by the same session
-- finished locally: stage | sequence by session within 30m: [event in (DescribeParameters, GetParametersByPath) and not error exists] -> [event in (GetParameter, GetParameters, GetParametersByPath) and requestParameters.wit
-- finished locally: stage | fields time, principal, event, requestParameters.name, requestParameters.names, requestParameters.path, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'ssm.amazonaws.com' AND eventname IN ('DescribeParameters', 'GetParametersByPath', 'GetParameter', 'GetParameters') AND ((eventname IN ('DescribeParameters', 'GetParametersByPath') AND (errorcode IS NULL OR errorcode = '')) OR (eventname IN ('GetParameter', 'GetParameters', 'GetParametersByPath') AND json_extract_scalar(requestparameters, '$.withDecryption') = 'true'));

-- step 4: Secret and parameter reads per principal
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", COUNT(DISTINCT json_extract_scalar(requestparameters, '$.secretId')) AS "secrets", COUNT(DISTINCT json_extract_scalar(requestparameters, '$.name')) AS "parameters", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceipaddress, '')) FILTER (WHERE NULLIF(sourceipaddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname IN ('ListSecrets', 'GetSecretValue', 'BatchGetSecretValue', 'DescribeParameters', 'GetParametersByPath', 'GetParameter', 'GetParameters')
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventtime);
