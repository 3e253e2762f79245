"""The whole review and decision (issue 10's "Done means") in a real browser, one journey:
screening → assignment → conflict declaration → scoring → aggregation → ranking → committee
decision → publication, then the public results, the API, and the applicant reading the outcome.

Three applications are submitted by the factories (each with an eligible cost of 4,000,000円:
the rule's amount is 2,666,000円). The round asks two reviewers per application. The secretariat
screens and passes all three, adds three reviewers and runs the draw; the first reviewer
declares a conflict on one application and the secretariat sees its place refilled; the
reviewers score (a company they give 5 everywhere reaches 100 points, 4 → 80, 3 → 60, the pass
score). With a budget of 4,000,000円 only the first is awarded by the rule; a "what if" of
8,000,000円 awards all three. The committee reduces the first to 1,333,000円 with a reason, so
the second fits too; the third is passed over for the budget.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dxgrant.accounts.models import Role, User
from dxgrant.applications.models import Application, ApplicationDocument
from tests.e2e.conftest import Site
from tests.e2e.test_advisor_registration import current_code
from tests.e2e.test_application_full_journey import open_context
from tests.e2e.test_screening import submitted
from tests.e2e.test_staff_search import sign_in_with_code
from tests.factories import PASSWORD, UserFactory
from tests.factories.rounds import open_round
from tests.factories.support import representative_of

pytestmark = pytest.mark.e2e

FIRST, SECOND, THIRD = "株式会社一番技研", "株式会社二番商会", "株式会社三番工業"
LEVEL = {FIRST: 5, SECOND: 4, THIRD: 3}
OVERRIDE_REASON = "クラウド利用料のうち1年分は既存契約の更新と重なるため、半額に減額する。"


def sign_in(page: Page, user: User, path: str, heading: str, *, code: bool = True) -> None:
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if code:
        page.locator("input[name=code]").fill(current_code())
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text(heading)


def screen_and_pass(page: Page, application: Application) -> None:
    """From the screening queue: confirm every item of the checklist as met, then pass."""
    page.get_by_role("link", name=application.receipt_number).click()
    # The documents item needs the secretariat to have opened each submitted document.
    page.get_by_role("link", name="申請の詳細").click()
    for document in ApplicationDocument.objects.filter(application=application, budget_line__isnull=True):
        with page.expect_download():
            page.get_by_role("link", name=document.original_name).click()
    page.go_back()
    page.reload()
    for item in application.round.rules.review.screening:
        card = page.locator(f"#item-{item.code}")
        card.get_by_label("満たす", exact=True).check()
        card.get_by_role("button", name="確認結果を保存").click()
        expect(page.locator(f"#item-{item.code}")).to_contain_text("事務局の確認: 満たす")
    page.get_by_role("button", name="形式審査を通過（交付審査へ）").click()
    expect(page.locator("#status")).to_have_text("交付審査中")
    page.get_by_role("link", name="形式審査の待ち行列へ戻る").click()


def progress(page: Page, label: str) -> str:
    """A figure of the round's progress list, by its label."""
    return page.locator("#progress dt", has_text=label).locator("xpath=following-sibling::dd[1]").inner_text()


def score_all(page: Page, round_obj: object) -> list[str]:
    """The reviewer works through the queue: declares no conflict, scores each application at its
    company's level with a comment per criterion and an overall comment, and submits. Returns
    the companies scored."""
    scored = []
    page.goto("/review/")
    while page.get_by_role("link", name="利益相反を申告する").count():
        page.get_by_role("link", name="利益相反を申告する").first.click()
        company = next(name for name in LEVEL if page.locator("main dl").inner_text().count(name))
        page.get_by_label("利益相反はない").check()
        page.get_by_role("button", name="申告する").click()
        expect(page.get_by_text("利益相反はないと申告しました。採点を始められます。")).to_be_visible()
        expect(page.locator("h1")).to_contain_text(company)
        for criterion in round_obj.rules.rubric:  # type: ignore[attr-defined]
            page.locator(f"input[name=score_{criterion.code}][value='{LEVEL[company]}']").check()
            page.locator(f"textarea[name=comment_{criterion.code}]").fill(f"{criterion.code}の評価の根拠。")
        page.get_by_label("総評").fill("計画は具体的で、実施体制も整っている。")
        page.get_by_role("button", name="採点を提出する").click()
        expect(page.get_by_text("採点を提出しました。提出後は変更できません。")).to_be_visible()
        scored.append(company)
        page.goto("/review/")
    return scored


