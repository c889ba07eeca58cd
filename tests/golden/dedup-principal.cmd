query 'event = ConsoleLogin | dedup ip | fields time, ip, principal, error | head 5'
