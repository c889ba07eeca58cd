query 'event = CreateUser' /nonexistent/AWSLogs
