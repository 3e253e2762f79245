"""Bulk data for the payment benchmark: a decided round with N accepted awards, each with its
registered payee account and its instalments (the ones due after acceptance due), written with
bulk_create in batches, no per-row services (bench/generate.py's way), so that 10,000 load in
seconds before the clock starts.

What a due, payable instalment needs, as the services leave it (tests/awards/payments_builders.py):
an application in `accepted` with an awarded Decision in the round's published RoundDecision; its
Instalment rows split from the decided amount by the round's rules (`instalment_split.split`),
those due after acceptance `due`; and one current PayeeAccount whose holder matched and that
needs no acknowledgement (`selectors.payee_ready_for_payment`). Bank and branch codes are real
ones from the zengin-code data, so the transfer file carries their kana names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils import timezone
from zengin_code import Bank  # type: ignore[import-untyped,unused-ignore]

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.instalment_split import split
from dxgrant.awards.models import Instalment, InstalmentStatus, PayeeAccount
from dxgrant.decisions.models import Decision, Meeting, RoundDecision
from dxgrant.programs.models import Programme, Round

from .generate import BATCH, Generator, analyse

_KANA = [chr(c) for c in range(0xFF71, 0xFF9E)]


@dataclass(frozen=True)
class Awards:
    round: Round
    applications: int
    instalments_due: int
    due_total_yen: int


def _branches(rng: random.Random, count: int = 200) -> list[tuple[str, str]]:
    """`count` real (bank code, branch code) pairs, from a fixed seed."""
    pairs = [(code, branch) for code, bank in sorted(Bank.banks.items()) for branch in bank.branches]
    return rng.sample(pairs, count)


def accepted_awards(programme: Programme, round_obj: Round, n: int, *, by: User, seed: int = 11) -> Awards:
    """n accepted awards in `round_obj` (published decision), each with a ready payee account and
    its instalments; returns what is due."""
    rng = random.Random(seed)
    generator = Generator(programme, round_obj)
    if not generator.firms:
        generator.add_firms(max(10, n // 40))
    first = generator.applications
    generator.add_applications(n)
    applications = list(
        Application.objects.filter(round=round_obj).order_by("pk").values_list("pk", "company_name_kana")
    )[-n:]
    Application.objects.filter(pk__in=[pk for pk, _kana in applications]).update(status=workflow.ACCEPTED)
    meeting = Meeting.objects.create(
        round=round_obj, held_on=timezone.localdate(), members="委員", minutes="議事", recorded_by=by
    )
    amounts = [rng.randrange(10, 500) * 10_000 for _ in applications]
    RoundDecision.objects.create(
        round=round_obj,
        meeting=meeting,
        budget_yen=sum(amounts),
        awarded_total_yen=sum(amounts),
        amount_rule={},
        decided_by=by,
        published_by=by,
        published_at=timezone.now(),
    )
    round_decision = RoundDecision.objects.get(round=round_obj)
    rules = round_obj.rules.awards.instalments
    branches = _branches(rng)
    applicant, _created = User.objects.get_or_create(
        email="bench-applicant@example.jp", defaults={"role": Role.APPLICANT, "display_name": "ベンチ 申請"}
    )
    decisions, instalments, payees = [], [], []
    due = due_total = 0
    for rank, ((pk, _kana), amount) in enumerate(zip(applications, amounts, strict=True), start=first + 1):
        decisions.append(
            Decision(
                round_decision=round_decision,
                application_id=pk,
                rank=rank,
                score="80.00",
                eligible_cost_yen=amount * 2,
                rate="1/2",
                proposed_yen=amount,
                amount_yen=amount,
                outcome="awarded",
                sheet={},
                meeting=meeting,
            )
        )
        shares = dict(split(amount, rules))
        for position, rule in enumerate(rules, start=1):
            status = InstalmentStatus.DUE if rule.due_after == "acceptance" else InstalmentStatus.PENDING
            if status == InstalmentStatus.DUE:
                due += 1
                due_total += shares[rule.code]
            instalments.append(
                Instalment(
                    application_id=pk,
                    position=position,
                    code=rule.code,
                    label_ja=rule.label_ja,
                    label_en=rule.label_en,
                    amount_yen=shares[rule.code],
                    due_after=rule.due_after,
                    status=status,
                )
            )
        bank_code, branch_code = rng.choice(branches)
        payees.append(
            PayeeAccount(
                application_id=pk,
                bank_code=bank_code,
                branch_code=branch_code,
                account_type=rng.choice("124"),
                account_number=f"{rng.randrange(10**7):07d}",
                holder_kana="ｶ)" + "".join(rng.choices(_KANA, k=rng.randint(4, 27))),
                created_by=applicant,
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    Instalment.objects.bulk_create(instalments, batch_size=BATCH)
    PayeeAccount.objects.bulk_create(payees, batch_size=BATCH)
    analyse()
    return Awards(round=round_obj, applications=n, instalments_due=due, due_total_yen=due_total)


def park_due() -> int:
    """Put every instalment still due back to pending (a bench step between two runs, so the
    next batch holds only the next round's awards)."""
    return Instalment.objects.filter(status=InstalmentStatus.DUE).update(status=InstalmentStatus.PENDING)
