-- runbook: execution/instance-tampering
-- Instance user data read or changed, Windows passwords retrieved, unusual instances launched

-- step 1: User data read by someone outside the pipeline
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.instanceId, error, region, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'DescribeInstanceAttribute' AND json_extract_scalar(requestparameters, '$.attribute') = 'userData';

-- step 2: User data changed
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.instanceId, error, region, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'ModifyInstanceAttribute' AND (COALESCE(json_format(json_extract(requestparameters, '$.userData')), 'null') <> 'null' OR json_extract_scalar(requestparameters, '$.attribute') = 'userData');

-- step 3: Windows administrator passwords retrieved
-- finished locally: filter 'principal not in @approved-instance-operators': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.instanceId, error, region, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'GetPasswordData';

-- step 4: Unusual instance types launched
-- finished locally: filter 'requestParameters.instanceType in @unusual-instance-types': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.instanceType, requestParameters.instancesSet.items.0.maxCount, requestParameters.instancesSet.items.0.imageId, error, region, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'RunInstances';

-- step 5: Instance state and attribute changes per principal
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(errorcode, '')) FILTER (WHERE NULLIF(errorcode, '') IS NOT NULL)), 1, 100), ',') AS "errors", MIN(eventtime) AS "first", MAX(eventtime) AS "last"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'ec2.amazonaws.com' AND eventname IN ('RunInstances', 'StartInstances', 'StopInstances', 'ModifyInstanceAttribute', 'DescribeInstanceAttribute', 'GetPasswordData')
GROUP BY 1
ORDER BY "first" NULLS LAST, MIN(eventtime);
