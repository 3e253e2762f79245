"""After the decision (issue 11's "Done means") in a real browser, one journey: notices issued →
verification (the number, the QR's URL, the genuine PDF valid, a copy with one byte changed
refused) → acceptance with the authenticator code → payee account (a wrong holder refused) →
payment batch → the preparer cannot approve, a second finance user does → the 全銀 file → results
recorded and settled → the application paid.

The round is decided and published by the services (tests/awards/notice_builders.py: 株式会社A
awarded 6,000,000円, 株式会社C 3,000,000円, B and D not awarded), so the journey starts at the
secretariat's notices page. Only 株式会社A accepts, so the batch has one transfer: its single
instalment (the default rules: 一括交付, due on acceptance) of 6,000,000円.
"""

from __future__ import annotations

import io
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core import mail
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import zengin
from dxgrant.awards.models import BatchStatus, InstalmentStatus, Notice, PaymentBatch
from dxgrant.awards.notice_pdf import verification_url
from tests.awards.notice_builders import published_round
from tests.awards.payments_builders import next_business_day
from tests.e2e.conftest import Site
from tests.e2e.test_advisor_registration import current_code
from tests.e2e.test_application_full_journey import open_context
from tests.factories import PASSWORD, UserFactory
from tests.factories.accounts import enrol_totp
from tests.factories.support import representative_of

pytestmark = pytest.mark.e2e

AMOUNT = 6_000_000
HOLDER = "カ）テストセイサクショ"  # the factories' company: 株式会社, テストセイサクショ
WRONG_HOLDER = "ヤマダタロウ"


def sign_in(page: Page, user: User, path: str) -> int:
    """Signs in with password and authenticator code, landing on `path`; returns the code's
    30-second period (a code is accepted once: the next one must come from a later period)."""
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    code = current_code()
    period = int(time.time()) // 30
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    return period


def qr_codes_in(pdf: Path) -> list[str]:
    """The texts of the QR codes on the PDF's pages, rendered at 150 dpi (poppler) and read by
    zxing-cpp as a phone's camera would."""
    folder = pdf.parent / "pages"
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(folder / "page")], check=True)
    found = []
    for png in sorted(folder.glob("page-*.png")):
        with Image.open(png) as image:
            found += [code.text for code in zxingcpp.read_barcodes(image)]
    return found


def code_after(period: int) -> str:
    """A code from a period after `period` (waiting for it if need be)."""
    while int(time.time()) // 30 <= period:
        time.sleep(0.5)
    return current_code()


