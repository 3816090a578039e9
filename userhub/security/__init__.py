"""Everything that guards accounts: passwords, tokens, sessions, headers."""
