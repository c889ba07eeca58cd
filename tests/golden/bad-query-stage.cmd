query 'event = CreateUser | first-seen principal baseline 7d'
