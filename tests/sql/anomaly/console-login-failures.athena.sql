-- runbook: anomaly/console-login-failures
-- Console login failure bursts and sign-ins without MFA

-- step 1: Bursts of failures from one address
-- finished locally: stage | sequence by ip within 10m: [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin
-- finished locally: stage | fields time, ip, principal, userIdentity.userName, ua, errorMessage, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'ConsoleLogin' AND ((json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure') OR (json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure') OR (json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure') OR (json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure') OR (json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure'));

-- step 2: Failures per address and user
SELECT NULLIF(sourceipaddress, '') AS "ip", COUNT(*) AS "count", COUNT(DISTINCT useridentity.username) AS "users", array_join(slice(array_sort(array_agg(DISTINCT useridentity.username) FILTER (WHERE useridentity.username IS NOT NULL)), 1, 100), ',') AS "names", MIN(eventtime) AS "first", MAX(eventtime) AS "last"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'ConsoleLogin' AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure'
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventtime);

-- step 3: Successful sign-in after failures from the same address
-- finished locally: stage | sequence by ip within 30m: [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin = Failure] -> [responseElements.ConsoleLogin
-- finished locally: stage | filter responseElements.ConsoleLogin = Success
-- finished locally: stage | fields time, ip, principal, type, additionalEventData.MFAUsed, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'ConsoleLogin' AND ((json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure') OR (json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure') OR (json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure') OR (json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'));

-- step 4: Successful console sign-ins without MFA
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(useridentity.type, '') AS "type", NULLIF(sourceipaddress, '') AS "ip", NULLIF(useragent, '') AS "ua", json_extract_scalar(additionaleventdata, '$.MFAUsed') AS "additionalEventData.MFAUsed", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'ConsoleLogin' AND useridentity.type IN ('IAMUser', 'Root') AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success' AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No' AND COALESCE(json_format(json_extract(additionaleventdata, '$.SamlProviderArn')), 'null') = 'null';

-- step 5: Every failed console sign-in
SELECT eventtime AS "time", NULLIF(sourceipaddress, '') AS "ip", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", useridentity.username AS "userIdentity.userName", errormessage AS "errorMessage", json_extract_scalar(additionaleventdata, '$.MFAUsed') AS "additionalEventData.MFAUsed"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'ConsoleLogin' AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure';
