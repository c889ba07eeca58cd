-- runbook: persistence/alternate-credentials
-- Credentials that outlive a key: Roles Anywhere trust anchors, federation tokens, identity providers

-- step 1: Roles Anywhere trust anchors and profiles created or changed
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.name, requestParameters.roleArns, requestParameters.source.sourceType, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'rolesanywhere.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('CreateTrustAnchor', 'UpdateTrustAnchor', 'EnableTrustAnchor', 'CreateProfile', 'UpdateProfile', 'EnableProfile', 'ImportCrl', 'UpdateCrl', 'EnableCrl', 'PutNotificationSettings');

-- step 2: Federation tokens issued
-- finished locally: stage | fields time, principal, requestParameters.name, requestParameters.durationSeconds, requestParameters.policy, responseElements.credentials.accessKeyId, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'sts.amazonaws.com' AND eventName = 'GetFederationToken' AND (errorCode IS NULL OR errorCode = '');

-- step 3: Identity providers added or changed
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.name, requestParameters.url, requestParameters.openIDConnectProviderArn, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('CreateSAMLProvider', 'UpdateSAMLProvider', 'CreateOpenIDConnectProvider', 'AddClientIDToOpenIDConnectProvider', 'UpdateOpenIDConnectProviderThumbprint');

-- step 4: Token and trust calls per principal
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", MIN(eventTime) AS "first", MAX(eventTime) AS "last", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceIPAddress, '')) FILTER (WHERE NULLIF(sourceIPAddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND ((eventSource = 'sts.amazonaws.com' AND eventName IN ('GetFederationToken', 'GetSessionToken') OR eventSource = 'rolesanywhere.amazonaws.com') OR eventName IN ('CreateSAMLProvider', 'UpdateSAMLProvider', 'CreateOpenIDConnectProvider'))
GROUP BY 1
ORDER BY "first" NULLS LAST, MIN(eventTime);
