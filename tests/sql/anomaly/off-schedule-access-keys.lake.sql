-- runbook: anomaly/off-schedule-access-keys
-- Access keys created off-schedule or outside approved automation

-- step 1: Keys created outside approved automation
-- finished locally: filter 'principal not in @approved-automation': @lists are resolved locally
-- finished locally: stage | fields time, principal, requestParameters.userName, responseElements.accessKey.accessKeyId, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND eventName = 'CreateAccessKey' AND (errorCode IS NULL OR errorCode = '');

-- step 2: Keys created at night (19:00-07:00 UTC)
-- finished locally: filter 'responseElements.accessKey.createDate =~': not a column of the event data store (maps have one level)
-- finished locally: stage | fields time, principal, requestParameters.userName, responseElements.accessKey.accessKeyId, responseElements.accessKey.createDate, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND eventName = 'CreateAccessKey' AND (errorCode IS NULL OR errorCode = '');

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
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND userIdentity.type = 'IAMUser' AND lower(userIdentity.accessKeyId) LIKE 'akia%' ESCAPE '\';

-- step 4: Every key created, updated or deleted
-- finished locally: stage | fields time, principal, event, requestParameters.userName, requestParameters.accessKeyId, responseElements.accessKey.accessKeyId, requestParameters.status, error
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND eventName IN ('CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey');
