-- runbook: microservices/service-activity
-- Per-service activity of the microservice roles

-- step 1: Service roles used from outside our networks
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: filter 'ip not in @known-networks': @lists are resolved locally
-- finished locally: stage | fields time, role, principal, event, service, ip, ua, key, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z';

-- step 2: APIs a service role called for the first time
-- window starts at 2026-10-25T00:00:00Z: the baseline before --since is read too
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | first-seen role, service, event baseline 7d
-- finished locally: stage | fields time, role, service, event, region, ip, error, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-10-25T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z';

-- step 3: Activity per service
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | stats count(), dc(event) as apis, values(service) as services, values(region) as regions, dc(ip) as addresses by role
-- finished locally: stage | sort count desc
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z';

-- step 4: Errors per service and API
-- finished locally: filter 'role in @service-roles': @lists are resolved locally
-- finished locally: stage | stats count(), min(time) as first, max(time) as last by role, service, event, error
-- finished locally: stage | sort count desc
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND errorcode <> '';
