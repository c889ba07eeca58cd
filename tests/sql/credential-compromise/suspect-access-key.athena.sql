-- runbook: credential-compromise/suspect-access-key
-- Everything a suspect access key did

-- step 1: Calls with the key from outside our networks
-- finished locally: filter 'key in @suspect-keys': @lists are resolved locally
-- finished locally: filter 'ip not in @known-networks': @lists are resolved locally
-- finished locally: stage | fields time, key, principal, event, service, region, ip, ua, error, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z';

-- step 2: Addresses and user agents of the key, first and last seen
-- finished locally: filter 'key in @suspect-keys': @lists are resolved locally
-- finished locally: stage | stats count(), min(time) as first_seen, max(time) as last_seen, values(event) as events by key, ip, ua
-- finished locally: stage | sort first_seen
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z';

-- step 3: Persistence attempts
-- finished locally: filter 'key in @suspect-keys': @lists are resolved locally
-- finished locally: stage | fields time, key, event, requestParameters.userName, requestParameters.policyArn, responseElements.accessKey.accessKeyId, error, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventname IN ('CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'AttachUserPolicy', 'PutUserPolicy', 'AttachRolePolicy', 'PutRolePolicy', 'AddUserToGroup', 'CreateRole', 'UpdateAssumeRolePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'CreateVirtualMFADevice', 'EnableMFADevice', 'UpdateAccessKey', 'CreateFunction20150331', 'RunInstances', 'ImportKeyPair', 'CreateKeyPair');

-- step 4: Denied calls
-- finished locally: filter 'key in @suspect-keys': @lists are resolved locally
-- finished locally: stage | fields time, key, event, service, error, errorMessage, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND errorcode <> '';

-- step 5: Everything the key did
-- finished locally: filter 'key in @suspect-keys': @lists are resolved locally
-- finished locally: stage | fields time, key, event, service, region, ip, ua, error
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z';
