-- runbook: persistence/alternate-credentials
-- Credentials that outlive a key: Roles Anywhere trust anchors, federation tokens, identity providers

-- step 1: Roles Anywhere trust anchors and profiles created or changed
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.name, requestParameters.roleArns, requestParameters.source.sourceType, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'rolesanywhere.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('CreateTrustAnchor', 'UpdateTrustAnchor', 'EnableTrustAnchor', 'CreateProfile', 'UpdateProfile', 'EnableProfile', 'ImportCrl', 'UpdateCrl', 'EnableCrl', 'PutNotificationSettings');

-- step 2: Federation tokens issued
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", json_extract_scalar(requestparameters, '$.name') AS "requestParameters.name", json_extract_scalar(requestparameters, '$.durationSeconds') AS "requestParameters.durationSeconds", json_extract_scalar(requestparameters, '$.policy') AS "requestParameters.policy", json_extract_scalar(responseelements, '$.credentials.accessKeyId') AS "responseElements.credentials.accessKeyId", NULLIF(sourceipaddress, '') AS "ip", NULLIF(useragent, '') AS "ua", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'sts.amazonaws.com' AND eventname = 'GetFederationToken' AND (errorcode IS NULL OR errorcode = '');

-- step 3: Identity providers added or changed
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.name, requestParameters.url, requestParameters.openIDConnectProviderArn, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('CreateSAMLProvider', 'UpdateSAMLProvider', 'CreateOpenIDConnectProvider', 'AddClientIDToOpenIDConnectProvider', 'UpdateOpenIDConnectProviderThumbprint');

-- step 4: Token and trust calls per principal
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", MIN(eventtime) AS "first", MAX(eventtime) AS "last", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(sourceipaddress, '')) FILTER (WHERE NULLIF(sourceipaddress, '') IS NOT NULL)), 1, 100), ',') AS "addresses"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND ((eventsource = 'sts.amazonaws.com' AND eventname IN ('GetFederationToken', 'GetSessionToken') OR eventsource = 'rolesanywhere.amazonaws.com') OR eventname IN ('CreateSAMLProvider', 'UpdateSAMLProvider', 'CreateOpenIDConnectProvider'))
GROUP BY 1
ORDER BY "first" NULLS LAST, MIN(eventtime);
