-- runbook: credential-compromise/attack-tool-user-agents
-- Calls from penetration-testing distributions and attack tools

-- step 1: Calls with attack-tool user agents
-- finished locally: filter 'ua in @offensive-user-agents': @lists are resolved locally
-- finished locally: stage | fields time, principal, key, event, service, region, ip, error, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z';

-- step 2: Credentials seen with attack tools
-- finished locally: filter 'ua in @offensive-user-agents': @lists are resolved locally
-- finished locally: stage | stats count(), min(time) as first, max(time) as last, values(ip) as addresses, values(event) as events by principal, key
-- finished locally: stage | sort first
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z';
