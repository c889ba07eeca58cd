-- runbook: provisioning/new-iam-users
-- IAM users created in the window

-- step 1: Users created outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: filter 'requestParameters.path not in @approved-iam-paths': @lists are resolved locally
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, requestParameters.userName, requestParameters.path, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND eventName = 'CreateUser' AND (errorCode IS NULL OR errorCode = '');

-- step 2: Credentials and permissions given to users in the window
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.policyArn, requestParameters.groupName, responseElements.accessKey.accessKeyId
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('CreateAccessKey', 'CreateLoginProfile', 'AttachUserPolicy', 'PutUserPolicy', 'AddUserToGroup');

-- step 3: All user creations, including failures
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", element_at(requestParameters, 'userName') AS "requestParameters.userName", element_at(requestParameters, 'path') AS "requestParameters.path", NULLIF(errorCode, '') AS "error", NULLIF(sourceIPAddress, '') AS "ip"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND eventName = 'CreateUser';
