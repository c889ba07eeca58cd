query -f csv '| fields time, type, principal, account, requestParameters.roleArn' $FIXTURES/array.json
