-- runbook: microservices/error-and-invocation-spikes
-- Error-code and invocation-rate spikes per service

-- step 1: Error spikes per service role
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | spike by role, error, bin(10m) baseline 7d z > 5
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-25T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND errorcode <> '';

-- step 2: Invocation spikes per function
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: stage | spike by principal, requestParameters.functionName, bin(10m) baseline 7d z > 5
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-25T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'lambda.amazonaws.com' AND eventname = 'Invoke';

-- step 3: Access denied for service roles
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | fields time, role, principal, event, service, errorMessage, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation');

-- step 4: Error codes per service, API and hour
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | stats count() by role, event, error, bin(1h)
-- finished locally: stage | sort count desc
-- finished locally: stage | head 30
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND errorcode <> '';

-- step 5: Invocations per function and hour
SELECT json_extract_scalar(requestparameters, '$.functionName') AS "requestParameters.functionName", from_unixtime(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / 3600) * 3600) AS "time", COUNT(*) AS "count"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'lambda.amazonaws.com' AND eventname = 'Invoke'
GROUP BY 1, 2
ORDER BY "count" DESC NULLS LAST, MIN(eventtime)
LIMIT 30;
