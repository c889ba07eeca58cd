query 'hour(time) >= 22 or hour(time) < 6 | stats count() by weekday(time), hour(time) | sort count desc | head 5'
