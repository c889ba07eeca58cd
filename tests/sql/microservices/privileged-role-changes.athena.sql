-- runbook: microservices/privileged-role-changes
-- Privileged role changes

-- step 1: Changes to privileged roles
-- finished locally: filter 'requestParameters.roleName in @privileged-roles': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.roleName, requestParameters.policyArn, requestParameters.policyName, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('UpdateAssumeRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary', 'UpdateRole', 'DeleteRole', 'CreateRole');

-- step 2: Trust policies rewritten outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.roleName, requestParameters.policyDocument, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND eventname = 'UpdateAssumeRolePolicy' AND (errorcode IS NULL OR errorcode = '');

-- step 3: Trust policies open to any AWS principal
-- finished locally: filter 'requestParameters.policyDocument =~': a regex whose syntax differs in SQL
-- finished locally: filter 'requestParameters.assumeRolePolicyDocument =~': a regex whose syntax differs in SQL
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, event, requestParameters.roleName, requestParameters.policyDocument, requestParameters.assumeRolePolicyDocument, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('UpdateAssumeRolePolicy', 'CreateRole');

-- step 4: Role changes by everyone, per role
SELECT json_extract_scalar(requestparameters, '$.roleName') AS "requestParameters.roleName", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, ''))) FILTER (WHERE COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) IS NOT NULL)), 1, 100), ',') AS "changed_by"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (readonly IS NULL OR readonly <> 'true') AND COALESCE(json_format(json_extract(requestparameters, '$.roleName')), 'null') <> 'null'
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventtime);
