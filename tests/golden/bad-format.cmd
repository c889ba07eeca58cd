query -f xml 'event = CreateUser'
