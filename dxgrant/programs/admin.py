"""Programmes, rounds and declaration texts in the Django admin: read only. They change by
loading the definition file (`dxgrant load-programme`), which validates the whole file, keeps
every revision and never rewrites a declaration already agreed to."""

from django.contrib import admin

from dxgrant.accounts.admin_site import ReadOnlyModelAdmin

from .models import DeclarationText, Programme, Round


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name_ja", "max_award_yen", "updated_at"]


@admin.register(Round)
class RoundAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name_ja", "application_opens", "application_closes", "is_demo"]


@admin.register(DeclarationText)
class DeclarationTextAdmin(ReadOnlyModelAdmin):
    list_display = ["round", "key", "version"]