def test_award_journey_from_notices_to_paid(  # type: ignore[no-untyped-def]
    page: Page, site: Site, e2e_browser: Browser, shot, tmp_path: Path, artifacts_dir: Path
) -> None:
    secretariat = UserFactory(role=Role.SECRETARIAT)
    round_obj, apps = published_round(site.programme, secretariat)
    winner = apps["A"]
    # The builder's applications skip the profile; the holder is checked against these two.
    Application.objects.filter(pk=winner.pk).update(
        legal_form="株式会社", company_name_kana="テストセイサクショ"
    )
    assert (winner.status, winner.decision.amount_yen) == (workflow.AWARDED, AMOUNT)
    applicant = representative_of(winner.engagement)
    enrol_totp(applicant)
    preparer = UserFactory(role=Role.FINANCE, email="finance1@example.jp")
    approver = UserFactory(role=Role.FINANCE, email="finance2@example.jp")
    contexts: list[BrowserContext] = []

    def another() -> Page:
        context, other = open_context(e2e_browser, site)
        contexts.append(context)
        return other

    # The applicant signs in first: the code of that sign-in cannot be used again for the
    # acceptance, so the journey's steps in between let its period pass.
    mine = another()
    signed_in_period = sign_in(mine, applicant, f"/applications/{winner.pk}/")

    # --- 1. The secretariat issues the notices (the job runs at once: the immediate task backend).
    notices_path = f"/staff/awards/{round_obj.code}/notices/"
    sign_in(page, secretariat, notices_path)
    expect(page.locator("#notice-progress")).to_contain_text("4件中 0件を発行済み")
    # The immediate backend signs all four in the request: on a busy machine that outlasts the
    # default wait for the navigation.
    page.get_by_role("button", name="通知書を発行する").click(no_wait_after=True)
    expect(page.get_by_text("通知書の発行を始めました。")).to_be_visible(timeout=60_000)
    expect(page.locator("#notice-progress")).to_contain_text("4件中 4件を発行済み")
    expect(page.locator("#notice-progress")).to_contain_text("すべて発行しました。")
    expect(page.get_by_role("button", name="通知書を発行する")).to_have_count(0)
    row = page.locator("main table tbody tr", has_text="株式会社A")
    expect(row).to_contain_text("交付決定通知書")
    expect(row).to_contain_text("6,000,000円")
    number = row.locator("td").nth(1).inner_text().strip()
    notice = Notice.objects.get(number=number)
    assert notice.application_id == winner.pk
    # The applicant is emailed a link to the notice's page, never the PDF.
    link = f"/applications/{winner.pk}/notice/"
    (email,) = [m for m in mail.outbox if applicant.email in m.to and link in m.body]
    assert not email.attachments
    shot("notices-issued")

    # --- 2. The applicant downloads the signed PDF from the notice's page.
    mine.goto(f"/applications/{winner.pk}/")
    expect(mine.locator("#result-notice")).to_contain_text(number)
    mine.locator("#result-notice a").click()
    expect(mine.locator("h1")).to_have_text("交付決定通知書")
    with mine.expect_download() as download_info:
        mine.get_by_role("link", name="通知書（電子署名付きPDF）をダウンロードする").click()
    genuine = tmp_path / f"{number}.pdf"
    download_info.value.save_as(genuine)
    data = genuine.read_bytes()
    assert data.startswith(b"%PDF") and data == notice.pdf.open("rb").read()

    # --- 3. Anyone verifies it: from the number, and from the QR's URL printed on the notice.
    anyone = another()
    anyone.goto(f"/verify/notice/{number}")
    expect(anyone.locator("h1")).to_have_text("通知書の確認")
    expect(anyone.locator("#notice-number")).to_have_text(number)
    expect(anyone.locator("#notice-status")).to_have_text("有効")
    expect(anyone.locator("main")).to_contain_text("6,000,000円")
    printed = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    urls = re.findall(r"https?://\S+/verify/notice/[A-Z0-9-]+", printed.replace("\n", ""))
    assert urls == [verification_url(number)]
    assert qr_codes_in(genuine) == urls  # what a phone reads from the printed QR code
    anyone.goto(urlsplit(urls[0]).path)  # the QR's URL's path, on this live server
    expect(anyone.locator("#notice-number")).to_have_text(number)

    anyone.get_by_label("通知書のPDF").set_input_files(str(genuine))
    anyone.get_by_role("button", name="確かめる").click()
    expect(anyone.locator("#verify-result")).to_contain_text("有効：発行した通知書と同一です。")
    tampered = tmp_path / "tampered.pdf"
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    tampered.write_bytes(bytes(changed))
    anyone.get_by_label("通知書のPDF").set_input_files(str(tampered))
    anyone.get_by_role("button", name="確かめる").click()
    expect(anyone.locator("#verify-result")).to_contain_text("無効：発行した通知書と一致しません。")
    anyone.screenshot(
        path=str(artifacts_dir / "award_journey_from_notices_to_paid--tampered-refused.png"), full_page=True
    )

    # --- 4. The applicant accepts the conditions with the authenticator code.
    mine.goto(f"/applications/{winner.pk}/")
    mine.get_by_role("link", name="交付条件を確認して受諾する").click()
    expect(mine.locator("h1")).to_have_text("交付条件の受諾")
    mine.get_by_label("上記の交付条件を確認し、受諾します。").check()
    mine.locator("input[name=code]").fill(code_after(signed_in_period))
    mine.get_by_role("button", name="交付条件を受諾する").click()
    expect(mine.get_by_text("交付条件を受諾しました。")).to_be_visible()
    winner.refresh_from_db()
    assert winner.status == workflow.ACCEPTED
    (instalment,) = winner.instalments.all()
    assert (instalment.amount_yen, instalment.status) == (AMOUNT, InstalmentStatus.DUE)

    # --- 5. The payee account: a holder that is not the company is refused, then the right one.
    mine.get_by_role("link", name="振込先口座").click()
    expect(mine.locator("h1")).to_have_text("振込先口座")
    mine.get_by_label("金融機関").fill("みずほ")
    mine.get_by_label("支店").fill("東京営業部")
    mine.get_by_label("普通").check()
    mine.get_by_label("口座番号（7桁）").fill("1234567")
    mine.get_by_label("口座名義（カナ）").fill(WRONG_HOLDER)
    mine.get_by_role("button", name="口座を登録する").click()
    expect(mine.locator("main")).to_contain_text("事業者の名前（フリガナ: テストセイサクショ）と一致しません")
    expect(mine.locator("#payee-none")).to_be_visible()
    assert not winner.payee_accounts.exists()
    mine.get_by_label("口座名義（カナ）").fill(HOLDER)
    mine.get_by_role("button", name="口座を登録する").click()
    expect(mine.get_by_text("振込先口座を登録しました。")).to_be_visible()
    expect(mine.locator("main")).to_contain_text("ｶ)ﾃｽﾄｾｲｻｸｼﾖ")
    expect(mine.locator("#payee-awaiting")).to_have_count(0)
    mine.screenshot(path=str(artifacts_dir / "award_journey_from_notices_to_paid--payee.png"), full_page=True)

    # --- 6. Finance: the first user prepares the batch and cannot approve it.
    first = another()
    sign_in(first, preparer, "/staff/awards/payments/")
    first.goto("/staff/awards/payments/prepare/")
    expect(first.locator("main")).to_contain_text("1件（6,000,000円）")
    first.get_by_label("振込指定日").fill(next_business_day().isoformat())
    first.get_by_role("button", name="作成する").click()
    batch = PaymentBatch.objects.get()
    expect(first).to_have_url(re.compile(f"/staff/awards/payments/{batch.pk}/$"))
    expect(first.locator("main")).to_contain_text("支払バッチを作成した本人は承認できません")
    expect(first.get_by_role("button", name="承認する")).to_have_count(0)
    # Nor by a forged POST from the same signed-in browser.
    forged = first.request.post(
        f"/staff/awards/payments/{batch.pk}/approve/",
        headers={"X-CSRFToken": csrf_token(first), "Referer": site(f"/staff/awards/payments/{batch.pk}/")},
    )
    assert forged.status == 403, forged.status
    assert PaymentBatch.objects.get().status == BatchStatus.PREPARED

    # --- 7. The second finance user approves and downloads the 全銀 file.
    second = another()
    sign_in(second, approver, f"/staff/awards/payments/{batch.pk}/")
    second.get_by_role("button", name="承認する").click()
    expect(second.get_by_text("支払バッチを承認しました。振込データを出力できます。")).to_be_visible()
    expect(second.locator("main dl")).to_contain_text("承認済み")
    with second.expect_download() as download_info:
        second.get_by_role("button", name="振込データ（全銀形式）をダウンロード").click()
    transfer_file = zengin.read(Path(download_info.value.path()).read_bytes())
    assert len(transfer_file.data) == 1
    (record,) = transfer_file.data
    assert (record.amount, record.payee_name) == (AMOUNT, "ｶ)ﾃｽﾄｾｲｻｸｼﾖ")
    assert (record.bank_code, record.branch_code, record.account_number) == ("0001", "001", "1234567")
    assert transfer_file.trailer == zengin.Trailer(count=1, total=AMOUNT)

    # --- 8. The first records the bank's result and settles.
    first.reload()
    first.get_by_role("link", name="振込結果を登録する").click()
    first.get_by_label("振込済み").check()
    first.get_by_role("button", name="保存する").click()
    first.goto(f"/staff/awards/payments/{batch.pk}/results/")
    first.get_by_role("button", name="結果を確定する").click()
    expect(first.locator("main")).to_contain_text("振込済み")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SETTLED
    first.screenshot(
        path=str(artifacts_dir / "award_journey_from_notices_to_paid--settled.png"), full_page=True
    )

    # --- 9. The applicant's application shows it paid.
    mine.goto(f"/applications/{winner.pk}/")
    status = mine.locator("main dl.facts dt", has_text=re.compile("^状態$")).locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(status).to_have_text("交付済み")
    winner.refresh_from_db()
    assert winner.status == workflow.PAID
    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.PAID
    shot("paid")
    for context in contexts:
        context.close()


def csrf_token(pg: Page) -> str:
    return next(c["value"] for c in pg.context.cookies() if c["name"] == "csrftoken")
