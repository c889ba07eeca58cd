query 'event = ConsoleLogin | threshold count() >= 3 within 10m by ip | stats count(), min(time), max(time) by ip'
