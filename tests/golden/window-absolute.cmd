query --since 2026-11-18T02:00Z --until 2026-11-18T02:30Z '| stats count() by principal, event | sort count desc | head 5'
