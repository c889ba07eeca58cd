query -q 'resources[].ARN != arn:y:2 | fields eventID, resources[].ARN' $top_srcdir/tests/golden/issue11.json
