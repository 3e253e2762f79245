"""After the decision: grant notices, acceptance, the payee account, payments, cancellation and repayment."""
