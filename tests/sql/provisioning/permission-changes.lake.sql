-- runbook: provisioning/permission-changes
-- Permissions granted outside the approval path

-- step 1: Permission changes by principals outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.roleName, requestParameters.groupName, requestParameters.policyArn, requestParameters.policyName, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'AddUserToGroup', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'PutUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'DeleteUserPermissionsBoundary', 'DeleteRolePermissionsBoundary', 'DetachUserPolicy', 'DetachRolePolicy', 'DetachGroupPolicy', 'DeleteUserPolicy', 'DeleteRolePolicy', 'DeleteGroupPolicy', 'CreatePolicy', 'DeletePolicy', 'DeletePolicyVersion');

-- step 2: Administrator access attached
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", element_at(requestParameters, 'userName') AS "requestParameters.userName", element_at(requestParameters, 'roleName') AS "requestParameters.roleName", element_at(requestParameters, 'groupName') AS "requestParameters.groupName", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy') AND lower(element_at(requestParameters, 'policyArn')) LIKE 'arn:aws:iam::aws:policy/administratoraccess' ESCAPE '\';

-- step 3: Denied permission changes
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, error, requestParameters.userName, requestParameters.roleName, requestParameters.policyArn, ip, key
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND errorCode <> '' AND eventName IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'AddUserToGroup', 'CreatePolicyVersion', 'SetDefaultPolicyVersion');

-- step 4: All permission changes in the window
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(errorCode, '') AS "error", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", MIN(eventTime) AS "first", MAX(eventTime) AS "last"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND eventName IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'AddUserToGroup', 'CreatePolicyVersion', 'SetDefaultPolicyVersion')
GROUP BY 1, 2
ORDER BY "count" DESC NULLS LAST, MIN(eventTime);
