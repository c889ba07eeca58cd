query '| stats count() by event | sort count desc | head 10'
