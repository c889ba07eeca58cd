-- runbook: execution/instance-tampering
-- Instance user data read or changed, Windows passwords retrieved, unusual instances launched

-- step 1: User data read by someone outside the pipeline
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.instanceId, error, region, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'DescribeInstanceAttribute' AND element_at(requestParameters, 'attribute') = 'userData';

-- step 2: User data changed
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.instanceId, error, region, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'ModifyInstanceAttribute' AND (element_at(requestParameters, 'userData') IS NOT NULL OR element_at(requestParameters, 'attribute') = 'userData');

-- step 3: Windows administrator passwords retrieved
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.instanceId, error, region, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'GetPasswordData';

-- step 4: Unusual instance types launched
-- finished locally: filter 'requestParameters.instanceType in @unusual-instance-types': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.instanceType, requestParameters.instancesSet.items.0.maxCount, requestParameters.instancesSet.items.0.imageId, error, region, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName = 'RunInstances';

-- step 5: Instance state and attribute changes per principal
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(errorCode, '')) FILTER (WHERE NULLIF(errorCode, '') IS NOT NULL)), 1, 100), ',') AS "errors", MIN(eventTime) AS "first", MAX(eventTime) AS "last"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'ec2.amazonaws.com' AND eventName IN ('RunInstances', 'StartInstances', 'StopInstances', 'ModifyInstanceAttribute', 'DescribeInstanceAttribute', 'GetPasswordData')
GROUP BY 1
ORDER BY "first" NULLS LAST, MIN(eventTime);
