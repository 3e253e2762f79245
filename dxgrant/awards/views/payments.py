"""/staff/awards/payments/: finance's payment batches — the list, preparing one, a batch with its
approval (four eyes), the 全銀 file, and the bank's results (entered, or imported from the bank's
result file)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.models import User
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires

from .. import policies, selectors
from ..forms import PrepareBatchForm, TransferResultForm, TransferResultsFileForm
from ..models import BatchStatus, TransferResult
from ..services import batches, settlement

finance = requires(policies.can_act_as_finance)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
@finance
def batch_list(request: HttpRequest) -> HttpResponse:
    page = selectors.batch_page(request.user, request.GET.get("before"))
    totals = selectors.instalment_totals()
    return render(request, "awards/payments/batches.html", {"page": page, "totals": totals})


@require_http_methods(["GET", "POST"])
@finance
def prepare(request: HttpRequest) -> HttpResponse:
    form = PrepareBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batches.prepare_batch(
                actor=_user(request), transfer_date=form.cleaned_data["transfer_date"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("支払バッチを作成しました。別の経理担当者の承認を受けてください。"))
            return redirect("payments:batch", batch.pk)
    rows = batches.readiness(selectors.due_instalments())
    ready = [row for row in rows if row.ready]
    context = {
        "form": form,
        "rows": rows,
        "ready_count": len(ready),
        "ready_yen": sum(row.instalment.amount_yen for row in ready),
    }
    return render(request, "awards/payments/prepare.html", context, status=form_status(request))


def _batch_context(request: HttpRequest, pk: int, **extra: object) -> dict[str, object]:
    batch = selectors.get_batch_for(request.user, pk)
    transfers = list(selectors.transfers_of(batch))
    return {
        "batch": batch,
        "import_form": TransferResultsFileForm(),
        "transfers": transfers,
        # Settling is offered here once every transfer has its result (after an import, say).
        "results_pending": sum(1 for t in transfers if t.result == TransferResult.PENDING),
        "can_approve": policies.can_approve_batch(request.user, batch),
        "can_export": policies.can_export_batch(request.user, batch),
        "can_record": policies.can_record_results(request.user, batch),
        "statuses": BatchStatus,
        **extra,
    }


@require_GET
@finance
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "awards/payments/batch.html", _batch_context(request, pk))


@require_POST
@finance
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_batch_for(request.user, pk)
    batches.approve_batch(actor=_user(request), batch=batch)
    messages.success(request, _("支払バッチを承認しました。振込データを出力できます。"))
    return redirect("payments:batch", batch.pk)


@require_POST
@finance
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The 全銀 総合振込 file (private to finance; each download in the audit log)."""
    batch = selectors.get_batch_for(request.user, pk)
    try:
        content = batches.export_batch(actor=_user(request), batch=batch)
    except ValidationError as exc:
        context = _batch_context(request, pk, export_errors=exc.messages)
        return render(request, "awards/payments/batch.html", context, status=400)
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="zengin-batch-{batch.pk}.txt"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@finance
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """One form per transfer (prefix t<id>); saving records every transfer whose result is given."""
    batch = selectors.get_batch_for(request.user, pk)
    policies.can_record_results(request.user, batch).require()
    transfers = list(selectors.transfers_of(batch))
    data = request.POST if request.method == "POST" else None
    forms = [
        (
            transfer,
            TransferResultForm(
                data,
                prefix=f"t{transfer.pk}",
                initial={"result": transfer.result or None, "code": transfer.result_code},
                use_required_attribute=False,
            ),
        )
        for transfer in transfers
    ]
    if request.method == "POST":
        failed = False
        for transfer, form in forms:
            if not form.has_changed() and not transfer.result:
                continue
            if not form.is_valid():
                failed = True
                continue
            try:
                settlement.record_result(
                    actor=_user(request),
                    transfer=transfer,
                    result=form.cleaned_data["result"],
                    code=form.cleaned_data["code"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
                failed = True
        if not failed:
            messages.success(request, _("振込結果を保存しました。"))
            return redirect("payments:results", batch.pk)
    return render(
        request, "awards/payments/results.html", {"batch": batch, "forms": forms}, status=form_status(request)
    )


@require_POST
@finance
def import_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The bank's result file, uploaded from the batch page: recorded, not settled. A refused
    file answers the batch page with the reason beside the field (400; 413 over the size limit)."""
    batch = selectors.get_batch_for(request.user, pk)
    form = TransferResultsFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            summary = settlement.import_results(
                actor=_user(request),
                batch=batch,
                content=form.cleaned_data["file"],
                filename=form.filename,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "振込結果ファイルを取り込みました：振込済 %(ok)d 件・不能 %(failed)d 件・未処理 %(unprocessed)d 件。"
                )
                % {"ok": summary.ok, "failed": summary.failed, "unprocessed": summary.unprocessed},
            )
            return redirect("payments:batch", batch.pk)
    status = 413 if form.has_error("file", "too_large") else 400
    context = _batch_context(request, pk, import_form=form)
    return render(request, "awards/payments/batch.html", context, status=status)


@require_POST
@finance
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_batch_for(request.user, pk)
    try:
        settlement.settle_batch(actor=_user(request), batch=batch)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("payments:results", batch.pk)
    messages.success(request, _("振込結果を確定しました。振込済みの申請者に通知します。"))
    return redirect("payments:batch", batch.pk)
