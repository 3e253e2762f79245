"""Awards' writes, one module per use case.

Lock order. Every service here that locks more than one kind of row takes the locks in this one
order, so that two of them at once wait for each other instead of deadlocking:

    PaymentBatch (by pk) → Application (by pk) → Instalment → Transfer → the rest
    (Notice, PayeeAccount, RepaymentDemand), and the audit log's lock last (`audit_record`).

A conditional UPDATE locks its rows too and counts as taking the lock. Instalments are only
locked while their application is (so their own order does not matter), and transfers only
while their batch is. A service that learns which batches it needs only after locking the
application (cancelling an award: the batches of its instalments) reads them first without a
lock, locks them, then the application, and checks the set is still the same; if a batch was
made meanwhile, it rolls back to its savepoint (releasing those locks) and starts again.
tests/awards/test_lock_order.py holds each pair (cancel with settle, prepare, approve, export).
"""
