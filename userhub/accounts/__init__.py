"""Accounts: activation, sign-in, password reset and change, display name, language, home page."""
