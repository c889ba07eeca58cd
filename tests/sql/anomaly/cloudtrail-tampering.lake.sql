-- runbook: anomaly/cloudtrail-tampering
-- CloudTrail tampering

-- step 1: Trail and event data store changes
-- finished locally: filter 'requestParameters.eventSelectors.0.includeManagementEvents != true': not a column of the event data store (maps have one level)
-- finished locally: filter 'requestParameters.eventSelectors.0.readWriteType != All': not a column of the event data store (maps have one level)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, event, requestParameters.name, requestParameters.trailName, requestParameters.eventSelectors, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'cloudtrail.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND (eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion', 'UpdateEventDataStore') OR eventName = 'PutEventSelectors');

-- step 2: Logging stopped and not restarted within ten minutes
-- finished locally: stage | sequence by requestParameters.name within 10m: [event = StopLogging and not error exists] -> not [event = StartLogging]
-- finished locally: stage | fields time, principal, event, requestParameters.name, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'cloudtrail.amazonaws.com' AND ((eventName = 'StopLogging' AND (errorCode IS NULL OR errorCode = '')) OR (eventName = 'StartLogging'));

-- step 3: Other audit, detection and protection services switched off
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", NULLIF(eventSource, '') AS "service", NULLIF(awsRegion, '') AS "region", NULLIF(errorCode, '') AS "error", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND ((errorCode IS NULL OR errorCode = '') AND (eventName IN ('StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DeleteConfigRule', 'DeleteFlowLogs', 'DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig', 'DeleteDetector', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount', 'StopMonitoringMembers', 'DisableSecurityHub', 'BatchDisableStandards', 'DeleteInsight', 'UpdateFindings', 'DisableMacie', 'UpdateMacieSession', 'DisassociateWebACL', 'DisableEbsEncryptionByDefault', 'DeleteLogGroup') OR eventName = 'UpdateDetector' AND element_at(requestParameters, 'enable') = 'false') OR eventName = 'LeaveOrganization');

-- step 4: Failed attempts to change trails
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", NULLIF(errorCode, '') AS "error", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(userIdentity.accessKeyId, '') AS "key", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'cloudtrail.amazonaws.com' AND errorCode <> '' AND eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion', 'UpdateEventDataStore');

-- step 5: All CloudTrail management calls in the window
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", element_at(requestParameters, 'name') AS "requestParameters.name", NULLIF(errorCode, '') AS "error", NULLIF(sourceIPAddress, '') AS "ip"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'cloudtrail.amazonaws.com';
