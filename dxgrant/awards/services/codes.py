"""The applicant's step-up for the acts of the award (acceptance, a change of account after
acceptance): a current code from their authenticator app, checked exactly as for the final
submission (accounts.services.step_up: five wrong codes in ten minutes stop the tries, and the person is
emailed when that happens), each refused code in the audit log against the application.

The page checks the code first (`verify_code`, its own transaction, so a refused code stays on
record; the refusal is returned, not raised) and hands the accepted attempt to the act, which refuses without a fresh one of the
person's own for that purpose (`accounts.services.step_up.require_fresh`). The check itself, shared
with the submission, is `accounts.services.step_up.verify_for`; this binds the awards' email.
"""

from __future__ import annotations

from dxgrant.accounts.models import User
from dxgrant.accounts.services import step_up
from dxgrant.applications.models import Application

from .. import tasks


def verify_code(
    *, user: User, code: str, application: Application, purpose: str, ip_address: str | None = None
) -> step_up.CodeCheck:
    """Check `user`'s code for `purpose` (accounts.models.StepUpPurpose), refused codes audited
    as `awards.<purpose>_code_refused`, the limit's email from the awards' tasks."""
    return step_up.verify_for(
        user=user,
        code=code,
        purpose=purpose,
        obj=application,
        refused_action=f"awards.{purpose}_code_refused",
        on_locked=tasks.send_code_locked,
        ip_address=ip_address,
    )