def test_review_journey_from_screening_to_published_results(  # type: ignore[no-untyped-def]
    page: Page, site: Site, e2e_browser: Browser, shot
) -> None:
    round_obj = open_round(site.programme)
    round_obj.review_rules = {**round_obj.review_rules, "reviewers_per_application": 2}
    round_obj.budget_yen = 4_000_000
    round_obj.save(update_fields=["review_rules", "budget_yen"])
    apps = {name: submitted(site, name) for name in (FIRST, SECOND, THIRD)}
    secretariat = UserFactory(role=Role.SECRETARIAT)
    reviewers = [UserFactory(role=Role.REVIEWER, email=f"reviewer{n}@example.jp") for n in (1, 2, 3)]
    contexts: list[BrowserContext] = []

    # --- 1. Screening: each application through the checklist, passed to review.
    sign_in_with_code(page, secretariat, "/staff/applications/")
    page.get_by_role("link", name="形式審査の待ち行列").click()
    page.select_option("#round", round_obj.code)
    page.get_by_role("button", name="表示する").click()
    for application in apps.values():
        screen_and_pass(page, application)
    expect(page.locator("main")).not_to_contain_text(FIRST)

    # --- 2. The pool and the draw: three reviewers, two places per application.
    page.goto(f"/staff/review/rounds/{round_obj.code}/")
    expect(page.locator("h1")).to_contain_text("交付審査の進捗")
    assert progress(page, "交付審査中の申請") == "3"
    for n, reviewer in enumerate(reviewers, start=1):
        page.get_by_label("審査員のメールアドレス").fill(reviewer.email)
        page.locator("#id_organisation").fill(f"審査法人{n}")
        page.get_by_role("button", name="追加または招待する").click()
        expect(page.get_by_text(f"{reviewer.email} を審査員に追加し、メールで知らせました。")).to_be_visible()
    page.get_by_label("シード値").fill("20240401")
    page.get_by_role("button", name="割り当てを実行する").click()
    expect(page.get_by_text("審査員を割り当てました（6 件、シード値 20240401、不足 0 件）。")).to_be_visible()
    assert progress(page, "必要数（2人）がそろった申請") == "3"
    assert progress(page, "利益相反の申告待ち") == "6"
    # Workload balanced: two places each.
    assert [row.split("\t")[3] for row in page.locator("#workload tbody tr").all_inner_texts()] == ["2"] * 3
    shot("drawn")

    # --- 3. Each reviewer accepts the terms; the first declares a conflict on one application.
    reviewer_pages = []
    for reviewer in reviewers:
        context, other = open_context(e2e_browser, site)
        contexts.append(context)
        sign_in(other, reviewer, "/review/", "担当する審査")
        other.get_by_role("link", name="守秘義務の確認へ").click()
        other.get_by_role("button", name="上記の守秘義務に同意する").click()
        expect(
            other.get_by_text("守秘義務の確認に同意しました。担当する申請を確認できます。")
        ).to_be_visible()
        expect(other.get_by_role("link", name="利益相反を申告する")).to_have_count(2)
        reviewer_pages.append(other)
    first = reviewer_pages[0]
    first.get_by_role("link", name="利益相反を申告する").first.click()
    facts = first.locator("main dl").inner_text()
    conflicted = next(name for name in LEVEL if name in facts)
    first.get_by_label("利益相反がある").check()
    first.get_by_role("button", name="申告する").click()
    expect(
        first.get_by_text("利益相反を申告しました。この申請はほかの審査員に割り当て直します。")
    ).to_be_visible()
    expect(first.get_by_role("link", name="利益相反を申告する")).to_have_count(1)

    # The secretariat sees the place refilled by the reviewer who was not on it.
    page.reload()
    assert progress(page, "利益相反による除外") == "1"
    assert progress(page, "必要数（2人）がそろった申請") == "3"
    holding = sorted(row.split("\t")[3] for row in page.locator("#workload tbody tr").all_inner_texts())
    assert holding == ["1", "2", "3"]

    # --- 4. Scoring: every reviewer declares no conflict on the rest and scores.
    scored = [score_all(other, round_obj) for other in reviewer_pages]
    assert conflicted not in scored[0]
    assert sorted(sum(scored, [])) == sorted([FIRST, FIRST, SECOND, SECOND, THIRD, THIRD])
    page.reload()
    assert progress(page, "採点提出済み") == "6"
    shot("scored")

    # --- 5. Aggregation and ranking on the committee page, with a "what if" budget.
    page.goto(f"/staff/decisions/{round_obj.code}/")
    table = page.locator("main table").first
    cells = [
        [c.strip() for c in row.locator("td").all_inner_texts()] for row in table.locator("tbody tr").all()
    ]
    assert [(c[0], c[1].split()[0], c[2]) for c in cells] == [
        ("1", FIRST, "100.00"),
        ("2", SECOND, "80.00"),
        ("3", THIRD, "60.00"),
    ]
    expect(table.locator("tbody tr").nth(0)).to_contain_text("2,666,000円")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("採択")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("予算超過のため見送り")
    expect(page.get_by_text("採択の最下位：1位（100.00点）")).to_be_visible()
    page.get_by_label("仮の予算額（円）").fill("8000000")
    page.get_by_role("button", name="この予算額で試算する（保存しません）").click()
    expect(page.get_by_text("仮の予算額 8,000,000円 での試算です。保存されていません。")).to_be_visible()
    expect(page.get_by_text("採択の最下位：3位（60.00点）")).to_be_visible()
    expect(page.locator("main table").first.locator("tbody tr").nth(2)).to_contain_text("7,998,000円")

    page.get_by_role("link", name=FIRST).click()
    expect(page.locator("h1")).to_have_text(f"{FIRST}の審査の集計と算定")
    expect(page.locator("main")).to_contain_text("100.00")
    expect(page.locator("main")).to_contain_text("2,666,000円")
    shot("aggregation")

    # --- 6. The committee: an override with a reason, the meeting, the decision, publication.
    page.goto(f"/staff/decisions/{round_obj.code}/")
    page.locator("main table tbody tr").nth(0).get_by_role("link", name="結果・金額を変更する").click()
    page.get_by_label("減額後の金額（円）").fill("1333000")
    page.get_by_label("理由", exact=True).fill(OVERRIDE_REASON)
    page.get_by_role("button", name="記録する").click()
    expect(page.locator("h1")).to_contain_text("の審査会")
    ranking = page.locator("main table").first.locator("tbody tr")
    expect(ranking.nth(0)).to_contain_text("1,333,000円")
    expect(ranking.nth(0)).to_contain_text(OVERRIDE_REASON)
    expect(ranking.nth(1)).to_contain_text("採択")
    expect(ranking.nth(1)).to_contain_text("3,999,000円")  # the running total
    expect(ranking.nth(2)).to_contain_text("予算超過のため見送り")
    page.get_by_role("link", name="審査会を記録する").click()
    page.get_by_label("開催日").fill("2025-01-20")
    page.get_by_label("出席者").fill("委員長 山田、委員 佐藤、委員 鈴木")
    page.get_by_label("議事録").fill("3件を審議し、1位の申請を減額のうえ2件を採択とした。")
    page.get_by_role("button", name="記録する").click()
    expect(page.locator("main")).to_contain_text("委員長 山田")
    page.get_by_role("button", name="この順位で交付決定する").click()
    page.get_by_role("button", name="審査結果を公表する").click()
    expect(page.get_by_role("link", name="公表ページ")).to_be_visible()
    shot("published")

    # --- 7. The public results and the API: awarded entries named, the rejected one not.
    page.get_by_role("link", name="公表ページ").click()
    public = page.locator("main")
    expect(public).to_contain_text(FIRST)
    expect(public).to_contain_text(SECOND)
    expect(public).not_to_contain_text(THIRD)
    expect(public).to_contain_text("1,333,000円")
    api = page.request.get(f"/api/v1/rounds/{round_obj.code}/results")
    assert api.status == 200
    body = api.json()
    assert body["awarded_total_yen"] == 3_999_000
    assert [
        (e["rank"], e["score"], e["proposed_yen"], e["amount_yen"], e["outcome"], e.get("company_name"))
        for e in body["entries"]
    ] == [
        (1, "100.00", 2_666_000, 1_333_000, "awarded", FIRST),
        (2, "80.00", 2_666_000, 2_666_000, "awarded", SECOND),
        (3, "60.00", 2_666_000, 0, "rejected", None),
    ]
    assert body["entries"][0]["override_reason"] == OVERRIDE_REASON

    # --- 8. The applicants read the outcome on their application.
    for name, texts in {
        FIRST: ["審査の結果: 採択", "1,333,000円", OVERRIDE_REASON],
        THIRD: ["審査の結果: 不採択", "予算額に収まらなかったため"],
    }.items():
        context, other = open_context(e2e_browser, site)
        contexts.append(context)
        application = apps[name]
        sign_in(
            other,
            representative_of(application.engagement),
            f"/applications/{application.pk}/",
            "申請の作成状況",
            code=False,
        )
        result = other.locator("#result")
        for text in texts:
            expect(result).to_contain_text(text)
        result.get_by_role("link", name="公募回の採択結果（公表）を見る").click()
        expect(other.locator("h1")).to_contain_text("の採択結果")
    for context in contexts:
        context.close()
    statuses = dict(Application.objects.filter(round=round_obj).values_list("company_name", "status"))
    assert statuses == {FIRST: "awarded", SECOND: "awarded", THIRD: "rejected"}
