query -f csv 'type = Root and event = ConsoleLogin | fields time, ip, additionalEventData.MFAUsed, responseElements.ConsoleLogin'
