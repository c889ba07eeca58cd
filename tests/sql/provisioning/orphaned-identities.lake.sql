-- runbook: provisioning/orphaned-identities
-- Failed account creation leaving orphans

-- step 1: Half-finished creations whose key was never cleaned up
-- finished locally: stage | sequence by requestParameters.userName within 1h: [event = CreateUser and not error exists] -> [event = CreateAccessKey and not error exists] -> [error exists] -> not [event in (DeleteAccessKey
-- finished locally: stage | fields time, principal, event, requestParameters.userName, responseElements.accessKey.accessKeyId, error, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND ((eventName = 'CreateUser' AND (errorCode IS NULL OR errorCode = '')) OR (eventName = 'CreateAccessKey' AND (errorCode IS NULL OR errorCode = '')) OR (errorCode <> '') OR (eventName IN ('DeleteAccessKey', 'DeleteUser') AND (errorCode IS NULL OR errorCode = '')));

-- step 2: Failed rollbacks
-- finished locally: stage | sequence by requestParameters.userName within 1h: [event = CreateUser and not error exists] -> [error exists] -> [event = DeleteUser and error exists]
-- finished locally: stage | fields time, principal, event, requestParameters.userName, error, errorMessage, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND ((eventName = 'CreateUser' AND (errorCode IS NULL OR errorCode = '')) OR (errorCode <> '') OR (eventName = 'DeleteUser' AND errorCode <> ''));

-- step 3: Credentials set after a failed CreateUser
-- finished locally: stage | sequence by requestParameters.userName within 1h: [event = CreateUser and error exists] -> [event in (CreateLoginProfile, UpdateLoginProfile, CreateAccessKey) and not error exists]
-- finished locally: stage | fields time, principal, event, requestParameters.userName, error, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND ((eventName = 'CreateUser' AND errorCode <> '') OR (eventName IN ('CreateLoginProfile', 'UpdateLoginProfile', 'CreateAccessKey') AND (errorCode IS NULL OR errorCode = '')));

-- step 4: Failed IAM creation calls
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", element_at(requestParameters, 'userName') AS "requestParameters.userName", NULLIF(errorCode, '') AS "error", errorMessage AS "errorMessage"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND errorCode <> '' AND eventName IN ('CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'AttachUserPolicy', 'DeleteUser', 'DeleteAccessKey');
