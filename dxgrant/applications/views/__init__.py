"""The application's pages, one module per use case (mirroring services/). Thin: fetch and
authorise (selectors.application_page or policies.get_application_for: 404 for missing and
forbidden alike), call a service, redirect; a refusal goes on the form (core.forms.add_errors)
or the 403 page with its reason.

- tasklist: the list, creating from an engagement, the task list, check your answers
- profile, disclosure, declarations, plan, budget, documents: writing the application
- submission: marking ready, confirming and submitting, reopening, the receipt, withdrawal
- staff: the secretariat's pages and acts (/staff/applications/)
"""
