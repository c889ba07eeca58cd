query -q '* | fields eventID, type, principal' $top_srcdir/tests/golden/issue11.json
