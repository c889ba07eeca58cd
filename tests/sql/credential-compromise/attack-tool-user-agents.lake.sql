-- runbook: credential-compromise/attack-tool-user-agents
-- Calls from penetration-testing distributions and attack tools

-- step 1: Calls with attack-tool user agents
-- finished locally: filter 'ua in @offensive-user-agents': @lists are resolved locally
-- finished locally: stage | fields time, principal, key, event, service, region, ip, error, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00';

-- step 2: Credentials seen with attack tools
-- finished locally: filter 'ua in @offensive-user-agents': @lists are resolved locally
-- finished locally: stage | stats count(), min(time) as first, max(time) as last, values(ip) as addresses, values(event) as events by principal, key
-- finished locally: stage | sort first
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00';
