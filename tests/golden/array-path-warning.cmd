query -q 'resources.ARN exists | stats count()' $top_srcdir/tests/golden/issue11.json
