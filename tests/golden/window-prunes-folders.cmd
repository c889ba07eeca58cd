query --now 2026-11-20T00:00Z --since 2026-11-19T00:00Z --until 2026-11-19T06:00Z '| stats count(), min(time), max(time)' $SAMPLE
