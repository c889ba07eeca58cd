-- runbook: microservices/privileged-role-changes
-- Privileged role changes

-- step 1: Changes to privileged roles
-- finished locally: filter 'requestParameters.roleName in @privileged-roles': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.roleName, requestParameters.policyArn, requestParameters.policyName, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('UpdateAssumeRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary', 'UpdateRole', 'DeleteRole', 'CreateRole');

-- step 2: Trust policies rewritten outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.roleName, requestParameters.policyDocument, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND eventName = 'UpdateAssumeRolePolicy' AND (errorCode IS NULL OR errorCode = '');

-- step 3: Trust policies open to any AWS principal
-- finished locally: filter 'requestParameters.policyDocument =~': a regex whose syntax differs in SQL
-- finished locally: filter 'requestParameters.assumeRolePolicyDocument =~': a regex whose syntax differs in SQL
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, event, requestParameters.roleName, requestParameters.policyDocument, requestParameters.assumeRolePolicyDocument, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('UpdateAssumeRolePolicy', 'CreateRole');

-- step 4: Role changes by everyone, per role
SELECT element_at(requestParameters, 'roleName') AS "requestParameters.roleName", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, ''))) FILTER (WHERE COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) IS NOT NULL)), 1, 100), ',') AS "changed_by"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true') AND element_at(requestParameters, 'roleName') IS NOT NULL
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventTime);
