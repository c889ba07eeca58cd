query --since 24h '| stats count(), min(time), max(time)'
