-- runbook: microservices/error-and-invocation-spikes
-- Error-code and invocation-rate spikes per service

-- step 1: Error spikes per service role
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | spike by role, error, bin(10m) baseline 7d z > 5
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-25 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND errorCode <> '';

-- step 2: Invocation spikes per function
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | spike by principal, requestParameters.functionName, bin(10m) baseline 7d z > 5
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-10-25 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'lambda.amazonaws.com' AND eventName = 'Invoke';

-- step 3: Access denied for service roles
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | fields time, role, principal, event, service, errorMessage, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND errorCode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation');

-- step 4: Error codes per service, API and hour
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | stats count() by role, event, error, bin(1h)
-- finished locally: stage | sort count desc
-- finished locally: stage | head 30
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND errorCode <> '';

-- step 5: Invocations per function and hour
SELECT element_at(requestParameters, 'functionName') AS "requestParameters.functionName", from_unixtime(floor(to_unixtime(eventTime) / 3600) * 3600) AS "time", COUNT(*) AS "count"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'lambda.amazonaws.com' AND eventName = 'Invoke'
GROUP BY 1, 2
ORDER BY "count" DESC NULLS LAST, MIN(eventTime)
LIMIT 30;
