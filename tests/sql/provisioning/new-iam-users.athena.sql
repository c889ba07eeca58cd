-- runbook: provisioning/new-iam-users
-- IAM users created in the window

-- step 1: Users created outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: filter 'requestParameters.path not in @approved-iam-paths': @lists are resolved locally
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, requestParameters.userName, requestParameters.path, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND eventname = 'CreateUser' AND (errorcode IS NULL OR errorcode = '');

-- step 2: Credentials and permissions given to users in the window
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", json_extract_scalar(requestparameters, '$.userName') AS "requestParameters.userName", json_extract_scalar(requestparameters, '$.policyArn') AS "requestParameters.policyArn", json_extract_scalar(requestparameters, '$.groupName') AS "requestParameters.groupName", json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS "responseElements.accessKey.accessKeyId"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('CreateAccessKey', 'CreateLoginProfile', 'AttachUserPolicy', 'PutUserPolicy', 'AddUserToGroup');

-- step 3: All user creations, including failures
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", json_extract_scalar(requestparameters, '$.userName') AS "requestParameters.userName", json_extract_scalar(requestparameters, '$.path') AS "requestParameters.path", NULLIF(errorcode, '') AS "error", NULLIF(sourceipaddress, '') AS "ip"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND eventname = 'CreateUser';
