-- runbook: anomaly/first-seen-activity
-- First-seen region, IP address and user agent per principal

-- step 1: New region for a user
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | first-seen principal, region baseline 14d
-- finished locally: stage | fields time, principal, region, ip, ua, event, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-18T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser';

-- step 2: New source address for a user
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'ip not in @known-networks': @lists are resolved locally
-- finished locally: stage | first-seen principal, ip baseline 14d
-- finished locally: stage | fields time, principal, ip, region, ua, event, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-18T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser';

-- step 3: New user agent for a user
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | first-seen principal, ua baseline 14d
-- finished locally: stage | fields time, principal, ua, ip, region, event, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-18T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser';

-- step 4: Everything the users did in their new regions
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | first-seen principal, region, event baseline 14d
-- finished locally: stage | filter region != us-east-1
-- finished locally: stage | fields time, principal, region, event, ip, error, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-18T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser';

-- step 5: Where each user usually works
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(awsregion, '')) FILTER (WHERE NULLIF(awsregion, '') IS NOT NULL)), 1, 100), ',') AS "regions", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceipaddress, '')) FILTER (WHERE NULLIF(sourceipaddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses", COUNT(DISTINCT NULLIF(useragent, '')) AS "user_agents", MIN(eventtime) AS "first", MAX(eventtime) AS "last"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser'
GROUP BY 1
ORDER BY "principal" NULLS LAST, MIN(eventtime);
