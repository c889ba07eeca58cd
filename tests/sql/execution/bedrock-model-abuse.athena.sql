-- runbook: execution/bedrock-model-abuse
-- Bedrock models enabled or invoked outside the approved workloads (LLMjacking)

-- step 1: Model access enabled outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.modelId, region, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'bedrock.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('PutFoundationModelEntitlement', 'CreateFoundationModelAgreement', 'PutUseCaseForModelAccess', 'DeleteModelInvocationLoggingConfiguration');

-- step 2: Models invoked by principals that are not workloads
-- finished locally: filter 'role not in @service-roles': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.modelId, region, error, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'bedrock.amazonaws.com' AND eventname IN ('InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream', 'InvokeAgent', 'RetrieveAndGenerate');

-- step 3: Bedrock calls per principal and region
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(awsregion, '') AS "region", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT json_extract_scalar(requestparameters, '$.modelId')) FILTER (WHERE json_extract_scalar(requestparameters, '$.modelId') IS NOT NULL)), 1, 100), ',') AS "models", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(errorcode, '')) FILTER (WHERE NULLIF(errorcode, '') IS NOT NULL)), 1, 100), ',') AS "errors"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'bedrock.amazonaws.com'
GROUP BY 1, 2
ORDER BY "count" DESC NULLS LAST, MIN(eventtime);
