-- runbook: credential-compromise/key-new-network
-- Long-term keys used from new addresses or with new tools

-- step 1: Keys used from an address they never used before
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'ip not in @known-networks': @lists are resolved locally
-- finished locally: stage | first-seen key, ip baseline 14d
-- finished locally: stage | fields time, key, principal, ip, ua, region, event, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-18T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND lower(useridentity.accesskeyid) LIKE 'akia%' ESCAPE '\';

-- step 2: Keys used with a user agent they never sent before
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'ip not in @known-networks': @lists are resolved locally
-- finished locally: stage | first-seen key, ua baseline 14d
-- finished locally: stage | fields time, key, principal, ua, ip, event, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-18T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND lower(useridentity.accesskeyid) LIKE 'akia%' ESCAPE '\';

-- step 3: Keys with many denied calls
SELECT NULLIF(useridentity.accesskeyid, '') AS "key", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", COUNT(DISTINCT NULLIF(eventname, '')) AS "apis", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceipaddress, '')) FILTER (WHERE NULLIF(sourceipaddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND lower(useridentity.accesskeyid) LIKE 'akia%' ESCAPE '\' AND errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation')
GROUP BY 1, 2
ORDER BY "apis" DESC NULLS LAST, MIN(eventtime);
