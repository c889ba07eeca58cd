query -f ndjson 'event = StopLogging'
