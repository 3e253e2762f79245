"""The comprehension quiz, answered by the attendee themselves after attending a session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.core.forms import add_errors, form_status

from .. import policies, selectors
from ..forms import QuizForm
from ..models import TrainingQuizAttempt
from ..services import quiz as quiz_service
from .common import signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    engagement = selectors.get_engagement_for(user, pk)
    attended = selectors.has_attended(user, engagement)
    policies.can_take_quiz(user, engagement, has_attended=attended).require()
    training = engagement.round.rules.training
    attempts = list(TrainingQuizAttempt.objects.filter(engagement=engagement, user=user).order_by("-id")[:5])
    passed = next((a for a in attempts if a.passed), None)
    form = None if passed else QuizForm(request.POST or None, questions=training.quiz)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            attempt = quiz_service.submit_quiz(
                actor=user,
                engagement=engagement,
                answers=form.answers(),
                submission_token=form.cleaned_data["submission_token"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if attempt.passed:
                messages.success(
                    request, _("確認テストに合格しました（%(score)s点）。") % {"score": attempt.score_percent}
                )
            else:
                messages.info(
                    request,
                    _("%(score)s点でした。合格には%(mark)s点以上が必要です。もう一度挑戦できます。")
                    % {"score": attempt.score_percent, "mark": training.pass_mark_percent},
                )
            return redirect("support:quiz", pk=engagement.pk)
    context = {
        "engagement": engagement,
        "form": form,
        "passed": passed,
        "attempts": attempts,
        "pass_mark": training.pass_mark_percent,
    }
    return render(request, "support/quiz.html", context, status=form_status(request))
