"""Writes about inquiries, one module per use case (callers import the module):

- `contact`: an inquiry sent from the public contact form.
- `inbox`: the secretariat handling an inquiry (status, assignee, internal notes).
"""
