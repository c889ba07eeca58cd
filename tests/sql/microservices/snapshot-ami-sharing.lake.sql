-- runbook: microservices/snapshot-ami-sharing
-- Snapshots and AMIs shared with other accounts

-- step 1: Snapshots and images shared outside the organization or made public
-- finished locally: filter 'requestParameters.createVolumePermission.add.items.0.userId exists': not a column of the event data store (maps have one level)
-- finished locally: filter 'requestParameters.createVolumePermission.add.items.0.userId not in @known-accounts': not a column of the event data store (maps have one level)
-- finished locally: filter 'requestParameters.createVolumePermission.add.items.0.group = all': not a column of the event data store (maps have one level)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: filter 'requestParameters.createVolumePermission.add.items.1.userId exists': not a column of the event data store (maps have one level)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: filter 'requestParameters.launchPermission.add.items.0.userId exists': not a column of the event data store (maps have one level)
-- finished locally: filter 'requestParameters.launchPermission.add.items.0.userId not in @known-accounts': not a column of the event data store (maps have one level)
-- finished locally: filter 'requestParameters.launchPermission.add.items.0.group = all': not a column of the event data store (maps have one level)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: filter 'requestParameters.launchPermission.add.items.1.userId exists': not a column of the event data store (maps have one level)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: filter 'requestParameters.valuesToAdd.0 exists': not a column of the event data store (maps have one level)
-- finished locally: filter 'requestParameters.valuesToAdd.0 not in @known-accounts': not a column of the event data store (maps have one level)
-- finished locally: stage | fields time, principal, event, requestParameters.snapshotId, requestParameters.imageId, requestParameters.dBSnapshotIdentifier, requestParameters.createVolumePermission.add.items.0.userId, requestPara
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND (errorCode IS NULL OR errorCode = '') AND ((eventName = 'ModifySnapshotAttribute' OR eventName = 'ModifyImageAttribute') OR eventName IN ('ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute') AND element_at(requestParameters, 'attributeName') = 'restore');

-- step 2: Sharing by sessions assumed from outside accounts
-- finished locally: stage | sequence within 12h: [event = AssumeRole and type = AWSAccount and userIdentity.accountId not in @known-accounts] then responseElements.credentials.accessKeyId -> [event in (ModifySnapshotAttribu
-- finished locally: stage | fields time, principal, event, userIdentity.accountId, requestParameters.roleArn, requestParameters.snapshotId, requestParameters.imageId, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND ((eventName = 'AssumeRole' AND userIdentity.type = 'AWSAccount') OR (eventName IN ('ModifySnapshotAttribute', 'ModifyImageAttribute', 'ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute') AND (errorCode IS NULL OR errorCode = '')));

-- step 3: Every sharing change in the window
-- finished locally: stage | fields time, principal, event, requestParameters.snapshotId, requestParameters.imageId, requestParameters.createVolumePermission.add.items.0.userId, requestParameters.launchPermission.add.items.0.user
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventName IN ('ModifySnapshotAttribute', 'ModifyImageAttribute', 'ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute');
