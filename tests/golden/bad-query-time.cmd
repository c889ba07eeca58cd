query 'time > yesterday'
