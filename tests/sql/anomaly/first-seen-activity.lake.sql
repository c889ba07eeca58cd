-- runbook: anomaly/first-seen-activity
-- First-seen region, IP address and user agent per principal

-- step 1: New region for a user
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | first-seen principal, region baseline 14d
-- finished locally: stage | fields time, principal, region, ip, ua, event, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-18 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser';

-- step 2: New source address for a user
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'ip not in @known-networks': @lists are resolved locally
-- finished locally: stage | first-seen principal, ip baseline 14d
-- finished locally: stage | fields time, principal, ip, region, ua, event, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-18 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser';

-- step 3: New user agent for a user
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | first-seen principal, ua baseline 14d
-- finished locally: stage | fields time, principal, ua, ip, region, event, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-18 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser';

-- step 4: Everything the users did in their new regions
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | first-seen principal, region, event baseline 14d
-- finished locally: stage | filter region != us-east-1
-- finished locally: stage | fields time, principal, region, event, ip, error, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-18 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser';

-- step 5: Where each user usually works
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(awsRegion, '')) FILTER (WHERE NULLIF(awsRegion, '') IS NOT NULL)), 1, 100), ',') AS "regions", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceIPAddress, '')) FILTER (WHERE NULLIF(sourceIPAddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses", COUNT(DISTINCT NULLIF(userAgent, '')) AS "user_agents", MIN(eventTime) AS "first", MAX(eventTime) AS "last"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser'
GROUP BY 1
ORDER BY "principal" NULLS LAST, MIN(eventTime);
