-- runbook: persistence/lambda-changes
-- Lambda functions changed, backdoored or opened to the world outside the deploy pipeline

-- step 1: Function code, layers or configuration changed outside the pipeline
-- finished locally: filter 'principal not in @approved-deployers': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.functionName, requestParameters.layers, requestParameters.role, responseElements.codeSha256, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'lambda.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND regexp_like(NULLIF(eventname, ''), '^(CreateFunction|UpdateFunctionCode|UpdateFunctionConfiguration|PublishLayerVersion|AddLayerVersionPermission|PublishVersion|UpdateAlias|CreateAlias|PutFunctionConcurrency|CreateEventSourceMapping|UpdateEventSourceMapping)[0-9v]*$');

-- step 2: Functions opened to other accounts or to anyone
-- finished locally: filter 'requestParameters.principal not in @known-accounts': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.functionName, requestParameters.principal, requestParameters.action, requestParameters.statementId, requestParameters.authType, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'lambda.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND (lower(eventname) LIKE 'addpermission%' ESCAPE '\' AND ((json_extract_scalar(requestparameters, '$.principal') = '*' OR regexp_like(json_extract_scalar(requestparameters, '$.principal'), '^[0-9]{12}$')) OR json_extract_scalar(requestparameters, '$.functionUrlAuthType') = 'NONE') OR regexp_like(NULLIF(eventname, ''), '^(CreateFunctionUrlConfig|UpdateFunctionUrlConfig)') AND json_extract_scalar(requestparameters, '$.authType') = 'NONE');

-- step 3: Lambda changes per principal
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", COUNT(DISTINCT json_extract_scalar(requestparameters, '$.functionName')) AS "functions", MIN(eventtime) AS "first", MAX(eventtime) AS "last"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'lambda.amazonaws.com' AND (readonly IS NULL OR readonly <> 'true')
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventtime);
