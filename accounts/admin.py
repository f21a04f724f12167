from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("museumcm", {"fields": ("display_name", "language", "time_zone")}),
    )
    list_display = ("username", "email", "display_name", "is_active", "is_staff")
    # Roles, flags and removal go through the Team page (accounts.services), which gives exactly a role's powers and
    # keeps the last administrator; editing them here would bypass both.
    readonly_fields = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
