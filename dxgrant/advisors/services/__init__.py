"""Every write about advisor firms, one module per use case (callers import the module):

- `registration`: a firm registers (start, save a section, tick the declarations, attach and
  remove documents, submit).
- `certification`: the secretariat's decisions (request changes, reject, certify, renew,
  suspend, reinstate, revoke), fired through the tables in `advisors/lifecycle.py`.
- `team`: a firm's people (invite advisors, revoke an invitation, join by the link, remove).
- `course`: the advisor course (a module read, the quiz).

Each function checks who is acting, refuses an invalid state with a clear exception, writes the
audit entry in the same transaction, and enqueues its emails (advisors/tasks.py) on commit.
"""
