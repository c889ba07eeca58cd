-- runbook: persistence/lambda-changes
-- Lambda functions changed, backdoored or opened to the world outside the deploy pipeline

-- step 1: Function code, layers or configuration changed outside the pipeline
-- finished locally: filter 'principal not in @approved-deployers': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.functionName, requestParameters.layers, requestParameters.role, responseElements.codeSha256, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'lambda.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND regexp_like(NULLIF(eventName, ''), '^(CreateFunction|UpdateFunctionCode|UpdateFunctionConfiguration|PublishLayerVersion|AddLayerVersionPermission|PublishVersion|UpdateAlias|CreateAlias|PutFunctionConcurrency|CreateEventSourceMapping|UpdateEventSourceMapping)[0-9v]*$');

-- step 2: Functions opened to other accounts or to anyone
-- finished locally: filter 'requestParameters.principal not in @known-accounts': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.functionName, requestParameters.principal, requestParameters.action, requestParameters.statementId, requestParameters.authType, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'lambda.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND (lower(eventName) LIKE 'addpermission%' ESCAPE '\' AND ((element_at(requestParameters, 'principal') = '*' OR regexp_like(element_at(requestParameters, 'principal'), '^[0-9]{12}$')) OR element_at(requestParameters, 'functionUrlAuthType') = 'NONE') OR regexp_like(NULLIF(eventName, ''), '^(CreateFunctionUrlConfig|UpdateFunctionUrlConfig)') AND element_at(requestParameters, 'authType') = 'NONE');

-- step 3: Lambda changes per principal
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", COUNT(DISTINCT element_at(requestParameters, 'functionName')) AS "functions", MIN(eventTime) AS "first", MAX(eventTime) AS "last"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'lambda.amazonaws.com' AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true')
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventTime);
