"""The advisor course: its contents, each module, and the quiz. For the people of a firm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.core.gates import requires

from ..forms.course import QuizForm
from ..policies import can_use_firm_pages
from ..selectors import course_progress_for
from ..services import course as services
from .shared import acting_user, membership_of


def _course_context(request: HttpRequest) -> dict[str, Any]:
    programme = membership_of(request).firm.programme
    course = programme.course
    progress = course_progress_for(acting_user(request), programme)
    return {
        "programme": programme,
        "course": course,
        "progress": progress,
        "all_read": all(m.code in progress.modules_read for m in course.modules),
        "nav": "firm",
    }


@requires(can_use_firm_pages)
def course_home(request: HttpRequest) -> HttpResponse:
    return render(request, "advisors/course/home.html", _course_context(request))


@requires(can_use_firm_pages)
@require_http_methods(["GET", "POST"])
def course_module(request: HttpRequest, code: str) -> HttpResponse:
    context = _course_context(request)
    modules = context["course"].modules
    index = next((i for i, m in enumerate(modules) if m.code == code), None)
    if index is None:
        raise Http404(code)
    if request.method == "POST":
        services.mark_module_read(
            actor=acting_user(request), programme=context["programme"], module_code=code
        )
        if index + 1 < len(modules):
            return redirect("firm:course_module", code=modules[index + 1].code)
        return redirect("firm:course_quiz")
    context |= {"module": modules[index], "position": index + 1, "count": len(modules)}
    return render(request, "advisors/course/module.html", context)


@requires(can_use_firm_pages)
@require_http_methods(["GET", "POST"])
def course_quiz(request: HttpRequest) -> HttpResponse:
    context = _course_context(request)
    if not context["all_read"]:
        messages.info(request, _("すべての単元を読んでから確認テストを受けてください。"))
        return redirect("firm:course")
    questions = context["course"].quiz
    form = QuizForm(request.POST or None, questions=questions)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = services.submit_course_quiz(
                actor=acting_user(request), programme=context["programme"], answers=form.cleaned_data
            )
            context["progress"].refresh_from_db()
            if not result.attempt.passed:
                form = QuizForm(questions=questions)
        else:
            status = 400
    context |= {"form": form, "result": result}
    return render(request, "advisors/course/quiz.html", context, status=status)
