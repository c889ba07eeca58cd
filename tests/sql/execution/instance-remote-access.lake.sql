-- runbook: execution/instance-remote-access
-- Commands and shells on instances through SSM, EC2 Instance Connect and the serial console

-- step 1: Commands sent to instances through SSM
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.documentName, requestParameters.instanceIds, requestParameters.targets, error, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'ssm.amazonaws.com' AND eventName = 'SendCommand';

-- step 2: Shell sessions opened on instances
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.target, requestParameters.documentName, responseElements.sessionId, error, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'ssm.amazonaws.com' AND eventName IN ('StartSession', 'ResumeSession');

-- step 3: SSH keys pushed to instances
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.instanceId, requestParameters.instanceOSUser, requestParameters.serialPort, error, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName IN ('SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey');

-- step 4: Serial console access switched on
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(awsRegion, '') AS "region", COALESCE(NULLIF(recipientAccountId, ''), NULLIF(userIdentity.accountId, '')) AS "account", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(userAgent, '') AS "ua", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'EnableSerialConsoleAccess' AND (errorCode IS NULL OR errorCode = '');

-- step 5: Remote access to instances per principal
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", MIN(eventTime) AS "first", MAX(eventTime) AS "last", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceIPAddress, '')) FILTER (WHERE NULLIF(sourceIPAddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName IN ('SendCommand', 'GetCommandInvocation', 'StartSession', 'ResumeSession', 'TerminateSession', 'SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey', 'EnableSerialConsoleAccess', 'DisableSerialConsoleAccess')
GROUP BY 1
ORDER BY "first" NULLS LAST, MIN(eventTime);
