query 'service = iam and event in (CreateUser, CreateLoginProfile'
