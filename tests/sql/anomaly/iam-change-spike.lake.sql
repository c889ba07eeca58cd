-- runbook: anomaly/iam-change-spike
-- IAM change spikes at unusual hours

-- step 1: Hours with far more IAM changes outside the pipeline than usual
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | spike bin(1h) baseline 7d z > 5
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-25 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true') AND (eventName IS NULL OR eventName = '' OR NOT regexp_like(eventName, '^(Get|List|Describe|Generate|Simulate)'));

-- step 2: All IAM changes per hour, pipeline included
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | spike bin(1h) baseline 7d z > 5
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-25 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true') AND (eventName IS NULL OR eventName = '' OR NOT regexp_like(eventName, '^(Get|List|Describe|Generate|Simulate)'));

-- step 3: Which principals changed IAM, per hour
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", from_unixtime(floor(to_unixtime(eventTime) / 3600) * 3600) AS "time", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true') AND (eventName IS NULL OR eventName = '' OR NOT regexp_like(eventName, '^(Get|List|Describe|Generate|Simulate)'))
GROUP BY 1, 2
ORDER BY "count" DESC NULLS LAST, MIN(eventTime)
LIMIT 20;

-- step 4: IAM changes outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.groupName, requestParameters.roleName, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true') AND (eventName IS NULL OR eventName = '' OR NOT regexp_like(eventName, '^(Get|List|Describe|Generate|Simulate)')) AND (errorCode IS NULL OR errorCode = '');
