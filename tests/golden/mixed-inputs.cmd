query '| stats count() by type | sort type' $FIXTURES
