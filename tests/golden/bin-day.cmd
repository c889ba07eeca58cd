query 'service = iam and readonly = false | stats count() by bin(1d) | sort time'
