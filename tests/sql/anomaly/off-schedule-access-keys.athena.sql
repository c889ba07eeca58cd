-- runbook: anomaly/off-schedule-access-keys
-- Access keys created off-schedule or outside approved automation

-- step 1: Keys created outside approved automation
-- finished locally: filter 'principal not in @approved-automation': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.userName, responseElements.accessKey.accessKeyId, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND eventname = 'CreateAccessKey' AND (errorcode IS NULL OR errorcode = '');

-- step 2: Keys created at night (19:00-07:00 UTC)
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", json_extract_scalar(requestparameters, '$.userName') AS "requestParameters.userName", json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS "responseElements.accessKey.accessKeyId", json_extract_scalar(responseelements, '$.accessKey.createDate') AS "responseElements.accessKey.createDate", NULLIF(sourceipaddress, '') AS "ip", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND eventname = 'CreateAccessKey' AND (errorcode IS NULL OR errorcode = '') AND regexp_like(json_extract_scalar(responseelements, '$.accessKey.createDate'), '( (12|[1-6]):[0-9]{2}:[0-9]{2} AM| (7|8|9|10|11):[0-9]{2}:[0-9]{2} PM)$');

-- step 3: Access keys used at night or at the weekend
-- finished locally: filter 'hour(time) >= 19': hour() and weekday() are computed locally
-- finished locally: filter 'hour(time) < 7': hour() and weekday() are computed locally
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: filter 'weekday(time) in sat, sun': hour() and weekday() are computed locally
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | stats count(), values(event), values(ip) by key, principal, weekday(time)
-- finished locally: stage | sort count desc
-- finished locally: stage | head 50
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND useridentity.type = 'IAMUser' AND lower(useridentity.accesskeyid) LIKE 'akia%' ESCAPE '\';

-- step 4: Every key created, updated or deleted
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", json_extract_scalar(requestparameters, '$.userName') AS "requestParameters.userName", json_extract_scalar(requestparameters, '$.accessKeyId') AS "requestParameters.accessKeyId", json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS "responseElements.accessKey.accessKeyId", json_extract_scalar(requestparameters, '$.status') AS "requestParameters.status", NULLIF(errorcode, '') AS "error"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'iam.amazonaws.com' AND eventname IN ('CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey');
