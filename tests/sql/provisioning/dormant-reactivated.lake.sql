-- runbook: provisioning/dormant-reactivated
-- Inactive accounts reactivated

-- step 1: Principals active again after at least a week of silence
-- window starts at 2026-10-02T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | dormant principal for 7d
-- finished locally: stage | fields time, principal, event, ip, ua, key, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-02 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser';

-- step 2: Every kind of call the reactivated principals made
-- window starts at 2026-10-02T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | dormant principal, event for 7d
-- finished locally: stage | fields time, principal, event, ip, region, error, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-02 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser';

-- step 3: Keys switched back on and console passwords given
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.accessKeyId, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND (eventName = 'UpdateAccessKey' AND element_at(requestParameters, 'status') = 'Active' OR eventName IN ('CreateLoginProfile', 'UpdateLoginProfile'));

-- step 4: IAM users active in the window
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", MIN(eventTime) AS "first", MAX(eventTime) AS "last", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceIPAddress, '')) FILTER (WHERE NULLIF(sourceIPAddress, '') IS NOT NULL)), 1, 100), ',') AS "ips", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(awsRegion, '')) FILTER (WHERE NULLIF(awsRegion, '') IS NOT NULL)), 1, 100), ',') AS "regions"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser'
GROUP BY 1
ORDER BY "first" NULLS LAST, MIN(eventTime);
