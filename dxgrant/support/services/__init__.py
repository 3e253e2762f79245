"""Every write about advisor support (伴走支援), one module per use case. Callers import the
module (`from dxgrant.support.services import hearings`); nothing is re-exported here.

- `engagements`: start supporting a company (and invite its representative)
- `invitations`: invite, resend, revoke and accept invitations (accepting starts the support)
- `ending`: end the support (支援の終了)
- `hearings`: hearing records, the applicant's answer to them
- `training`: schedule and cancel training sessions
- `attendance`: the attendee's own check-in with the code shown in the session
- `quiz`: the comprehension quiz after training
- `transitions`: fire a transition of the engagement's lifecycle (`support/lifecycle.py`)

Each service takes the acting user, checks it against `policies` (PermissionDenied when the
actor may not do this at all), refuses an invalid state or input with a ValidationError whose
message a person can read, writes the audit entry in its transaction, and enqueues its email
task on commit (`core.notify.enqueue_on_commit`).
"""
