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
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from zengin_code import Bank  # type: ignore[import-untyped,unused-ignore]

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import zengin, zengin_results
from dxgrant.awards.instalment_split import split
from dxgrant.awards.models import BatchStatus, Instalment, InstalmentStatus, PayeeAccount, PaymentBatch
from dxgrant.awards.services import batches, settlement
from dxgrant.decisions.models import Decision, Meeting, RoundDecision
from dxgrant.japan.business_days import add_business_days
from dxgrant.programs.models import Programme, Round
from dxgrant.programs.services.loading import load_programme_file
from tests.factories import UserFactory
from tests.factories.rounds import open_round

from .generate import BATCH, Generator, analyse

_KANA = [chr(c) for c in range(0xFF71, 0xFF9E)]
FAIL_EVERY = 1_000  # one transfer in a thousand comes back failed (code "1", 資金不足)
STEPS = ("prepare", "approve", "export", "import_results", "settle")


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


class Counted:
    """The statements sent while it is installed (an execute wrapper: every execute and
    executemany once), and the most repeated ones."""

    def __init__(self) -> None:
        self.count = 0
        self.shapes: Counter[str] = Counter()

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        self.shapes[sql[:160]] += 1
        return execute(sql, params, many, context)


@contextmanager
def measured(figures: dict[str, Any], *, memory: bool) -> Iterator[None]:
    """Time and count a step (`memory` False) or trace its peak Python memory (True)."""
    if memory:
        tracemalloc.start()
        try:
            yield
            figures["peak_bytes"] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return
    counted = Counted()
    started = time.perf_counter()
    with connection.execute_wrapper(counted):
        yield
    figures["ms"] = (time.perf_counter() - started) * 1000
    figures["queries"] = counted.count
    figures["most_repeated"] = [[n, sql] for sql, n in counted.shapes.most_common(3)]


def result_file(content: bytes, fail_every: int = FAIL_EVERY) -> tuple[bytes, int]:
    """The bank's answer to `content`: code "0" in byte 114 of every data record, "1" in one of
    each `fail_every`; and how many failed."""
    records = content.split(b"\r\n")
    failed = 0
    position = zengin_results.RESULT_POSITION - 1
    for number in range(1, len(records) - 3):  # header first; trailer, end and "" last
        code = b"0"
        if number % fail_every == 0:
            code, failed = b"1", failed + 1
        record = records[number]
        records[number] = record[:position] + code + record[position + 1 :]
    return b"\r\n".join(records), failed


def payment_run(round_code: str, n: int, *, memory: bool) -> dict[str, Any]:
    """Load a round of `n` accepted awards, then run the five steps through the services."""
    programme = load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None).programme
    finance = UserFactory(role=Role.FINANCE)
    second = UserFactory(role=Role.FINANCE)
    park_due()
    started = time.perf_counter()
    awards = accepted_awards(programme, open_round(programme, code=round_code), n, by=finance)
    loaded_s = time.perf_counter() - started
    figures: dict[str, dict[str, Any]] = {step: {} for step in STEPS}
    transfer_date = add_business_days(timezone.localdate(), 1)
    holder: dict[str, Any] = {}

    def step(name: str, call: Callable[[], Any]) -> Any:
        with measured(figures[name], memory=memory):
            holder[name] = call()
        return holder[name]

    batch = step("prepare", lambda: batches.prepare_batch(actor=finance, transfer_date=transfer_date))
    assert batch.transfer_count == awards.instalments_due == n, (batch.transfer_count, n)
    assert batch.total_yen == awards.due_total_yen
    step("approve", lambda: batches.approve_batch(actor=second, batch=batch))
    content = step("export", lambda: batches.export_batch(actor=finance, batch=batch))
    parsed = zengin.read(content)
    assert len(parsed.data) == n and parsed.trailer.count == n
    assert parsed.trailer.total == awards.due_total_yen
    answer, failed = result_file(content)
    summary = step(
        "import_results",
        lambda: settlement.import_results(actor=finance, batch=batch, content=answer, filename="kekka.txt"),
    )
    assert (summary.ok, summary.failed, summary.changed) == (n - failed, failed, n), summary
    step("settle", lambda: settlement.settle_batch(actor=finance, batch=batch))
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.SETTLED
    return {
        "awards": n,
        "loaded_s": loaded_s,
        "transfers": batch.transfer_count,
        "total_yen": batch.total_yen,
        "bytes": len(content),
        "failed": failed,
        "steps": figures,
    }
