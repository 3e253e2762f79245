"""A smoke test of the payment benchmark (bench/payments.py) at a few dozen awards: the bulk-loaded
awards are paid by the real services, the bank's result file it writes is one the import reads,
and the steps that must not grow per transfer send the same statements at 20 and at 60 transfers.
The benchmark itself runs in `make bench` (bench/zengin.py)."""

from __future__ import annotations

import pytest

from bench.payments import STEPS, payment_run, result_file
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import zengin_results
from dxgrant.awards.models import Instalment, InstalmentStatus, PaymentBatch, Transfer, TransferResult
from dxgrant.awards.services import batches
from dxgrant.programs.models import Programme

pytestmark = pytest.mark.django_db


def test_the_loaded_awards_are_paid_through_the_services(programme: Programme) -> None:
    run = payment_run("BENCH-T1", 30, memory=False)
    assert run["transfers"] == 30 and run["failed"] == 0
    assert set(run["steps"]) == set(STEPS)
    batch = PaymentBatch.objects.get()
    assert batch.status == "settled" and batch.total_yen == run["total_yen"]
    assert Instalment.objects.filter(status=InstalmentStatus.PAID).count() == 30
    assert Application.objects.filter(status=workflow.PAID).count() == 30


def test_the_result_file_fails_one_in_each_fail_every(programme: Programme) -> None:
    run = payment_run("BENCH-T2", 12, memory=False)
    assert run["bytes"] == (120 + 2) * (12 + 3)  # header, 12 records, trailer, end; CRLF each
    content = batches.transfer_file(PaymentBatch.objects.get())  # the exported file again
    answer, failed = result_file(content, fail_every=5)
    assert failed == 2
    parsed = zengin_results.read_results(answer)
    assert [r.code for r in parsed.records].count("1") == 2
    assert [r.line for r in parsed.records if not r.ok] == [6, 11]
    assert Transfer.objects.filter(result=TransferResult.OK).count() == 12


def test_preparing_approving_exporting_and_importing_do_not_grow_per_transfer(programme: Programme) -> None:
    small = payment_run("BENCH-T3", 20, memory=False)["steps"]
    large = payment_run("BENCH-T4", 60, memory=False)["steps"]
    for step in ("prepare", "approve", "export", "import_results"):
        assert large[step]["queries"] == small[step]["queries"], step
