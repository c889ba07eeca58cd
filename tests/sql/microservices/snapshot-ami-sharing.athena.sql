-- runbook: microservices/snapshot-ami-sharing
-- Snapshots and AMIs shared with other accounts

-- step 1: Snapshots and images shared outside the organization or made public
-- finished locally: filter 'requestParameters.createVolumePermission.add.items.0.userId not in @known-accounts': @lists are resolved locally
-- finished locally: filter 'requestParameters.launchPermission.add.items.0.userId not in @known-accounts': @lists are resolved locally
-- finished locally: filter 'requestParameters.valuesToAdd.0 not in @known-accounts': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.snapshotId, requestParameters.imageId, requestParameters.dBSnapshotIdentifier, requestParameters.createVolumePermission.add.items.0.userId, requestPara
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND (errorcode IS NULL OR errorcode = '') AND ((eventname = 'ModifySnapshotAttribute' AND ((COALESCE(json_format(json_extract(requestparameters, '$.createVolumePermission.add.items[0].userId')), 'null') <> 'null' OR json_extract_scalar(requestparameters, '$.createVolumePermission.add.items[0].group') = 'all') OR COALESCE(json_format(json_extract(requestparameters, '$.createVolumePermission.add.items[1].userId')), 'null') <> 'null') OR eventname = 'ModifyImageAttribute' AND ((COALESCE(json_format(json_extract(requestparameters, '$.launchPermission.add.items[0].userId')), 'null') <> 'null' OR json_extract_scalar(requestparameters, '$.launchPermission.add.items[0].group') = 'all') OR COALESCE(json_format(json_extract(requestparameters, '$.launchPermission.add.items[1].userId')), 'null') <> 'null')) OR eventname IN ('ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute') AND json_extract_scalar(requestparameters, '$.attributeName') = 'restore' AND COALESCE(json_format(json_extract(requestparameters, '$.valuesToAdd[0]')), 'null') <> 'null');

-- step 2: Sharing by sessions assumed from outside accounts
-- finished locally: stage | sequence within 12h: [event = AssumeRole and type = AWSAccount and userIdentity.accountId not in @known-accounts] then responseElements.credentials.accessKeyId -> [event in (ModifySnapshotAttribu
-- finished locally: stage | fields time, principal, event, userIdentity.accountId, requestParameters.roleArn, requestParameters.snapshotId, requestParameters.imageId, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND ((eventname = 'AssumeRole' AND useridentity.type = 'AWSAccount') OR (eventname IN ('ModifySnapshotAttribute', 'ModifyImageAttribute', 'ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute') AND (errorcode IS NULL OR errorcode = '')));

-- step 3: Every sharing change in the window
SELECT eventtime AS "time", COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", json_extract_scalar(requestparameters, '$.snapshotId') AS "requestParameters.snapshotId", json_extract_scalar(requestparameters, '$.imageId') AS "requestParameters.imageId", json_extract_scalar(requestparameters, '$.createVolumePermission.add.items[0].userId') AS "requestParameters.createVolumePermission.add.items.0.userId", json_extract_scalar(requestparameters, '$.launchPermission.add.items[0].userId') AS "requestParameters.launchPermission.add.items.0.userId", NULLIF(errorcode, '') AS "error"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname IN ('ModifySnapshotAttribute', 'ModifyImageAttribute', 'ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute');
