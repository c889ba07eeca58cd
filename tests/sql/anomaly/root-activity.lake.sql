-- runbook: anomaly/root-activity
-- Root user activity and root console login without MFA

-- step 1: Root console sign-in without MFA
SELECT eventTime AS "time", COALESCE(NULLIF(recipientAccountId, ''), NULLIF(userIdentity.accountId, '')) AS "account", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(userAgent, '') AS "ua", element_at(additionalEventData, 'MFAUsed') AS "additionalEventData.MFAUsed", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'ConsoleLogin' AND userIdentity.type = 'Root' AND element_at(responseElements, 'ConsoleLogin') = 'Success' AND (element_at(additionalEventData, 'MFAUsed') IS NULL OR element_at(additionalEventData, 'MFAUsed') <> 'Yes');

-- step 2: Failed root sign-ins
SELECT eventTime AS "time", COALESCE(NULLIF(recipientAccountId, ''), NULLIF(userIdentity.accountId, '')) AS "account", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(userAgent, '') AS "ua", errorMessage AS "errorMessage", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'ConsoleLogin' AND userIdentity.type = 'Root' AND element_at(responseElements, 'ConsoleLogin') = 'Failure';

-- step 3: Root API calls and credentials
SELECT eventTime AS "time", COALESCE(NULLIF(recipientAccountId, ''), NULLIF(userIdentity.accountId, '')) AS "account", NULLIF(eventName, '') AS "event", NULLIF(eventSource, '') AS "service", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(userAgent, '') AS "ua", NULLIF(errorCode, '') AS "error", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'Root' AND (eventName IS NULL OR NOT eventName IN ('ConsoleLogin', 'GetSessionToken', 'CreateServiceLinkedRole')) AND (eventType IS NULL OR eventType <> 'AwsServiceEvent') AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true') AND (eventName IS NULL OR eventName = '' OR NOT regexp_like(eventName, '^(Get|List|Describe)'));

-- step 4: Root access keys created
-- finished locally: stage | fields time, account, ip, ua, responseElements.accessKey.accessKeyId, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'Root' AND eventName = 'CreateAccessKey' AND element_at(requestParameters, 'userName') IS NULL AND (errorCode IS NULL OR errorCode = '');

-- step 5: All root activity in the window
SELECT eventTime AS "time", COALESCE(NULLIF(recipientAccountId, ''), NULLIF(userIdentity.accountId, '')) AS "account", NULLIF(eventName, '') AS "event", NULLIF(sourceIPAddress, '') AS "ip", element_at(responseElements, 'ConsoleLogin') AS "responseElements.ConsoleLogin", element_at(additionalEventData, 'MFAUsed') AS "additionalEventData.MFAUsed", NULLIF(errorCode, '') AS "error"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'Root';
