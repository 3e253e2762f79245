"""The records that follow a decision (notices, acceptance, payee accounts, payments)."""
