"""Writes about accounts, one module per use case:

- `step_up`: checking a code from the person's authenticator that confirms an act (a
  submission), with a limit on wrong codes.
"""
