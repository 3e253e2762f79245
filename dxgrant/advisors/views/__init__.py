"""Pages of the advisors app, one module per use case, mirroring services/: `register` (the
public register), `registration` (a firm registers), `review` (the secretariat's review and
decisions), `team` (a firm's people and joining), `course` (the advisor course)."""
