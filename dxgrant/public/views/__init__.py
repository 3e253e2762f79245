"""The public site's pages, one module per use case:

- `site`: the programme as data (home, about, eligibility, schedule, documents, FAQ, operator),
  the self-check and the guidelines PDF.
- `contact`: the contact form and its thank-you page (services.contact).
- `inbox`: the secretariat's inquiry inbox and an inquiry's page (services.inbox).
"""
