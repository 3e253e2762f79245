"""What follows the grant: reminders of due dates, and (to come) support reports, plan changes,
the results report, KPI years and surveys."""
