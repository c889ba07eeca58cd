-- runbook: credential-compromise/exposed-key-quarantine
-- Keys AWS found exposed and quarantined

-- step 1: Users quarantined by AWS
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), NULLIF(CASE WHEN userIdentity.type = 'AWSService' THEN userIdentity.invokedBy ELSE userIdentity.principalId END, ''), NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", element_at(requestParameters, 'userName') AS "requestParameters.userName", element_at(requestParameters, 'policyArn') AS "requestParameters.policyArn", element_at(requestParameters, 'policyName') AS "requestParameters.policyName", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(userAgent, '') AS "ua", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND (eventName = 'AttachUserPolicy' AND lower(element_at(requestParameters, 'policyArn')) LIKE 'arn:aws:iam::aws:policy/awscompromisedkeyquarantine%' ESCAPE '\' OR eventName = 'PutUserPolicy' AND (lower(element_at(requestParameters, 'policyName')) LIKE 'awsexposedcredentialpolicy%' ESCAPE '\' OR lower(element_at(requestParameters, 'policyName')) LIKE 'awscompromisedkeyquarantine%' ESCAPE '\'));

-- step 2: Quarantine policies removed
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), NULLIF(CASE WHEN userIdentity.type = 'AWSService' THEN userIdentity.invokedBy ELSE userIdentity.principalId END, ''), NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", element_at(requestParameters, 'userName') AS "requestParameters.userName", NULLIF(sourceIPAddress, '') AS "ip", NULLIF(userIdentity.accessKeyId, '') AS "key", NULLIF(eventID, '') AS "eventID"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND (eventName = 'DetachUserPolicy' AND lower(element_at(requestParameters, 'policyArn')) LIKE 'arn:aws:iam::aws:policy/awscompromisedkeyquarantine%' ESCAPE '\' OR eventName = 'DeleteUserPolicy' AND (lower(element_at(requestParameters, 'policyName')) LIKE 'awsexposedcredentialpolicy%' ESCAPE '\' OR lower(element_at(requestParameters, 'policyName')) LIKE 'awscompromisedkeyquarantine%' ESCAPE '\'));

-- step 3: What the quarantined users did in the window
SELECT eventTime AS "time", COALESCE(NULLIF(userIdentity.arn, ''), NULLIF(CASE WHEN userIdentity.type = 'AWSService' THEN userIdentity.invokedBy ELSE userIdentity.principalId END, ''), NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", element_at(requestParameters, 'userName') AS "requestParameters.userName", NULLIF(errorCode, '') AS "error"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'iam.amazonaws.com' AND lower(element_at(requestParameters, 'policyArn')) LIKE '%awscompromisedkeyquarantine%' ESCAPE '\';
