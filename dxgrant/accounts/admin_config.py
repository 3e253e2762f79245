"""INSTALLED_APPS names this in place of "django.contrib.admin": the same admin, with the site
of admin_site.py (the site's own sign-in, every change audited) as its default site."""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "dxgrant.accounts.admin_site.AuditedAdminSite"
