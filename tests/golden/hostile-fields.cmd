query 'event = GetUser and principal ~ "*dev-mallory" | fields time, ua, requestParameters.userName'
