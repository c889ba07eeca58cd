query '| fields time, event, role, error, readonly' $FIXTURES/events.ndjson
