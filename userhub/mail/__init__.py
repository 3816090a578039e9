"""Outgoing email: outbox, rendering and SMTP delivery."""
