-- runbook: provisioning/orphaned-identities
-- Failed account creation leaving orphans

-- step 1: Half-finished creations whose key was never cleaned up
-- finished locally: stage | sequence by requestParameters.userName within 1h: [event = CreateUser and not error exists] -> [event = CreateAccessKey and not error exists] -> [error exists] -> not [event in (DeleteAccessKey
-- finished locally: stage | fields time, principal, event, requestParameters.userName, responseElements.accessKey.accessKeyId, error, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND ((eventname = 'CreateUser' AND (errorcode IS NULL OR errorcode = '')) OR (eventname = 'CreateAccessKey' AND (errorcode IS NULL OR errorcode = '')) OR (errorcode <> '') OR (eventname IN ('DeleteAccessKey', 'DeleteUser') AND (errorcode IS NULL OR errorcode = '')));

-- step 2: Failed rollbacks
-- finished locally: stage | sequence by requestParameters.userName within 1h: [event = CreateUser and not error exists] -> [error exists] -> [event = DeleteUser and error exists]
-- finished locally: stage | fields time, principal, event, requestParameters.userName, error, errorMessage, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND ((eventname = 'CreateUser' AND (errorcode IS NULL OR errorcode = '')) OR (errorcode <> '') OR (eventname = 'DeleteUser' AND errorcode <> ''));

-- step 3: Credentials set after a failed CreateUser
-- finished locally: stage | sequence by requestParameters.userName within 1h: [event = CreateUser and error exists] -> [event in (CreateLoginProfile, UpdateLoginProfile, CreateAccessKey) and not error exists]
-- finished locally: stage | fields time, principal, event, requestParameters.userName, error, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND ((eventname = 'CreateUser' AND errorcode <> '') OR (eventname IN ('CreateLoginProfile', 'UpdateLoginProfile', 'CreateAccessKey') AND (errorcode IS NULL OR errorcode = '')));

-- step 4: Failed IAM creation calls
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", json_extract_scalar(requestparameters, '$.userName') AS "requestParameters.userName", NULLIF(errorcode, '') AS "error", errormessage AS "errorMessage"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND errorcode <> '' AND eventname IN ('CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'AttachUserPolicy', 'DeleteUser', 'DeleteAccessKey');
