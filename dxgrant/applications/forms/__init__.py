"""Forms of the application pages. They check formats (bad input keeps the typed values and names
each field); the services decide what is valid and complete, and their refusals are keyed by
these forms' field names (core.forms.add_errors shows each next to its field).

- application: the company profile, the disclosure, declarations, submission, withdrawal
- plan: the plan sections, budget lines, documents and quotations
- staff: the secretariat's list filters and the return for correction
"""
