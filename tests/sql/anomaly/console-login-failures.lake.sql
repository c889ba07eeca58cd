-- runbook: anomaly/console-login-failures
-- Console login failure bursts and sign-ins without MFA

-- step 1: Bursts of failures from one address
-- finished locally: stage | sequence by ip within 10m: [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin
-- finished locally: stage | fields time, ip, principal, userIdentity.userName, ua, errorMessage, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'ConsoleLogin' AND ((element_at(responseElements, 'ConsoleLogin') = 'Failure') OR (element_at(responseElements, 'ConsoleLogin') = 'Failure') OR (element_at(responseElements, 'ConsoleLogin') = 'Failure') OR (element_at(responseElements, 'ConsoleLogin') = 'Failure') OR (element_at(responseElements, 'ConsoleLogin') = 'Failure'));

-- step 2: Failures per address and user
SELECT NULLIF(sourceIPAddress, '') AS "ip", COUNT(*) AS "count", COUNT(DISTINCT userIdentity.userName) AS "users", array_join(slice(array_sort(array_agg(DISTINCT userIdentity.userName) FILTER (WHERE userIdentity.userName IS NOT NULL)), 1, 100), ',') AS "names", MIN(eventTime) AS "first", MAX(eventTime) AS "last"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'ConsoleLogin' AND element_at(responseElements, 'ConsoleLogin') = 'Failure'
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventTime);

-- step 3: Successful sign-in after failures from the same address
-- finished locally: stage | sequence by ip within 30m: [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin
-- finished locally: stage | filter responseElements.ConsoleLogin = Success
-- finished locally: stage | fields time, ip, principal, type, additionalEventData.MFAUsed, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'ConsoleLogin' AND ((element_at(responseElements, 'ConsoleLogin') = 'Failure') OR (element_at(responseElements, 'ConsoleLogin') = 'Failure') OR (element_at(responseElements, 'ConsoleLogin') = 'Failure') OR (element_at(responseElements, 'ConsoleLogin') = 'Success'));

-- step 4: Successful console sign-ins without MFA
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(userIdentity.type, '') AS "type", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(userAgent, '') AS "ua", element_at(additionalEventData, 'MFAUsed') AS "additionalEventData.MFAUsed", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'ConsoleLogin' AND userIdentity.type IN ('IAMUser', 'Root') AND element_at(responseElements, 'ConsoleLogin') = 'Success' AND element_at(additionalEventData, 'MFAUsed') = 'No' AND element_at(additionalEventData, 'SamlProviderArn') IS NULL;

-- step 5: Every failed console sign-in
SELECT eventTime AS "time", NULLIF(sourceIPAddress, '') AS "ip", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", userIdentity.userName AS "userIdentity.userName", errorMessage AS "errorMessage", element_at(additionalEventData, 'MFAUsed') AS "additionalEventData.MFAUsed"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'ConsoleLogin' AND element_at(responseElements, 'ConsoleLogin') = 'Failure';
