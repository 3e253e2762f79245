"""PLACEHOLDER (the results report's branch): the final amount (額の確定) is written in parallel by
another engineer; the lead merges theirs over this file. Only the signature is fixed here."""

from __future__ import annotations

from typing import Any

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application

FinalAmount = Any


def determine(*, application: Application, eligible_actual_yen: int, actor: User) -> FinalAmount:
    raise NotImplementedError("the final amount service is merged from its own branch")
