-- runbook: anomaly/iam-change-spike
-- IAM change spikes at unusual hours

-- step 1: Hours with far more IAM changes outside the pipeline than usual
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | spike bin(1h) baseline 7d z > 5
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-25T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (readonly IS NULL OR readonly <> 'true') AND (eventname IS NULL OR eventname = '' OR NOT regexp_like(eventname, '^(Get|List|Describe|Generate|Simulate)'));

-- step 2: All IAM changes per hour, pipeline included
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | spike bin(1h) baseline 7d z > 5
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-25T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (readonly IS NULL OR readonly <> 'true') AND (eventname IS NULL OR eventname = '' OR NOT regexp_like(eventname, '^(Get|List|Describe|Generate|Simulate)'));

-- step 3: Which principals changed IAM, per hour
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", from_unixtime(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / 3600) * 3600) AS "time", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (readonly IS NULL OR readonly <> 'true') AND (eventname IS NULL OR eventname = '' OR NOT regexp_like(eventname, '^(Get|List|Describe|Generate|Simulate)'))
GROUP BY 1, 2
ORDER BY "count" DESC NULLS LAST, MIN(eventtime)
LIMIT 20;

-- step 4: IAM changes outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.groupName, requestParameters.roleName, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (readonly IS NULL OR readonly <> 'true') AND (eventname IS NULL OR eventname = '' OR NOT regexp_like(eventname, '^(Get|List|Describe|Generate|Simulate)')) AND (errorcode IS NULL OR errorcode = '');
