from django.contrib import admin

from .models import DeclarationText, Programme, Round


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "max_award_yen", "updated_at"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "application_opens", "application_closes", "is_demo"]


@admin.register(DeclarationText)
class DeclarationTextAdmin(admin.ModelAdmin):
    list_display = ["round", "key", "version"]
