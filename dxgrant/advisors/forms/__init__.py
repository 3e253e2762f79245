"""Forms of the advisors app, one module per use case, mirroring views/: `registration`,
`review`, `register` (the public register's search), `team`, `course`; shared fields in `fields`.
"""

# applications.staff_forms imports the prefecture choices from here; kept importable until that
# import is moved at the merge.
from .fields import PREFECTURES as PREFECTURES
