from django.contrib import admin
from translated_fields.admin import TranslatedFieldAdmin

from .models import AuditEvent, District, LegalText, Street


class StreetInline(admin.TabularInline):
    model = Street
    extra = 0
    fields = ["name", "first_number", "last_number"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "residents", "area_km2"]
    search_fields = ["name", "city"]
    readonly_fields = ["boundary", "area_km2"]
    exclude = District.welcome.fields  # the team writes it at the desk ("Welcome text"), audited
    inlines = [StreetInline]

    def has_add_permission(self, request):
        return False  # boundaries are checked on import: manage.py load_district


@admin.register(LegalText)
class LegalTextAdmin(TranslatedFieldAdmin, admin.ModelAdmin):
    list_display = ["page", "updated_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "verb", "actor", "target_type", "target_id"]
    list_filter = ["verb", "district"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
