"""Forms of the advisors app, one module per use case, mirroring views/: `registration`,
`review`, `register` (the public register's search), `team`, `course`; shared fields in `fields`.
"""
