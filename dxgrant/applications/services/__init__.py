"""Writes on applications, one module per use case. Callers import the module they need
(`from dxgrant.applications.services import submission`); nothing is re-exported here.

- creation: the engagement's application, created once (ensure_application)
- duplicates: one live application per company per round (company_key, DuplicateApplication,
  record_refusal, live_application_exists)
- transitions: firing a workflow transition (actor, state, guards, audit)
- profile, plan, budget, documents, disclosure, declarations: writing the application
- submission: marking it ready, reopening, submitting, withdrawing
- screening: the secretariat's acts (begin screening, return for correction)
"""
