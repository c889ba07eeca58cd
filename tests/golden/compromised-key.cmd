query 'key = AKIAGXBAD3ZIK6BGAA6M | stats count(), values(event) by ip | sort ip'
