query -f csv 'event = GetUser and principal ~ "*dev-mallory" | fields ua'
