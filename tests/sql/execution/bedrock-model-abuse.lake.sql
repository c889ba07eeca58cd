-- runbook: execution/bedrock-model-abuse
-- Bedrock models enabled or invoked outside the approved workloads (LLMjacking)

-- step 1: Model access enabled outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.modelId, region, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'bedrock.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('PutFoundationModelEntitlement', 'CreateFoundationModelAgreement', 'PutUseCaseForModelAccess', 'DeleteModelInvocationLoggingConfiguration');

-- step 2: Models invoked by principals that are not workloads
-- finished locally: filter 'role not in @service-roles': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.modelId, region, error, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'bedrock.amazonaws.com' AND eventName IN ('InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream', 'InvokeAgent', 'RetrieveAndGenerate');

-- step 3: Bedrock calls per principal and region
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(awsRegion, '') AS "region", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT element_at(requestParameters, 'modelId')) FILTER (WHERE element_at(requestParameters, 'modelId') IS NOT NULL)), 1, 100), ',') AS "models", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(errorCode, '')) FILTER (WHERE NULLIF(errorCode, '') IS NOT NULL)), 1, 100), ',') AS "errors"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'bedrock.amazonaws.com'
GROUP BY 1, 2
ORDER BY "count" DESC NULLS LAST, MIN(eventTime);
