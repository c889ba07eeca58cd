-- runbook: provisioning/permission-changes
-- Permissions granted outside the approval path

-- step 1: Permission changes by principals outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.roleName, requestParameters.groupName, requestParameters.policyArn, requestParameters.policyName, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'AddUserToGroup', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'PutUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'DeleteUserPermissionsBoundary', 'DeleteRolePermissionsBoundary', 'DetachUserPolicy', 'DetachRolePolicy', 'DetachGroupPolicy', 'DeleteUserPolicy', 'DeleteRolePolicy', 'DeleteGroupPolicy', 'CreatePolicy', 'DeletePolicy', 'DeletePolicyVersion');

-- step 2: Administrator access attached
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", json_extract_scalar(requestparameters, '$.userName') AS "requestParameters.userName", json_extract_scalar(requestparameters, '$.roleName') AS "requestParameters.roleName", json_extract_scalar(requestparameters, '$.groupName') AS "requestParameters.groupName", NULLIF(sourceipaddress, '') AS "ip", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy') AND lower(COALESCE(json_extract_scalar(requestparameters, '$.policyArn'), json_format(json_extract(requestparameters, '$.policyArn')))) LIKE 'arn:aws:iam::aws:policy/administratoraccess' ESCAPE '\';

-- step 3: Denied permission changes
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, error, requestParameters.userName, requestParameters.roleName, requestParameters.policyArn, ip, key
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND errorcode <> '' AND eventname IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'AddUserToGroup', 'CreatePolicyVersion', 'SetDefaultPolicyVersion');

-- step 4: All permission changes in the window
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(errorcode, '') AS "error", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", MIN(eventtime) AS "first", MAX(eventtime) AS "last"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND eventname IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'AddUserToGroup', 'CreatePolicyVersion', 'SetDefaultPolicyVersion')
GROUP BY 1, 2
ORDER BY "count" DESC NULLS LAST, MIN(eventtime);
