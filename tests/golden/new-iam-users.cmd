query 'service = iam and event = CreateUser | fields time, principal, requestParameters.userName, requestParameters.path, error'
