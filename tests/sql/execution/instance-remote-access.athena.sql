-- runbook: execution/instance-remote-access
-- Commands and shells on instances through SSM, EC2 Instance Connect and the serial console

-- step 1: Commands sent to instances through SSM
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.documentName, requestParameters.instanceIds, requestParameters.targets, error, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'ssm.amazonaws.com' AND eventname = 'SendCommand';

-- step 2: Shell sessions opened on instances
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.target, requestParameters.documentName, responseElements.sessionId, error, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'ssm.amazonaws.com' AND eventname IN ('StartSession', 'ResumeSession');

-- step 3: SSH keys pushed to instances
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.instanceId, requestParameters.instanceOSUser, requestParameters.serialPort, error, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname IN ('SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey');

-- step 4: Serial console access switched on
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(awsregion, '') AS "region", COALESCE(NULLIF(recipientaccountid, ''), NULLIF(useridentity.accountid, '')) AS "account", NULLIF(sourceipaddress, '') AS "ip", NULLIF(useragent, '') AS "ua", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'EnableSerialConsoleAccess' AND (errorcode IS NULL OR errorcode = '');

-- step 5: Remote access to instances per principal
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", MIN(eventtime) AS "first", MAX(eventtime) AS "last", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceipaddress, '')) FILTER (WHERE NULLIF(sourceipaddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname IN ('SendCommand', 'GetCommandInvocation', 'StartSession', 'ResumeSession', 'TerminateSession', 'SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey', 'EnableSerialConsoleAccess', 'DisableSerialConsoleAccess')
GROUP BY 1
ORDER BY "first" NULLS LAST, MIN(eventtime);
