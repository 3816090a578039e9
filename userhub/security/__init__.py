"""What guards every area: password policy and hashing, where a request comes from (Origin, Referrer-Policy),
strict input, route access. The stores of sign-in sessions and mailed tokens read the accounts' tables: they
are the accounts area's (accounts/sessions.py, accounts/tokens.py)."""
