"""Pages of advisor support (伴走支援), one module per use case, mirroring `services/`.

Thin: fetch and authorise through selectors (404 for missing and forbidden alike), check the
policy for the act (403 with the reason), call a service, redirect.

- `engagements`: the advisor's dashboard, starting an engagement, its pages; the applicant's
  pages; the secretariat's list
- `ending`: ending the support
- `hearings`: hearing records and the applicant's answer
- `training`: training sessions and the check-in code panel
- `attendance`: the attendee's own check-in
- `quiz`: the comprehension quiz
- `invitations`: inviting staff, resending, revoking and accepting invitations
"""
