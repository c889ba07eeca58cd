-- runbook: anomaly/root-activity
-- Root user activity and root console login without MFA

-- step 1: Root console sign-in without MFA
SELECT eventtime AS "time", COALESCE(NULLIF(recipientaccountid, ''), NULLIF(useridentity.accountid, '')) AS "account", NULLIF(sourceipaddress, '') AS "ip", NULLIF(useragent, '') AS "ua", json_extract_scalar(additionaleventdata, '$.MFAUsed') AS "additionalEventData.MFAUsed", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'ConsoleLogin' AND useridentity.type = 'Root' AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success' AND (json_extract_scalar(additionaleventdata, '$.MFAUsed') IS NULL OR json_extract_scalar(additionaleventdata, '$.MFAUsed') <> 'Yes');

-- step 2: Failed root sign-ins
SELECT eventtime AS "time", COALESCE(NULLIF(recipientaccountid, ''), NULLIF(useridentity.accountid, '')) AS "account", NULLIF(sourceipaddress, '') AS "ip", NULLIF(useragent, '') AS "ua", errormessage AS "errorMessage", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname = 'ConsoleLogin' AND useridentity.type = 'Root' AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure';

-- step 3: Root API calls and credentials
SELECT eventtime AS "time", COALESCE(NULLIF(recipientaccountid, ''), NULLIF(useridentity.accountid, '')) AS "account", NULLIF(eventname, '') AS "event", NULLIF(eventsource, '') AS "service", NULLIF(sourceipaddress, '') AS "ip", NULLIF(useragent, '') AS "ua", NULLIF(errorcode, '') AS "error", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'Root' AND (eventname IS NULL OR NOT eventname IN ('ConsoleLogin', 'GetSessionToken', 'CreateServiceLinkedRole')) AND (eventtype IS NULL OR eventtype <> 'AwsServiceEvent') AND (readonly IS NULL OR readonly <> 'true') AND (eventname IS NULL OR eventname = '' OR NOT regexp_like(eventname, '^(Get|List|Describe)'));

-- step 4: Root access keys created
SELECT eventtime AS "time", COALESCE(NULLIF(recipientaccountid, ''), NULLIF(useridentity.accountid, '')) AS "account", NULLIF(sourceipaddress, '') AS "ip", NULLIF(useragent, '') AS "ua", json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS "responseElements.accessKey.accessKeyId", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'Root' AND eventname = 'CreateAccessKey' AND COALESCE(json_format(json_extract(requestparameters, '$.userName')), 'null') = 'null' AND (errorcode IS NULL OR errorcode = '');

-- step 5: All root activity in the window
SELECT eventtime AS "time", COALESCE(NULLIF(recipientaccountid, ''), NULLIF(useridentity.accountid, '')) AS "account", NULLIF(eventname, '') AS "event", NULLIF(sourceipaddress, '') AS "ip", json_extract_scalar(responseelements, '$.ConsoleLogin') AS "responseElements.ConsoleLogin", json_extract_scalar(additionaleventdata, '$.MFAUsed') AS "additionalEventData.MFAUsed", NULLIF(errorcode, '') AS "error"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'Root';
