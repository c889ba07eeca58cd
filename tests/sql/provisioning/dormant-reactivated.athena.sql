-- runbook: provisioning/dormant-reactivated
-- Inactive accounts reactivated

-- step 1: Principals active again after at least a week of silence
-- window starts at 2026-10-02T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | dormant principal for 7d
-- finished locally: stage | fields time, principal, event, ip, ua, key, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-02T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser';

-- step 2: Every kind of call the reactivated principals made
-- window starts at 2026-10-02T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | dormant principal, event for 7d
-- finished locally: stage | fields time, principal, event, ip, region, error, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-02T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser';

-- step 3: Keys switched back on and console passwords given
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.accessKeyId, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND (eventname = 'UpdateAccessKey' AND json_extract_scalar(requestparameters, '$.status') = 'Active' OR eventname IN ('CreateLoginProfile', 'UpdateLoginProfile'));

-- step 4: IAM users active in the window
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", MIN(eventtime) AS "first", MAX(eventtime) AS "last", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceipaddress, '')) FILTER (WHERE NULLIF(sourceipaddress, '') IS NOT NULL)), 1, 100), ',') AS "ips", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(awsregion, '')) FILTER (WHERE NULLIF(awsregion, '') IS NOT NULL)), 1, 100), ',') AS "regions"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser'
GROUP BY 1
ORDER BY "first" NULLS LAST, MIN(eventtime);
