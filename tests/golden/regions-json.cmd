query -f json '| stats count(), dc(account) by region | sort region'
