-- runbook: anomaly/cloudtrail-tampering
-- CloudTrail tampering

-- step 1: Trail and event data store changes
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", json_extract_scalar(requestparameters, '$.name') AS "requestParameters.name", json_extract_scalar(requestparameters, '$.trailName') AS "requestParameters.trailName", json_extract_scalar(requestparameters, '$.eventSelectors') AS "requestParameters.eventSelectors", NULLIF(sourceipaddress, '') AS "ip", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'cloudtrail.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND (eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion', 'UpdateEventDataStore') OR eventname = 'PutEventSelectors' AND (((json_extract_scalar(requestparameters, '$.eventSelectors[0].includeManagementEvents') IS NULL OR json_extract_scalar(requestparameters, '$.eventSelectors[0].includeManagementEvents') <> 'true') OR (json_extract_scalar(requestparameters, '$.eventSelectors[0].readWriteType') IS NULL OR json_extract_scalar(requestparameters, '$.eventSelectors[0].readWriteType') <> 'All')) OR COALESCE(json_format(json_extract(requestparameters, '$.advancedEventSelectors')), 'null') <> 'null'));

-- step 2: Logging stopped and not restarted within ten minutes
-- finished locally: stage | sequence by requestParameters.name within 10m: [event = StopLogging and not error exists] -> not [event = StartLogging]
-- finished locally: stage | fields time, principal, event, requestParameters.name, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'cloudtrail.amazonaws.com' AND ((eventname = 'StopLogging' AND (errorcode IS NULL OR errorcode = '')) OR (eventname = 'StartLogging'));

-- step 3: Other audit, detection and protection services switched off
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", NULLIF(eventsource, '') AS "service", NULLIF(awsregion, '') AS "region", NULLIF(errorcode, '') AS "error", NULLIF(sourceipaddress, '') AS "ip", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND ((errorcode IS NULL OR errorcode = '') AND (eventname IN ('StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DeleteConfigRule', 'DeleteFlowLogs', 'DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig', 'DeleteDetector', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount', 'StopMonitoringMembers', 'DisableSecurityHub', 'BatchDisableStandards', 'DeleteInsight', 'UpdateFindings', 'DisableMacie', 'UpdateMacieSession', 'DisassociateWebACL', 'DisableEbsEncryptionByDefault', 'DeleteLogGroup') OR eventname = 'UpdateDetector' AND json_extract_scalar(requestparameters, '$.enable') = 'false') OR eventname = 'LeaveOrganization');

-- step 4: Failed attempts to change trails
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", NULLIF(errorcode, '') AS "error", NULLIF(sourceipaddress, '') AS "ip", NULLIF(useridentity.accesskeyid, '') AS "key", NULLIF(eventid, '') AS "eventID"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'cloudtrail.amazonaws.com' AND errorcode <> '' AND eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion', 'UpdateEventDataStore');

-- step 5: All CloudTrail management calls in the window
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", json_extract_scalar(requestparameters, '$.name') AS "requestParameters.name", NULLIF(errorcode, '') AS "error", NULLIF(sourceipaddress, '') AS "ip"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'cloudtrail.amazonaws.com';
