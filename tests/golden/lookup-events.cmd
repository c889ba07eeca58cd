query '| fields time, event, principal, ip, additionalEventData.MFAUsed' $FIXTURES/lookup-events.json
