query 'ip in (203.0.113.0/24) | stats count() by ip | sort ip'
