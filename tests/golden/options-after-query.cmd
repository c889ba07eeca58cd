query 'event = StopLogging | fields time, principal' -f csv
