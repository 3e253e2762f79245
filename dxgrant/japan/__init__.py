"""Japanese business conventions used across dxgrant, as pure Python.

Corporate / invoice numbers, 和暦 dates, 全銀 kana, postal codes, bank codes
and business days live here so that forms, tasks and PDF rendering share one
tested implementation. Nothing in this package imports Django, so it can be
unit- and property-tested without settings or a database.
"""
