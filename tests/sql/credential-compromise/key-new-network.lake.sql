-- runbook: credential-compromise/key-new-network
-- Long-term keys used from new addresses or with new tools

-- step 1: Keys used from an address they never used before
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'ip not in @known-networks': @lists are resolved locally
-- finished locally: stage | first-seen key, ip baseline 14d
-- finished locally: stage | fields time, key, principal, ip, ua, region, event, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-18 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND lower(userIdentity.accessKeyId) LIKE 'akia%' ESCAPE '\';

-- step 2: Keys used with a user agent they never sent before
-- window starts at 2026-10-18T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'ip not in @known-networks': @lists are resolved locally
-- finished locally: stage | first-seen key, ua baseline 14d
-- finished locally: stage | fields time, key, principal, ua, ip, event, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-18 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND lower(userIdentity.accessKeyId) LIKE 'akia%' ESCAPE '\';

-- step 3: Keys with many denied calls
SELECT NULLIF(userIdentity.accessKeyId, '') AS "key", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", COUNT(DISTINCT NULLIF(eventName, '')) AS "apis", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceIPAddress, '')) FILTER (WHERE NULLIF(sourceIPAddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND lower(userIdentity.accessKeyId) LIKE 'akia%' ESCAPE '\' AND errorCode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation')
GROUP BY 1, 2
ORDER BY "apis" DESC NULLS LAST, MIN(eventTime);
