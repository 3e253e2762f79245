"""What each action in an application's audit history is called on the staff pages.

Every action written about an application, its versions or its return requests has a label here
(or is a transition of `workflow`, labelled by its table); tests/applications/test_audit_labels.py
finds every `action="application.…"` in the code and fails on one without a label.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import workflow

LABELS = {
    "application.created": _("申請を作成"),
    "application.profile_saved": _("申請者の情報を保存"),
    "application.plan_section_saved": _("事業計画を保存"),
    "application.budget_line_added": _("経費の明細を追加"),
    "application.budget_line_changed": _("経費の明細を変更"),
    "application.budget_line_deleted": _("経費の明細を削除"),
    "application.document_uploaded": _("書類を添付"),
    "application.document_deleted": _("添付書類を削除"),
    "application.disclosure_saved": _("報酬・取引関係の開示を保存"),
    "application.disclosure_confirmed": _("申請者が報酬・取引関係の開示を確認"),
    "application.declarations_accepted": _("申請者が宣誓・同意"),
    "application.duplicate_refused": _("同じ会社の重複申請を拒否"),
    "application.version_frozen": _("提出版を確定"),
    "application.return_requested": _("差戻しの内容を記録"),
    "application.return_notified": _("差戻しをメールで通知"),
    "application.submission_code_refused": _("提出の確認コードが誤り"),
    "application.quote_chosen": _("採用する見積書を選択"),
    "application.screening_item_confirmed": _("形式審査の項目を確認"),
    "application.screening_rejection_notified": _("形式審査での不採択をメールで通知"),
}


def action_label(action: str) -> str:
    """A person's words for an audit action; "" for an action no one has named yet."""
    if action in LABELS:
        return str(LABELS[action])
    name = action.removeprefix("application.")
    if name != action and name in workflow.TRANSITIONS:
        return str(workflow.TRANSITIONS[name].label)
    return ""
